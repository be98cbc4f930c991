// Everything visual, read from layouts/*.yaml: page geometry, fonts, sizes, colours,
// which print products to make. Plain data; defaults here are the documented defaults.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "model/highlight_tag.hpp"

namespace model {

struct Color {
  double r = 0;  // 0..1
  double g = 0;
  double b = 0;
  friend bool operator==(const Color&, const Color&) = default;
};

// A font asked for by family and style ("DejaVu Serif", "Bold Italic"), or by file path.
struct FontSpec {
  std::string family;
  std::string style = "Book";
  std::string file;  // explicit path: wins over family/style
};

// One face per role; each role also has an ordered fallback chain for symbols.
struct FontSet {
  FontSpec serif{"Charis SIL", "Regular", ""};
  FontSpec serif_bold{"Charis SIL", "Bold", ""};
  FontSpec serif_italic{"Charis SIL", "Italic", ""};
  FontSpec serif_bold_italic{"Charis SIL", "Bold Italic", ""};
  FontSpec sans{"Open Sans", "Regular", ""};
  FontSpec sans_bold{"Open Sans", "Bold", ""};
  FontSpec mono{"JetBrains Mono", "Regular", ""};
  FontSpec mono_bold{"JetBrains Mono", "Bold", ""};
  FontSpec mono_italic{"JetBrains Mono", "Italic", ""};
  FontSpec mono_bold_italic{"JetBrains Mono", "Bold Italic", ""};
  // Per-character fallbacks, tried in order when the role's face lacks a character.
  std::vector<FontSpec> fallback_text{{"DejaVu Sans", "Book", ""}};
  std::vector<FontSpec> fallback_code{{"DejaVu Sans Mono", "Book", ""}};
};

struct TypeSizes {
  double body = 10.5;    // pt
  double leading = 1.3;  // line height as a multiple of the size
  double code = 8.6;
  double h_part = 24.0;
  double h_topic = 19.0;
  double h_section = 13.0;
  double h_minor = 10.5;  // "Key points", question labels
  double caption = 8.0;   // running header, footer, labels
  double title = 30.0;
};

// Highlight style of one token class: colour plus weight/slant for greyscale printers.
struct TokenStyle {
  Color color;
  bool bold = false;
  bool italic = false;
};

struct Colors {
  Color text{0.10, 0.10, 0.10};
  Color heading{0.08, 0.17, 0.32};
  Color accent{0.70, 0.25, 0.05};  // Rust-orange rules and part numbers
  Color muted{0.40, 0.40, 0.40};   // running heads, captions
  Color link{0.08, 0.30, 0.60};
  Color code_background{0.955, 0.955, 0.945};
  Color code_border{0.85, 0.85, 0.82};
  Color keypoints_background{0.94, 0.96, 0.99};
  Color pitfall_background{1, 1, 1};  // white: untinted, ruled above and below
  Color pitfall_rule{0.80, 0.35, 0.10};
  // Indexed by HighlightTag.
  std::array<TokenStyle, all_highlight_tags.size()> tokens{{
      {{0.10, 0.10, 0.10}, false, false},  // plain
      {{0.55, 0.10, 0.45}, true, false},   // keyword
      {{0.05, 0.35, 0.45}, false, false},  // type
      {{0.10, 0.25, 0.60}, false, false},  // function
      {{0.45, 0.25, 0.05}, true, false},   // macro
      {{0.15, 0.45, 0.10}, false, false},  // string
      {{0.60, 0.30, 0.00}, false, false},  // number
      {{0.45, 0.45, 0.45}, false, true},   // comment
      {{0.60, 0.15, 0.15}, false, true},   // lifetime
      {{0.40, 0.40, 0.30}, false, false},  // attribute
      {{0.25, 0.25, 0.25}, false, false},  // punctuation
  }};
};

// Printable extras beyond the one-up booklet.
struct Products {
  bool booklet = true;       // one-up PDF
  bool imposed = false;      // saddle-stitch print file (<slug>-imposed.pdf)
  bool flashcards = false;   // duplex flashcard sheets (<slug>-cards.pdf)
  std::string sheet = "A4";  // sheet for imposed/flashcards: "A4" or "Letter"
  double creep_mm = 0.0;     // per-sheet creep compensation of the imposed file
};

// Where a topic of the booklet starts.
enum class TopicStart {
  automatic,  // on the page the topic before ends, when enough of it is left
  new_page,   // always on a new page
};

struct Layout {
  std::string name = "default";
  std::string source;  // file it was read from ("" = built-in defaults)
  // Page size in points (A4 by default) and mirrored margins.
  double page_width = 595.28;
  double page_height = 841.89;
  double margin_inner = 76.54;   // 27 mm
  double margin_outer = 144.57;  // 51 mm: a measure of about 70 characters
  double margin_top = 62.36;     // 22 mm (the running head sits above)
  double margin_bottom = 68.03;  // 24 mm (the folio sits below)
  FontSet fonts;
  TypeSizes sizes;
  Colors colors;
  bool justify = true;
  bool hyphenate = true;
  bool running_header = true;
  TopicStart topic_start = TopicStart::automatic;
  Products products;
};

}  // namespace model
