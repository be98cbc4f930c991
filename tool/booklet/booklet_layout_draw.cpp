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

std::vector<BookletLayout::HeadRun> BookletLayout::head_runs(std::string_view head,
                                                             double size) const {
  std::vector<HeadRun> runs;
  const bool paired = std::count(head.begin(), head.end(), '`') % 2 == 0;
  bool code = false;
  std::size_t start = 0;
  while (start <= head.size()) {
    const std::size_t tick = paired ? head.find('`', start) : std::string_view::npos;
    const std::size_t end = tick == std::string_view::npos ? head.size() : tick;
    if (end > start) {
      runs.push_back({head.substr(start, end - start), code ? Role::mono : Role::sans,
                      code ? size * inline_code_scale : size});
    }
    code = !code;
    start = end + 1;
  }
  return runs;
}

double BookletLayout::head_width(std::string_view head, double size) const {
  double total = 0;
  for (const HeadRun& run : head_runs(head, size)) {
    total += text_width(run.text, run.role, run.size);
  }
  return total;
}

void BookletLayout::draw_head(std::string_view head, double x, double baseline, double size,
                              pdf::Page& page) const {
  for (const HeadRun& run : head_runs(head, size)) {
    for (const auto& [face, piece] : split_by_face(m_context.faces, run.role, run.text)) {
      page.items.emplace_back(
          pdf::TextRun{x, baseline, face, run.size, layout().colors.muted, piece});
      x += m_context.measure.width(face, piece, run.size);
    }
  }
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
    if (head_width(shown, size) > room) {
      // The longest prefix that fits with the ellipsis, found by bisection: a title may be
      // thousands of characters long.
      const std::u32string codes = util::decode_all(head);
      const auto shortened = [&](std::size_t count) {
        std::string text;
        for (std::size_t i = 0; i < count; ++i) {
          util::append_utf8(text, codes[i]);
        }
        // A code span cut short is closed before the ellipsis.
        if (std::count(codes.begin(), codes.end(), U'`') % 2 == 0 &&
            std::count(text.begin(), text.end(), '`') % 2 != 0) {
          text += '`';
        }
        return text + "\u2026";
      };
      std::size_t fits = 0;  // shortened(fits) fits, or fits == 0
      std::size_t too_long = codes.size();
      while (too_long - fits > 1) {
        const std::size_t middle = fits + (too_long - fits) / 2;
        (head_width(shortened(middle), size) > room ? too_long : fits) = middle;
      }
      shown = shortened(fits);
    }
    if (recto) {
      draw(folio, right - folio_width, baseline, Role::sans_bold, look.colors.heading);
      draw_head(shown, right - folio_width - gap - head_width(shown, size), baseline, size, page);
    } else {
      draw(folio, left, baseline, Role::sans_bold, look.colors.heading);
      draw_head(shown, left + folio_width + gap, baseline, size, page);
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
