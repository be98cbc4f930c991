// Setting text into boxes and drawing a laid-out page with its running head and folio.
#include "booklet/booklet_layout_internal.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>

#include "util/error.hpp"
#include "util/utf8.hpp"

namespace booklet {

double BookletLayout::text_width(std::string_view text, Role role, double size) const {
  double total = 0;
  for (const auto& [face, piece] : split_by_face(m_context.faces, role, text)) {
    total += m_context.measure.width(face, piece, size);
  }
  return total;
}

void BookletLayout::place(VBox& box, std::string_view text, Role role, double size,
                          const model::Color& color, double x, double baseline) {
  for (const auto& [face, piece] : split_by_face(m_context.faces, role, text)) {
    box.items.emplace_back(pdf::TextRun{x, baseline, face, size, color, piece});
    x += m_context.measure.width(face, piece, size);
  }
}

std::vector<VBox> BookletLayout::lines(std::string_view text, Role role, double size,
                                       const model::Color& color, double line_height, double x,
                                       double width_limit) {
  TextStyle style;
  style.role = role;
  style.size = size;
  style.color = color;
  style.hyphenate = false;
  return m_blocks.title_lines(text, style, x, width_limit < 0 ? width() - x : width_limit,
                              line_height);
}

VBox BookletLayout::spaced(std::string_view text, Role role, double size, const model::Color& color,
                           double height) {
  VBox box;
  box.height = height;
  box.baseline = Context::baseline(height, size);
  const double tracking = 0.12 * size;
  double x = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t start = pos;
    util::decode_utf8(text, pos);
    const std::string_view character = text.substr(start, pos - start);
    place(box, character, role, size, color, x, box.baseline);
    x += text_width(character, role, size) + tracking;
  }
  return box;
}

VBox BookletLayout::rule_box(double height, double y, double rule_width, const model::Color& color,
                             double length) {
  VBox box;
  box.height = height;
  box.lines = 0;
  box.items.emplace_back(pdf::Rule{0, y, length < 0 ? width() : length, y, rule_width, color});
  return box;
}

VBox BookletLayout::spacer(double height) {
  VBox box;
  box.height = height;
  box.lines = 0;
  return box;
}

void BookletLayout::render(LaidPage&& laid, bool recto, const std::string& folio, pdf::Page& page) {
  const model::Layout& look = layout();
  page.width = look.page_width;
  page.height = look.page_height;
  const double left = recto ? look.margin_inner : look.margin_outer;
  const double top = look.page_height - look.margin_top;
  for (Column& column : laid.columns) {
    render_column(std::move(column), left, top, page);
  }
  if (laid.kind == PageKind::title || laid.kind == PageKind::blank) {
    return;
  }
  const double size = look.sizes.caption + 0.5;
  const Role role = Role::sans;
  const auto draw = [&](const std::string& text, double x, double y, Role r,
                        const model::Color& color) {
    for (const auto& [face, piece] : split_by_face(m_context.faces, r, text)) {
      page.items.emplace_back(pdf::TextRun{x, y, face, size, color, piece});
      x += m_context.measure.width(face, piece, size);
    }
  };
  const double right = left + width();
  const double folio_width = text_width(folio, Role::sans_bold, size);
  if (laid.kind == PageKind::normal && look.running_header) {
    const double baseline = top + 0.4 * look.margin_top;
    const std::string& head = recto ? laid.head_recto : laid.head_verso;
    const double gap = 1.6 * size;
    // Keep the running head inside the block: shorten it with an ellipsis if needed.
    std::string shown = head;
    const double room = width() - folio_width - gap;
    if (text_width(shown, role, size) > room) {
      std::u32string codes = util::decode_all(head);
      do {
        codes.pop_back();
        shown.clear();
        for (char32_t code : codes) {
          util::append_utf8(shown, code);
        }
        shown += "\u2026";
      } while (!codes.empty() && text_width(shown, role, size) > room);
    }
    if (recto) {
      draw(folio, right - folio_width, baseline, Role::sans_bold, look.colors.heading);
      draw(shown, right - folio_width - gap - text_width(shown, role, size), baseline, role,
           look.colors.muted);
    } else {
      draw(folio, left, baseline, Role::sans_bold, look.colors.heading);
      draw(shown, left + folio_width + gap, baseline, role, look.colors.muted);
    }
    const double rule_y = baseline - 0.45 * size - 2;
    page.items.emplace_back(pdf::Rule{left, rule_y, right, rule_y, 0.4, look.colors.muted});
    return;
  }
  // Openers (and every page without running heads): the folio at the foot, outer edge.
  const double baseline = look.margin_bottom * 0.5;
  draw(folio, recto ? right - folio_width : left, baseline, Role::sans_bold, look.colors.heading);
}

}  // namespace booklet
