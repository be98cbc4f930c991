// Saddle-stitch imposition: the page order of a folded, stapled booklet and the landscape
// sheet sides (two logical pages each) that a duplex printer turns into it.
#pragma once

#include <string>
#include <vector>

#include "model/layout.hpp"
#include "pdf/pages.hpp"
#include "util/output_file.hpp"

namespace print {

// One printed side of a sheet: 1-based logical page numbers (after padding) left | right.
struct SheetSide {
  int left = 0;
  int right = 0;
  friend bool operator==(const SheetSide&, const SheetSide&) = default;
};

// Page count padded up to a multiple of 4 (0 stays 0).
int padded_page_count(int page_count);

// Sides in print order (sheet 0 front, sheet 0 back, sheet 1 front, …) for `page_count`
// logical pages padded to a multiple of 4. With `signature_sheets` > 0 the pages are split
// into stacked signatures of that many sheets (the last may be shorter); 0 = one signature.
std::vector<SheetSide> saddle_stitch_order(int page_count, int signature_sheets = 0);

struct ImposeOptions {
  std::string sheet = "A4";  // "A4" or "Letter", used landscape
  double creep_mm = 0;       // each sheet further inside its signature moves this much to the fold
  int signature_sheets = 0;  // 0 = one signature; -1 = one up to 48 pages, else 5-sheet ones
  // A first sheet (front: how to print, fold and bind; back: blank) before the booklet's.
  bool instruction_sheet = false;
};

// Landscape sheet sides holding the one-up pages in saddle-stitch order. Each logical page
// is centred in its half (scaled down only when it does not fit); padding halves stay
// empty; every side has fold marks at head and foot; links, destinations, outline and page
// labels are dropped. Every page must have the size of the first.
pdf::Pages impose(const pdf::Pages& one_up, const ImposeOptions& options);

// The options a layout asks for.
ImposeOptions impose_options(const model::Layout& layout);

// "<slug>-imposed.pdf" written from `one_up`, with a summary like "6 sheets (24 pages)".
util::OutputFile imposed_file(const std::string& slug, const pdf::Pages& one_up,
                              const model::Layout& layout);

}  // namespace print
