#include "pdf/kerning.hpp"

#include <hb.h>

#include <array>
#include <cmath>
#include <limits>

#include "util/error.hpp"
#include "util/utf8.hpp"

namespace pdf {
namespace {

// Kerned characters: U+0000–U+017F directly, then these.
constexpr std::array<char32_t, 8> extra_characters = {0x2013, 0x2014, 0x2018, 0x2019,
                                                      0x201C, 0x201D, 0x2026, 0x2122};
constexpr int direct_characters = 0x180;
constexpr int slot_count = direct_characters + static_cast<int>(extra_characters.size());
constexpr std::int16_t unknown = std::numeric_limits<std::int16_t>::min();

int slot_of(char32_t code) {
  if (code < static_cast<char32_t>(direct_characters)) {
    return static_cast<int>(code);
  }
  for (std::size_t i = 0; i < extra_characters.size(); ++i) {
    if (extra_characters[i] == code) {
      return direct_characters + static_cast<int>(i);
    }
  }
  return -1;
}

}  // namespace

struct Kerning::Face {
  hb_blob_t* blob = nullptr;
  hb_face_t* face = nullptr;
  hb_font_t* font = nullptr;
  unsigned upem = 1000;
  bool monospaced = false;
  // Pairs looked up so far (unknown: not yet); two threads may both compute one pair,
  // which gives the same value.
  std::unique_ptr<std::atomic<std::int16_t>[]> pairs;

  explicit Face(const std::string& file) {
    blob = hb_blob_create_from_file_or_fail(file.c_str());
    if (blob == nullptr) {
      throw util::ToolError("cannot read the font file " + file + " for its kerning");
    }
    face = hb_face_create(blob, 0);
    font = hb_font_create(face);
    upem = hb_face_get_upem(face);
    hb_codepoint_t narrow = 0;
    hb_codepoint_t wide = 0;
    monospaced =
        hb_font_get_nominal_glyph(font, 'i', &narrow) != 0 &&
        hb_font_get_nominal_glyph(font, 'M', &wide) != 0 &&
        hb_font_get_glyph_h_advance(font, narrow) == hb_font_get_glyph_h_advance(font, wide);
    pairs = std::make_unique<std::atomic<std::int16_t>[]>(slot_count * slot_count);
    for (int i = 0; i < slot_count * slot_count; ++i) {
      pairs[static_cast<std::size_t>(i)].store(unknown, std::memory_order_relaxed);
    }
  }
  Face(const Face&) = delete;
  Face& operator=(const Face&) = delete;
  ~Face() {
    hb_font_destroy(font);
    hb_face_destroy(face);
    hb_blob_destroy(blob);
  }

  // Shapes the pair with kerning only (no ligatures or contextual forms, which libharu
  // could not draw) and returns how much the first advance changed, in 1/1000 em.
  [[nodiscard]] int shape_pair(char32_t left, char32_t right) const {
    static constexpr std::array<const char*, 5> feature_names = {"kern=1", "liga=0", "clig=0",
                                                                 "calt=0", "dlig=0"};
    std::array<hb_feature_t, feature_names.size()> features{};
    for (std::size_t i = 0; i < features.size(); ++i) {
      hb_feature_from_string(feature_names[i], -1, &features[i]);
    }
    hb_buffer_t* buffer = hb_buffer_create();
    const std::array<std::uint32_t, 2> text = {static_cast<std::uint32_t>(left),
                                               static_cast<std::uint32_t>(right)};
    hb_buffer_add_utf32(buffer, text.data(), 2, 0, 2);
    hb_buffer_set_direction(buffer, HB_DIRECTION_LTR);
    hb_buffer_set_script(buffer, HB_SCRIPT_LATIN);
    hb_buffer_set_language(buffer, hb_language_from_string("en", -1));
    hb_shape(font, buffer, features.data(), static_cast<unsigned>(features.size()));
    unsigned count = 0;
    const hb_glyph_info_t* info = hb_buffer_get_glyph_infos(buffer, &count);
    const hb_glyph_position_t* position = hb_buffer_get_glyph_positions(buffer, nullptr);
    int result = 0;
    if (count == 2 && info[0].cluster == 0 && info[1].cluster == 1) {
      const hb_position_t kern =
          position[0].x_advance - hb_font_get_glyph_h_advance(font, info[0].codepoint);
      result = static_cast<int>(std::lround(1000.0 * kern / upem));
    }
    hb_buffer_destroy(buffer);
    return result + plus_tightening(left, right);
  }

  // A text face's plus is a maths sign with wide side bearings (a quarter em in Charis SIL),
  // so "C++" would read "C + +": next to a letter, digit or another plus it keeps a tenth of
  // its bearing. Returns the change of the first advance, in 1/1000 em.
  [[nodiscard]] int plus_tightening(char32_t left, char32_t right) const {
    const auto tight = [](char32_t c) {
      return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+';
    };
    if (!(right == '+' && tight(left))) {
      return 0;
    }
    hb_codepoint_t plus = 0;
    hb_glyph_extents_t extents{};
    if (hb_font_get_nominal_glyph(font, '+', &plus) == 0 ||
        hb_font_get_glyph_extents(font, plus, &extents) == 0) {
      return 0;
    }
    const hb_position_t left_bearing = extents.x_bearing;
    const hb_position_t right_bearing =
        hb_font_get_glyph_h_advance(font, plus) - extents.x_bearing - extents.width;
    // The plus's own left bearing, and the right one of a plus before it.
    const hb_position_t bearings = left_bearing + (left == '+' ? right_bearing : 0);
    return bearings <= 0 ? 0 : -static_cast<int>(std::lround(0.9 * 1000.0 * bearings / upem));
  }
};

Kerning::Kerning(const std::vector<FontFace>& fonts) {
  for (const FontFace& font : fonts) {
    m_faces.push_back(std::make_unique<Face>(font.file));
  }
}

Kerning::~Kerning() = default;

int Kerning::pair(int face, char32_t left, char32_t right) const {
  if (face < 0 || static_cast<std::size_t>(face) >= m_faces.size()) {
    return 0;
  }
  const Face& kerned = *m_faces[static_cast<std::size_t>(face)];
  const int a = slot_of(left);
  const int b = slot_of(right);
  if (kerned.monospaced || a < 0 || b < 0) {
    return 0;
  }
  std::atomic<std::int16_t>& known = kerned.pairs[static_cast<std::size_t>(a * slot_count + b)];
  std::int16_t value = known.load(std::memory_order_relaxed);
  if (value == unknown) {
    value = static_cast<std::int16_t>(kerned.shape_pair(left, right));
    known.store(value, std::memory_order_relaxed);
  }
  return value;
}

double KernedMeasure::kerning(int face, std::string_view text, double size) const {
  int total = 0;
  char32_t previous = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    const char32_t code = util::decode_utf8(text, pos);
    if (previous != 0) {
      total += m_kerning.pair(face, previous, code);
    }
    previous = code;
  }
  return total * size / 1000.0;
}

double KernedMeasure::width(int face, std::string_view text, double size) const {
  return m_base.width(face, text, size) + kerning(face, text, size);
}

void apply_kerning(Page& page, const KernedMeasure& measure) {
  std::vector<Item> items;
  items.reserve(page.items.size());
  for (Item& item : page.items) {
    auto* run = std::get_if<TextRun>(&item);
    if (run == nullptr || measure.kerning(run->face, run->text, run->size) == 0) {
      items.push_back(std::move(item));
      continue;
    }
    // Parts between kerned pairs; each starts where the kerned text before it ends.
    const std::string_view text = run->text;
    std::size_t part_start = 0;
    double x = run->x;
    char32_t previous = 0;
    for (std::size_t pos = 0; pos < text.size();) {
      const std::size_t start = pos;
      const char32_t code = util::decode_utf8(text, pos);
      const int kern = previous != 0 ? measure.pair(run->face, previous, code) : 0;
      if (kern != 0) {
        TextRun part = *run;
        part.text = std::string(text.substr(part_start, start - part_start));
        part.x = x;
        x += measure.width(run->face, part.text, run->size) + kern * run->size / 1000.0;
        items.emplace_back(std::move(part));
        part_start = start;
      }
      previous = code;
    }
    TextRun last = *run;
    last.text = std::string(text.substr(part_start));
    last.x = x;
    items.emplace_back(std::move(last));
  }
  page.items = std::move(items);
}

}  // namespace pdf
