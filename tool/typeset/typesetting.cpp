#include "typeset/typesetting.hpp"

#include "pdf/font_locator.hpp"

namespace typeset {

Typesetting prepare_typesetting(const model::Layout& layout) {
  Typesetting prepared;
  pdf::FontLocator locator;
  prepared.faces = resolve_faces(layout.fonts, locator);
  prepared.writer = std::make_unique<pdf::PdfWriter>(prepared.faces.fonts);
  prepared.kerning = std::make_unique<pdf::Kerning>(prepared.faces.fonts);
  prepared.measure =
      std::make_unique<pdf::KernedMeasure>(prepared.writer->measure(), *prepared.kerning);
  if (layout.hyphenate) {
    prepared.hyphenator = std::make_unique<text::Hyphenator>();
  }
  return prepared;
}

}  // namespace typeset
