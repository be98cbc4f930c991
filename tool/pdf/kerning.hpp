// Pair kerning from the fonts' own `kern`/`GPOS` data (libharu reads neither): a measure
// that adds it to the advance widths, and the display-list step that draws it, so what
// layout measures is what the page shows. The only HarfBuzz user.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "pdf/pages.hpp"
#include "pdf/text_measure.hpp"

namespace pdf {

class Kerning {
 public:
  // Reads the kerning of every face of `fonts` (TrueType files); faces whose letters all
  // have one width (code) are never kerned, so code columns stay aligned. Throws
  // util::ToolError when a file cannot be read.
  explicit Kerning(const std::vector<FontFace>& fonts);
  Kerning(const Kerning&) = delete;
  Kerning& operator=(const Kerning&) = delete;
  ~Kerning();

  // The adjustment in 1/1000 em between `left` and `right` set next to each other in
  // `face` (negative: closer). Characters outside Latin-1, Latin Extended-A and the common
  // quotes and dashes are not kerned. Safe to call from several threads.
  [[nodiscard]] int pair(int face, char32_t left, char32_t right) const;

 private:
  struct Face;
  std::vector<std::unique_ptr<Face>> m_faces;
};

// `base` (advance widths) plus the kerning between neighbouring characters.
class KernedMeasure final : public TextMeasure {
 public:
  KernedMeasure(const TextMeasure& base, const Kerning& kerning)
      : m_base(base), m_kerning(kerning) {}
  [[nodiscard]] double width(int face, std::string_view text, double size) const override;
  // The kerning of `text` alone, in points.
  [[nodiscard]] double kerning(int face, std::string_view text, double size) const;
  // Kerning::pair of the faces measured.
  [[nodiscard]] int pair(int face, char32_t left, char32_t right) const {
    return m_kerning.pair(face, left, right);
  }

 private:
  const TextMeasure& m_base;
  const Kerning& m_kerning;
};

// Splits every text run of `page` where a pair is kerned and places each part where the
// kerned measure puts it (libharu draws one string at one position, with no per-pair
// adjustment).
void apply_kerning(Page& page, const KernedMeasure& measure);

}  // namespace pdf
