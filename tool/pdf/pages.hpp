// The library-free display list between layout and PDF writing: pages of positioned text
// runs, rules, boxes, images and links, plus the outline and page labels of the document.
// Coordinates are PDF points, origin at the bottom-left of the page, y upwards.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "model/layout.hpp"

namespace pdf {

// A TrueType file the document draws with; TextRun::face indexes Pages::fonts.
struct FontFace {
  std::string file;
  std::string label;  // "DejaVu Serif Bold": for dumps and error messages
  friend bool operator==(const FontFace&, const FontFace&) = default;
};

// Text in one face, size and colour; (x, y) is the left end of its baseline.
struct TextRun {
  double x = 0;
  double y = 0;
  int face = 0;
  double size = 0;
  model::Color color{};
  std::string text;  // UTF-8, every character covered by `face`
};

// A straight stroked line.
struct Rule {
  double x1 = 0;
  double y1 = 0;
  double x2 = 0;
  double y2 = 0;
  double width = 0.5;
  model::Color color{};
};

// A rectangle, filled and/or outlined; (x, y) is its bottom-left corner.
struct Box {
  double x = 0;
  double y = 0;
  double width = 0;
  double height = 0;
  model::Color fill{};
  bool filled = true;
  double stroke_width = 0;  // 0 = no outline
  model::Color stroke{};
};

// A PNG or JPEG file drawn into a rectangle; (x, y) is its bottom-left corner.
struct Image {
  std::string file;
  double x = 0;
  double y = 0;
  double width = 0;
  double height = 0;
};

using Item = std::variant<TextRun, Rule, Box, Image>;

// A clickable rectangle: to a named destination (`anchor`) or to an external `uri`.
struct Link {
  double x = 0;
  double y = 0;
  double width = 0;
  double height = 0;
  std::string anchor;  // set for links inside the document
  std::string uri;     // set for external links
};

// A named place on a page that links and outline entries point at; `top` is its y.
struct Destination {
  std::string anchor;
  double top = 0;
};

struct Page {
  double width = 0;
  double height = 0;
  std::vector<Item> items;  // drawn in order
  std::vector<Link> links;
  std::vector<Destination> destinations;
};

// One entry of the PDF outline (bookmarks); level 0 entries are top level and each
// entry nests under the closest preceding entry with a smaller level.
struct OutlineEntry {
  std::string title;
  std::string anchor;
  int level = 0;
  bool open = false;  // children shown when the viewer opens the document
};

enum class LabelStyle { lower_roman, decimal };

// From page index `first_page` (0-based) on, pages are labelled `style` from `first_number`.
struct PageLabel {
  int first_page = 0;
  LabelStyle style = LabelStyle::decimal;
  int first_number = 1;
};

// Document information; empty fields are left out of the PDF (never a clock date).
struct Metadata {
  std::string title;
  std::string author;
  std::string subject;
  std::string keywords;
  std::string creator;
  std::string producer;
  std::string creation_date;  // "YYYY-MM-DD" or ""
};

struct Pages {
  std::vector<FontFace> fonts;
  std::vector<Page> pages;
  std::vector<OutlineEntry> outline;
  std::vector<PageLabel> labels;
  Metadata metadata;
};

// Moves every item, link and destination of `page` by (dx, dy) and scales it by `scale`
// around the origin first: what an imposed sheet does with a logical page.
void transform_page(Page& page, double scale, double dx, double dy);

// A readable, deterministic text dump (numbers with 2 decimals, image files by name only)
// for golden tests.
std::string dump_pages(const Pages& pages);

}  // namespace pdf
