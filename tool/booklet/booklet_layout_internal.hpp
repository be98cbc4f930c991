// Internal to the booklet_layout*.cpp files: the page setter that lays out each part of the
// booklet (front matter, body, contents, index) and draws its pages, one file per job.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "booklet/blocks.hpp"
#include "booklet/booklet_layout.hpp"
#include "typeset/vertical.hpp"

namespace booklet {

constexpr const char* contents_anchor = "contents";
constexpr const char* index_anchor = "index";

inline std::string part_anchor(const std::string& area_id) {
  return "part/" + area_id;
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

class BookletLayout {
 public:
  BookletLayout(Context& context) : m_context(context), m_blocks(context) {}

  // Parts and topics; fills `found` with the printed page of every anchor.
  std::vector<LaidPage> body(model::PageMap& found);
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
  // Running heads: plain sans with the code of a title (in backticks) in the mono.
  struct HeadRun {
    std::string_view text;
    Role role;
    double size;
  };
  std::vector<HeadRun> head_runs(std::string_view head, double size) const;
  double head_width(std::string_view head, double size) const;
  void draw_head(std::string_view head, double x, double baseline, double size,
                 pdf::Page& page) const;
  void place(VBox& box, std::string_view text, Role role, double size, const model::Color& color,
             double x, double baseline);

  void topic(const model::Area& area, const model::Topic& topic, VList& out);
  void section(const model::Topic& topic, const model::Section& section, VList& out);
  void key_points(const model::Topic& topic, VList& out);
  void pitfalls(const model::Topic& topic, VList& out);
  void questions(const model::Topic& topic, VList& out);
  VList part(const model::Area& area, const model::PageMap& pages);
  std::vector<LaidPage> part_opener(const model::Area& area);
  // A topic's vertical list, set apart from the others, and the background groups it used.
  struct SetTopic {
    VList list;
    int groups = 0;
  };
  // The pages of a part's topics (set in order), each starting a page or below the topic
  // before as the layout's topic_start says.
  std::vector<LaidPage> topic_pages(const model::Area& area, std::vector<SetTopic>& topics);
  // A box split across pages repeats `title` (already suffixed "(continued)") at the top of
  // the next page and ends the first part with `bottom`: applied to every break possible
  // in out.items()[from…].
  static void repeat_title_on_break(VList& out, std::size_t from, const std::vector<VBox>& title,
                                    const VBox& bottom);
  void heading(const std::string& number, const std::string& title, double size,
               const std::string& anchor, VList& out);

  std::vector<LaidPage> single_columns(VList list, PageKind first, PageKind rest,
                                       const std::string& verso, const std::string& recto);

  Context& m_context;
  BlockSetter m_blocks;
};

}  // namespace booklet
