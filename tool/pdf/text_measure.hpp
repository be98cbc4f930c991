// How layout learns the width of text: an interface implemented by the PDF writer (from the
// very font objects it draws with) and by fixed-width fakes in tests.
#pragma once

#include <string_view>

namespace pdf {

class TextMeasure {
 public:
  TextMeasure() = default;
  TextMeasure(const TextMeasure&) = delete;
  TextMeasure& operator=(const TextMeasure&) = delete;
  virtual ~TextMeasure() = default;

  // Advance width in points of UTF-8 `text` set in face `face` (an index into the
  // document's font list) at `size` points. No kerning: widths add up.
  [[nodiscard]] virtual double width(int face, std::string_view text, double size) const = 0;
};

}  // namespace pdf
