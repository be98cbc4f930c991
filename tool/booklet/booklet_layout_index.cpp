// The index: terms sorted and grouped by initial, two columns, page references as links.
#include "booklet/booklet_layout_internal.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>

#include "util/error.hpp"
#include "util/utf8.hpp"

namespace booklet {
namespace {

std::string sort_key(const std::string& term) {
  std::string key;
  for (char c : term) {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0 || !key.empty()) {
      key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return key.empty() ? term : key;
}

}  // namespace

bool BookletLayout::has_index() const {
  for (const model::Area& area : m_context.document.areas) {
    for (const model::Topic& topic : area.topics) {
      for (const model::Section& section : topic.sections) {
        if (!section.terms.empty()) {
          return true;
        }
      }
    }
  }
  return false;
}

std::vector<LaidPage> BookletLayout::index(const model::PageMap& pages) {
  const model::Layout& look = layout();
  struct Entry {
    std::string term;
    std::map<int, std::string> pages;  // page → anchor of its first section
  };
  std::map<std::string, Entry> entries;
  for (const model::Area& area : m_context.document.areas) {
    for (const model::Topic& topic : area.topics) {
      for (const model::Section& section : topic.sections) {
        const std::string anchor = model::section_anchor(topic.id, section.id);
        for (const std::string& term : section.terms) {
          Entry& found = entries[sort_key(term) + '\0' + term];
          found.term = term;
          found.pages.emplace(pages.page_of(anchor), anchor);
        }
      }
    }
  }
  const double body = look.sizes.body;
  const double size = body * 0.92;
  const double line_height = m_context.line_height(size);
  const double gap = 1.6 * body;
  const double column_width = (width() - gap) / 2;
  const double hang = 1.2 * size;

  VList out;
  std::string group;
  for (const auto& [key, found] : entries) {
    const char first = key.empty() ? '#' : key[0];
    const std::string letter =
        std::isalpha(static_cast<unsigned char>(first)) != 0
            ? std::string(1, static_cast<char>(std::toupper(static_cast<unsigned char>(first))))
            : "Symbols";
    if (letter != group) {
      if (!group.empty()) {
        out.penalty(-50);
        out.glue(0.8 * line_height);
      }
      group = letter;
      for (VBox& box : lines(letter, Role::sans_bold, look.sizes.h_minor, look.colors.accent,
                             look.sizes.h_minor * 1.6, 0, column_width)) {
        out.box(std::move(box));
      }
      out.keep_next_lines(2);
    } else {
      out.penalty(0);
    }
    BreakParams params;
    params.width = column_width - hang;
    params.justify = false;
    params.ragged_stretch = 3 * size;
    ParagraphBuilder builder(m_context.faces, m_context.measure, nullptr, params);
    TextStyle term;
    term.role = index_term_is_code(found.term) ? Role::mono : Role::serif;
    term.size = term.role == Role::mono ? size * inline_code_scale : size;
    term.color = look.colors.text;
    term.code = term.role == Role::mono;
    term.hyphenate = false;
    builder.add_text(found.term, term);
    TextStyle plain;
    plain.size = size;
    plain.color = look.colors.text;
    plain.hyphenate = false;
    bool first_page = true;
    for (const auto& [page, anchor] : found.pages) {
      builder.add_text(first_page ? ",\u2002" : ", ", plain);
      first_page = false;
      TextStyle number = plain;
      number.link = "#" + anchor;
      builder.add_text(page > 0 ? std::to_string(page) : "?", number);
    }
    // Hanging indent: continuation lines move right by `hang`.
    const std::vector<Line> set = break_lines(builder.finish(), params);
    std::vector<VBox> boxes;
    for (std::size_t i = 0; i < set.size(); ++i) {
      boxes.push_back(m_blocks.line_box(set[i], i == 0 ? 0 : hang, line_height, size, {}));
    }
    for (VBox& box : boxes) {
      out.box(std::move(box));
    }
  }

  // The title spans both columns of the first page; columns under it are shorter.
  VList title;
  title.box(spacer(0.5 * look.sizes.h_topic));
  heading("", "Index", look.sizes.h_topic, index_anchor, title);
  title.box(rule_box(14, 7, 0.9, look.colors.accent));
  double title_height = 0;
  for (const VItem& item : title.items()) {
    title_height += std::get<VBox>(item).height;
  }
  title_height += line_height;
  const double full = m_context.block_height();
  auto columns = paginate(
      out.items(), [&](std::size_t column) { return column < 2 ? full - title_height : full; });

  // Balance the last page: the shortest column height at which its material still fits
  // in two columns (found by bisection).
  if (!columns.empty()) {
    const std::size_t last_page_first = (columns.size() - 1) / 2 * 2;
    const std::size_t first_item = columns[last_page_first].first_item;
    const std::vector<VItem> rest(out.items().begin() + static_cast<std::ptrdiff_t>(first_item),
                                  out.items().end());
    double low = 0;
    double high = last_page_first == 0 ? full - title_height : full;
    std::vector<Column> best = paginate(rest, high);
    if (best.size() <= 2) {
      for (int step = 0; step < 24; ++step) {
        const double middle = (low + high) / 2;
        std::vector<Column> attempt = paginate(rest, middle);
        if (attempt.size() <= 2) {
          high = middle;
          best = std::move(attempt);
        } else {
          low = middle;
        }
      }
      columns.resize(last_page_first);
      for (Column& column : best) {
        columns.push_back(std::move(column));
      }
    }
  }

  std::vector<LaidPage> result;
  for (std::size_t c = 0; c < columns.size(); c += 2) {
    LaidPage page;
    page.kind = c == 0 ? PageKind::opener : PageKind::normal;
    page.head_verso = "Index";
    page.head_recto = "Index";
    Column left = std::move(columns[c]);
    Column right = c + 1 < columns.size() ? std::move(columns[c + 1]) : Column{};
    if (c == 0) {
      // Push both columns below the title.
      Column with_title;
      double top = 0;
      for (const VItem& item : title.items()) {
        with_title.boxes.push_back({top, std::get<VBox>(item)});
        top += std::get<VBox>(item).height;
      }
      for (PlacedBox& placed : left.boxes) {
        with_title.boxes.push_back({placed.top + title_height, std::move(placed.box)});
      }
      left = std::move(with_title);
      for (PlacedBox& placed : right.boxes) {
        placed.top += title_height;
      }
    }
    for (PlacedBox& placed : right.boxes) {
      // Shift the right column by moving every item horizontally.
      const double dx = column_width + gap;
      for (pdf::Item& item : placed.box.items) {
        if (auto* run = std::get_if<pdf::TextRun>(&item)) {
          run->x += dx;
        } else if (auto* rule = std::get_if<pdf::Rule>(&item)) {
          rule->x1 += dx;
          rule->x2 += dx;
        } else if (auto* box = std::get_if<pdf::Box>(&item)) {
          box->x += dx;
        }
      }
      for (pdf::Link& link : placed.box.links) {
        link.x += dx;
      }
    }
    page.columns.push_back(std::move(left));
    page.columns.push_back(std::move(right));
    result.push_back(std::move(page));
  }
  return result;
}

}  // namespace booklet
