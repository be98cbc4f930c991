// The contents pages: an entry per part and topic, with leaders and page numbers.
#include "booklet/booklet_layout_internal.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>

#include "util/error.hpp"
#include "util/utf8.hpp"

namespace booklet {

std::vector<VBox> BookletLayout::entry(const std::string& number, double number_width,
                                       const std::string& title, const std::string& page,
                                       const std::string& anchor, double x, double size, Role role,
                                       const model::Color& color,
                                       const model::Color& number_color) {
  const double page_column = 2.6 * size;
  const double gap = 0.6 * size;
  const double title_x = x + number_width;
  const double line_height = m_context.line_height(size);
  std::vector<VBox> boxes =
      lines(title, role, size, color, line_height, title_x, width() - title_x - page_column - gap);
  if (boxes.empty()) {
    boxes.push_back(spacer(line_height));
    boxes.back().lines = 1;
    boxes.back().baseline = Context::baseline(line_height, size);
  }
  const Role number_role = role == Role::serif ? Role::serif : role;
  place(boxes.front(), number, number_role, size, number_color, x, boxes.front().baseline);
  VBox& last = boxes.back();
  double end = title_x;
  for (const pdf::Item& item : last.items) {
    if (const auto* run = std::get_if<pdf::TextRun>(&item)) {
      end = std::max(end, run->x + m_context.measure.width(run->face, run->text, run->size));
    }
  }
  const double page_width = text_width(page, role, size);
  const double page_x = width() - page_width;
  // Leader dots on one grid for every entry, ending at a fixed column before the page
  // numbers, so that they line up from one line to the next whatever the size.
  const double body = layout().sizes.body;
  const double step = 0.55 * body;
  const double dots_end = std::min(width() - 2.2 * body, page_x - gap);
  const double dot = text_width(".", Role::serif, size);
  for (double dot_x = std::ceil((end + gap) / step) * step; dot_x + dot <= dots_end;
       dot_x += step) {
    place(last, ".", Role::serif, size, layout().colors.muted, dot_x, last.baseline);
  }
  place(last, page, role, size, color, page_x, last.baseline);
  for (VBox& box : boxes) {
    box.links.push_back(pdf::Link{x, 0, width() - x, box.height, anchor, ""});
  }
  return boxes;
}

std::vector<LaidPage> BookletLayout::contents(const model::PageMap& pages, int index_page) {
  const model::Layout& look = layout();
  const double body = look.sizes.body;
  const double line_height = m_context.line_height(body);
  VList out;
  out.box(spacer(0.5 * look.sizes.h_topic));
  heading("", "Contents", look.sizes.h_topic, contents_anchor, out);
  out.box(rule_box(14, 7, 0.9, look.colors.accent));
  const auto page_text = [&](const std::string& anchor) {
    const int page = pages.page_of(anchor);
    return page > 0 ? std::to_string(page) : std::string("?");
  };
  const double topic_number = 2.2 * body;
  const double section_number = 2.6 * body;
  const double section_size = body * 0.92;
  // The part labels' column fits the widest label ("Part VIII").
  double part_number = 0;
  for (const model::Area& area : m_context.document.areas) {
    part_number = std::max(part_number, text_width("Part " + roman_numeral(area.number),
                                                   Role::sans_bold, look.sizes.h_minor));
  }
  part_number += 0.8 * look.sizes.h_minor;
  for (const model::Area& area : m_context.document.areas) {
    out.penalty(-100);
    out.glue(1.0 * line_height);
    for (VBox& box :
         entry("Part " + roman_numeral(area.number), part_number, area.title,
               page_text(part_anchor(area.id)), part_anchor(area.id), 0, look.sizes.h_minor,
               Role::sans_bold, look.colors.heading, look.colors.accent)) {
      out.box(std::move(box));
    }
    out.glue(0.3 * line_height);
    out.keep_next_lines(2);
    for (const model::Topic& topic : area.topics) {
      out.penalty(-20);
      out.glue(0.25 * line_height);
      for (VBox& box :
           entry(std::to_string(topic.number), topic_number, topic.title,
                 page_text(model::topic_anchor(topic.id)), model::topic_anchor(topic.id), 0, body,
                 Role::serif_bold, look.colors.text, look.colors.accent)) {
        out.box(std::move(box));
      }
      out.keep_next_lines(1);
      for (const model::Section& section : topic.sections) {
        out.penalty(0);
        const std::string anchor = model::section_anchor(topic.id, section.id);
        for (VBox& box :
             entry(std::to_string(topic.number) + "." + std::to_string(section.number),
                   section_number, section.title, page_text(anchor), anchor, topic_number,
                   section_size, Role::serif, look.colors.text, look.colors.muted)) {
          box.height = m_context.line_height(section_size) * 0.95;
          out.box(std::move(box));
        }
      }
    }
  }
  if (index_page > 0) {
    out.penalty(-100);
    out.glue(1.0 * line_height);
    for (VBox& box :
         entry("", 0, "Index", std::to_string(index_page), index_anchor, 0, look.sizes.h_minor,
               Role::sans_bold, look.colors.heading, look.colors.accent)) {
      out.box(std::move(box));
    }
  }
  return single_columns(std::move(out), PageKind::opener, PageKind::normal, "Contents", "Contents");
}

}  // namespace booklet
