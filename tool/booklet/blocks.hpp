// Markdown blocks → vertical material: paragraphs (with cross references and links), lists,
// block quotes, code and output blocks, images. Shared by every part of the booklet.
#pragma once

#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "booklet/code_reformat.hpp"
#include "booklet/set_cache.hpp"
#include "model/document.hpp"
#include "model/layout.hpp"
#include "model/page_map.hpp"
#include "pdf/text_measure.hpp"
#include "typeset/faces.hpp"
#include "typeset/line_breaking.hpp"
#include "typeset/vertical.hpp"

namespace text {
class Hyphenator;
}

namespace booklet {

// The typesetting pieces every part of the booklet is built from.
using typeset::Background;
using typeset::BreakItem;
using typeset::BreakParams;
using typeset::Column;
using typeset::FaceTable;
using typeset::Line;
using typeset::mono_role;
using typeset::never_break;
using typeset::paginate;
using typeset::ParagraphBuilder;
using typeset::Piece;
using typeset::PlacedBox;
using typeset::PlacedPiece;
using typeset::render_column;
using typeset::Role;
using typeset::role_count;
using typeset::role_for_style;
using typeset::SetLines;
using typeset::split_by_face;
using typeset::TextStyle;
using typeset::VBox;
using typeset::VItem;
using typeset::VList;
using typeset::VPenalty;

// Everything layout needs besides the document: fonts, measures, and the page numbers the
// previous pass produced (cross references print them).
struct Context {
  const model::Document& document;
  const model::Layout& layout;
  const FaceTable& faces;
  const pdf::TextMeasure& measure;
  const text::Hyphenator* hyphenator;    // null: no hyphenation
  const model::PageMap& page_guess;      // anchor → page number from the previous pass
  const std::set<std::string>& anchors;  // every topic/section anchor of the document
  int next_group = 1;  // background groups: each part and topic is set with its own context
  std::shared_ptr<SetCache> set_cache = std::make_shared<SetCache>();
  // A pass that only finds the page of every anchor: boxes keep their heights but get no
  // text, links or backgrounds (the first layout pass, whose pages are never drawn).
  bool sizing_only = false;
  // Whether paragraphs and code set are stored in set_cache for a later pass (every pass
  // of the body); otherwise what the cache holds is taken out, so it empties as pages fill.
  bool keep_set_text = true;
  // Rust code too wide for its column is reformatted by it (shared by every pass and
  // thread); null: code is set as written.
  CodeReformatter* code_reformatter = nullptr;

  [[nodiscard]] double line_height(double size) const { return size * layout.sizes.leading; }
  // Depth of the baseline below the top of a line box: centres the x-height band.
  [[nodiscard]] static double baseline(double line_height, double size) {
    return line_height / 2 + 0.3 * size;
  }
  [[nodiscard]] double block_width() const {
    return layout.page_width - layout.margin_inner - layout.margin_outer;
  }
  [[nodiscard]] double block_height() const {
    return layout.page_height - layout.margin_top - layout.margin_bottom;
  }
  [[nodiscard]] double para_gap() const { return 0.45 * line_height(layout.sizes.body); }
};

// The horizontal frame blocks are set in, and the text defaults inside it.
struct Frame {
  double x = 0;  // left edge, from the text block's left edge
  double width = 0;
  double size = 10;
  Role role = Role::serif;  // prose role before inline styles apply
  unsigned style = 0;       // model::InlineStyle flags added to every run (bold questions)
  model::Color color;
  bool justify = true;
  std::vector<Background> backgrounds;  // of enclosing boxes
  int list_depth = 0;
  double block_gap = -1;  // space between blocks; < 0 = the paragraph gap
};

// Inline code is set smaller than the prose around it so that the x-heights match
// (monospaced faces have large x-heights).
inline constexpr double inline_code_scale = 0.92;

// A title without the backticks that quote code in it (running heads, PDF outline).
std::string strip_backticks(std::string_view title);
// `title` with straight quotes curled outside its code spans: "`String`'s" → "`String`’s".
std::string smart_quotes(std::string_view title);

// Text of a cross reference's page: ", p. 23" (no-break space before the number).
std::string page_reference(int page);
// Anchor named by a Markdown link target "#topic" or "#topic/section"; "" if not one.
std::string anchor_of_link(const std::string& link);

class BlockSetter {
 public:
  explicit BlockSetter(Context& context) : m_context(context) {}

  // The full text block at body size, justified as the layout says.
  [[nodiscard]] Frame body_frame() const;

  // A whole Markdown body: blocks separated by paragraph gaps and break opportunities.
  void body(const model::Body& body, const Frame& frame, VList& out);
  void block(const model::Block& block, const Frame& frame, VList& out);

  // One paragraph as line boxes (no penalties between them yet).
  std::vector<VBox> paragraph_lines(const model::Inlines& inlines, const Frame& frame);
  // Plain text in one style as ragged line boxes, each centred on the measure from `x`
  // (captions).
  std::vector<VBox> centred_lines(std::string_view text, const TextStyle& style, double x,
                                  double width, double line_height,
                                  const std::vector<Background>& backgrounds);
  // Plain-text titles may quote code in backticks ("The `?` operator"): adds `title` to
  // `builder` with the quoted parts in the code face.
  static void add_title(ParagraphBuilder& builder, std::string_view title, const TextStyle& style);
  // A title set ragged as line boxes (backticks as in add_title).
  std::vector<VBox> title_lines(std::string_view title, const TextStyle& style, double x,
                                double width, double line_height);

  // Adds paragraph lines with widow/orphan control: a break needs ≥ 2 lines on each side.
  static void add_lines(VList& out, std::vector<VBox> lines, int inner_cost = 0);

  // One line of placed pieces as a box: links become link rectangles.
  VBox line_box(const Line& line, double x, double line_height, double size,
                const std::vector<Background>& backgrounds) const;

  void code_block(const model::CodeBlock& code, const Frame& frame, VList& out);
  void output_block(const model::OutputBlock& output, const Frame& frame, VList& out);
  void list(const model::List& list, const Frame& frame, VList& out);
  void quote(const model::Quote& quote, const Frame& frame, VList& out);
  void image(const model::Image& image, const Frame& frame, VList& out);

  int new_group() { return m_context.next_group++; }
  [[nodiscard]] Context& context() { return m_context; }

 private:
  // Everything the lines of a paragraph depend on besides the context's fixed parts (layout,
  // faces, anchors): the frame's text settings, the runs, the pages cross references print.
  [[nodiscard]] std::string paragraph_key(const model::Inlines& inlines, const Frame& frame) const;
  SetLines break_paragraph(const model::Inlines& inlines, const Frame& frame) const;
  // Lines of tokens (tag per token) → rows no wider than `width`, wrapped with a ↪.
  std::vector<CodeRow> code_rows(const std::vector<std::vector<std::pair<int, std::string>>>& lines,
                                 double width, double size);
  void add_code_rows(const SetCache::CodeRows& rows, const Frame& frame, VList& out,
                     const Background& background, double pad_x, double pad_y,
                     const std::string& label, const model::Color& label_color);

  Context& m_context;
};

}  // namespace booklet
