#include "print/impose.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "pdf/pdf_writer.hpp"
#include "print/sheet.hpp"
#include "util/error.hpp"

namespace print {
namespace {

constexpr double points_per_mm = 72.0 / 25.4;
constexpr double note_size = 7.0;
constexpr double note_from_top = 9.0 * points_per_mm;  // baseline; cap height keeps it ≥ 6 mm
const model::Color note_color{0.35, 0.35, 0.35};
constexpr int auto_single_signature_pages = 48;
constexpr int auto_signature_sheets = 5;

}  // namespace

int padded_page_count(int page_count) {
  return page_count <= 0 ? 0 : (page_count + 3) / 4 * 4;
}

std::vector<SheetSide> saddle_stitch_order(int page_count, int signature_sheets) {
  const int total = padded_page_count(page_count);
  const int per_signature = signature_sheets > 0 ? signature_sheets * 4 : total;
  std::vector<SheetSide> sides;
  for (int base = 0; base < total; base += per_signature) {
    const int n = std::min(per_signature, total - base);  // a multiple of 4
    for (int s = 0; s < n / 4; ++s) {
      sides.push_back({base + n - 2 * s, base + 2 * s + 1});
      sides.push_back({base + 2 * s + 2, base + n - 2 * s - 1});
    }
  }
  return sides;
}

ImposeOptions impose_options(const model::Layout& layout) {
  ImposeOptions options;
  options.sheet = layout.products.sheet;
  options.creep_mm = layout.products.creep_mm;
  // One saddle-stitched signature folds badly beyond ~12 sheets; the signature count needs
  // the page count, so impose() decides: see auto_signature_sheets.
  options.signature_sheets = -1;
  return options;
}

pdf::Pages impose(const pdf::Pages& one_up, const ImposeOptions& options) {
  const SheetSize upright = portrait_sheet(options.sheet, "impose booklet");
  const SheetSize sheet{upright.height, upright.width};  // landscape
  pdf::Pages out;
  out.fonts = one_up.fonts;
  out.metadata = one_up.metadata;
  if (one_up.pages.empty()) {
    return out;
  }
  const double page_width = one_up.pages.front().width;
  const double page_height = one_up.pages.front().height;
  const double half = sheet.width / 2;
  // A5 on A4 fits (0.7 pt to spare per side); larger pages are scaled down to fit.
  const double scale = std::min({1.0, half / page_width, sheet.height / page_height});
  const double placed_width = page_width * scale;
  const double dy = (sheet.height - page_height * scale) / 2;

  const int count = static_cast<int>(one_up.pages.size());
  const int signature_sheets = options.signature_sheets >= 0 ? options.signature_sheets
                               : padded_page_count(count) > auto_single_signature_pages
                                   ? auto_signature_sheets
                                   : 0;
  const int per_signature = signature_sheets > 0 ? signature_sheets : count;
  const std::vector<SheetSide> sides = saddle_stitch_order(count, signature_sheets);
  for (std::size_t i = 0; i < sides.size(); ++i) {
    // Creep: inner sheets of a signature stick out at the fore-edge once folded, so their
    // pages move towards the fold by one paper thickness per sheet.
    const int sheet_in_signature = static_cast<int>(i / 2) % std::max(1, per_signature);
    const double creep = options.creep_mm * points_per_mm * sheet_in_signature;
    pdf::Page side;
    side.width = sheet.width;
    side.height = sheet.height;
    const std::pair<int, double> halves[] = {
        {sides[i].left, (half - placed_width) / 2 + creep},
        {sides[i].right, half + (half - placed_width) / 2 - creep},
    };
    for (const auto& [number, dx] : halves) {
      if (number > count) {
        continue;  // padding: an empty half
      }
      const pdf::Page& logical = one_up.pages[static_cast<std::size_t>(number - 1)];
      if (std::abs(logical.width - page_width) > 0.01 ||
          std::abs(logical.height - page_height) > 0.01) {
        throw util::ToolError("failed to impose booklet: page " + std::to_string(number) +
                              " differs in size from page 1");
      }
      pdf::Page placed;
      placed.items = logical.items;
      pdf::transform_page(placed, scale, dx, dy);
      side.items.insert(side.items.end(), placed.items.begin(), placed.items.end());
    }
    if (i == 0) {
      // Over the right half (the title page), where no running head sits.
      pdf::TextRun note;
      note.face = 0;
      note.size = note_size;
      note.color = note_color;
      note.text = signature_sheets > 0
                      ? "Print duplex, flip on short edge; fold each " +
                            std::to_string(signature_sheets) + " sheets, stack in order"
                      : "Print duplex, flip on short edge; fold and staple";
      note.x = half + 20 * points_per_mm;
      note.y = sheet.height - note_from_top;
      side.items.emplace_back(std::move(note));
    }
    out.pages.push_back(std::move(side));
  }
  return out;
}

util::OutputFile imposed_file(const std::string& slug, const pdf::Pages& one_up,
                              const model::Layout& layout) {
  const pdf::Pages sheets = impose(one_up, impose_options(layout));
  const std::size_t sheet_count = sheets.pages.size() / 2;
  return {slug + "-imposed.pdf", pdf::write_pdf(sheets),
          std::to_string(sheet_count) + (sheet_count == 1 ? " sheet" : " sheets") + " (" +
              std::to_string(padded_page_count(static_cast<int>(one_up.pages.size()))) +
              " pages, duplex, flip on short edge)"};
}

}  // namespace print
