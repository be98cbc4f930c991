// The content stream prepkit makes itself: numbers, text as TJ arrays of two-byte codes in
// literal strings, rules, boxes, colours, and the ToUnicode CMap of its fonts.
#include <catch2/catch.hpp>

#include <regex>
#include <stdexcept>

#include "pdf/content_stream.hpp"
#include "util/utf8.hpp"

using namespace std::string_literals;

namespace {

// Every character is half an em wide, a space a quarter.
class HalfEm final : public pdf::TextMeasure {
 public:
  [[nodiscard]] double width(int /*face*/, std::string_view text, double size) const override {
    double units = 0;
    for (std::size_t pos = 0; pos < text.size();) {
      units += util::decode_utf8(text, pos) == U' ' ? 250 : 500;
    }
    return units * size / 1000;
  }
};

std::string number(double value) {
  std::string out;
  pdf::append_number(out, value);
  return out;
}

std::string content_of(const std::vector<pdf::Item>& items) {
  const HalfEm measure;
  pdf::ContentStream content(measure, [](int face) { return "F" + std::to_string(face + 1); });
  for (const pdf::Item& item : items) {
    content.draw(item);
  }
  return content.take();
}

// The text of a literal string's two-byte codes as UTF-8 (escapes undone).
std::string decoded(std::string_view literal) {
  std::string bytes;
  for (std::size_t i = 0; i < literal.size(); ++i) {
    if (literal[i] == '\\') {
      ++i;
      bytes += literal[i] == 'r' ? '\r' : literal[i];
    } else {
      bytes += literal[i];
    }
  }
  std::string text;
  for (std::size_t i = 0; i + 1 < bytes.size(); i += 2) {
    util::append_utf8(text, static_cast<char32_t>(static_cast<unsigned char>(bytes[i]) << 8U |
                                                  static_cast<unsigned char>(bytes[i + 1])));
  }
  return text;
}

// Where a reader puts each word of the line that starts at `pen` with the array at `tm`
// ("[...] TJ", and the arrays that follow it before the next line or ET): glyphs advance by
// their width, a number moves by -number/1000 of the size. A word starts at a glyph after a
// space (or the line's first); spaces are counted in `spaces`.
std::vector<double> word_starts(const std::string& content, std::size_t tm, double size,
                                int& spaces, double pen) {
  const HalfEm measure;
  std::vector<double> starts;
  bool after_space = true;
  for (std::size_t open = content.find("[(", tm); open != std::string::npos;) {
    const std::size_t close = content.find(")] TJ\n", open);
    for (std::size_t at = open + 1; at < close;) {
      if (content[at] == '(') {
        std::size_t end = at + 1;
        while (content[end] != ')') {
          end += content[end] == '\\' ? 2 : 1;
        }
        for (const char32_t code :
             util::decode_all(decoded(content.substr(at + 1, end - at - 1)))) {
          if (code == U' ') {
            ++spaces;
            after_space = true;
          } else if (after_space) {
            starts.push_back(pen);
            after_space = false;
          }
          pen += measure.width(0, util::to_utf8(code), size);
        }
        at = end + 1;
      } else if (content[at] == ' ') {
        ++at;
      } else {
        std::size_t used = 0;
        pen -= std::stod(content.substr(at), &used) * size / 1000;
        at += used;
      }
    }
    open = content.find("[(", close);
    const std::string between = content.substr(close, open - close);
    if (between.find(" Tm\n") != std::string::npos || between.find(" Td\n") != std::string::npos ||
        between.find("ET\n") != std::string::npos) {
      break;
    }
  }
  return starts;
}

}  // namespace

TEST_CASE("numbers have at most three decimals, no trailing zeros and never -0", "[pdf]") {
  CHECK(number(60.125) == "60.125");
  CHECK(number(700.1) == "700.1");
  CHECK(number(1234.5678) == "1234.568");
  CHECK(number(-12.75) == "-12.75");
  CHECK(number(72.000001) == "72");
  CHECK(number(-0.0001) == "0");
  CHECK(number(0.333333) == "0.333");
  CHECK(number(841.89) == "841.89");
  CHECK(number(1e6) == "1000000");
}

TEST_CASE("a text run is a text object: font, colour, matrix and two-byte codes", "[pdf]") {
  const std::string content = content_of({
      pdf::TextRun{60, 720, 0, 12, {0.1, 0.1, 0.1}, "A\u2192("},
      pdf::Rule{50, 690, 250, 690, 0.5, {0.7, 0.2, 0.1}},
      pdf::TextRun{60, 600, 1, 9, {0.1, 0.1, 0.1}, "\u010D\\\U0001D400)"},
  });
  // '(' ')' '\' are escaped, a CR byte (the low byte of U+010D) is written as \r, and a
  // character beyond the BMP becomes a space, as libharu's own text functions draw it.
  CHECK(content ==
        "BT\n/F1 12 Tf\n0.1 g\n1 0 0 1 60 720 Tm\n"
        "[(\0A\x21\x92\0\\()] TJ\nET\n"
        "0.7 0.2 0.1 RG\n0.5 w\n50 690 m\n250 690 l\nS\n"
        "BT\n/F2 9 Tf\n1 0 0 1 60 600 Tm\n"
        "[(\x01\\r\0\\\\\0 \0\\))] TJ\nET\n"s);
  CHECK(decoded("\x01\\r\0\\\\\0 \0\\)"s) == "\u010D\\ )");
}

TEST_CASE("boxes are filled, stroked or both; colours and widths are set only on change", "[pdf]") {
  const std::string content = content_of({
      pdf::Box{.x = 1, .y = 2, .width = 3, .height = 4, .fill = {1, 1, 1}},
      pdf::Box{.x = 1, .y = 2, .width = 3, .height = 4, .fill = {1, 1, 1}, .stroke_width = 0.5},
      pdf::Box{.x = 1, .y = 2, .width = 3, .height = 4, .filled = false, .stroke_width = 0.5},
      pdf::Box{.x = 9, .y = 9, .width = 9, .height = 9, .filled = false},  // draws nothing
  });
  CHECK(content == "1 g\n1 2 3 4 re\nf\n0 G\n0.5 w\n1 2 3 4 re\nB\n1 2 3 4 re\nS\n");
}

TEST_CASE("an image is not drawn by the content stream", "[pdf]") {
  const HalfEm measure;
  pdf::ContentStream content(measure, [](int) { return std::string("F1"); });
  CHECK_THROWS_AS(content.draw(pdf::Image{"x.png", 0, 0, 1, 1}), std::logic_error);
}

TEST_CASE("a line of words is one TJ array with real spaces, each word where layout put it",
          "[pdf]") {
  const HalfEm measure;
  // A justified line: stretched gaps of an odd width, one shrunk below a space (1.5 of a
  // 2.625 space), a run that continues a word without a gap ("jump" + "s"); then the same
  // words on a second baseline, and a word in another colour that starts an array of its own
  // but needs no text matrix: the pen is where the line left it.
  const std::vector<std::string> words = {"The", "quick", "brown", "fox", "jump", "s", "over"};
  const std::vector<double> gaps = {4.123457, 3.987654, 1.5, 5.5, 0, 4.000001};
  const double size = 10.5;
  std::vector<pdf::Item> items;
  std::vector<double> xs;
  for (const double y : {700.25, 686.75}) {
    double x = 72.345678;
    for (std::size_t i = 0; i < words.size(); ++i) {
      items.emplace_back(pdf::TextRun{x, y, 0, size, {0.1, 0.2, 0.3}, words[i]});
      if (y == 700.25) {
        xs.push_back(x);
      }
      x += measure.width(0, words[i], size) + (i < gaps.size() ? gaps[i] : 0);
    }
  }
  items.emplace_back(pdf::TextRun{300, 686.75, 0, size, {1, 0, 0}, "red"});
  const std::string content = content_of(items);
  // The first line sets the text matrix, the second moves from the first's start.
  const std::size_t first = content.find("1 0 0 1 72.346 700.25 Tm\n[");
  const std::size_t second = content.find("\n0 -13.5 Td\n[");
  REQUIRE(first != std::string::npos);
  REQUIRE(second != std::string::npos);
  CHECK(content.find(")] TJ\n1 0 0 rg\n[(\0 ) "s) != std::string::npos);
  CHECK(content.find("(\0r\0e\0d)] TJ\nET\n"s) != std::string::npos);
  const std::regex arrays("\\)\\] TJ\n");
  CHECK(std::distance(std::sregex_iterator(content.begin(), content.end(), arrays),
                      std::sregex_iterator()) == 3);
  const std::regex matrices(" Tm\n");
  CHECK(std::distance(std::sregex_iterator(content.begin(), content.end(), matrices),
                      std::sregex_iterator()) == 1);
  for (const std::size_t tm : {first, second}) {
    int spaces = 0;
    std::vector<double> starts = word_starts(content, content.find('[', tm), size, spaces, 72.346);
    std::vector<double> expected = xs;
    expected.erase(expected.begin() + 5);  // "jump" and "s" make one word
    if (tm == second) {
      expected.push_back(300);  // "red"
    }
    CHECK(spaces == (tm == first ? 5 : 6));  // none inside "jumps"
    REQUIRE(starts.size() == expected.size());
    for (std::size_t i = 0; i < starts.size(); ++i) {
      CHECK(starts[i] == Approx(expected[i]).margin(0.001));
    }
  }
}

TEST_CASE("spaces keep the colour and a face that spaces them as wide", "[pdf]") {
  // Highlighted code: indentation and the gaps between tokens are runs of spaces in the
  // plain style, which would otherwise switch colour (and face) twice per gap.
  const std::string content = content_of({
      pdf::TextRun{60, 700, 0, 10, {0.5, 0, 0}, "fn"},
      pdf::TextRun{70, 700, 1, 10, {0, 0, 1}, "  "},
      pdf::TextRun{80, 700, 0, 10, {0.5, 0, 0}, "x"},
      pdf::TextRun{60, 688, 1, 10, {0, 0, 1}, "  "},
      pdf::TextRun{60, 676, 1, 12, {0, 0, 1}, " "},
  });
  CHECK(content ==
        "BT\n/F1 10 Tf\n0.5 0 0 rg\n1 0 0 1 60 700 Tm\n[(\0f\0n\0 \0 \0 ) -250 (\0x)] TJ\n"
        "0 -12 Td\n[(\0 \0 )] TJ\n"                 // same face and colour on the next line
        "/F2 12 Tf\n0 -12 Td\n[(\0 )] TJ\nET\n"s);  // another size: its own face
}

TEST_CASE("take() closes the text object and keeps the graphics state", "[pdf]") {
  const HalfEm measure;
  int asked = 0;
  pdf::ContentStream content(measure, [&](int) {
    ++asked;
    return std::string("F7");
  });
  content.draw(pdf::TextRun{1, 2, 0, 10, {0, 0, 1}, "a"});
  CHECK(content.take() == "BT\n/F7 10 Tf\n0 0 1 rg\n1 0 0 1 1 2 Tm\n[(\0a)] TJ\nET\n"s);
  content.draw(pdf::TextRun{1, 20, 0, 10, {0, 0, 1}, "b"});
  CHECK(content.take() == "BT\n1 0 0 1 1 20 Tm\n[(\0b)] TJ\nET\n"s);
  CHECK(content.take().empty());
  CHECK(asked == 1);
}

TEST_CASE("the ToUnicode CMap maps every BMP code but the surrogates to itself", "[pdf]") {
  const std::string cmap = pdf::identity_to_unicode_cmap();
  CHECK(cmap.find("begincidrange") == std::string::npos);
  CHECK(cmap.find("1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n") !=
        std::string::npos);
  CHECK(cmap.find("100 beginbfrange\n<0000> <00FF> <0000>\n") != std::string::npos);
  CHECK(cmap.find("<D700> <D7FF> <D700>\n<E000> <E0FF> <E000>\n") != std::string::npos);
  CHECK(cmap.find("48 beginbfrange\n") != std::string::npos);
  CHECK(cmap.find("<FF00> <FFFF> <FF00>\nendbfrange\nendcmap\n") != std::string::npos);
  CHECK(cmap.find("<D8") == std::string::npos);
  const std::regex range("<([0-9A-F]{2})00> <\\1FF> <\\1(?:00)>\n");
  CHECK(std::distance(std::sregex_iterator(cmap.begin(), cmap.end(), range),
                      std::sregex_iterator()) == 248);
}
