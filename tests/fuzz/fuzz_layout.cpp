// Fuzzes the layout reader (libyaml tree, MapReader, lengths, numbers, colours, extends)
// via load::load_layout_from. The input is one layout file; `extends:` reads the built-in
// layouts, or files, which must be refused unless they are small regular files. Checks:
// every diagnostic names a file; a layout read without errors has every length and number
// inside the ranges the reader promises.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_support.hpp"
#include "load/load_layout.hpp"
#include "model/diagnostics.hpp"

namespace fuzz_layout_check {

inline bool within(double value, double low, double high) {
  return std::isfinite(value) && value >= low && value <= high;
}

}  // namespace fuzz_layout_check

PREPKIT_FUZZ_TARGET(fuzz_layout) {
  using fuzz_layout_check::within;
  const std::string text(reinterpret_cast<const char*>(data), size);
  model::Diagnostics diagnostics;
  const model::Layout layout =
      load::load_layout_from(text, "/nonexistent/prepkit-fuzz/layouts/fuzz.yaml", diagnostics);
  for (const model::Diagnostic& diagnostic : diagnostics.all()) {
    fuzz::require(!diagnostic.message.empty(), "an empty diagnostic");
    fuzz::require(!diagnostic.where.file.empty(), "a diagnostic without a file");
    (void)model::format_diagnostic(diagnostic);
  }
  (void)diagnostics.sorted();
  if (diagnostics.has_errors()) {
    return 0;
  }
  fuzz::require(within(layout.page_width, load::min_page_points, load::max_page_points) &&
                    within(layout.page_height, load::min_page_points, load::max_page_points),
                "a page size out of range");
  for (const double margin :
       {layout.margin_inner, layout.margin_outer, layout.margin_top, layout.margin_bottom}) {
    fuzz::require(within(margin, 0, layout.page_width) && within(margin, 0, layout.page_height),
                  "a margin out of range");
  }
  fuzz::require(layout.page_width - layout.margin_inner - layout.margin_outer >= 144 &&
                    layout.page_height - layout.margin_top - layout.margin_bottom >= 144,
                "less than 2 inches for the text");
  const model::TypeSizes& sizes = layout.sizes;
  for (const double value : {sizes.body, sizes.code, sizes.h_part, sizes.h_topic, sizes.h_section,
                             sizes.h_minor, sizes.caption, sizes.title}) {
    fuzz::require(within(value, 4, 72), "a type size out of range");
  }
  fuzz::require(within(sizes.leading, 1, 3), "leading out of range");
  fuzz::require(within(layout.products.creep_mm, 0, load::max_creep_mm), "creep out of range");
  return 0;
}
