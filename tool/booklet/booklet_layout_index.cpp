// The index: terms sorted and grouped by initial, in small type and three columns (two on a
// narrow page), sub-entries run in, page references as links.
#include "booklet/booklet_layout_internal.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <iterator>
#include <map>
#include <set>

#include "model/walk.hpp"
#include "util/error.hpp"
#include "util/utf8.hpp"

namespace booklet {
namespace {

std::string sort_key(const std::string& term) {
  std::string key;
  for (char c : term) {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0 || !key.empty()) {
      key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return key.empty() ? term : key;
}

// A term as written: "Drop!in Vec" is the sub-entry "in Vec" of "Drop" (makeindex's
// separator, before a letter: "select!", "!=" and "#![no_std]" stay whole). A term in
// backticks is code.
struct TermParts {
  std::string main;
  std::string sub;
};

TermParts split_term(const std::string& term) {
  const std::size_t bang = term.find('!');
  const auto letter = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; };
  if (bang == std::string::npos || bang == 0 || bang + 1 >= term.size() || term[bang - 1] == '#' ||
      !letter(term[bang + 1])) {
    return {term, ""};
  }
  return {term.substr(0, bang), term.substr(bang + 1)};
}

// The text of every inline code span of the pack.
std::set<std::string> code_spans(const model::Document& document) {
  std::set<std::string> spans;
  const auto add_inlines = [&](const model::Inlines& inlines) {
    for (const model::Inline& run : inlines) {
      if ((run.style & model::style_code) != 0) {
        spans.insert(run.text);
      }
    }
  };
  for (const model::Area& area : document.areas) {
    for (const model::Topic& topic : area.topics) {
      model::for_each_inlines(topic, add_inlines);
    }
  }
  return spans;
}

// A term is code when it is written in backticks or the pack quotes it as code somewhere
// (`Drop`); otherwise it is a word ("drop"), whatever its letters.
struct IndexText {
  std::string text;
  bool code = false;
};

IndexText index_text(const std::string& written, const std::set<std::string>& spans) {
  if (written.size() > 2 && written.front() == '`' && written.back() == '`' &&
      std::count(written.begin(), written.end(), '`') == 2) {
    return {written.substr(1, written.size() - 2), true};
  }
  if (spans.count(written) != 0) {
    return {written, true};
  }
  return {smart_quotes(written), false};
}

}  // namespace

bool BookletLayout::has_index() const {
  for (const model::Area& area : m_context.document.areas) {
    for (const model::Topic& topic : area.topics) {
      for (const model::Section& section : topic.sections) {
        if (!section.terms.empty()) {
          return true;
        }
      }
    }
  }
  return false;
}

std::vector<LaidPage> BookletLayout::index(const model::PageMap& pages) {
  const model::Layout& look = layout();
  using Pages = std::map<int, std::string>;  // page → anchor of its first section
  struct Entry {
    IndexText term;
    Pages pages;
    std::map<std::string, std::pair<IndexText, Pages>> subs;  // by sort key
  };
  // Keyed by sort key then the text itself: "Drop" (code) and "drop" are two entries.
  std::map<std::string, Entry> entries;
  const std::set<std::string> spans = code_spans(m_context.document);
  for (const model::Area& area : m_context.document.areas) {
    for (const model::Topic& topic : area.topics) {
      for (const model::Section& section : topic.sections) {
        const std::string anchor = model::section_anchor(topic.id, section.id);
        const int page = pages.page_of(anchor);
        for (const std::string& written : section.terms) {
          const TermParts parts = split_term(written);
          const IndexText main = index_text(parts.main, spans);
          Entry& found = entries[sort_key(main.text) + '\0' + main.text + (main.code ? "`" : "")];
          found.term = main;
          if (parts.sub.empty()) {
            found.pages.emplace(page, anchor);
          } else {
            const IndexText sub = index_text(parts.sub, spans);
            auto& [sub_text, sub_pages] = found.subs[sort_key(sub.text) + '\0' + sub.text];
            sub_text = sub;
            sub_pages.emplace(page, anchor);
          }
        }
      }
    }
  }
  const double body = look.sizes.body;
  // Compact: smaller type, and three columns on a wide text block (two on A5).
  const double size = std::min(9.0, 0.85 * body);
  const double line_height = size * 1.25;
  const std::size_t per_page = width() >= 340 ? 3 : 2;
  const double gap = 1.2 * body;
  const double column_width =
      (width() - gap * static_cast<double>(per_page - 1)) / static_cast<double>(per_page);
  const double hang = 1.2 * size;

  VList out;
  std::string group;
  for (const auto& [key, found] : entries) {
    const char first = key.empty() ? '#' : key[0];
    const std::string letter =
        std::isalpha(static_cast<unsigned char>(first)) != 0
            ? std::string(1, static_cast<char>(std::toupper(static_cast<unsigned char>(first))))
            : "Symbols";
    if (letter != group) {
      if (!group.empty()) {
        out.penalty(-50);
        out.glue(0.6 * line_height);
      }
      group = letter;
      for (VBox& box : lines(letter, Role::sans_bold, look.sizes.h_minor, look.colors.accent,
                             look.sizes.h_minor * 1.5, 0, column_width)) {
        out.box(std::move(box));
      }
      out.keep_next_lines(2);
    } else {
      out.penalty(0);
    }
    BreakParams params;
    params.width = column_width - hang;
    params.justify = false;
    params.ragged_stretch = 3 * size;
    ParagraphBuilder builder(m_context.faces, m_context.measure, nullptr, params);
    TextStyle plain;
    plain.size = size;
    plain.color = look.colors.text;
    plain.hyphenate = false;
    const auto add_term = [&](const IndexText& text) {
      TextStyle term = plain;
      if (text.code) {
        term.role = Role::mono;
        term.size = size * inline_code_scale;
        term.code = true;
      }
      builder.add_text(text.text, term);
    };
    const auto add_pages = [&](const Pages& list) {
      bool first_page = true;
      for (const auto& [page, anchor] : list) {
        builder.add_text(first_page ? ",\u2002" : ", ", plain);
        first_page = false;
        TextStyle number = plain;
        number.link = "#" + anchor;
        builder.add_text(page > 0 ? std::to_string(page) : "?", number);
      }
    };
    // Run-in sub-entries: "Drop, 12 — trait, 40; in Vec, 55".
    add_term(found.term);
    add_pages(found.pages);
    bool first_sub = true;
    for (const auto& [sub_key, sub] : found.subs) {
      builder.add_text(first_sub ? "\u00A0\u2014 " : "; ", plain);
      first_sub = false;
      add_term(sub.first);
      add_pages(sub.second);
    }
    // Hanging indent: continuation lines move right by `hang`.
    const std::vector<Line> set = break_lines(builder.finish(), params);
    for (std::size_t i = 0; i < set.size(); ++i) {
      out.box(m_blocks.line_box(set[i], i == 0 ? 0 : hang, line_height, size, {}));
    }
  }

  // The title spans the columns of the first page; columns under it are shorter.
  VList title;
  title.box(spacer(0.5 * look.sizes.h_topic));
  heading("", "Index", look.sizes.h_topic, index_anchor, title);
  title.box(rule_box(14, 7, 0.9, look.colors.accent));
  double title_height = 0;
  for (const VItem& item : title.items()) {
    title_height += std::get<VBox>(item).height;
  }
  title_height += line_height;
  const double full = m_context.block_height();
  auto columns = paginate(out.items(), [&](std::size_t column) {
    return column < per_page ? full - title_height : full;
  });

  // Balance the last page: the shortest column height at which its material still fits
  // in its columns (found by bisection).
  if (!columns.empty()) {
    const std::size_t last_page_first = (columns.size() - 1) / per_page * per_page;
    const std::size_t first_item = columns[last_page_first].first_item;
    const std::vector<VItem> rest(out.items().begin() + static_cast<std::ptrdiff_t>(first_item),
                                  out.items().end());
    double low = 0;
    double high = last_page_first == 0 ? full - title_height : full;
    std::vector<Column> best = paginate(rest, high);
    if (best.size() <= per_page) {
      for (int step = 0; step < 24; ++step) {
        const double middle = (low + high) / 2;
        std::vector<Column> attempt = paginate(rest, middle);
        if (attempt.size() <= per_page) {
          high = middle;
          best = std::move(attempt);
        } else {
          low = middle;
        }
      }
      columns.resize(last_page_first);
      for (Column& column : best) {
        columns.push_back(std::move(column));
      }
    }
  }

  std::vector<LaidPage> result;
  for (std::size_t c = 0; c < columns.size(); c += per_page) {
    LaidPage page;
    page.kind = c == 0 ? PageKind::opener : PageKind::normal;
    page.head_verso = "Index";
    page.head_recto = "Index";
    for (std::size_t k = 0; k < per_page; ++k) {
      Column column = c + k < columns.size() ? std::move(columns[c + k]) : Column{};
      if (c == 0) {
        // The first page's columns sit below the title, which the first column carries.
        for (PlacedBox& placed : column.boxes) {
          placed.top += title_height;
        }
        if (k == 0) {
          double top = 0;
          std::vector<PlacedBox> boxes;
          for (const VItem& item : title.items()) {
            boxes.push_back({top, std::get<VBox>(item)});
            top += std::get<VBox>(item).height;
          }
          std::move(column.boxes.begin(), column.boxes.end(), std::back_inserter(boxes));
          column.boxes = std::move(boxes);
        }
      }
      // Columns after the first move right by moving every item horizontally.
      const double dx = static_cast<double>(k) * (column_width + gap);
      for (PlacedBox& placed : column.boxes) {
        if (dx == 0) {
          break;
        }
        for (pdf::Item& item : placed.box.items) {
          if (auto* run = std::get_if<pdf::TextRun>(&item)) {
            run->x += dx;
          } else if (auto* rule = std::get_if<pdf::Rule>(&item)) {
            rule->x1 += dx;
            rule->x2 += dx;
          } else if (auto* box = std::get_if<pdf::Box>(&item)) {
            box->x += dx;
          }
        }
        for (pdf::Link& link : placed.box.links) {
          link.x += dx;
        }
        placed.box.text.x += dx;
      }
      page.columns.push_back(std::move(column));
    }
    result.push_back(std::move(page));
  }
  return result;
}

}  // namespace booklet
