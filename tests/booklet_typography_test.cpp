// The shipped content laid out with real fonts on the default and the A5 layout, checked
// line by line in the display list the PDF is drawn from: justified word spaces stay
// within twice their natural width, inline code never breaks without a mark, no line
// starts with a dash, pages of a topic end near the bottom of the text block.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "booklet/blocks.hpp"
#include "booklet/booklet.hpp"
#include "booklet/booklet_layout.hpp"
#include "booklet_fixture.hpp"
#include "load/load_content.hpp"
#include "load/load_layout.hpp"
#include "model/walk.hpp"
#include "text/hyphenate.hpp"
#include "typeset/faces.hpp"
#include "typeset/line_breaking.hpp"
#include "typeset/typesetting.hpp"
#include "typeset/vertical.hpp"
#include "util/utf8.hpp"

namespace {

struct LineRuns {
  int page = 0;
  double y = 0;
  std::vector<const pdf::TextRun*> runs;  // left to right
};

struct LaidOut {
  model::Layout layout;
  std::optional<typeset::Typesetting> typesetting;
  std::vector<pdf::Page> pages;
  std::set<std::string> code_spans;  // the text of every inline code span of the content
};

void collect_code(const model::Inlines& inlines, std::set<std::string>& spans) {
  for (const model::Inline& run : inlines) {
    if ((run.style & model::style_code) != 0) {
      spans.insert(run.text);
    }
  }
}

void collect_code(const model::Body& body, std::set<std::string>& spans) {
  for (const model::Block& block : body) {
    if (const auto* paragraph = std::get_if<model::Paragraph>(&block.node)) {
      collect_code(paragraph->inlines, spans);
    } else if (const auto* list = std::get_if<model::List>(&block.node)) {
      for (const model::ListItem& item : list->items) {
        collect_code(item.blocks, spans);
      }
    } else if (const auto* quote = std::get_if<model::Quote>(&block.node)) {
      collect_code(quote->blocks, spans);
    }
  }
}

const LaidOut& laid_out(const std::string& layout_name) {
  static std::map<std::string, LaidOut> cache;
  auto found = cache.find(layout_name);
  if (found != cache.end()) {
    return found->second;
  }
  LaidOut& out = cache[layout_name];
  model::Diagnostics diagnostics;
  out.layout = load::load_layout(
      load::layout_path(layout_name, std::string(PREPKIT_SOURCE_DIR) + "/layouts"), diagnostics);
  const model::Document document =
      load::load_content(std::string(PREPKIT_SOURCE_DIR) + "/content", diagnostics);
  REQUIRE_FALSE(diagnostics.has_errors());
  out.typesetting = typeset::prepare_typesetting(out.layout);
  booklet::PageSink sink;
  sink.page = [&](const pdf::Page& page) { out.pages.push_back(page); };
  // As make_booklet lays out the real book: names kept whole, Rust code reformatted.
  if (out.typesetting->hyphenator) {
    booklet::keep_names_whole(document, *out.typesetting->hyphenator);
  }
  booklet::CodeReformatter code_reformatter;
  booklet::lay_out(document, out.layout, out.typesetting->faces, *out.typesetting->measure,
                   out.typesetting->hyphenator.get(), &sink, &code_reformatter);
  for (const model::Area& area : document.areas) {
    for (const model::Topic& topic : area.topics) {
      collect_code(topic.summary, out.code_spans);
      for (const model::Section& section : topic.sections) {
        collect_code(section.body, out.code_spans);
      }
      for (const model::Inlines& point : topic.key_points) {
        collect_code(point, out.code_spans);
      }
      for (const model::Pitfall& pitfall : topic.pitfalls) {
        collect_code(pitfall.body, out.code_spans);
      }
      for (const model::Question& question : topic.questions) {
        collect_code(question.question, out.code_spans);
        collect_code(question.answer, out.code_spans);
      }
    }
  }
  return out;
}

bool near(double a, double b) {
  return std::fabs(a - b) < 0.01;
}

// Lines of running text (body size, and inline code beside it), in reading order.
std::vector<LineRuns> text_lines(const LaidOut& laid) {
  const double body = laid.layout.sizes.body;
  const double code = body * booklet::inline_code_scale;
  std::vector<LineRuns> lines;
  for (std::size_t p = 0; p < laid.pages.size(); ++p) {
    std::map<double, LineRuns, std::greater<>> by_y;
    for (const pdf::Item& item : laid.pages[p].items) {
      const auto* run = std::get_if<pdf::TextRun>(&item);
      if (run == nullptr) {
        continue;
      }
      const bool text_size =
          near(run->size, body) || near(run->size, code) || near(run->size, 0.8 * code);
      if (!text_size) {
        continue;
      }
      LineRuns& line = by_y[std::round(run->y * 100) / 100];
      line.page = static_cast<int>(p) + 1;
      line.y = run->y;
      line.runs.push_back(run);
    }
    for (auto& [y, line] : by_y) {
      std::sort(line.runs.begin(), line.runs.end(),
                [](const pdf::TextRun* a, const pdf::TextRun* b) { return a->x < b->x; });
      lines.push_back(std::move(line));
    }
  }
  return lines;
}

bool is_serif_body(const LaidOut& laid, const pdf::TextRun& run) {
  for (typeset::Role role : {typeset::Role::serif, typeset::Role::serif_bold,
                             typeset::Role::serif_italic, typeset::Role::serif_bold_italic}) {
    if (run.face == laid.typesetting->faces.primary(role) &&
        near(run.size, laid.layout.sizes.body)) {
      return true;
    }
  }
  return false;
}

bool is_mono(const LaidOut& laid, const pdf::TextRun& run) {
  for (typeset::Role role : {typeset::Role::mono, typeset::Role::mono_bold,
                             typeset::Role::mono_italic, typeset::Role::mono_bold_italic}) {
    if (run.face == laid.typesetting->faces.primary(role)) {
      return true;
    }
  }
  return false;
}

double right_end(const LaidOut& laid, const pdf::TextRun& run) {
  return run.x + (*laid.typesetting->measure).width(run.face, run.text, run.size);
}

struct SpaceReport {
  int justified_lines = 0;
  int too_wide = 0;
  std::string examples;
};

// Gaps between the words of justified lines (those reaching the right edge of the text
// block of their page), each against the natural space of the faces beside it.
SpaceReport word_spaces(const LaidOut& laid) {
  const pdf::TextMeasure& measure = (*laid.typesetting->measure);
  const std::vector<LineRuns> lines = text_lines(laid);
  std::map<int, double> right_edge;  // page → the text block's right edge
  for (const LineRuns& line : lines) {
    double& edge = right_edge[line.page];
    edge = std::max(edge, right_end(laid, *line.runs.back()));
  }
  SpaceReport report;
  for (const LineRuns& line : lines) {
    const bool body_line = std::any_of(line.runs.begin(), line.runs.end(),
                                       [&](const auto* run) { return is_serif_body(laid, *run); });
    // Contents and index lines end in a page number: not running text.
    const std::string& last = line.runs.back()->text;
    const bool page_number = last.find_first_not_of("0123456789") == std::string::npos;
    if (!body_line || page_number || line.runs.size() < 2 ||
        right_end(laid, *line.runs.back()) < right_edge[line.page] - 0.3) {
      continue;
    }
    ++report.justified_lines;
    for (std::size_t i = 1; i < line.runs.size(); ++i) {
      const pdf::TextRun& before = *line.runs[i - 1];
      const pdf::TextRun& after = *line.runs[i];
      const double gap = after.x - right_end(laid, before);
      // Labels ("Q1", "A", list bullets) hang before the text; they are not words.
      const bool label = i == 1 && (before.text == "\u2022" || before.text == "\u2013");
      const bool words = !label && (is_serif_body(laid, before) || is_mono(laid, before)) &&
                         (is_serif_body(laid, after) || is_mono(laid, after));
      if (!words || gap < 0.05) {
        continue;  // no space: a change of face or size inside a word
      }
      const double natural = std::max(measure.width(before.face, " ", before.size),
                                      measure.width(after.face, " ", after.size));
      if (gap > 2 * natural + 0.01) {
        ++report.too_wide;
        if (report.too_wide <= 5) {
          report.examples += "p. " + std::to_string(line.page) + ": \"" + before.text + "\" " +
                             std::to_string(gap / natural) + "× \"" + after.text + "\"\n";
        }
      }
    }
  }
  return report;
}

struct SplitReport {
  int marked = 0;
  int unmarked = 0;
  std::string examples;
};

// A line ending in code followed by a line starting with code, where the two pieces
// joined without a space are part of one code span: the span was split there.
SplitReport split_code(const LaidOut& laid) {
  const std::string mark = util::to_utf8(typeset::code_continuation_mark);
  const std::vector<LineRuns> lines = text_lines(laid);
  SplitReport report;
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
    const pdf::TextRun& end = *lines[i].runs.back();
    const pdf::TextRun& start = *lines[i + 1].runs.front();
    if (end.text == mark) {
      ++report.marked;
      continue;
    }
    if (!is_mono(laid, end) || !is_mono(laid, start)) {
      continue;
    }
    const auto has_name = [](const std::string& text) {
      return std::any_of(text.begin(), text.end(), [](char c) { return std::isalnum(c) != 0; });
    };
    if (!has_name(end.text) || !has_name(start.text)) {
      continue;  // "}" | "}": punctuation, not a name split
    }
    if (end.text.back() == '/') {
      continue;  // paths and URLs break after a slash without a mark, as add_code_breaks allows
    }
    const std::string joined = end.text + start.text;
    const bool one_span =
        std::any_of(laid.code_spans.begin(), laid.code_spans.end(), [&](const std::string& span) {
          // A span with these pieces and a space between may have broken at the space.
          return span.find(joined) != std::string::npos &&
                 span.find(end.text + " " + start.text) == std::string::npos;
        });
    if (one_span) {
      ++report.unmarked;
      if (report.unmarked <= 5) {
        report.examples +=
            "p. " + std::to_string(lines[i].page) + ": " + end.text + " | " + start.text + "\n";
      }
    }
  }
  return report;
}

}  // namespace

TEST_CASE("justified word spaces stay within twice their natural width", "[pdf][typography]") {
  for (const std::string layout : {"default", "a5-booklet"}) {
    const SpaceReport report = word_spaces(laid_out(layout));
    INFO(layout << ": " << report.justified_lines << " justified lines\n" << report.examples);
    CHECK(report.justified_lines > 1000);  // the check really looked at the book
    CHECK(report.too_wide == 0);
  }
}

TEST_CASE("inline code breaks only where a mark shows it", "[pdf][typography]") {
  for (const std::string layout : {"default", "a5-booklet"}) {
    const SplitReport report = split_code(laid_out(layout));
    INFO(layout << ": " << report.marked << " marked breaks\n" << report.examples);
    CHECK(report.unmarked == 0);
  }
}

TEST_CASE("no line of running text starts with a dash", "[pdf][typography]") {
  for (const std::string layout : {"default", "a5-booklet"}) {
    const LaidOut& laid = laid_out(layout);
    const pdf::TextMeasure& measure = (*laid.typesetting->measure);
    int dash_starts = 0;
    std::string examples;
    for (const LineRuns& line : text_lines(laid)) {
      const pdf::TextRun& first = *line.runs.front();
      const bool dash = first.text.rfind("\u2014", 0) == 0 || first.text.rfind("\u2013", 0) == 0;
      if (!dash) {
        continue;
      }
      // A list's en dash marker hangs before its item, further than a word space.
      const bool marker =
          first.text == "\u2013" && line.runs.size() > 1 &&
          line.runs[1]->x - right_end(laid, first) > 2 * measure.width(first.face, " ", first.size);
      if (!marker) {
        ++dash_starts;
        examples += "p. " + std::to_string(line.page) + ": " + first.text + "\n";
      }
    }
    INFO(layout << "\n" << examples);
    CHECK(dash_starts == 0);
  }
}

TEST_CASE("titles get curly quotes outside code, closing after a code span", "[typography]") {
  CHECK(booklet::smart_quotes("Why `String`'s capacity grows") ==
        "Why `String`\u2019s capacity grows");
  CHECK(booklet::smart_quotes("The \"orphan\" rule isn't arbitrary") ==
        "The \u201Corphan\u201D rule isn\u2019t arbitrary");
  CHECK(booklet::smart_quotes("('static) and `'a`") == "(\u2018static) and `'a`");
  CHECK(booklet::strip_backticks("`Rc`'s count") == "Rc\u2019s count");
}

TEST_CASE("code in titles is set in the mono everywhere the title appears", "[pdf][typography]") {
  const LaidOut& laid = laid_out("default");
  // "Whole-file helpers in `std::fs`" and "Buffering: `BufReader` and `BufWriter`": the
  // heading and the contents entry (no topic title of the pack quotes code).
  std::set<double> mono_sizes;
  int serif_or_sans = 0;
  for (const pdf::Page& page : laid.pages) {
    for (const pdf::Item& item : page.items) {
      const auto* run = std::get_if<pdf::TextRun>(&item);
      if (run == nullptr || (run->text.find("std::fs") == std::string::npos &&
                             run->text.find("BufWriter") == std::string::npos)) {
        continue;
      }
      if (is_mono(laid, *run)) {
        mono_sizes.insert(std::round(run->size * 100) / 100);
      } else {
        ++serif_or_sans;
      }
    }
  }
  const double code = booklet::inline_code_scale;
  const model::TypeSizes& sizes = laid.layout.sizes;
  CHECK(serif_or_sans == 0);
  CHECK(mono_sizes.count(std::round(sizes.h_section * code * 100) / 100) == 1);    // heading
  CHECK(mono_sizes.count(std::round(sizes.body * 0.92 * code * 100) / 100) == 1);  // contents
}

TEST_CASE("words quoted as code anywhere in the pack and keep_whole are never hyphenated",
          "[typography]") {
  model::Diagnostics diagnostics;
  const model::Document document =
      load::load_content(std::string(PREPKIT_SOURCE_DIR) + "/content", diagnostics);
  REQUIRE_FALSE(diagnostics.has_errors());
  text::Hyphenator hyphenator;
  REQUIRE(hyphenator.show("refcount") != "refcount");
  REQUIRE(hyphenator.show("minigrep") != "minigrep");
  booklet::keep_names_whole(document, hyphenator);
  CHECK(hyphenator.show("refcount") == "refcount");  // book.yaml's keep_whole
  CHECK(hyphenator.show("minigrep") == "minigrep");  // `minigrep` in the study plan
  CHECK(hyphenator.show("documentation") == "doc-u-men-ta-tion");
}

TEST_CASE("a topic title's code is mono in the running head and plain in the outline",
          "[typography]") {
  model::Layout layout;
  const typeset::FaceTable faces = typeset::fake_faces(layout.fonts);
  const booklet_fixture::FixedWidthMeasure measure{booklet_fixture::mono_faces(faces)};
  model::Document document = booklet_fixture::sample_document();
  document.areas.at(0).topics.at(0).title = "Ownership and `Drop`";
  const booklet::LayoutResult result = booklet::lay_out(document, layout, faces, measure, nullptr);
  const double head_size = (layout.sizes.caption + 0.5) * booklet::inline_code_scale;
  int mono_heads = 0;
  for (const pdf::Page& page : result.pages.pages) {
    for (const pdf::Item& item : page.items) {
      const auto* run = std::get_if<pdf::TextRun>(&item);
      if (run != nullptr && run->text == "Drop" && std::fabs(run->size - head_size) < 0.01 &&
          run->face == faces.primary(typeset::Role::mono)) {
        ++mono_heads;
      }
      CHECK((run == nullptr || run->text.find('`') == std::string::npos));
    }
  }
  CHECK(mono_heads > 0);
  const auto entry = std::find_if(
      result.pages.outline.begin(), result.pages.outline.end(),
      [](const pdf::OutlineEntry& e) { return e.title.find("Ownership") != std::string::npos; });
  REQUIRE(entry != result.pages.outline.end());
  CHECK(entry->title == "1  Ownership and Drop");
}

namespace {

struct BottomGaps {
  double largest = 0;  // points
  int largest_page = 0;
  int over_40mm = 0;
  int level = 0;         // pages whose lowest ink is within 1 pt of the text block's bottom
  int pages = 0;         // non-final topic pages looked at
  std::string examples;  // page: gap in mm, for the large ones
  std::map<std::size_t, double> gap_of_page;  // index of each page looked at → its gap
};

bool has_destination(const pdf::Page& page, std::string_view prefix) {
  return std::any_of(page.destinations.begin(), page.destinations.end(),
                     [&](const pdf::Destination& d) { return d.anchor.rfind(prefix, 0) == 0; });
}

bool has_text(const pdf::Page& page) {
  return std::any_of(page.items.begin(), page.items.end(), [](const pdf::Item& item) {
    return std::holds_alternative<pdf::TextRun>(item);
  });
}

// The white space between the lowest ink of the text block and its bottom edge, on every
// page of a topic that another page of the same topic follows.
BottomGaps bottom_gaps(const LaidOut& laid) {
  const double block_bottom = laid.layout.margin_bottom;
  const double wide =
      0.5 * (laid.layout.page_width - laid.layout.margin_inner - laid.layout.margin_outer);
  BottomGaps gaps;
  bool in_topic = false;
  for (std::size_t p = 0; p < laid.pages.size(); ++p) {
    const pdf::Page& page = laid.pages[p];
    if (has_destination(page, "topic/")) {
      in_topic = true;
    } else if (has_destination(page, "part/") || has_destination(page, "index") ||
               !has_text(page)) {
      in_topic = false;
    }
    const bool next_continues =
        p + 1 < laid.pages.size() && !has_destination(laid.pages[p + 1], "topic/") &&
        !has_destination(laid.pages[p + 1], "part/") &&
        !has_destination(laid.pages[p + 1], "index") && has_text(laid.pages[p + 1]);
    if (!in_topic || !next_continues) {
      continue;
    }
    double lowest = page.height;
    std::string folio;  // the page number printed in the head or foot
    for (const pdf::Item& item : page.items) {
      double y = page.height;
      if (const auto* run = std::get_if<pdf::TextRun>(&item)) {
        y = run->y;
        if ((y < 0.75 * block_bottom || y > page.height - laid.layout.margin_top) &&
            run->text.find_first_not_of("0123456789") == std::string::npos) {
          folio = run->text;
        }
      } else if (const auto* box = std::get_if<pdf::Box>(&item);
                 box != nullptr && box->width > wide) {
        y = box->y;  // a block's background (that of inline code reaches below its baseline)
      } else if (const auto* rule = std::get_if<pdf::Rule>(&item)) {
        y = std::min(rule->y1, rule->y2);
      }
      if (y > 0.75 * block_bottom) {  // a folio at the foot sits lower
        lowest = std::min(lowest, y);
      }
    }
    const double gap = lowest - block_bottom;
    ++gaps.pages;
    gaps.level += std::fabs(gap) <= 1 ? 1 : 0;
    gaps.gap_of_page[p] = gap;
    if (gap > 40 / 25.4 * 72) {
      ++gaps.over_40mm;
      gaps.examples +=
          " p. " + folio + ": " + std::to_string(static_cast<int>(gap / 72 * 25.4)) + " mm";
    }
    if (gap > gaps.largest) {
      gaps.largest = gap;
      gaps.largest_page = static_cast<int>(p) + 1;
    }
  }
  return gaps;
}

}  // namespace

TEST_CASE("pages of a topic end near the bottom of the text block", "[pdf][typography]") {
  for (const std::string layout : {"default", "a5-booklet"}) {
    const LaidOut& laid = laid_out(layout);
    const BottomGaps gaps = bottom_gaps(laid);
    const double block =
        laid.layout.page_height - laid.layout.margin_top - laid.layout.margin_bottom;
    INFO(layout << ": " << laid.pages.size() << " pages, " << gaps.pages
                << " non-final topic pages (" << gaps.level << " end level), largest bottom gap "
                << gaps.largest / 72 * 25.4 << " mm (" << 100 * gaps.largest / block
                << "% of the text block) on page " << gaps.largest_page << ", " << gaps.over_40mm
                << " gaps over 40 mm:" << gaps.examples);
    CHECK(gaps.pages > 50);
    // Vertical justification: most pages that another page of their topic follows end level
    // (the rest would need their gaps more than tripled)...
    CHECK(gaps.level * 4 > gaps.pages * 3);
    // ...and facing pages that both end level end within 1 pt of each other, whether they
    // end with a line of text (its baseline on the bottom) or a box.
    int spreads = 0;
    for (const auto& [verso, gap] : gaps.gap_of_page) {
      const auto recto = gaps.gap_of_page.find(verso + 1);
      if (verso % 2 == 1 && recto != gaps.gap_of_page.end() && std::fabs(gap) <= 4 &&
          std::fabs(recto->second) <= 4) {
        ++spreads;
        INFO("pages " << verso + 1 << " and " << verso + 2 << " end " << gap << " and "
                      << recto->second << " pt above the bottom");
        CHECK(std::fabs(gap - recto->second) <= 1);
      }
    }
    INFO(spreads << " level spreads");
    CHECK(2 * spreads * 2 > gaps.pages);  // more than half the pages looked at
    // The page builder charges heavily for more than typeset::underfull_limit of white;
    // a little more is left only where no break is possible at all.
    CHECK(gaps.largest <= (typeset::underfull_limit + 0.07) * block);
  }
}
