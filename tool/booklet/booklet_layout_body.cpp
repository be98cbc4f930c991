// The body: part openers and topics (sections, key points, pitfalls, questions), set in parallel.
#include "booklet/booklet_layout_internal.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <iterator>
#include <limits>
#include <map>
#include <set>

#include "util/error.hpp"
#include "util/parallel_map.hpp"
#include "util/utf8.hpp"

namespace booklet {
namespace {

constexpr double summary_size_factor = 1.08;  // × body size
constexpr double question_hang_ems = 2.4;     // answers' indent, in body sizes

bool is_white(const model::Color& color) {
  return color.r > 0.99 && color.g > 0.99 && color.b > 0.99;
}

// What a sizing pass needs of its pages: the boxes with anchors, on the same pages.
void keep_only_anchors(LaidPage& page) {
  for (Column& column : page.columns) {
    std::vector<PlacedBox> anchored;
    for (PlacedBox& placed : column.boxes) {
      if (!placed.box.anchors.empty()) {
        anchored.push_back(std::move(placed));
      }
    }
    column.boxes = std::move(anchored);
  }
}

std::string part_head(const model::Area& area) {
  return "Part " + roman_numeral(area.number) + "\u2003" + smart_quotes(area.title);
}

// Space above a topic that starts below another on a page, in body line heights.
constexpr double topic_gap_lines = 2.5;
// The part of the text block that must be left for a topic to start below another on a
// page (topic_start: auto): less, and it starts a new page. With a third, a page never ends
// with more than a third of it white before a topic, and a topic that starts low on a page
// still sets a good part of its opening there.
constexpr double min_topic_start_room = 1.0 / 3.0;

// The height of a list's opening that must stay together: everything before its first
// allowed page break (a topic's heading and its first lines).
double opening_height(const std::vector<VItem>& items) {
  double height = 0;
  double to_box = 0;
  for (const VItem& item : items) {
    if (const auto* box = std::get_if<VBox>(&item)) {
      height += box->height;
      to_box = height;
    } else if (const auto* glue = std::get_if<typeset::VGlue>(&item)) {
      height += glue->height;
    } else if (std::get<VPenalty>(item).cost < never_break && to_box > 0) {
      break;
    }
  }
  return to_box;
}

// Adds `offset` to the background group of every box of `items`.
void renumber_groups(std::vector<VItem>& items, int offset) {
  const auto renumber = [offset](VBox& box) {
    for (Background& background : box.backgrounds) {
      background.group += offset;
    }
  };
  for (VItem& item : items) {
    if (auto* box = std::get_if<VBox>(&item)) {
      renumber(*box);
    } else if (auto* penalty = std::get_if<VPenalty>(&item)) {
      std::for_each(penalty->continuation.begin(), penalty->continuation.end(), renumber);
      std::for_each(penalty->closing.begin(), penalty->closing.end(), renumber);
    }
  }
}

}  // namespace

void BookletLayout::heading(const std::string& number, const std::string& title, double size,
                            const std::string& anchor, VList& out) {
  const model::Layout& look = layout();
  const double line_height = size * 1.25;
  BreakParams params;
  params.width = width();
  params.justify = false;
  params.ragged_stretch = 4 * size;
  ParagraphBuilder builder(m_context.faces, m_context.measure, nullptr, params);
  TextStyle style;
  style.role = Role::sans_bold;
  style.size = size;
  style.hyphenate = false;
  if (!number.empty()) {
    style.color = look.colors.accent;
    builder.add_text(number + "\u2002", style);  // en space after the number
  }
  style.color = look.colors.heading;
  BlockSetter::add_title(builder, title, style);
  const std::vector<Line> set = break_lines(builder.finish(), params);
  for (std::size_t i = 0; i < set.size(); ++i) {
    VBox box = m_blocks.line_box(set[i], 0, line_height, size, {});
    if (i == 0 && !anchor.empty()) {
      box.anchors.push_back(anchor);
    }
    out.box(std::move(box));
  }
}

void BookletLayout::repeat_title_on_break(VList& out, std::size_t from,
                                          const std::vector<VBox>& title, const VBox& bottom) {
  for (std::size_t i = from; i < out.items().size(); ++i) {
    if (auto* penalty = std::get_if<VPenalty>(&out.items()[i])) {
      penalty->continuation.insert(penalty->continuation.begin(), title.begin(), title.end());
      penalty->closing.push_back(bottom);
    }
  }
}

void BookletLayout::topic(const model::Area& area, const model::Topic& topic, VList& out) {
  (void)area;
  const model::Layout& look = layout();
  const double caption = look.sizes.caption;
  VBox label = spaced("TOPIC " + std::to_string(topic.number), Role::sans_bold, caption + 1,
                      look.colors.accent, (caption + 1) * 2.0);
  label.anchors.push_back(model::topic_anchor(topic.id));
  out.box(std::move(label));
  for (VBox& box : lines(topic.title, Role::sans_bold, look.sizes.h_topic, look.colors.heading,
                         look.sizes.h_topic * 1.2)) {
    out.box(std::move(box));
  }
  out.box(rule_box(14, 7, 0.9, look.colors.accent));
  out.keep_next_lines(2);
  if (!topic.summary.empty()) {
    Frame summary = m_blocks.body_frame();
    summary.size = look.sizes.body * summary_size_factor;
    m_blocks.body(topic.summary, summary, out);
  }
  for (const model::Section& section : topic.sections) {
    this->section(topic, section, out);
  }
  key_points(topic, out);
  pitfalls(topic, out);
  questions(topic, out);
}

void BookletLayout::section(const model::Topic& topic, const model::Section& section, VList& out) {
  const double line_height = m_context.line_height(layout().sizes.body);
  out.penalty(-40);  // a page break before a heading is a good one
  out.glue(1.25 * line_height);
  heading(std::to_string(topic.number) + "." + std::to_string(section.number), section.title,
          layout().sizes.h_section, model::section_anchor(topic.id, section.id), out);
  out.glue(0.35 * line_height);
  out.keep_next_lines(2);
  m_blocks.body(section.body, m_blocks.body_frame(), out);
}

void BookletLayout::key_points(const model::Topic& topic, VList& out) {
  if (topic.key_points.empty()) {
    return;
  }
  const model::Layout& look = layout();
  const double body = look.sizes.body;
  const double line_height = m_context.line_height(body);
  const double pad = 0.9 * body;
  Background background;
  background.group = m_blocks.new_group();
  background.width = width();
  background.fill = look.colors.keypoints_background;
  if (is_white(background.fill)) {
    // A white box (ink-saving layouts) needs an outline to be seen at all.
    background.border_width = 0.5;
    background.border_color = look.colors.code_border;
  }
  const std::vector<Background> backgrounds{background};

  out.penalty(-20);
  out.glue(1.1 * line_height);
  VBox top = spacer(pad);
  top.backgrounds = backgrounds;
  out.box(top);
  const auto title = [&](std::string_view text) {
    std::vector<VBox> boxes = lines(text, Role::sans_bold, look.sizes.h_minor, look.colors.heading,
                                    look.sizes.h_minor * 1.5, pad);
    for (VBox& box : boxes) {
      box.backgrounds = backgrounds;
    }
    return boxes;
  };
  for (VBox& box : title("Key points")) {
    out.box(std::move(box));
  }
  out.keep_next_lines(2);
  const std::size_t first_break = out.items().size();
  Frame frame = m_blocks.body_frame();
  const double indent = 1.4 * body;
  frame.x = pad + indent;
  frame.width = width() - 2 * pad - indent;
  frame.justify = false;
  frame.backgrounds = backgrounds;
  const std::size_t count = topic.key_points.size();
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0) {
      // Split after the first point or before the last only when the page would otherwise
      // end with much white (a topic's key points may not fit below its last section).
      out.penalty(i == 1 || i + 1 == count ? typeset::kept_together_break : 0);
      VBox gap = spacer(0.25 * line_height);
      gap.backgrounds = backgrounds;
      out.box(gap);
    }
    std::vector<VBox> item = m_blocks.paragraph_lines(topic.key_points[i], frame);
    if (!item.empty()) {
      place(item.front(), "\u2022", Role::serif, body, look.colors.accent, pad + 0.35 * body,
            item.front().baseline);
    }
    for (VBox& box : item) {
      out.box(std::move(box));
    }
  }
  VBox bottom = spacer(pad);
  bottom.backgrounds = backgrounds;
  std::vector<VBox> repeated{top};
  for (VBox& box : title("Key points (continued)")) {
    repeated.push_back(std::move(box));
  }
  repeat_title_on_break(out, first_break, repeated, bottom);
  out.box(bottom);
}

void BookletLayout::pitfalls(const model::Topic& topic, VList& out) {
  if (topic.pitfalls.empty()) {
    return;
  }
  const model::Layout& look = layout();
  const double body = look.sizes.body;
  const double line_height = m_context.line_height(body);
  const double pad = 0.7 * body;
  // One box for all of a topic's pitfalls, drawn with a rule above and below: three or
  // four tinted boxes in a row were heavy, and rules carry the box in greyscale print.
  // A layout may still ask for a tint.
  std::vector<Background> backgrounds;
  if (!is_white(look.colors.pitfall_background)) {
    Background background;
    background.group = m_blocks.new_group();
    background.width = width();
    background.fill = look.colors.pitfall_background;
    backgrounds.push_back(background);
  }
  const double x = backgrounds.empty() ? 0 : pad;
  const auto ruled = [&](double height, double y, double thickness) {
    VBox box = rule_box(height, y, thickness, look.colors.pitfall_rule);
    box.backgrounds = backgrounds;
    return box;
  };
  const VBox top = ruled(pad, 0.4, 0.8);
  const VBox bottom = ruled(pad, pad - 0.25, 0.5);

  const double size = look.sizes.h_minor;
  BreakParams params;
  params.width = width() - 2 * x;
  params.justify = false;
  params.ragged_stretch = 3 * size;
  TextStyle style;
  style.role = Role::sans_bold;
  style.size = size;
  style.hyphenate = false;
  // A heading line: `label` in the rule colour, then `title` (quoting code in backticks).
  const auto title = [&](std::string_view label, std::string_view text) {
    ParagraphBuilder builder(m_context.faces, m_context.measure, nullptr, params);
    if (!label.empty()) {
      style.color = look.colors.pitfall_rule;
      builder.add_text(std::string(label), style);
    }
    style.color = look.colors.heading;
    BlockSetter::add_title(builder, text, style);
    std::vector<VBox> boxes;
    for (const Line& line : break_lines(builder.finish(), params)) {
      boxes.push_back(m_blocks.line_box(line, x, size * 1.45, size, backgrounds));
    }
    return boxes;
  };
  const bool single = topic.pitfalls.size() == 1;
  const std::string single_title = single ? topic.pitfalls.front().title : "";
  const auto header = [&](std::string_view suffix) {
    return single ? title("Pitfall:\u2002", single_title + std::string(suffix))
                  : title(std::string("Pitfalls") + std::string(suffix), "");
  };

  out.penalty(-20);
  out.glue(0.9 * line_height);
  out.box(top);
  for (VBox& box : header("")) {
    out.box(std::move(box));
  }
  out.keep_next_lines(2);
  const std::size_t first_break = out.items().size();
  Frame frame = m_blocks.body_frame();
  frame.x = x;
  frame.width = width() - 2 * x;
  frame.backgrounds = backgrounds;
  for (std::size_t i = 0; i < topic.pitfalls.size(); ++i) {
    const model::Pitfall& pitfall = topic.pitfalls[i];
    if (!single) {
      if (i > 0) {
        out.penalty(-10);
        out.glue(0.5 * line_height);
      }
      for (VBox& box : title("", pitfall.title)) {
        out.box(std::move(box));
      }
      out.keep_next_lines(2);
    }
    m_blocks.body(pitfall.body, frame, out);
  }
  std::vector<VBox> repeated{top};
  for (VBox& box : header(" (continued)")) {
    repeated.push_back(std::move(box));
  }
  repeat_title_on_break(out, first_break, repeated, bottom);
  out.box(bottom);
}

void BookletLayout::questions(const model::Topic& topic, VList& out) {
  if (topic.questions.empty()) {
    return;
  }
  const model::Layout& look = layout();
  const double body = look.sizes.body;
  const double line_height = m_context.line_height(body);
  out.penalty(-40);
  out.glue(1.25 * line_height);
  heading("", m_context.document.book.questions_title, look.sizes.h_section, "", out);
  out.glue(0.35 * line_height);
  out.keep_next_lines(2);
  const double hang = question_hang_ems * body;
  for (std::size_t i = 0; i < topic.questions.size(); ++i) {
    const model::Question& question = topic.questions[i];
    if (i > 0) {
      out.penalty(-20);
      out.glue(1.1 * m_context.para_gap());
    }
    // The whole question stays together, and with the first two lines of its answer.
    out.keep_all();
    Frame frame = m_blocks.body_frame();
    frame.x = hang;
    frame.width = width() - hang;
    frame.style = model::style_bold;
    VList asked;
    m_blocks.body(question.question, frame, asked);
    for (VItem& item : asked.items()) {
      if (auto* box = std::get_if<VBox>(&item); box != nullptr && box->lines > 0) {
        place(*box, "Q" + std::to_string(i + 1), Role::sans_bold, body, look.colors.accent, 0,
              box->baseline);
        break;
      }
    }
    out.append(asked);
    out.glue(0.35 * m_context.para_gap());
    out.release_keep(2);
    frame.style = model::style_plain;
    VList answer;
    m_blocks.body(question.answer, frame, answer);
    for (VItem& item : answer.items()) {
      if (auto* box = std::get_if<VBox>(&item); box != nullptr && box->lines > 0) {
        place(*box, "A", Role::sans_bold, body, look.colors.muted, 0, box->baseline);
        break;
      }
    }
    out.append(answer);
  }
}

VList BookletLayout::part(const model::Area& area, const model::PageMap& pages) {
  const model::Layout& look = layout();
  VList out;
  out.box(spacer(0.18 * m_context.block_height()));
  VBox label = spaced("PART " + roman_numeral(area.number), Role::sans_bold, look.sizes.h_minor + 1,
                      look.colors.accent, (look.sizes.h_minor + 1) * 2);
  label.anchors.push_back(part_anchor(area.id));
  out.box(std::move(label));
  for (VBox& box : lines(area.title, Role::sans_bold, look.sizes.h_part, look.colors.heading,
                         look.sizes.h_part * 1.2)) {
    out.box(std::move(box));
  }
  out.box(rule_box(18, 9, 1.2, look.colors.accent, 0.3 * width()));
  if (!area.description.empty()) {
    const double size = look.sizes.body * 1.15;
    for (VBox& box : lines(area.description, Role::serif_italic, size, look.colors.muted,
                           size * 1.4, 0, 0.8 * width())) {
      out.box(std::move(box));
    }
  }
  out.box(spacer(2.5 * m_context.line_height(look.sizes.body)));
  const double size = look.sizes.body;
  const double number_width = 2.2 * size;
  for (const model::Topic& topic : area.topics) {
    const int page = pages.page_of(model::topic_anchor(topic.id));
    for (VBox& box : entry(std::to_string(topic.number), number_width, topic.title,
                           page > 0 ? std::to_string(page) : "?", model::topic_anchor(topic.id), 0,
                           size, Role::serif, look.colors.text, look.colors.accent)) {
      out.box(std::move(box));
    }
    out.penalty(0);
    out.glue(0.2 * m_context.line_height(size));
  }
  return out;
}

std::vector<LaidPage> BookletLayout::single_columns(VList list, PageKind first, PageKind rest,
                                                    const std::string& verso,
                                                    const std::string& recto) {
  std::vector<LaidPage> pages;
  for (Column& column : paginate(std::move(list.items()), m_context.block_height())) {
    LaidPage page;
    page.columns.push_back(std::move(column));
    page.kind = pages.empty() ? first : rest;
    page.head_verso = verso;
    page.head_recto = recto;
    pages.push_back(std::move(page));
  }
  return pages;
}

std::vector<LaidPage> BookletLayout::part_opener(const model::Area& area) {
  // A part opens on a page without folio or running head, like the title page.
  return single_columns(part(area, m_context.page_guess), PageKind::title, PageKind::opener,
                        part_head(area), part_head(area));
}

std::vector<LaidPage> BookletLayout::topic_pages(const model::Area& area,
                                                 std::vector<SetTopic>& topics) {
  const double block = m_context.block_height();
  const double gap = topic_gap_lines * m_context.line_height(layout().sizes.body);
  // One list for the part's topics; between two of them a break that is forced when too
  // little of the page is left for the next topic to start well.
  std::vector<VItem> items;
  int groups = 0;
  for (std::size_t k = 0; k < topics.size(); ++k) {
    std::vector<VItem>& topic = topics[k].list.items();
    if (k > 0) {
      VPenalty start;
      start.needs_room = layout().topic_start == model::TopicStart::new_page
                             ? std::numeric_limits<double>::infinity()
                             : gap + std::max(block * min_topic_start_room, opening_height(topic));
      items.emplace_back(std::move(start));
      items.emplace_back(typeset::VGlue{gap});
    }
    // Background groups are numbered per topic: distinct within the part, so that two
    // topics on one page never share a background.
    renumber_groups(topic, groups);
    groups += topics[k].groups;
    std::move(topic.begin(), topic.end(), std::back_inserter(items));
    topic = {};
  }
  std::map<std::string, std::string> heads;  // topic anchor → running head
  for (const model::Topic& topic : area.topics) {
    heads.emplace(model::topic_anchor(topic.id),
                  std::to_string(topic.number) + "\u2003" + smart_quotes(topic.title));
  }
  std::vector<LaidPage> pages;
  std::string head;
  for (Column& column : paginate(std::move(items), block)) {
    LaidPage page;
    page.kind = PageKind::normal;
    // The running head names the last topic that starts on the page (on a right-hand page
    // the reader turns on into it), else the topic in progress; a page a topic opens at the
    // top gets none, like a chapter's first page.
    for (const PlacedBox& placed : column.boxes) {
      for (const std::string& anchor : placed.box.anchors) {
        if (auto found = heads.find(anchor); found != heads.end()) {
          head = found->second;
          if (&placed == &column.boxes.front()) {
            page.kind = PageKind::opener;
          }
        }
      }
    }
    page.head_verso = part_head(area);
    page.head_recto = head;
    page.columns.push_back(std::move(column));
    pages.push_back(std::move(page));
  }
  return pages;
}

std::vector<LaidPage> BookletLayout::body(model::PageMap& found) {
  // A part at a time (a pass that only sizes pages keeps no more than a part's material):
  // its topics are set independently in parallel, each with a context of its own (the
  // shared parts of a context are read-only or thread-safe), then broken into pages in
  // order, which is cheap.
  std::vector<LaidPage> pages;
  for (const model::Area& area : m_context.document.areas) {
    // Parts open on a right-hand page (body page 1 is one): a blank page before if needed.
    if (pages.size() % 2 != 0) {
      LaidPage blank;
      blank.kind = PageKind::blank;
      pages.push_back(std::move(blank));
    }
    std::vector<LaidPage> part = part_opener(area);
    std::vector<SetTopic> topics = util::parallel_map(area.topics, [&](const model::Topic& topic) {
      Context context = m_context;
      context.next_group = 1;
      SetTopic set;
      BookletLayout(context).topic(area, topic, set.list);
      set.groups = context.next_group - 1;
      return set;
    });
    if (!topics.empty()) {
      std::vector<LaidPage> laid = topic_pages(area, topics);
      std::move(laid.begin(), laid.end(), std::back_inserter(part));
    }
    for (LaidPage& page : part) {
      if (m_context.sizing_only) {
        keep_only_anchors(page);
      }
      pages.push_back(std::move(page));
    }
  }
  for (std::size_t i = 0; i < pages.size(); ++i) {
    for (const Column& column : pages[i].columns) {
      for (const PlacedBox& placed : column.boxes) {
        for (const std::string& anchor : placed.box.anchors) {
          found.page_of_anchor.emplace(anchor, static_cast<int>(i + 1));
        }
      }
    }
  }
  return pages;
}

}  // namespace booklet
