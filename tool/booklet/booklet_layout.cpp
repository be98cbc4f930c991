#include "booklet/booklet_layout.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cmath>
#include <exception>
#include <iterator>
#include <map>
#include <set>
#include <thread>

#include "booklet/blocks.hpp"
#include "booklet/vertical.hpp"
#include "model/walk.hpp"
#include "util/error.hpp"
#include "util/utf8.hpp"

namespace booklet {
namespace {

constexpr int max_passes = 8;
constexpr double summary_size_factor = 1.08;  // × body size
constexpr double question_hang_ems = 2.4;     // answers' indent, in body sizes

std::atomic<bool> second_thread_enabled{true};
constexpr const char* contents_anchor = "contents";
constexpr const char* how_to_anchor = "how-to-use";
constexpr const char* index_anchor = "index";
constexpr const char* how_to_title = "How to use this booklet";

std::string part_anchor(const std::string& area_id) {
  return "part/" + area_id;
}

bool is_white(const model::Color& color) {
  return color.r > 0.99 && color.g > 0.99 && color.b > 0.99;
}

enum class PageKind {
  title,   // no head, no folio
  opener,  // first page of a topic, part, contents…: folio at the foot, no head
  normal,  // running head with folio
  blank,   // padding: nothing but the mandatory operator
};

struct LaidPage {
  std::vector<Column> columns;  // one, or two side by side (index)
  PageKind kind = PageKind::normal;
  std::string head_verso;  // running head on left-hand pages
  std::string head_recto;  // running head on right-hand pages
};

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

class BookletLayout {
 public:
  BookletLayout(Context& context) : m_context(context), m_blocks(context) {}

  // Parts and topics; fills `found` with the printed page of every anchor.
  std::vector<LaidPage> body(model::PageMap& found);
  // The pages of one part opener (topic null) or one topic.
  std::vector<LaidPage> body_pages(const model::Area& area, const model::Topic* topic);
  std::vector<LaidPage> title_page();
  std::vector<LaidPage> how_to_page();
  std::vector<LaidPage> contents(const model::PageMap& pages, int index_page);
  std::vector<LaidPage> index(const model::PageMap& pages);
  [[nodiscard]] bool has_index() const;

  // Draws `laid` into `page`, moving its content there.
  void render(LaidPage&& laid, bool recto, const std::string& folio, pdf::Page& page);

 private:
  const model::Layout& layout() const { return m_context.layout; }
  double width() const { return m_context.block_width(); }

  // Text set on one line or more, as boxes.
  std::vector<VBox> lines(std::string_view text, Role role, double size, const model::Color& color,
                          double line_height, double x = 0, double width = -1);
  // One line of letter-spaced capitals ("TOPIC 7"), as a box.
  VBox spaced(std::string_view text, Role role, double size, const model::Color& color,
              double height);
  VBox rule_box(double height, double y, double rule_width, const model::Color& color,
                double length = -1);
  VBox spacer(double height);
  // A contents line: number, title (wrapping), dotted leaders, page number, one link.
  std::vector<VBox> entry(const std::string& number, double number_width, const std::string& title,
                          const std::string& page, const std::string& anchor, double x, double size,
                          Role role, const model::Color& color, const model::Color& number_color);
  double text_width(std::string_view text, Role role, double size) const;
  void place(VBox& box, std::string_view text, Role role, double size, const model::Color& color,
             double x, double baseline);

  void topic(const model::Area& area, const model::Topic& topic, VList& out);
  void section(const model::Topic& topic, const model::Section& section, VList& out);
  void key_points(const model::Topic& topic, VList& out);
  void pitfall(const model::Pitfall& pitfall, VList& out);
  void questions(const model::Topic& topic, VList& out);
  VList part(const model::Area& area, const model::PageMap& pages);
  void heading(const std::string& number, const std::string& title, double size,
               const std::string& anchor, VList& out);

  std::vector<LaidPage> single_columns(VList list, PageKind first, PageKind rest,
                                       const std::string& verso, const std::string& recto);

  Context& m_context;
  BlockSetter m_blocks;
};

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
  for (const model::Pitfall& pitfall : topic.pitfalls) {
    this->pitfall(pitfall, out);
  }
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
  for (VBox& box : lines("Key points", Role::sans_bold, look.sizes.h_minor, look.colors.heading,
                         look.sizes.h_minor * 1.5, pad)) {
    box.backgrounds = backgrounds;
    out.box(std::move(box));
  }
  out.keep_next_lines(2);
  Frame frame = m_blocks.body_frame();
  const double indent = 1.4 * body;
  frame.x = pad + indent;
  frame.width = width() - 2 * pad - indent;
  frame.justify = false;
  frame.backgrounds = backgrounds;
  const std::size_t count = topic.key_points.size();
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0) {
      // Never split after the first point or before the last.
      out.penalty(i == 1 || i + 1 == count ? never_break : 0);
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
  out.box(bottom);
}

void BookletLayout::pitfall(const model::Pitfall& pitfall, VList& out) {
  const model::Layout& look = layout();
  const double body = look.sizes.body;
  const double line_height = m_context.line_height(body);
  const double pad = 0.8 * body;
  const double rule = 2.5;
  Background background;
  background.group = m_blocks.new_group();
  background.width = width();
  background.fill = look.colors.pitfall_background;
  background.rule_width = rule;
  background.rule_color = look.colors.pitfall_rule;
  const std::vector<Background> backgrounds{background};

  out.penalty(-20);
  out.glue(0.9 * line_height);
  VBox top = spacer(0.7 * pad);
  top.backgrounds = backgrounds;
  out.box(top);
  // "Pitfall: <title>" on one heading line (wrapping if long).
  const double x = rule + pad;
  const double size = look.sizes.h_minor;
  BreakParams params;
  params.width = width() - x - pad;
  params.justify = false;
  params.ragged_stretch = 3 * size;
  ParagraphBuilder builder(m_context.faces, m_context.measure, nullptr, params);
  TextStyle style;
  style.role = Role::sans_bold;
  style.size = size;
  style.hyphenate = false;
  style.color = look.colors.pitfall_rule;
  builder.add_text("Pitfall:\u2002", style);
  style.color = look.colors.heading;
  BlockSetter::add_title(builder, pitfall.title, style);
  for (const Line& line : break_lines(builder.finish(), params)) {
    out.box(m_blocks.line_box(line, x, size * 1.45, size, backgrounds));
  }
  out.keep_next_lines(2);
  Frame frame = m_blocks.body_frame();
  frame.x = x;
  frame.width = width() - x - pad;
  frame.backgrounds = backgrounds;
  m_blocks.body(pitfall.body, frame, out);
  VBox bottom = spacer(pad);
  bottom.backgrounds = backgrounds;
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
  heading("", "Interview questions", look.sizes.h_section, "", out);
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

std::string part_head(const model::Area& area) {
  return "Part " + roman_numeral(area.number) + "\u2003" + strip_backticks(area.title);
}

std::vector<LaidPage> BookletLayout::body_pages(const model::Area& area,
                                                const model::Topic* topic) {
  if (topic == nullptr) {
    return single_columns(part(area, m_context.page_guess), PageKind::opener, PageKind::normal,
                          part_head(area), part_head(area));
  }
  // Background groups only need to be distinct within a page, and no page holds two topics.
  m_context.next_group = 1;
  VList list;
  this->topic(area, *topic, list);
  const std::string topic_head =
      std::to_string(topic->number) + "\u2003" + strip_backticks(topic->title);
  return single_columns(std::move(list), PageKind::opener, PageKind::normal, part_head(area),
                        topic_head);
}

std::vector<LaidPage> BookletLayout::body(model::PageMap& found) {
  // Every part and topic starts on a page of its own, so they are set independently: by
  // this thread and, when there is a second core, a helper taking the next one not taken.
  struct Job {
    const model::Area* area = nullptr;
    const model::Topic* topic = nullptr;  // null: the part's opener
    std::vector<LaidPage> pages;
    std::exception_ptr error;
  };
  std::vector<Job> jobs;
  for (const model::Area& area : m_context.document.areas) {
    jobs.push_back({&area, nullptr, {}, nullptr});
    for (const model::Topic& topic : area.topics) {
      jobs.push_back({&area, &topic, {}, nullptr});
    }
  }
  std::atomic<std::size_t> next_job{0};
  const auto work = [&](BookletLayout& setter) {
    for (std::size_t i = next_job++; i < jobs.size(); i = next_job++) {
      try {
        jobs[i].pages = setter.body_pages(*jobs[i].area, jobs[i].topic);
        if (m_context.sizing_only) {
          for (LaidPage& page : jobs[i].pages) {
            keep_only_anchors(page);
          }
        }
      } catch (...) {
        jobs[i].error = std::current_exception();
      }
    }
  };
  std::thread helper;
  if (second_thread_enabled && std::thread::hardware_concurrency() > 1 && jobs.size() > 1) {
    helper = std::thread([&] {
      Context context{
          m_context.document,   m_context.layout,      m_context.faces,        m_context.measure,
          m_context.hyphenator, m_context.page_guess,  m_context.anchors,      1,
          m_context.set_cache,  m_context.sizing_only, m_context.keep_set_text};
      BookletLayout setter(context);
      work(setter);
    });
  }
  work(*this);
  if (helper.joinable()) {
    helper.join();
  }
  std::vector<LaidPage> pages;
  for (Job& job : jobs) {
    if (job.error) {
      std::rethrow_exception(job.error);  // the first in the book, as one thread would
    }
    std::move(job.pages.begin(), job.pages.end(), std::back_inserter(pages));
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

std::vector<LaidPage> BookletLayout::title_page() {
  const model::Layout& look = layout();
  const model::Book& book = m_context.document.book;
  Column column;
  double top = 0.24 * m_context.block_height();
  const auto add = [&](VBox box) {
    column.boxes.push_back({top, std::move(box)});
    top += column.boxes.back().box.height;
  };
  VBox bar;
  bar.height = 22;
  bar.items.emplace_back(
      pdf::Box{.x = 0, .y = 0, .width = 42, .height = 4, .fill = look.colors.accent});
  add(std::move(bar));
  for (VBox& box : lines(book.title, Role::sans_bold, look.sizes.title, look.colors.heading,
                         look.sizes.title * 1.15)) {
    add(std::move(box));
  }
  if (!book.subtitle.empty()) {
    top += 8;
    const double size = look.sizes.title * 0.46;
    for (VBox& box : lines(book.subtitle, Role::sans, size, look.colors.muted, size * 1.35, 0,
                           0.85 * width())) {
      add(std::move(box));
    }
  }
  if (!book.author.empty()) {
    top += 40;
    for (VBox& box : lines(book.author, Role::serif, look.sizes.body * 1.25, look.colors.text,
                           look.sizes.body * 1.7)) {
      add(std::move(box));
    }
  }
  std::string edition;
  if (!book.version.empty()) {
    edition = "Version " + book.version;
  }
  if (!book.date.empty()) {
    edition += (edition.empty() ? "" : "\u2003\u00B7\u2003") + book.date;
  }
  if (!edition.empty()) {
    const double size = look.sizes.caption + 1;
    VBox box = lines(edition, Role::sans, size, look.colors.muted, size * 1.5).front();
    top = m_context.block_height() - box.height;
    add(std::move(box));
  }
  LaidPage page;
  page.kind = PageKind::title;
  page.columns.push_back(std::move(column));
  return {page};
}

namespace {

// The sentences on code that fit this book: output boxes and "does not compile" marks only
// when some example has them (a pack in another language has no compiler error codes).
std::string code_conventions(const model::Document& document) {
  bool output = false;
  bool compile_fail = false;
  for (const model::Area& area : document.areas) {
    for (const model::Topic& topic : area.topics) {
      model::for_each_body(topic, [&](const model::Body& body) {
        model::for_each_block(body, [&](const model::Block& block) {
          output = output || std::holds_alternative<model::OutputBlock>(block.node);
        });
      });
      model::for_each_code_block(topic, [&](const model::CodeBlock& code) {
        compile_fail = compile_fail || code.check == model::CodeCheck::compile_fail;
      });
    }
  }
  const std::string output_text = "A program\u2019s output follows it under \u201COutput\u201D";
  const std::string compile_fail_text =
      "ode that must not compile is marked \u201Cdoes not compile\u201D with the "
      "compiler\u2019s error code.";
  if (output && compile_fail) {
    return ". " + output_text + "; c" + compile_fail_text;
  }
  if (output) {
    return ". " + output_text + ".";
  }
  return compile_fail ? ". C" + compile_fail_text : ".";
}

}  // namespace

std::vector<LaidPage> BookletLayout::how_to_page() {
  const model::Book& book = m_context.document.book;
  if (book.description.empty()) {
    return {};
  }
  const model::Layout& look = layout();
  VList out;
  out.box(spacer(0.5 * look.sizes.h_topic));
  heading("", how_to_title, look.sizes.h_topic, how_to_anchor, out);
  out.box(rule_box(14, 7, 0.9, look.colors.accent));
  // The description is plain text: blank lines separate paragraphs.
  std::vector<std::string> paragraphs{""};
  std::size_t start = 0;
  const std::string& text = book.description;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) {
      end = text.size();
    }
    const std::string line = text.substr(start, end - start);
    if (line.find_first_not_of(" \t") == std::string::npos) {
      if (!paragraphs.back().empty()) {
        paragraphs.emplace_back();
      }
    } else {
      paragraphs.back() += (paragraphs.back().empty() ? "" : " ") + line;
    }
    start = end + 1;
  }
  Frame frame = m_blocks.body_frame();
  bool first = true;
  for (const std::string& paragraph : paragraphs) {
    if (paragraph.empty()) {
      continue;
    }
    if (!first) {
      out.penalty(0);
      out.glue(m_context.para_gap());
    }
    first = false;
    model::Inline run;
    run.text = paragraph;
    BlockSetter::add_lines(out, m_blocks.paragraph_lines({run}, frame));
  }
  // What the booklet's own devices mean.
  out.penalty(-100);
  out.glue(1.25 * m_context.line_height(look.sizes.body));
  heading("", "Conventions", look.sizes.h_section, "", out);
  out.glue(0.35 * m_context.line_height(look.sizes.body));
  out.keep_next_lines(2);
  const auto inline_text = [](std::string words, unsigned style = model::style_plain) {
    model::Inline run;
    run.text = std::move(words);
    run.style = style;
    return run;
  };
  model::List conventions;
  conventions.tight = true;
  // Only what this layout really does: the highlighting sentence follows its token styles.
  const auto& tokens = look.colors.tokens;
  const bool bold_keywords = tokens[static_cast<std::size_t>(model::HighlightTag::keyword)].bold;
  const bool italic_comments =
      tokens[static_cast<std::size_t>(model::HighlightTag::comment)].italic;
  std::string highlighting;
  if (bold_keywords && italic_comments) {
    highlighting = " with keywords in bold and comments in italics";
  } else if (bold_keywords) {
    highlighting = " with keywords in bold";
  } else if (italic_comments) {
    highlighting = " with comments in italics";
  }
  std::vector<model::Inlines> items = {
      {inline_text("Sections are numbered by topic: \u00A73.2 is the second section of topic "
                   "3. A cross reference prints the page it points to (\u201C\u2026, "
                   "p.\u00A023\u201D).")},
      {inline_text("Code examples are set in "), inline_text("monospace", model::style_code),
       inline_text(highlighting + code_conventions(m_context.document))},
      {inline_text("A long code line continues on the next line after \u21AA.")},
      {inline_text("Each topic closes with its key points, common pitfalls and interview "
                   "questions with model answers (Q and A).")},
  };
  if (has_index()) {
    items.push_back({inline_text("The index lists terms with the pages that explain them.")});
  }
  for (const model::Inlines& item : items) {
    model::Block block;
    block.node = model::Paragraph{item};
    conventions.items.push_back(model::ListItem{{block}});
  }
  m_blocks.list(conventions, frame, out);
  return single_columns(std::move(out), PageKind::opener, PageKind::normal, how_to_title,
                        how_to_title);
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

std::string sort_key(const std::string& term) {
  std::string key;
  for (char c : term) {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0 || !key.empty()) {
      key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return key.empty() ? term : key;
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
      // The longest prefix that fits with the ellipsis, found by bisection: a title may be
      // thousands of characters long.
      const std::u32string codes = util::decode_all(head);
      const auto shortened = [&](std::size_t count) {
        std::string text;
        for (std::size_t i = 0; i < count; ++i) {
          util::append_utf8(text, codes[i]);
        }
        return text + "\u2026";
      };
      std::size_t fits = 0;  // shortened(fits) fits, or fits == 0
      std::size_t too_long = codes.size();
      while (too_long - fits > 1) {
        const std::size_t middle = fits + (too_long - fits) / 2;
        (text_width(shortened(middle), role, size) > room ? too_long : fits) = middle;
      }
      shown = shortened(fits);
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

std::string lower_roman(int number) {
  std::string text = roman_numeral(number);
  for (char& c : text) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return text;
}

}  // namespace

void set_second_thread_enabled(bool enabled) {
  second_thread_enabled = enabled;
}

std::string roman_numeral(int number) {
  static const std::pair<int, const char*> numerals[] = {
      {1000, "M"}, {900, "CM"}, {500, "D"}, {400, "CD"}, {100, "C"}, {90, "XC"}, {50, "L"},
      {40, "XL"},  {10, "X"},   {9, "IX"},  {5, "V"},    {4, "IV"},  {1, "I"},
  };
  std::string text;
  for (const auto& [value, symbol] : numerals) {
    while (number >= value) {
      text += symbol;
      number -= value;
    }
  }
  return text;
}

bool index_term_is_code(const std::string& term) {
  return term.find_first_of("_:!<>()#&[]'*=") != std::string::npos;
}

std::string booklet_furniture_text() {
  return "TOPIC PART Part Key points Pitfall: Interview questions Q A Output Contents Index "
         "How to use this booklet Conventions does not compile: panics (continued) Version "
         "\u00A7"
         "Symbols ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz 0123456789 .,:;?-() "
         "\u2022\u2013\u2014\u2026\u00B7\u2002\u2003\u00A0\u21AA\u201C\u201D\u2019";
}

LayoutResult lay_out(const model::Document& document, const model::Layout& layout,
                     const FaceTable& faces, const pdf::TextMeasure& measure,
                     const text::Hyphenator* hyphenator, const PageSink* sink) {
  Context context{document, layout, faces, measure, hyphenator, {}, {}, 1};
  for (const model::Area& area : document.areas) {
    for (const model::Topic& topic : area.topics) {
      context.anchors.insert(model::topic_anchor(topic.id));
      for (const model::Section& section : topic.sections) {
        context.anchors.insert(model::section_anchor(topic.id, section.id));
      }
    }
  }

  // The body until the page numbers its cross references print are the ones it produces.
  std::vector<LaidPage> body;
  model::PageMap found;
  bool settled = false;
  for (int pass = 0; pass < max_passes && !settled; ++pass) {
    // The first pass's pages are never used, only the pages of its anchors.
    context.sizing_only = pass == 0;
    context.keep_set_text = pass == 0;  // later passes take it out (usually the last one)
    context.next_group = 1;
    found = {};
    body = {};  // not kept while the next pass builds its own
    BookletLayout setter(context);
    body = setter.body(found);
    settled = !context.sizing_only && found.page_of_anchor == context.page_guess.page_of_anchor;
    context.page_guess = found;
  }
  context.sizing_only = false;
  // The body's paragraphs are set for good: free them (what follows shares none).
  context.set_cache = std::make_shared<SetCache>();
  if (!settled) {
    throw util::ToolError(
        "failed to lay out booklet: cross-reference page numbers did not settle after " +
        std::to_string(max_passes) + " passes");
  }

  BookletLayout setter(context);
  const int body_count = static_cast<int>(body.size());
  const bool with_index = setter.has_index();
  std::vector<LaidPage> front = setter.title_page();
  for (LaidPage& page : setter.how_to_page()) {
    front.push_back(std::move(page));
  }
  for (LaidPage& page : setter.contents(found, with_index ? body_count + 1 : 0)) {
    front.push_back(std::move(page));
  }
  // Body page 1 is a right-hand page: pad the front matter to an even count.
  if (front.size() % 2 != 0) {
    LaidPage blank;
    blank.kind = PageKind::blank;
    front.push_back(std::move(blank));
  }

  LayoutResult result;
  result.front_pages = static_cast<int>(front.size());
  for (const auto& [anchor, page] : found.page_of_anchor) {
    if (anchor.rfind("topic/", 0) == 0 || anchor.rfind("section/", 0) == 0) {
      result.page_map.page_of_anchor.emplace(anchor, page);
    }
  }
  if (sink != nullptr && sink->numbered) {
    sink->numbered(result.page_map);
  }
  if (sink != nullptr && !sink->page) {
    return result;
  }
  pdf::Pages& pages = result.pages;
  pages.fonts = faces.fonts;
  int drawn = 0;  // physical pages drawn so far
  const auto draw = [&](std::vector<LaidPage>& laid_pages) {
    for (LaidPage& laid : laid_pages) {
      const bool recto = drawn % 2 == 0;
      const int number = drawn + 1 - result.front_pages;
      const std::string folio = number >= 1 ? std::to_string(number) : lower_roman(drawn + 1);
      pdf::Page page;
      setter.render(std::move(laid), recto, folio, page);
      laid = LaidPage{};  // drawn: what is left of it is freed for the next pages
      ++drawn;
      if (sink != nullptr) {
        sink->page(page);
      } else {
        pages.pages.push_back(std::move(page));
      }
    }
    laid_pages = {};
  };
  draw(front);
  draw(body);
  if (with_index) {
    // Laid out only now, so that its pages never wait beside the whole body's.
    std::vector<LaidPage> index_pages = setter.index(found);
    draw(index_pages);
  }
  pages.labels.push_back({0, pdf::LabelStyle::lower_roman, 1});
  pages.labels.push_back({result.front_pages, pdf::LabelStyle::decimal, 1});

  // Outline: contents, parts → topics → sections, index.
  pages.outline.push_back({"Contents", contents_anchor, 0, false});
  for (const model::Area& area : document.areas) {
    pages.outline.push_back(
        {"Part " + roman_numeral(area.number) + ": " + strip_backticks(area.title),
         part_anchor(area.id), 0, true});
    for (const model::Topic& topic : area.topics) {
      pages.outline.push_back({std::to_string(topic.number) + "  " + strip_backticks(topic.title),
                               model::topic_anchor(topic.id), 1, false});
      for (const model::Section& section : topic.sections) {
        pages.outline.push_back({std::to_string(topic.number) + "." +
                                     std::to_string(section.number) + "  " +
                                     strip_backticks(section.title),
                                 model::section_anchor(topic.id, section.id), 2, false});
      }
    }
  }
  if (with_index) {
    pages.outline.push_back({"Index", index_anchor, 0, false});
  }

  const model::Book& book = document.book;
  pages.metadata.title = book.title;
  pages.metadata.author = book.author;
  pages.metadata.subject = book.subtitle;
  pages.metadata.creator = "prepkit";
  pages.metadata.producer = "prepkit with libharu";
  const bool iso_date = book.date.size() == 10 && book.date[4] == '-' && book.date[7] == '-' &&
                        std::all_of(book.date.begin(), book.date.end(), [](char c) {
                          return c == '-' || std::isdigit(static_cast<unsigned char>(c)) != 0;
                        });
  if (iso_date) {
    pages.metadata.creation_date = book.date;
  }

  return result;
}

}  // namespace booklet
