#include "typeset/vertical.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>
#include <map>

namespace typeset {

double underfull_cost(double unused, double height) {
  const double fraction = std::max(0.0, unused) / height;
  const double over_limit = fraction > underfull_limit ? 2.0 * kept_together_break : 0.0;
  return 10000.0 * fraction * fraction + over_limit;
}

namespace {

// A penalty's cost while `keep` lines (or, at INT_MAX, everything) are kept together.
int kept_cost(int cost, int keep) {
  if (keep == 0 || cost >= never_break) {
    return cost;
  }
  if (keep == INT_MAX) {
    return std::min(never_break - 1, kept_together_break + std::max(0, cost));
  }
  return never_break;
}

double box_height(const std::vector<VBox>& boxes) {
  double height = 0;
  for (const VBox& box : boxes) {
    height += box.height;
  }
  return height;
}

std::size_t count_boxes(const std::vector<VItem>& items, std::size_t begin, std::size_t end) {
  std::size_t count = 0;
  for (std::size_t i = begin; i < end; ++i) {
    count += std::holds_alternative<VBox>(items[i]) ? 1 : 0;
  }
  return count;
}

}  // namespace

void VList::box(VBox box) {
  if (m_keep > 0 && m_keep != INT_MAX) {
    m_keep = std::max(0, m_keep - box.lines);
  }
  m_items.emplace_back(std::move(box));
}

void VList::glue(double height) {
  m_items.emplace_back(VGlue{height});
}

void VList::penalty(int cost, std::vector<VBox> continuation, std::vector<VBox> closing) {
  m_items.emplace_back(
      VPenalty{kept_cost(cost, m_keep), std::move(continuation), std::move(closing)});
}

void VList::keep_next_lines(int lines) {
  m_keep = std::max(m_keep, lines);
}

void VList::append(const VList& other) {
  for (const VItem& item : other.m_items) {
    if (const auto* penalty = std::get_if<VPenalty>(&item); penalty != nullptr && m_keep > 0) {
      m_items.emplace_back(VPenalty{kept_cost(penalty->cost, m_keep), penalty->continuation,
                                    penalty->closing, penalty->needs_room});
    } else {
      m_items.push_back(item);
    }
    if (const auto* box = std::get_if<VBox>(&item);
        box != nullptr && m_keep > 0 && m_keep != INT_MAX) {
      m_keep = std::max(0, m_keep - box->lines);
    }
  }
}

namespace {

// Whether two boxes lie in one background (a code block, a callout): the glue between them
// (a blank code line) does not stretch.
bool shares_background(const std::vector<Background>& a, const std::vector<Background>& b) {
  return std::any_of(a.begin(), a.end(), [&](const Background& outer) {
    return std::any_of(b.begin(), b.end(),
                       [&](const Background& inner) { return inner.group == outer.group; });
  });
}

// Vertical justification: a page that another page of the same list follows ends level
// with the text block's bottom, its `leftover` space spread over the stretchable glue in
// proportion (each glue growing by at most max_glue_stretch times its height); a page that would
// need more keeps its natural spacing.
void justify_column(Column& column, const std::vector<double>& stretch_before, double stretch,
                    double leftover) {
  if (leftover <= 0 || stretch <= 0 || leftover > max_glue_stretch * stretch) {
    return;
  }
  const double factor = leftover / stretch;
  for (std::size_t i = 0; i < column.boxes.size(); ++i) {
    column.boxes[i].top += factor * stretch_before[i];
  }
  column.used += leftover;
}

// How far a page's last line may hang below the text block: a page that ends with a line of
// running text puts its baseline on the bottom (its descenders below, as in TeX), so that it
// ends level with a facing page that ends with a box (code, a callout). `closing` boxes end
// the page below it: none.
double hanging_depth(const Column& column, double closing) {
  if (column.boxes.empty() || closing > 0) {
    return 0;
  }
  const VBox& last = column.boxes.back().box;
  const bool text_line = last.lines > 0 && last.baseline > 0 && last.backgrounds.empty();
  return text_line ? last.height - last.baseline : 0;
}

// The page builder of the paginate overloads. `Items` is `const std::vector<VItem>`
// (boxes are copied into the columns) or `std::vector<VItem>` (boxes are moved).
template <typename Items>
std::vector<Column> fill_columns(Items& items,
                                 const std::function<double(std::size_t column)>& height_of) {
  std::vector<Column> columns;
  std::size_t start = 0;
  std::vector<VBox> carried;  // continuation boxes for the next column
  constexpr double epsilon = 0.01;
  while (true) {
    // Drop glue and penalties at the top of the column.
    while (start < items.size() && !std::holds_alternative<VBox>(items[start])) {
      ++start;
    }
    if (start >= items.size()) {
      break;
    }
    const double height = height_of(columns.size());
    const double carried_height = box_height(carried);
    double used = carried_height;
    double used_to_box = carried_height;
    bool has_box = false;
    std::size_t best = items.size();
    double best_cost = std::numeric_limits<double>::infinity();
    std::size_t last_penalty = items.size();
    std::size_t end = items.size();  // first item that does not fit
    bool forced = false;             // the column ends at a forced break
    for (std::size_t i = start; i < items.size(); ++i) {
      if (const auto* box = std::get_if<VBox>(&items[i])) {
        if (has_box && used + box->height > height + epsilon) {
          end = i;
          break;
        }
        used += box->height;
        used_to_box = used;
        has_box = true;
      } else if (const auto* glue = std::get_if<VGlue>(&items[i])) {
        used += glue->height;
      } else if (const auto* penalty = std::get_if<VPenalty>(&items[i])) {
        if (!has_box) {
          continue;
        }
        if (height - used_to_box < penalty->needs_room - epsilon) {
          best = i;
          end = i;
          forced = true;
          break;
        }
        if (used_to_box + box_height(penalty->closing) > height + epsilon) {
          continue;  // the page could not end here
        }
        last_penalty = i;
        if (penalty->cost < never_break) {
          const double cost = penalty->cost + underfull_cost(height - used_to_box, height);
          if (cost <= best_cost) {
            best_cost = cost;
            best = i;
          }
        }
      }
    }
    std::size_t stop = end;  // items [start, stop) go on this column
    if (end < items.size()) {
      if (best < items.size()) {
        stop = best;
      } else if (last_penalty < items.size()) {
        stop = last_penalty;  // nothing allowed: break at the least bad forbidden place
      }
    }
    Column column;
    column.first_item = start;
    // The whole book's columns are kept until drawn: no spare capacity.
    column.boxes.reserve(carried.size() + count_boxes(items, start, stop));
    double top = 0;
    for (VBox& box : carried) {
      column.boxes.push_back({top, std::move(box)});
      top += column.boxes.back().box.height;
    }
    carried.clear();
    // Stretch: the stretchable glue before each placed box (see justify_column).
    std::vector<double> stretch_before(column.boxes.size(), 0.0);
    double stretch = 0;
    double pending_glue = 0;
    std::size_t placed = column.boxes.size();  // the last box placed from `items`, if any
    for (std::size_t i = start; i < stop; ++i) {
      if (auto* box = std::get_if<VBox>(&items[i])) {
        if (pending_glue > 0 && placed < column.boxes.size() &&
            !shares_background(column.boxes[placed].box.backgrounds, box->backgrounds)) {
          stretch += pending_glue;
        }
        pending_glue = 0;
        const double placed_height = box->height;
        column.boxes.push_back({top, std::move(*box)});
        stretch_before.push_back(stretch);
        placed = column.boxes.size() - 1;
        top += placed_height;
        column.used = top;
      } else if (const auto* glue = std::get_if<VGlue>(&items[i])) {
        top += glue->height;
        pending_glue += glue->height;
      }
    }
    if (column.used == 0 && !column.boxes.empty()) {
      column.used = top;
    }
    if (stop < items.size()) {
      const auto* penalty = std::get_if<VPenalty>(&items[stop]);
      const double closing = penalty == nullptr ? 0 : box_height(penalty->closing);
      if (!forced) {
        justify_column(column, stretch_before, stretch,
                       height - column.used - closing + hanging_depth(column, closing));
      }
      if (penalty != nullptr) {
        carried = penalty->continuation;
        top = column.used;
        for (const VBox& box : penalty->closing) {
          column.boxes.push_back({top, box});
          top += box.height;
        }
        column.used = top;
      }
    }
    columns.push_back(std::move(column));
    start = stop;
  }
  return columns;
}

}  // namespace

std::vector<Column> paginate(const std::vector<VItem>& items, double height) {
  return paginate(items, [height](std::size_t) { return height; });
}

std::vector<Column> paginate(const std::vector<VItem>& items,
                             const std::function<double(std::size_t column)>& height_of) {
  return fill_columns(items, height_of);
}

std::vector<Column> paginate(std::vector<VItem>&& items, double height) {
  return fill_columns(items, [height](std::size_t) { return height; });
}

namespace {

struct Span {
  Background background;
  double top = 0;
  double bottom = 0;
};

// Moves `item` from box coordinates to page coordinates, in place.
void to_page(pdf::Item& item, double left, double top) {
  if (auto* run = std::get_if<pdf::TextRun>(&item)) {
    run->x += left;
    run->y = top - run->y;
  } else if (auto* rule = std::get_if<pdf::Rule>(&item)) {
    rule->x1 += left;
    rule->x2 += left;
    rule->y1 = top - rule->y1;
    rule->y2 = top - rule->y2;
  } else if (auto* box = std::get_if<pdf::Box>(&item)) {
    box->x += left;
    box->y = top - box->y - box->height;
  } else if (auto* image = std::get_if<pdf::Image>(&item)) {
    image->x += left;
    image->y = top - image->y - image->height;
  }
}

}  // namespace

void draw_set_line(VBox& box) {
  if (!box.text.lines) {
    return;
  }
  const SetLines& set = *box.text.lines;
  const std::size_t first = set.first_run(box.text.line);
  const std::size_t end = set.end_run(box.text.line);
  std::vector<pdf::Item> items;
  items.reserve(end - first + box.items.size());
  for (std::size_t i = first; i < end; ++i) {
    const SetLines::Look& look = set.look(i);
    items.emplace_back(pdf::TextRun{box.text.x + set.run(i).x, box.baseline, look.face, look.size,
                                    look.color, std::string(set.text(i))});
  }
  std::move(box.items.begin(), box.items.end(), std::back_inserter(items));
  box.items = std::move(items);
  // One link rectangle per run of pieces with the same target.
  std::vector<pdf::Link> links;
  for (std::size_t i = first; i < end;) {
    const std::string& link = set.look(i).link;
    std::size_t j = i + 1;
    while (j < end && set.look(j).link == link) {
      ++j;
    }
    if (!link.empty()) {
      const SetLines::Run& last = set.run(j - 1);
      pdf::Link rect;
      rect.x = box.text.x + set.run(i).x;
      rect.y = 0;
      rect.width = last.x + last.width - set.run(i).x;
      rect.height = box.height;
      if (link[0] == '#') {
        rect.anchor = link.substr(1);
      } else {
        rect.uri = link;
      }
      links.push_back(std::move(rect));
    }
    i = j;
  }
  if (!links.empty()) {
    std::move(box.links.begin(), box.links.end(), std::back_inserter(links));
    box.links = std::move(links);
  }
  box.text = {};
}

void render_column(Column&& column, double left, double top, pdf::Page& page) {
  for (PlacedBox& placed : column.boxes) {
    draw_set_line(placed.box);
  }
  // Backgrounds: one rectangle per group per page, outer groups first.
  std::map<int, Span> spans;
  for (const PlacedBox& placed : column.boxes) {
    for (const Background& background : placed.box.backgrounds) {
      auto [span, inserted] = spans.try_emplace(background.group);
      if (inserted) {
        span->second.background = background;
        span->second.top = placed.top;
      }
      span->second.bottom = placed.top + placed.box.height;
    }
  }
  std::size_t count = page.items.size() + 2 * spans.size();
  for (const PlacedBox& placed : column.boxes) {
    count += placed.box.items.size();
  }
  page.items.reserve(count);
  for (const auto& [group, span] : spans) {
    const Background& background = span.background;
    const double y = top - span.bottom;
    const double h = span.bottom - span.top;
    if (background.filled || background.border_width > 0) {
      // The outline sits inside the box so that boxes keep their measured width.
      const double inset = background.border_width / 2;
      page.items.emplace_back(pdf::Box{
          left + background.x + inset, y + inset, background.width - 2 * inset, h - 2 * inset,
          background.fill, background.filled, background.border_width, background.border_color});
    }
    if (background.rule_width > 0) {
      const double x = left + background.x + background.rule_width / 2;
      page.items.emplace_back(
          pdf::Rule{x, y, x, y + h, background.rule_width, background.rule_color});
    }
  }
  for (PlacedBox& placed : column.boxes) {
    const double box_top = top - placed.top;
    for (std::string& anchor : placed.box.anchors) {
      page.destinations.push_back({std::move(anchor), box_top});
    }
    for (pdf::Item& item : placed.box.items) {
      to_page(item, left, box_top);
      page.items.push_back(std::move(item));
    }
    for (pdf::Link& link : placed.box.links) {
      link.x += left;
      link.y = box_top - link.y - link.height;
      page.links.push_back(std::move(link));
    }
  }
}

}  // namespace typeset
