// What the booklet and the print products need before they can set a page: the layout's
// faces found with fontconfig, loaded into a PDF writer (the slowest part of starting a PDF:
// libharu maps every character of every face), and the hyphenation dictionary.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "model/layout.hpp"
#include "pdf/kerning.hpp"
#include "pdf/pdf_writer.hpp"
#include "text/hyphenate.hpp"
#include "typeset/faces.hpp"

namespace typeset {

struct Typesetting {
  FaceTable faces;
  std::unique_ptr<pdf::PdfWriter> writer;  // the booklet's, with the faces loaded
  std::unique_ptr<pdf::Kerning> kerning;   // of the same faces
  // The writer's widths with kerning: what layout measures with. Pages drawn with it go
  // through pdf::apply_kerning before the writer.
  std::unique_ptr<pdf::KernedMeasure> measure;
  std::unique_ptr<text::Hyphenator> hyphenator;  // null when the layout does not hyphenate
};

// Throws util::ToolError when a face is missing or unusable.
Typesetting prepare_typesetting(const model::Layout& layout);

}  // namespace typeset
