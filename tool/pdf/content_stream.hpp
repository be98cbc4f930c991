// A page's content stream (PDF operators) made from display-list items by prepkit itself:
// text as TJ arrays of two-byte character codes, rules, boxes and colours. Library-free: the
// PDF writer hands the bytes to libharu as one stream of the page.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pdf/pages.hpp"
#include "pdf/text_measure.hpp"

namespace pdf {

// Bytes of a number as content streams hold it: at most three decimals, no trailing zeros,
// never "-0". Enough for points and colour components, and the same on every platform.
void append_number(std::string& out, double value);

// The ToUnicode CMap of a font whose two-byte character codes are the Unicode code points
// of the Basic Multilingual Plane (what libharu's UTF-8 fonts use): one bfrange per high
// byte, surrogates left out.
std::string identity_to_unicode_cmap();

class ContentStream {
 public:
  // `font_name(face)` is the page's resource name of face `face` ("F1"), asked once per
  // face; `measure` gives the widths layout used, so runs continue where layout put them.
  ContentStream(const TextMeasure& measure, std::function<std::string(int face)> font_name);

  // Appends the operators of a TextRun, Rule or Box. An Image throws std::logic_error: only
  // the writer can place one, between take() calls.
  void draw(const Item& item);
  // The operators so far, with any open text object closed; the stream starts empty again
  // but keeps its graphics state (colours, line width, font), which the page keeps too.
  [[nodiscard]] std::string take();

 private:
  void text(const TextRun& run);
  void start_line(double x, double y);
  void move_pen_to(double x, int face, double size);
  void append_codes(std::string_view text);
  void end_array();
  void end_text();
  void fill_color(const model::Color& color);
  void stroke(const model::Color& color, double width);
  void colour(const model::Color& color, std::string_view grey_op, std::string_view rgb_op);
  void numbers(std::initializer_list<double> values, std::string_view op);
  const std::string& font_name(int face);

  const TextMeasure& m_measure;
  std::function<std::string(int)> m_font_name_of;
  std::vector<std::optional<std::string>> m_font_names;  // per face, once asked
  std::string m_out;
  bool m_in_text = false;
  bool m_in_array = false;  // a TJ array is open
  bool m_on_line = false;   // a line was started in this text object: m_line_y, m_pen hold
  double m_line_y = 0;
  double m_pen = 0;                                       // where the line's next glyph goes
  std::optional<std::pair<double, double>> m_line_start;  // as written, in this text object
  int m_face = -1;
  double m_size = 0;
  std::optional<model::Color> m_fill;
  std::optional<model::Color> m_stroke;
  std::optional<double> m_line_width;
};

}  // namespace pdf
