// The booklet renderer: Document + Layout → PDF bytes (and the print products the layout
// asks for), plus where every topic and section landed (for the deck's page references).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "model/diagnostics.hpp"
#include "model/document.hpp"
#include "model/layout.hpp"
#include "model/page_map.hpp"
#include "util/output_file.hpp"

namespace booklet {

struct BookletResult {
  std::vector<util::OutputFile> files;  // "<slug>.pdf" first, then any print products
  model::PageMap page_map;
  int page_count = 0;  // pages of the one-up booklet
};

// What the booklet needs before it can lay out a page: the layout's faces found with
// fontconfig, loaded into a PDF writer (the slowest part of starting a PDF: libharu maps
// every character of every face), and the hyphenation dictionary. The driver prepares it
// on another core while the content loads. Throws util::ToolError like make_booklet.
struct Typesetting;
std::shared_ptr<Typesetting> prepare_typesetting(const model::Layout& layout);

// The font files of the faces `prepared` found, in the order the PDF embeds them.
std::vector<std::string> font_files(const Typesetting& prepared);

// Checks that the layout's fonts can draw every character of the document; each character
// no font has becomes an error at the file:line where it occurs. Throws util::ToolError
// when a font is missing or unusable (environment problem, exit 3).
// `prepared`: from prepare_typesetting(layout), whose faces it checks against (starting
// fontconfig costs more than the check), or null to find the faces here.
void check_fonts(const model::Document& document, const model::Layout& layout,
                 model::Diagnostics& diagnostics, const Typesetting* prepared = nullptr);

// Called with the page map as soon as layout is done, before the PDF is written, so the
// driver can build the deck on another core meanwhile.
using LaidOutCallback = std::function<void(const model::PageMap&)>;

// Lays out and writes the one-up booklet "<slug>.pdf" (when layout.products.booklet), then
// the print products the layout asks for (print/: imposed booklet, flashcard sheets, drawn
// from the same display list); always fills the page map. Precondition: check_fonts
// reported no errors. Throws util::ToolError on library failures.
// `prepared`: from prepare_typesetting(layout), or null to prepare here.
// The document is shared: the booklet lets go of it once its pages are drawn (after the
// flashcard sheets, when the layout asks for them), before the PDF is saved, so that the
// last of the renderers to finish with it frees it.
BookletResult make_booklet(std::shared_ptr<const model::Document> document,
                           const model::Layout& layout, const LaidOutCallback& laid_out = {},
                           std::shared_ptr<Typesetting> prepared = nullptr);

// Only where every topic and section lands, for a deck built without the PDF (`--only
// apkg`): the booklet is laid out as make_booklet lays it out, but no page is drawn.
model::PageMap page_map_only(const model::Document& document, const model::Layout& layout,
                             std::shared_ptr<Typesetting> prepared = nullptr);

}  // namespace booklet
