#include "pdf/content_stream.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <utility>

#include "util/utf8.hpp"

namespace pdf {

void append_number(std::string& out, double value) {
  if (!(std::fabs(value) >= 0.0005)) {  // also NaN
    out += '0';
    return;
  }
  char buffer[64];
  const auto [end, error] =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, 3);
  if (error != std::errc()) {
    out += '0';
    return;
  }
  const char* last = end;
  while (last[-1] == '0') {
    --last;
  }
  if (last[-1] == '.') {
    --last;
  }
  out.append(buffer, static_cast<std::size_t>(last - buffer));
}

std::string identity_to_unicode_cmap() {
  std::vector<unsigned> high_bytes;
  for (unsigned high = 0; high <= 0xFF; ++high) {
    if (high < 0xD8 || high > 0xDF) {
      high_bytes.push_back(high);
    }
  }
  std::string out =
      "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
      "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
      "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
      "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
  // A bfrange may vary only in its last byte, and a block holds at most 100 of them.
  for (std::size_t first = 0; first < high_bytes.size(); first += 100) {
    const std::size_t count = std::min<std::size_t>(100, high_bytes.size() - first);
    out += std::to_string(count) + " beginbfrange\n";
    for (std::size_t i = first; i < first + count; ++i) {
      char line[32];
      std::snprintf(line, sizeof line, "<%02X00> <%02XFF> <%02X00>\n", high_bytes[i], high_bytes[i],
                    high_bytes[i]);
      out += line;
    }
    out += "endbfrange\n";
  }
  out += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
  return out;
}

namespace {

// A run may start this far (points) before the pen and still continue the line.
constexpr double overlap_tolerance = 0.01;

// A number as append_number writes it (three decimals).
double rounded(double value) {
  return std::round(value * 1000) / 1000;
}

double clamped(double component) {
  return std::clamp(component, 0.0, 1.0);
}

}  // namespace

ContentStream::ContentStream(const TextMeasure& measure,
                             std::function<std::string(int face)> font_name)
    : m_measure(measure), m_font_name_of(std::move(font_name)) {}

void ContentStream::draw(const Item& item) {
  if (const auto* run = std::get_if<TextRun>(&item)) {
    text(*run);
    return;
  }
  end_text();
  if (const auto* rule = std::get_if<Rule>(&item)) {
    stroke(rule->color, rule->width);
    numbers({rule->x1, rule->y1}, "m");
    numbers({rule->x2, rule->y2}, "l");
    m_out += "S\n";
  } else if (const auto* box = std::get_if<Box>(&item)) {
    const bool stroked = box->stroke_width > 0;
    if (!box->filled && !stroked) {
      return;
    }
    if (box->filled) {
      fill_color(box->fill);
    }
    if (stroked) {
      stroke(box->stroke, box->stroke_width);
    }
    numbers({box->x, box->y, box->width, box->height}, "re");
    m_out += box->filled && stroked ? "B\n" : box->filled ? "f\n" : "S\n";
  } else {
    throw std::logic_error("ContentStream::draw: an image is placed by the PDF writer");
  }
}

std::string ContentStream::take() {
  end_text();
  return std::exchange(m_out, std::string());
}

void ContentStream::text(const TextRun& run) {
  if (run.text.empty()) {
    return;
  }
  // Spaces leave no ink: a run of them keeps the current colour, and the current face when
  // that spaces them as wide (code indentation between highlighted tokens).
  const bool blank = run.text.find_first_not_of(' ') == std::string_view::npos;
  const int face = blank && m_face >= 0 && run.size == m_size &&
                           m_measure.width(m_face, run.text, run.size) ==
                               m_measure.width(run.face, run.text, run.size)
                       ? m_face
                       : run.face;
  const bool recolour = !blank && m_fill != run.color;
  // A run that continues the line (same baseline, at or after the pen) needs no new text
  // position: the pen is where the glyphs so far left it, even across a change of face or
  // colour, which only closes the TJ array.
  const bool on_line = m_on_line && run.y == m_line_y && run.x >= m_pen - overlap_tolerance;
  if (on_line && face == m_face && run.size == m_size && !recolour) {
    move_pen_to(run.x, face, run.size);
  } else {
    end_array();
    if (!m_in_text) {
      m_out += "BT\n";
      m_in_text = true;
    }
    if (face != m_face || run.size != m_size) {
      m_out += '/';
      m_out += font_name(face);
      m_out += ' ';
      numbers({run.size}, "Tf");
      m_face = face;
      m_size = run.size;
    }
    if (recolour) {
      fill_color(run.color);
    }
    if (on_line) {
      m_out += "[(";
      m_in_array = true;
      move_pen_to(run.x, face, run.size);
    } else {
      start_line(run.x, run.y);
      m_out += "[(";
      m_in_array = true;
    }
  }
  append_codes(run.text);
  m_pen += m_measure.width(face, run.text, run.size);
}

// Starts a line at (x, y). The first line of a text object sets the text matrix; later ones
// move from the previous line's start (Td). Both are computed from the numbers as written,
// so that rounding never adds up from line to line.
void ContentStream::start_line(double x, double y) {
  const double written_x = rounded(x);
  const double written_y = rounded(y);
  if (m_line_start) {
    numbers({written_x - m_line_start->first, written_y - m_line_start->second}, "Td");
  } else {
    m_out += "1 0 0 1 ";
    numbers({written_x, written_y}, "Tm");
  }
  m_line_start = {written_x, written_y};
  m_on_line = true;
  m_line_y = y;
  m_pen = x;
}

// Moves the pen of the open TJ array to `run.x`. A word gap becomes a real space glyph
// (copying and text extraction see the word break) plus an adjustment in thousandths of an
// em that puts the run exactly where layout placed it.
void ContentStream::move_pen_to(double x, int face, double size) {
  const double space = m_measure.width(face, " ", size);
  double advance = 0;
  // Layout shrinks a word space to no less than two thirds of a space; a narrower gap (0
  // within a word) is no word break.
  if (space > 0 && x - m_pen >= 0.5 * space) {
    append_codes(" ");
    advance = space;
  }
  // The pen follows the number as written, so rounding never adds up along the line.
  const double adjustment = rounded((m_pen + advance - x) * 1000 / size);
  if (std::fabs(adjustment) * size >= 0.1) {
    m_out += ") ";
    append_number(m_out, adjustment);
    m_out += " (";
    m_pen += advance - adjustment * size / 1000;
  } else {
    m_pen += advance;
  }
}

// Two bytes per character, the code point (libharu's UTF-8 fonts map code to glyph through
// their CIDToGIDMap), in a literal string. Beyond the Basic Multilingual Plane a font has no
// code: a space stands in, as libharu's own text functions do.
void ContentStream::append_codes(std::string_view text) {
  for (std::size_t pos = 0; pos < text.size();) {
    char32_t code = util::decode_utf8(text, pos);
    if (code > 0xFFFF) {
      code = U' ';
    }
    for (const auto byte : {static_cast<char>(code >> 8U), static_cast<char>(code & 0xFFU)}) {
      if (byte == '(' || byte == ')' || byte == '\\') {
        m_out += '\\';
      } else if (byte == '\r') {  // a bare CR would be read as a line end
        m_out += "\\r";
        continue;
      }
      m_out += byte;
    }
  }
}

void ContentStream::end_array() {
  if (m_in_array) {
    m_out += ")] TJ\n";
    m_in_array = false;
  }
}

void ContentStream::end_text() {
  end_array();
  if (m_in_text) {
    m_out += "ET\n";
    m_in_text = false;
  }
  m_on_line = false;  // the next text object starts from the identity matrix
  m_line_start.reset();
}

void ContentStream::fill_color(const model::Color& color) {
  if (m_fill == color) {
    return;
  }
  end_array();
  colour(color, "g", "rg");
  m_fill = color;
}

void ContentStream::stroke(const model::Color& color, double width) {
  if (m_stroke != color) {
    colour(color, "G", "RG");
    m_stroke = color;
  }
  if (m_line_width != width) {
    numbers({width}, "w");
    m_line_width = width;
  }
}

// A grey as one component (`grey_op`), any other colour as three (`rgb_op`).
void ContentStream::colour(const model::Color& color, std::string_view grey_op,
                           std::string_view rgb_op) {
  const double r = clamped(color.r);
  const double g = clamped(color.g);
  const double b = clamped(color.b);
  if (rounded(r) == rounded(g) && rounded(g) == rounded(b)) {
    numbers({r}, grey_op);
  } else {
    numbers({r, g, b}, rgb_op);
  }
}

void ContentStream::numbers(std::initializer_list<double> values, std::string_view op) {
  for (const double value : values) {
    append_number(m_out, value);
    m_out += ' ';
  }
  m_out += op;
  m_out += '\n';
}

const std::string& ContentStream::font_name(int face) {
  const auto index = static_cast<std::size_t>(face);
  if (index >= m_font_names.size()) {
    m_font_names.resize(index + 1);
  }
  if (!m_font_names[index]) {
    m_font_names[index] = m_font_name_of(face);
  }
  return *m_font_names[index];
}

}  // namespace pdf
