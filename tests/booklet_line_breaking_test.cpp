// Line breaking with a fixed-width measure: exact line contents, hyphenation limits,
// breaks inside code, emergency breaks, no-break spaces.
#include <catch2/catch.hpp>

#include <random>

#include "booklet_fixture.hpp"
#include "model/layout.hpp"
#include "text/hyphenate.hpp"
#include "typeset/line_breaking.hpp"
#include "util/utf8.hpp"

using booklet_fixture::texts;
using typeset::BreakParams;
using typeset::Role;
using typeset::TextStyle;

namespace {

struct Setup {
  typeset::FaceTable faces = typeset::fake_faces(model::FontSet{});
  booklet_fixture::FixedWidthMeasure measure{booklet_fixture::mono_faces(faces)};
  text::Hyphenator hyphenator;
};

TextStyle prose_style() {
  TextStyle style;
  style.size = 10;  // 5 pt per character
  return style;
}

TextStyle code_style() {
  TextStyle style;
  style.role = Role::mono;
  style.size = 10;  // 6 pt per character
  style.code = true;
  style.hyphenate = false;
  return style;
}

std::vector<typeset::Line> set(Setup& setup, const std::string& text, double width, bool justify,
                               const TextStyle& style = prose_style(), bool hyphenate = true) {
  BreakParams params;
  params.width = width;
  params.justify = justify;
  params.ragged_stretch = 20;
  return typeset::set_text(setup.faces, setup.measure, hyphenate ? &setup.hyphenator : nullptr,
                           params, text, style);
}

}  // namespace

TEST_CASE("ragged lines are balanced, not greedy", "[booklet]") {
  Setup setup;
  // 20 characters per line.
  const auto lines = set(setup, "the quick brown fox jumps over the lazy dog", 100, false);
  CHECK(texts(lines) ==
        std::vector<std::string>{"the quick brown fox", "jumps over the lazy", "dog"});
  for (const typeset::Line& line : lines) {
    CHECK(line.width <= 100.0 + 1e-9);
  }
}

TEST_CASE("justified lines fill the measure except the last", "[booklet]") {
  Setup setup;
  const auto lines = set(setup, "aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk", 72, true,
                         prose_style(), false);
  CHECK(texts(lines) == std::vector<std::string>{"aaaa bbbb cccc", "dddd eeee ffff",
                                                 "gggg hhhh iiii", "jjjj kkkk"});
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
    CHECK(lines[i].width == Approx(72).margin(0.001));
  }
  CHECK(lines.back().width < 72);
  // Words are placed one by one: the gap in the first line is stretched, not a space glyph.
  REQUIRE(lines[0].pieces.size() >= 2);
  CHECK(lines[0].pieces[0].piece.text.find(' ') == std::string::npos);
}

TEST_CASE("exact justified breaks for a known paragraph", "[booklet]") {
  Setup setup;
  const auto lines =
      set(setup, "Ownership rules decide when a value is dropped and who may change it.", 150, true,
          prose_style(), false);
  CHECK(texts(lines) == std::vector<std::string>{"Ownership rules decide when a",
                                                 "value is dropped and who may", "change it."});
  // Line 2 is 28 characters (140 pt): its five gaps stretch by 2 pt each.
  REQUIRE(lines[1].pieces.size() == 6);
  CHECK(lines[1].pieces[1].x == Approx(5 * 5 + 7));
}

TEST_CASE("inline code breaks after :: with a mark and never gets a hyphen", "[booklet]") {
  Setup setup;
  const auto lines = set(setup, "std::collections::HashMap::new", 100, false, code_style());
  CHECK(texts(lines) ==
        std::vector<std::string>{"std::\u21A9", "collections::\u21A9", "HashMap::new"});
  for (const typeset::Line& line : lines) {
    CHECK_FALSE(line.hyphenated);
    CHECK(line.width <= 100.0 + 1e-9);
  }
}

TEST_CASE("code breaks before ( and after . , but never inside a name", "[booklet]") {
  Setup setup;
  // 16 characters of code per line and a mark.
  CHECK(texts(set(setup, "with_state(Arc::new(state))", 102, false, code_style())) ==
        std::vector<std::string>{"with_state(Arc::\u21A9", "new(state))"});
  CHECK(texts(set(setup, "is_admin.to_owned(), next", 102, false, code_style())) ==
        std::vector<std::string>{"is_admin.\u21A9", "to_owned(), next"});
  // A name wider than the measure still breaks, with the mark, never with a hyphen.
  const auto lines = set(setup, "some_function_with_a_long_name()", 90, false, code_style());
  for (const typeset::Line& line : lines) {
    CHECK(line.width <= 90.0 + 1e-9);
    CHECK(booklet_fixture::line_text(line).find('-') == std::string::npos);
  }
  REQUIRE(lines.size() >= 2);
  CHECK(texts(lines).front().find("\u21A9") != std::string::npos);
}

TEST_CASE("code never breaks where one side would hold no name", "[booklet]") {
  Setup setup;
  // Before "(" of "DENSE_RANK()" the rest is "()": the line breaks at a space instead.
  CHECK(texts(set(setup, "aaaa DENSE_RANK()", 96, false, code_style())) ==
        std::vector<std::string>{"aaaa", "DENSE_RANK()"});
  CHECK(texts(set(setup, "a.b.c()", 30, false, code_style())) ==
        std::vector<std::string>{"a.b.\u21A9", "c()"});
}

TEST_CASE("a token wider than the measure is broken and never overflows", "[booklet]") {
  Setup setup;
  const std::string token(45, 'x');
  const auto lines = set(setup, "see " + token + " here", 50, true);
  REQUIRE(lines.size() >= 5);
  std::string joined;
  for (const typeset::Line& line : lines) {
    CHECK(line.width <= 50.0 + 1e-9);
    joined += booklet_fixture::line_text(line);
  }
  CHECK(joined.find(token) != std::string::npos);  // broken without added hyphens
}

TEST_CASE("hyphenation happens, at most two hyphenated lines in a row", "[booklet]") {
  Setup setup;
  const std::string text =
      "Documentation about internationalization responsibilities demonstrates "
      "extraordinarily sophisticated representations of asynchronous interoperability "
      "considerations, unquestionably overcomplicating straightforward implementations.";
  int hyphenated_widths = 0;
  for (double width = 70; width <= 200; width += 5) {
    for (bool justify : {true, false}) {
      const auto lines = set(setup, text, width, justify);
      int run = 0;
      bool any = false;
      for (const typeset::Line& line : lines) {
        CHECK(line.width <= width + 1e-6);
        run = line.hyphenated ? run + 1 : 0;
        CHECK(run <= 2);
        if (line.hyphenated) {
          any = true;
          CHECK(booklet_fixture::line_text(line).back() == '-');
        }
      }
      hyphenated_widths += any ? 1 : 0;
    }
  }
  CHECK(hyphenated_widths > 10);  // the constraint was really exercised
}

TEST_CASE("a no-break space never breaks and a lone dash never starts a line", "[booklet]") {
  Setup setup;
  const std::string text =
      "Moves are cheap \u2014 see p.\u00A023 for details \u2014 and copies are explicit "
      "clones of values, see p.\u00A0117 again.";
  for (double width = 60; width <= 240; width += 4) {
    const auto lines = texts(set(setup, text, width, true));
    for (std::size_t i = 0; i < lines.size(); ++i) {
      INFO(width << ": " << lines[i]);
      CHECK(lines[i].rfind("\u2014", 0) != 0);
      CHECK(lines[i].size() >= 2);
      const bool ends_with_p = lines[i].size() >= 2 && lines[i].substr(lines[i].size() - 2) == "p.";
      CHECK_FALSE(ends_with_p);
    }
  }
}

TEST_CASE("forced line breaks end lines without stretching them", "[booklet]") {
  Setup setup;
  typeset::BreakParams params;
  params.width = 200;
  params.justify = true;
  typeset::ParagraphBuilder builder(setup.faces, setup.measure, nullptr, params);
  builder.add_text("first line", prose_style());
  builder.add_line_break(prose_style());
  builder.add_text("second", prose_style());
  const auto lines = typeset::break_lines(builder.finish(), params);
  CHECK(texts(lines) == std::vector<std::string>{"first line", "second"});
  CHECK(lines[0].width == Approx(50));
}

TEST_CASE("links survive line breaking on every piece", "[booklet]") {
  Setup setup;
  TextStyle link = prose_style();
  link.link = "#topic/borrowing";
  typeset::BreakParams params;
  params.width = 60;
  params.justify = false;
  typeset::ParagraphBuilder builder(setup.faces, setup.measure, nullptr, params);
  builder.add_text("see ", prose_style());
  builder.add_text("shared references", link);
  const auto lines = typeset::break_lines(builder.finish(), params);
  REQUIRE(lines.size() == 2);
  CHECK(lines[1].pieces.back().piece.link == "#topic/borrowing");
  CHECK(lines[0].pieces.front().piece.link.empty());
}

TEST_CASE("random paragraphs: nothing lost, nothing overflows", "[booklet]") {
  Setup setup;
  std::mt19937 random(20261124);  // fixed seed: the same cases every run
  const std::vector<std::string> words = {"ownership",
                                          "a",
                                          "borrow",
                                          "std::collections::HashMap",
                                          "and_then()",
                                          "\u2014",
                                          "internationalization",
                                          "p.\u00A023",
                                          "x",
                                          "https://doc.rust-lang.org/std/index.html",
                                          "\u201Cquoted\u201D",
                                          "well-known",
                                          "Vec<T>",
                                          "\u2192",
                                          "supercalifragilistic"};
  for (int round = 0; round < 300; ++round) {
    const double width = 30 + static_cast<double>(random() % 400);
    BreakParams params;
    params.width = width;
    params.justify = random() % 2 == 0;
    typeset::ParagraphBuilder builder(setup.faces, setup.measure, &setup.hyphenator, params);
    std::string fed;
    const int count = 1 + static_cast<int>(random() % 40);
    for (int i = 0; i < count; ++i) {
      const std::string& word = words[random() % words.size()];
      const bool code = random() % 4 == 0;
      builder.add_text(word + " ", code ? code_style() : prose_style());
      fed += word;
    }
    const auto lines = typeset::break_lines(builder.finish(), params);
    std::string drawn;
    for (const typeset::Line& line : lines) {
      INFO("width " << width << ": " << booklet_fixture::line_text(line));
      CHECK(line.width <= width + 1e-6);
      for (const typeset::PlacedPiece& placed : line.pieces) {
        drawn += placed.piece.text;
      }
      const std::string mark = util::to_utf8(typeset::code_continuation_mark);
      if (line.hyphen_added && drawn.size() >= mark.size() &&
          drawn.compare(drawn.size() - mark.size(), mark.size(), mark) == 0) {
        drawn.resize(drawn.size() - mark.size());  // the mark of code that continues
      } else if (line.hyphen_added) {
        drawn.pop_back();  // the hyphen added at the break
      }
    }
    std::string expected;
    for (char c : fed) {
      expected += c;
    }
    // No-break spaces are glue, not text.
    std::string without_nbsp;
    for (std::size_t at = 0; at < expected.size(); ++at) {
      if (expected.compare(at, 2, "\u00A0") == 0) {
        ++at;
        continue;
      }
      without_nbsp += expected[at];
    }
    CHECK(drawn == without_nbsp);
  }
}

TEST_CASE("set_lines keeps the same runs as the lines break_lines places", "[booklet]") {
  Setup setup;
  TextStyle link = prose_style();
  link.link = "https://doc.rust-lang.org";
  const auto build = [&](const BreakParams& params) {
    typeset::ParagraphBuilder builder(setup.faces, setup.measure, &setup.hyphenator, params);
    builder.add_text("internationalization of the well-known ", prose_style());
    builder.add_text("std::collections::HashMap", code_style());
    builder.add_text(" and a ", prose_style());
    builder.add_text("linked supercalifragilistic", link);
    builder.add_text("ownership borrow internationalization", prose_style());
    return builder.finish();
  };
  for (const double width : {40.0, 90.0, 160.0}) {
    BreakParams params;
    params.width = width;
    const typeset::SetLines expected(typeset::break_lines(build(params), params));
    const typeset::SetLines set = typeset::set_lines(build(params), params);
    REQUIRE(set.line_count() == expected.line_count());
    for (std::size_t line = 0; line < set.line_count(); ++line) {
      REQUIRE(set.end_run(line) == expected.end_run(line));
    }
    for (std::size_t i = 0; i < set.end_run(set.line_count() - 1); ++i) {
      INFO("width " << width << ", run " << i);
      CHECK(set.text(i) == expected.text(i));
      CHECK(set.run(i).x == expected.run(i).x);
      CHECK(set.run(i).width == expected.run(i).width);
      CHECK(set.look(i).link == expected.look(i).link);
      CHECK(set.look(i).face == expected.look(i).face);
    }
  }
}

namespace {

// Half an em per character, and "ab" kerned 2 pt closer at 10 pt.
class KernedFake final : public pdf::TextMeasure {
 public:
  [[nodiscard]] double width(int /*face*/, std::string_view text, double size) const override {
    const auto characters = util::decode_all(text);
    double total = static_cast<double>(characters.size()) * 0.5 * size;
    for (std::size_t i = 1; i < characters.size(); ++i) {
      total -= characters[i - 1] == U'a' && characters[i] == U'b' ? 0.2 * size : 0;
    }
    return total;
  }
};

}  // namespace

TEST_CASE("pieces of a word that join on a line keep the kerning between them", "[booklet]") {
  const typeset::FaceTable faces = typeset::fake_faces(model::FontSet{});
  const KernedFake measure;
  BreakParams params;
  params.width = 200;
  params.justify = false;
  typeset::ParagraphBuilder builder(faces, measure, nullptr, params);
  builder.add_text("xa\u00ADbx yy", prose_style());  // a soft hyphen between a and b
  const auto lines = typeset::break_lines(builder.finish(), params);
  REQUIRE(lines.size() == 1);
  CHECK(texts(lines).front() == "xabx yy");
  // "xabx" is drawn as one run: its width is the kerned width of the whole.
  CHECK(lines[0].pieces.front().piece.text == "xabx");
  CHECK(lines[0].pieces.front().piece.width == Approx(measure.width(0, "xabx", 10)));
}
