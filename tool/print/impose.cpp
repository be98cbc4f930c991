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
const model::Color mark_color{0.35, 0.35, 0.35};
// Fold marks: short dashes on the fold at the head and foot of each side. The pages fill the
// sheet, so there is no room outside the trim: they sit in the blank head and foot margins,
// beyond the 6 mm office printers cannot reach, and end up on the crease of the spine.
constexpr double fold_mark_from_edge = 6.5 * points_per_mm;
constexpr double fold_mark_length = 3.0 * points_per_mm;
constexpr int auto_single_signature_pages = 48;
constexpr int auto_signature_sheets = 5;
constexpr int staple_pages = 48;  // beyond this a single fold of staples does not hold
constexpr int glue_pages = 120;   // beyond this glued signatures crack: a copy shop binds

void add_fold_marks(pdf::Page& side) {
  const double x = side.width / 2;
  for (const double edge : {0.0, side.height}) {
    const double sign = edge == 0 ? 1 : -1;
    side.items.emplace_back(pdf::Rule{x, edge + sign * fold_mark_from_edge, x,
                                      edge + sign * (fold_mark_from_edge + fold_mark_length), 0.4,
                                      mark_color});
  }
}

// Collation marks: a small block on the fold of each signature's outer side, one step lower
// per signature, so that the folded signatures stacked in order show a staircase on the
// spine, and one out of order breaks it. After as many signatures as fit, they start again.
constexpr double collation_mark_width = 2.0 * points_per_mm;
constexpr double collation_mark_height = 5.0 * points_per_mm;
constexpr double collation_first_top = 15.0 * points_per_mm;  // below the fold mark

void add_collation_mark(pdf::Page& side, int signature) {
  const double room = side.height - 2 * collation_first_top;
  const int steps = std::max(1, static_cast<int>(room / collation_mark_height));
  const double top =
      side.height - collation_first_top - (signature % steps) * collation_mark_height;
  side.items.emplace_back(pdf::Box{side.width / 2 - collation_mark_width / 2,
                                   top - collation_mark_height, collation_mark_width,
                                   collation_mark_height, mark_color});
}

// The lines of the instruction sheet for a booklet of `pages` logical pages (padded) on
// `sheets` sheets in signatures of `signature_sheets` sheets (0 = one).
std::vector<std::string> instructions(int pages, int sheets, int signature_sheets) {
  std::vector<std::string> lines = {
      "This sheet is not part of the booklet: " + std::to_string(pages) + " pages on " +
          std::to_string(sheets) + (sheets == 1 ? " sheet" : " sheets") + " follow it.",
      "",
      "1.  Print the whole file at 100 % (actual size), duplex, flip on short edge.",
      "2.  Set this first sheet aside.",
  };
  if (signature_sheets > 0) {
    lines.push_back("3.  Take the printed sheets in order in groups of " +
                    std::to_string(signature_sheets) +
                    " (the last group may be smaller) and fold each group");
    lines.push_back("     in half along the marks at its top and bottom edge.");
    lines.push_back("4.  Stack the folded groups in order: the grey blocks on their folds then");
    lines.push_back("     step down one by one. Bind them along the folds:");
  } else {
    lines.push_back("3.  Fold the stack in half along the marks at its top and bottom edge.");
    lines.push_back("4.  Bind along the fold:");
  }
  if (pages <= staple_pages) {
    lines.push_back("     two staples through the fold (a long-arm stapler) will hold it.");
  } else if (pages <= glue_pages) {
    lines.push_back("     sew or staple each group through its fold, then glue the groups");
    lines.push_back("     into a card cover along their backs.");
  } else {
    lines.push_back("     at this length, have a copy shop perfect-bind (glue) the stack;");
    lines.push_back("     or print the one-up PDF and use spiral binding or a ring binder.");
  }
  return lines;
}

// The first sheet: the printing and folding instructions on its front, its back blank, so
// that no instruction is printed on a page of the finished booklet.
void add_instruction_sheet(pdf::Pages& out, double width, double height, const std::string& title,
                           int pages, int sheets, int signature_sheets) {
  pdf::Page front;
  front.width = width;
  front.height = height;
  const double x = 30 * points_per_mm;
  double y = height - 35 * points_per_mm;
  front.items.emplace_back(pdf::TextRun{x, y, 0, 16, {}, "Printing and folding"});
  y -= 10 * points_per_mm;
  if (!title.empty()) {
    front.items.emplace_back(pdf::TextRun{x, y, 0, 11, mark_color, title});
    y -= 10 * points_per_mm;
  }
  for (const std::string& line : instructions(pages, sheets, signature_sheets)) {
    if (!line.empty()) {
      front.items.emplace_back(pdf::TextRun{x, y, 0, 11, {}, line});
    }
    y -= 6 * points_per_mm;
  }
  pdf::Page back;
  back.width = width;
  back.height = height;
  out.pages.push_back(std::move(front));
  out.pages.push_back(std::move(back));
}

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
  options.instruction_sheet = true;
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
  if (options.instruction_sheet) {
    add_instruction_sheet(out, sheet.width, sheet.height, one_up.metadata.title,
                          padded_page_count(count), static_cast<int>(sides.size() / 2),
                          signature_sheets);
  }
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
    add_fold_marks(side);
    if (signature_sheets > 0 && sheet_in_signature == 0 && i % 2 == 0) {
      add_collation_mark(side, static_cast<int>(i / 2) / per_signature);
    }
    out.pages.push_back(std::move(side));
  }
  return out;
}

util::OutputFile imposed_file(const std::string& slug, const pdf::Pages& one_up,
                              const model::Layout& layout) {
  const ImposeOptions options = impose_options(layout);
  const pdf::Pages sheets = impose(one_up, options);
  const std::size_t sheet_count = sheets.pages.size() / 2 - (options.instruction_sheet ? 1 : 0);
  return {slug + "-imposed.pdf", pdf::write_pdf(sheets),
          std::to_string(sheet_count) + (sheet_count == 1 ? " sheet" : " sheets") + " (" +
              std::to_string(padded_page_count(static_cast<int>(one_up.pages.size()))) +
              " pages, duplex, flip on short edge)" +
              (options.instruction_sheet ? " after an instruction sheet" : "")};
}

}  // namespace print
