// Layout's speed-ups must not change what it sets: face runs without copies, the cache of
// set paragraphs and code, topics set on two threads, and a text measure that two threads
// may call at once.
#include <catch2/catch.hpp>

#include <set>
#include <thread>

#include "booklet/blocks.hpp"
#include "booklet/booklet_layout.hpp"
#include "booklet_fixture.hpp"
#include "pdf/font_locator.hpp"
#include "pdf/pdf_writer.hpp"
#include "text/hyphenate.hpp"
#include "util/error.hpp"

namespace {

// Serif falls back from an ASCII-only face to one that has everything.
typeset::FaceTable ascii_then_everything() {
  typeset::FaceTable faces;
  faces.fonts = {{"ascii.ttf", "ASCII"}, {"all.ttf", "All"}};
  pdf::Coverage ascii;
  for (char32_t code = 0x20; code < 0x7F; ++code) {
    ascii.add(code);
  }
  faces.coverage = {ascii, pdf::Coverage::everything()};
  for (auto& chain : faces.chains) {
    chain = {0, 1};
  }
  return faces;
}

std::string dump_lines(std::vector<typeset::VBox> boxes) {
  std::string dump;
  for (typeset::VBox& box : boxes) {
    typeset::draw_set_line(box);
    for (const pdf::Item& item : box.items) {
      if (const auto* run = std::get_if<pdf::TextRun>(&item)) {
        dump += std::to_string(run->x) + " " + std::to_string(run->face) + " " + run->text + "|";
      }
    }
    dump += "\n";
  }
  return dump;
}

// What layout works from: the sample document, the default layout, fixed-width faces.
struct Inputs {
  model::Document document = booklet_fixture::sample_document();
  model::Layout layout;
  typeset::FaceTable faces = typeset::fake_faces(layout.fonts);
  booklet_fixture::FixedWidthMeasure measure{booklet_fixture::mono_faces(faces)};
  text::Hyphenator hyphenator;
  model::PageMap no_pages;
  std::set<std::string> no_anchors;

  booklet::Context context() {
    return booklet::Context{document, layout, faces, measure, &hyphenator, no_pages, no_anchors, 1};
  }
  std::string pages() {
    return pdf::dump_pages(booklet::lay_out(document, layout, faces, measure, &hyphenator).pages);
  }
};

}  // namespace

TEST_CASE("face runs split where the face changes and agree with split_by_face", "[booklet]") {
  const typeset::FaceTable faces = ascii_then_everything();
  const std::string text = "caf\u00E9 \u2192 ok\u2026";
  std::vector<std::pair<int, std::string>> runs;
  typeset::for_each_face_run(
      faces, typeset::Role::serif, text,
      [&](int face, std::string_view piece) { runs.emplace_back(face, std::string(piece)); });
  const std::vector<std::pair<int, std::string>> expected{
      {0, "caf"}, {1, "\u00E9"}, {0, " "}, {1, "\u2192"}, {0, " ok"}, {1, "\u2026"}};
  CHECK(runs == expected);
  CHECK(typeset::split_by_face(faces, typeset::Role::serif, text) == expected);
  CHECK(typeset::split_by_face(faces, typeset::Role::serif, "").empty());
  CHECK(typeset::split_by_face(faces, typeset::Role::serif, "plain") ==
        std::vector<std::pair<int, std::string>>{{0, "plain"}});
}

TEST_CASE("the set cache keeps the first lines stored under a key", "[booklet]") {
  booklet::SetCache cache;
  CHECK(cache.lines("a") == nullptr);
  const auto stored = cache.add_lines("a", std::make_shared<const typeset::SetLines>());
  CHECK(cache.add_lines("a", std::make_shared<const typeset::SetLines>()) == stored);
  CHECK(cache.lines("a") == stored);
  CHECK(cache.code_rows("a") == nullptr);  // lines and code rows do not mix
}

TEST_CASE("set text taken from the cache is gone from it", "[booklet]") {
  booklet::SetCache cache;
  const auto stored = cache.add_lines("a", std::make_shared<const typeset::SetLines>());
  CHECK(cache.take_code_rows("a") == nullptr);  // lines and code rows do not mix
  CHECK(cache.take_lines("a") == stored);
  CHECK(cache.lines("a") == nullptr);
  CHECK(cache.take_lines("a") == nullptr);
  const auto rows = std::make_shared<const booklet::SetCodeRows>(std::vector<booklet::CodeRow>(3));
  cache.add_code_rows("b", rows);
  CHECK(cache.take_code_rows("b")->kinds.size() == 3);
  CHECK(cache.code_rows("b") == nullptr);
}

TEST_CASE("set lines keep their pieces and draw them as a line box drew them", "[booklet]") {
  typeset::Piece word{"Ownership", 1, 10, {0.1, 0.2, 0.3}, "", 45};
  typeset::Piece linked{"moves", 2, 9, {0, 0, 1}, "#topic/moves", 30};
  typeset::Piece more{"on", 2, 9, {0, 0, 1}, "#topic/moves", 12};
  typeset::Line first;
  first.pieces = {{0, word}, {50, linked}, {83, more}};
  typeset::Line second;
  second.pieces = {{0, word}};
  const std::vector<typeset::Line> lines{first, typeset::Line{}, second};
  const auto set = std::make_shared<const typeset::SetLines>(lines);
  REQUIRE(set->line_count() == 3);
  CHECK(set->end_run(1) == set->first_run(1));  // an empty line
  CHECK(set->text(set->first_run(2)) == "Ownership");

  // What BlockSetter::line_box makes of the same line, at the same place.
  Inputs inputs;
  booklet::Context context = inputs.context();
  const typeset::VBox eager = booklet::BlockSetter(context).line_box(first, 20, 14, 10, {});
  typeset::VBox box;
  box.height = eager.height;
  box.baseline = eager.baseline;
  box.text = {set, 0, 20};
  box.items.emplace_back(pdf::Rule{});  // a marker added to the box stays after the line
  typeset::draw_set_line(box);
  CHECK_FALSE(box.text.lines);
  REQUIRE(box.items.size() == 4);
  CHECK(std::holds_alternative<pdf::Rule>(box.items.back()));
  box.items.pop_back();
  REQUIRE(box.items.size() == eager.items.size());
  for (std::size_t i = 0; i < box.items.size(); ++i) {
    const auto& run = std::get<pdf::TextRun>(box.items[i]);
    const auto& expected = std::get<pdf::TextRun>(eager.items[i]);
    CHECK(run.x == expected.x);
    CHECK(run.y == expected.y);
    CHECK(run.face == expected.face);
    CHECK(run.size == expected.size);
    CHECK(run.color == expected.color);
    CHECK(run.text == expected.text);
  }
  REQUIRE(box.links.size() == eager.links.size());
  CHECK(box.links[0].x == eager.links[0].x);
  CHECK(box.links[0].width == eager.links[0].width);
  CHECK(box.links[0].height == eager.links[0].height);
  REQUIRE(box.links.size() == 1);
  CHECK(box.links[0].anchor == "topic/moves");
  CHECK(box.links[0].x == 70);
  CHECK(box.links[0].width == 45);
}

TEST_CASE("set text taken from the cache or set afresh is the same", "[booklet]") {
  Inputs inputs;
  const model::Inlines inlines{booklet_fixture::run(booklet_fixture::prose(40))};
  booklet::Context context = inputs.context();
  booklet::BlockSetter setter(context);
  const booklet::Frame frame = setter.body_frame();
  const std::string kept = dump_lines(setter.paragraph_lines(inlines, frame));
  context.keep_set_text = false;
  CHECK(dump_lines(setter.paragraph_lines(inlines, frame)) == kept);  // taken out
  CHECK(dump_lines(setter.paragraph_lines(inlines, frame)) == kept);  // set afresh
  booklet::Context fresh = inputs.context();
  fresh.set_cache = context.set_cache;
  fresh.keep_set_text = false;
  booklet::BlockSetter fresh_setter(fresh);
  CHECK(dump_lines(fresh_setter.paragraph_lines(inlines, frame)) == kept);
}

TEST_CASE("a paragraph from the cache is the paragraph set afresh", "[booklet]") {
  Inputs inputs;
  const model::Inlines inlines{
      booklet_fixture::run(booklet_fixture::prose(60) + " "),
      booklet_fixture::run("std::collections::HashMap", model::style_code),
      booklet_fixture::run(" and more words to wrap the paragraph over several lines.")};

  booklet::Context context = inputs.context();
  booklet::BlockSetter setter(context);
  booklet::Frame frame = setter.body_frame();
  const std::string set = dump_lines(setter.paragraph_lines(inlines, frame));
  CHECK(set.find('\n') != set.rfind('\n'));                          // more than one line
  CHECK(dump_lines(setter.paragraph_lines(inlines, frame)) == set);  // a cache hit

  booklet::Context fresh_context = inputs.context();
  booklet::BlockSetter fresh(fresh_context);
  CHECK(dump_lines(fresh.paragraph_lines(inlines, frame)) == set);

  // Another measure is another key, not a stale hit.
  frame.width /= 2;
  CHECK(dump_lines(setter.paragraph_lines(inlines, frame)) ==
        dump_lines(fresh.paragraph_lines(inlines, frame)));
  CHECK(dump_lines(setter.paragraph_lines(inlines, frame)) != set);
}

TEST_CASE("the booklet set on two threads is the same every time", "[booklet]") {
  Inputs inputs;
  const std::string first = inputs.pages();
  CHECK(inputs.pages() == first);
  CHECK(inputs.pages() == first);
}

TEST_CASE("with two threads the first unreadable image in the book is reported", "[booklet]") {
  Inputs inputs;
  const auto missing = [](const std::string& path) {
    model::Image picture;
    picture.path = path;
    model::Block block;
    block.node = picture;
    return block;
  };
  model::Topic& first = inputs.document.areas.front().topics.front();
  model::Topic& last = inputs.document.areas.back().topics.back();
  REQUIRE(&first != &last);
  first.sections.back().body.push_back(missing("images/first-missing.png"));
  last.sections.front().body.push_back(missing("images/last-missing.png"));
  try {
    (void)booklet::lay_out(inputs.document, inputs.layout, inputs.faces, inputs.measure,
                           &inputs.hyphenator);
    FAIL("no error");
  } catch (const util::ToolError& error) {
    CHECK_THAT(error.what(), Catch::Contains("first-missing.png"));
  }
}

TEST_CASE("the PDF measure gives the same widths to two threads at once", "[pdf]") {
  pdf::FontLocator locator;
  const pdf::ResolvedFont& serif = locator.locate({"DejaVu Serif", "Book", ""});
  const pdf::ResolvedFont& mono = locator.locate({"DejaVu Sans Mono", "Book", ""});
  pdf::PdfWriter writer({{serif.file, serif.label()}, {mono.file, mono.label()}});
  const pdf::TextMeasure& measure = writer.measure();
  const std::string text = "Ownership \u2192 borrowing \u2014 caf\u00E9 \u21AA \u4E2D";
  std::vector<double> widths[2];
  const auto measure_all = [&](std::vector<double>& out) {
    for (int round = 0; round < 200; ++round) {
      out.push_back(measure.width(round % 2, text, 10));
    }
  };
  std::thread other(measure_all, std::ref(widths[1]));
  measure_all(widths[0]);
  other.join();
  CHECK(widths[0] == widths[1]);
  CHECK(measure.width(0, "a", 10) == Approx(5.96));
  CHECK(measure.width(0, text, 10) == widths[0][0]);
}

TEST_CASE("a title of several lines is balanced, not one short word on its last line",
          "[booklet]") {
  Inputs inputs;
  booklet::Context context = inputs.context();
  booklet::BlockSetter setter(context);
  typeset::TextStyle style;
  style.role = typeset::Role::sans_bold;
  style.size = 10;
  const std::string title = "An Actix Web service from main to handler";
  const double one_line = inputs.measure.width(0, "An Actix Web service from main to", 10);
  const auto line_texts = [&](double width) {
    std::vector<std::string> texts;
    for (typeset::VBox& box : setter.title_lines(title, style, 0, width, 12)) {
      typeset::draw_set_line(box);
      std::string text;
      for (const pdf::Item& item : box.items) {
        if (const auto* run = std::get_if<pdf::TextRun>(&item)) {
          text += (text.empty() ? "" : " ") + run->text;
        }
      }
      texts.push_back(text);
    }
    return texts;
  };
  CHECK(line_texts(one_line + 1) ==
        std::vector<std::string>{"An Actix Web service", "from main to handler"});
  CHECK(line_texts(1000) == std::vector<std::string>{title});
}
