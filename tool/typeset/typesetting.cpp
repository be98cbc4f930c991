#include "typeset/typesetting.hpp"

#include "pdf/font_locator.hpp"
#include "util/parallel_map.hpp"

namespace typeset {

Typesetting prepare_typesetting(const model::Layout& layout) {
  Typesetting prepared;
  pdf::FontLocator locator;
  prepared.faces = resolve_faces(layout.fonts, locator);
  // The writer, loading the faces into libharu, takes longest: the rest beside it.
  util::run_all({[&] { prepared.writer = std::make_unique<pdf::PdfWriter>(prepared.faces.fonts); },
                 [&] {
                   prepared.kerning = std::make_unique<pdf::Kerning>(prepared.faces.fonts);
                   if (layout.hyphenate) {
                     prepared.hyphenator = std::make_unique<text::Hyphenator>();
                   }
                 }});
  prepared.measure =
      std::make_unique<pdf::KernedMeasure>(prepared.writer->measure(), *prepared.kerning);
  return prepared;
}

}  // namespace typeset
