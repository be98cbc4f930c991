// The booklet renderer: Document + Layout → PDF bytes, plus where every topic and section
// landed (the page map its cross references print) and, when the layout asks for the
// imposed booklet, the one-up pages it is printed from.
#pragma once

#include <string>
#include <vector>

#include "model/diagnostics.hpp"
#include "model/document.hpp"
#include "model/layout.hpp"
#include "model/page_map.hpp"
#include "pdf/pages.hpp"
#include "typeset/typesetting.hpp"
#include "util/output_file.hpp"

namespace booklet {

// A booklet laid out and drawn into its typesetting's PDF writer, not yet saved.
struct LaidBooklet {
  model::PageMap page_map;
  // The outline, labels and metadata of the PDF; every page too when the layout asks for
  // the imposed booklet, else none.
  pdf::Pages one_up;
  int page_count = 0;          // pages of the one-up booklet
  std::string note;            // for the booklet's summary ("rustfmt not found: …"), or ""
  std::string code_formatter;  // CodeReformatter::formatter_used(): an input of the build
};

struct BookletResult {
  std::vector<util::OutputFile> files;  // "<slug>.pdf" when the layout asks for the booklet
  model::PageMap page_map;
  pdf::Pages one_up;   // every page when the layout asks for the imposed booklet, else none
  int page_count = 0;  // pages of the one-up booklet
};

// Checks that the layout's fonts can draw every character of the document (and of the
// cards, when the layout prints flashcards); each character no font has becomes an error at
// the file:line where it occurs. Throws util::ToolError
// when a font is missing or unusable (environment problem, exit 3).
// `prepared`: from typeset::prepare_typesetting(layout), whose faces it checks against
// (starting fontconfig costs more than the check), or null to find the faces here.
void check_fonts(const model::Document& document, const model::Layout& layout,
                 model::Diagnostics& diagnostics, const typeset::Typesetting* prepared = nullptr);

// Tells the hyphenator which words it must keep whole: the pack's `keep_whole` list and
// every word quoted as inline code anywhere in the pack (`tokio`, `hyper::Client`): a name
// set as code once is a name in prose too.
void keep_names_whole(const model::Document& document, text::Hyphenator& hyphenator);

// Lays out the one-up booklet and draws its pages into `typesetting.writer`, on two cores.
// Precondition: check_fonts reported no errors. Throws util::ToolError on library failures.
LaidBooklet lay_out_booklet(const model::Document& document, const model::Layout& layout,
                            typeset::Typesetting& typesetting);

// The booklet's PDF "<slug>.pdf" (none when the layout does not ask for it). Uses up
// `typesetting.writer`; what else `typesetting` holds stays usable (and may be used from
// another thread meanwhile). Throws util::ToolError on library failures.
std::vector<util::OutputFile> save_booklet(const model::Document& document,
                                           const model::Layout& layout, const LaidBooklet& laid,
                                           typeset::Typesetting& typesetting);

// Both: the booklet's PDF, the page map and, for the imposed booklet, the pages.
BookletResult make_booklet(const model::Document& document, const model::Layout& layout,
                           typeset::Typesetting& typesetting);

}  // namespace booklet
