// Fuzzes the booklet's line breaker: ParagraphBuilder (words, spaces, hyphenation, code
// break points, emergency breaks) and break_lines (Knuth–Plass, three passes), with fake
// faces and a width per character. Byte 0 picks the measure and justification; in the
// text, byte 0x1F toggles inline code, 0x1E is a line break, 0x1D makes bold. The text is
// made valid UTF-8 first (as the loader guarantees). Checks that every character of the
// text comes out, in order.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "fuzz/fuzz_support.hpp"
#include "model/layout.hpp"
#include "pdf/text_measure.hpp"
#include "text/hyphenate.hpp"
#include "typeset/faces.hpp"
#include "typeset/line_breaking.hpp"
#include "util/utf8.hpp"

namespace {

// Every code point has a width from 0.3 to 0.9 em, so words differ in width.
class VaryingMeasure : public pdf::TextMeasure {
 public:
  [[nodiscard]] double width(int /*face*/, std::string_view text, double size) const override {
    double total = 0;
    for (std::size_t pos = 0; pos < text.size();) {
      char32_t code = util::decode_utf8(text, pos);
      total += size * (0.3 + 0.1 * static_cast<double>(code % 7));
    }
    return total;
  }
};

// What must survive line breaking: the text without spaces, break markers and hyphens.
std::string essence(std::string_view text) {
  std::string out;
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t start = pos;
    char32_t code = util::decode_utf8(text, pos);
    if (code == ' ' || code == '\n' || code == '\t' || code == '\r' || code == 0xA0 ||
        code == 0xAD || code == 0x200B || code == 1 || code == 2 || code == '-') {
      continue;
    }
    out.append(code == util::replacement_character ? std::string_view("\xEF\xBF\xBD")
                                                   : text.substr(start, pos - start));
  }
  return out;
}

}  // namespace

PREPKIT_FUZZ_TARGET(fuzz_line_breaking) {
  static const model::FontSet fonts;
  static const typeset::FaceTable faces = typeset::fake_faces(fonts);
  static const VaryingMeasure measure;
  static const std::unique_ptr<text::Hyphenator> hyphenator = std::make_unique<text::Hyphenator>();
  if (size == 0) {
    return 0;
  }
  typeset::BreakParams params;
  params.width = 20.0 + 4.0 * static_cast<double>(data[0] & 0x7FU);  // 20 to 528 pt
  params.justify = (data[0] & 0x80U) != 0;
  std::string input;
  std::string_view raw(reinterpret_cast<const char*>(data) + 1, size - 1);
  for (std::size_t pos = 0; pos < raw.size();) {
    input += util::to_utf8(util::decode_utf8(raw, pos));
  }

  typeset::ParagraphBuilder builder(faces, measure, hyphenator.get(), params);
  typeset::TextStyle style;
  std::string fed;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= input.size(); ++i) {
    const bool end = i == input.size();
    const char c = end ? '\0' : input[i];
    if (!end && c != '\x1F' && c != '\x1E' && c != '\x1D') {
      continue;
    }
    std::string_view run = std::string_view(input).substr(start, i - start);
    builder.add_text(run, style);
    fed += run;
    start = i + 1;
    if (c == '\x1F') {
      style.code = !style.code;
      style.role = style.code ? typeset::Role::mono : typeset::Role::serif;
    } else if (c == '\x1D') {
      style.role = typeset::bold_of(style.role);
    } else if (c == '\x1E') {
      builder.add_line_break(style);
      fed += ' ';
    }
  }
  std::vector<typeset::BreakItem> items = builder.finish();
  std::vector<typeset::Line> lines = typeset::break_lines(items, params);

  std::string drawn;
  const std::string mark = util::to_utf8(typeset::code_continuation_mark);
  for (const typeset::Line& line : lines) {
    for (std::size_t i = 0; i < line.pieces.size(); ++i) {
      const bool added_mark =
          line.hyphen_added && i + 1 == line.pieces.size() && line.pieces[i].piece.text == mark;
      drawn += added_mark ? std::string() : line.pieces[i].piece.text;
    }
    drawn += ' ';
  }
  fuzz::require(essence(drawn) == essence(fed), "text was lost or reordered by line breaking");
  return 0;
}
