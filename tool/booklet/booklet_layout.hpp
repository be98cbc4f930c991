// Document + Layout → the booklet's pages as a display list: title page, "how to use",
// contents, part pages, topics, index; running heads, folios, outline and page labels.
// Runs the body as often as needed for cross-reference page numbers to settle.
#pragma once

#include <functional>
#include <string>

#include "booklet/code_reformat.hpp"
#include "model/document.hpp"
#include "model/layout.hpp"
#include "model/page_map.hpp"
#include "pdf/pages.hpp"
#include "pdf/text_measure.hpp"
#include "typeset/faces.hpp"

namespace text {
class Hyphenator;
}

namespace booklet {

struct LayoutResult {
  pdf::Pages pages;
  model::PageMap page_map;  // topic and section anchors → printed body page numbers
  int front_pages = 0;      // pages before body page 1 (roman numbered)
  std::string note;         // for the build output ("rustfmt not found: …"), or ""
};

// Where finished pages go when they should not all be kept: `page` receives every page in
// order as soon as it is drawn (e.g. into a PDF writer).
struct PageSink {
  std::function<void(pdf::Page page)> page;
};

// Lays out the whole booklet, setting parts and topics on two cores (the measure and the
// hyphenator must be safe to call from two threads). `hyphenator` may be null (no hyphenation).
// With a `sink`, the pages go there and LayoutResult::pages holds everything but them; a sink
// without `page` wants only the page map: nothing is drawn, and lay_out returns once it is known.
// With a `code_reformatter`, Rust code too wide for its column is reformatted by it.
// Throws util::ToolError when cross-reference page numbers do not settle or an image is unreadable.
LayoutResult lay_out(const model::Document& document, const model::Layout& layout,
                     const typeset::FaceTable& faces, const pdf::TextMeasure& measure,
                     const text::Hyphenator* hyphenator, const PageSink* sink = nullptr,
                     CodeReformatter* code_reformatter = nullptr);

// "I", "IV", "XII" (parts); lower case for page labels is the writer's business.
std::string roman_numeral(int number);

// Every piece of text the booklet adds itself (labels, markers, leaders), to check fonts.
std::string booklet_furniture_text();

}  // namespace booklet
