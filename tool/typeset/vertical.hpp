// Vertical material and page breaking: boxes (lines, rules, padding), glue and penalties
// as in TeX's vertical lists, and the page builder that fills columns with them.
#pragma once

#include <climits>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "model/layout.hpp"
#include "pdf/pages.hpp"
#include "typeset/line_breaking.hpp"

namespace typeset {

inline constexpr int never_break = 10000;
// A break inside material kept together as a whole (a question with its code): taken only
// when every allowed break would leave more than underfull_limit of the page white.
inline constexpr int kept_together_break = 5000;
// The white space (a fraction of the column) a page may end with before the page builder
// prefers a costly break: a question kept with its code left 70 mm gaps on A4.
inline constexpr double underfull_limit = 0.15;
// How much glue may grow, in times its natural height, to make a page end level.
inline constexpr double max_glue_stretch = 2.0;
// What `unused` white space at the bottom of a column `height` high costs, as a penalty:
// a tenth of the page empty costs 100, as much as an awkward break; beyond underfull_limit
// more than any break inside material kept together.
double underfull_cost(double unused, double height);

// A background (and/or left rule) shared by consecutive boxes: code blocks, callouts. When
// the boxes of a group land on one page they are drawn as one rectangle.
struct Background {
  int group = 0;  // unique per box group; outer groups have smaller numbers
  double x = 0;   // from the text block's left edge
  double width = 0;
  bool filled = true;
  model::Color fill;
  double rule_width = 0;  // a rule along the left edge, 0 = none
  model::Color rule_color;
  double border_width = 0;  // an outline around the whole box, 0 = none
  model::Color border_color;
};

// One line of set text, drawn by the box holding it.
struct SetLine {
  std::shared_ptr<const SetLines> lines;  // null: none
  std::uint32_t line = 0;
  double x = 0;  // the line's left end, from the text block's left edge
};

// Something with a fixed height. Its items use local coordinates: x from the text block's
// left edge, y measured *downwards* from the box top (a TextRun's y is its baseline depth,
// a Box's or Image's y is the depth of its top edge, a Link's y likewise).
struct VBox {
  double height = 0;
  SetLine text;  // drawn on the baseline before `items`; its links are as tall as the box
  std::vector<pdf::Item> items;
  std::vector<pdf::Link> links;
  std::vector<std::string> anchors;  // destinations at the top of this box
  std::vector<Background> backgrounds;
  int lines = 1;        // text lines it holds, for keep-with-next counting (0 for padding)
  double baseline = 0;  // depth of the first baseline (list markers align to it)
};

// Space between boxes; dropped at the top and bottom of a page.
struct VGlue {
  double height = 0;
};

// A possible page break with its cost; `continuation` boxes start the next page when the
// break is taken here ("(continued)" of a split code block) and `closing` boxes end this
// page ("continues"); the break is only possible where the closing boxes fit.
// A break is forced, whatever its cost, where less than `needs_room` is left below it in
// the column (a topic that would start too near the foot of a page); such a page keeps
// its natural spacing, like the last page of a list.
struct VPenalty {
  int cost = 0;
  std::vector<VBox> continuation;
  std::vector<VBox> closing;
  double needs_room = 0;  // 0: never forced
};

using VItem = std::variant<VBox, VGlue, VPenalty>;

// Builds a vertical list and enforces keep-with-next: while `keep` lines are pending,
// penalties become never_break; inside keep_all() they become kept_together_break.
class VList {
 public:
  void box(VBox box);
  void glue(double height);
  void penalty(int cost, std::vector<VBox> continuation = {}, std::vector<VBox> closing = {});
  // Forbids page breaks until `lines` more text lines have been added.
  void keep_next_lines(int lines);
  // Makes every break costly until release_keep() (e.g. a whole question).
  void keep_all() { m_keep = INT_MAX; }
  void release_keep(int then_lines = 0) { m_keep = then_lines; }
  void append(const VList& other);

  [[nodiscard]] const std::vector<VItem>& items() const { return m_items; }
  [[nodiscard]] std::vector<VItem>& items() { return m_items; }
  [[nodiscard]] bool empty() const { return m_items.empty(); }

 private:
  std::vector<VItem> m_items;
  int m_keep = 0;
};

struct PlacedBox {
  double top = 0;  // distance from the column top
  VBox box;
};

struct Column {
  std::vector<PlacedBox> boxes;
  double used = 0;             // height from the column top to the bottom of the last box
  std::size_t first_item = 0;  // index of the first list item placed in this column
};

// Breaks a vertical list into columns of `height`: at each page, the break with the
// least cost (its penalty plus a charge for white space left at the bottom) before the
// material overflows. Glue and penalties at a column top are dropped.
std::vector<Column> paginate(const std::vector<VItem>& items, double height);
// The same, moving the boxes out of `items` instead of copying them.
std::vector<Column> paginate(std::vector<VItem>&& items, double height);
// The same with a height per column (e.g. shorter columns under a page title).
std::vector<Column> paginate(const std::vector<VItem>& items,
                             const std::function<double(std::size_t column)>& height_of);

// Turns the box's set line into text runs and links in front of its own (what drawing
// the box does first).
void draw_set_line(VBox& box);

// Draws a column's boxes into `page` with the text block's top-left corner at
// (left, top) in PDF coordinates: backgrounds first (merged per group), then content,
// moved out of the column.
void render_column(Column&& column, double left, double top, pdf::Page& page);

}  // namespace typeset
