// Printable duplex flashcard sheets from the Document's cards: a centred 2 × 4 grid per
// portrait A4/Letter sheet, fronts on odd pages, backs (columns mirrored) on even pages.
#pragma once

#include <string>
#include <vector>

#include "model/diagnostics.hpp"
#include "model/document.hpp"
#include "model/layout.hpp"
#include "pdf/pages.hpp"
#include "pdf/text_measure.hpp"
#include "typeset/faces.hpp"
#include "util/output_file.hpp"

namespace print {

inline constexpr int card_columns = 2;
inline constexpr int card_rows = 4;
inline constexpr int cards_per_sheet = card_columns * card_rows;

// Grid cell of the `index`-th card of a sheet (row-major on the front). On the back the
// columns are mirrored so that a long-edge duplex flip puts each answer behind its question.
struct CardSlot {
  int row = 0;
  int column = 0;
  friend bool operator==(const CardSlot&, const CardSlot&) = default;
};
CardSlot card_slot(int index, bool back);

struct FlashcardOptions {
  std::string sheet = "A4";  // "A4" or "Letter", portrait
  // Body sizes a face is tried at, largest first: it gets the first at which it fits; below
  // the last, the text shrinks in small steps down to min_size.
  std::vector<double> sizes = {14.0, 12.0, 11.0, 10.0};
  double min_size = 6.0;  // text never shrinks below this
};

// How one card's faces were fitted.
struct CardFit {
  std::string id;  // "topic-id/card-id"
  double front_size = 0;
  double back_size = 0;
  bool fits = true;  // false: even at min_size a face was cut off (and reported)
};

struct FlashcardResult {
  pdf::Pages pages;
  std::vector<CardFit> fits;  // one per printed card, in book order
  int sheet_count = 0;
  model::Diagnostics diagnostics;  // warnings: cards cut off (check_fonts covers characters)
};

// Lays out every card of the document (a `reverse` basic card is one paper card).
FlashcardResult make_flashcards(const model::Document& document, const model::Layout& layout,
                                const typeset::FaceTable& faces, const pdf::TextMeasure& measure,
                                const FlashcardOptions& options);

// "<slug>-cards.pdf" with a summary like "3 sheets (24 cards)"; cards that did not fit are
// named in the summary (make_booklet has no diagnostics channel).
util::OutputFile flashcards_file(const model::Document& document, const model::Layout& layout,
                                 const typeset::FaceTable& faces);

}  // namespace print
