#include "print/flashcards.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "pdf/pdf_writer.hpp"
#include "print/sheet.hpp"
#include "text/highlight_code.hpp"
#include "util/utf8.hpp"

namespace print {
namespace {

using typeset::Role;

constexpr double mm = 72.0 / 25.4;
constexpr double card_width = 88 * mm;
constexpr double card_height = 58 * mm;
constexpr double gutter = 5 * mm;
// Duplex printers misregister by 1-3 mm: content keeps 4 mm inside every cut line.
constexpr double inset = 4 * mm;
constexpr double label_size = 6.0;
constexpr double label_height = 9.0;  // label line plus its gap to the content
constexpr double size_step = 0.25;
constexpr double code_scale = 0.88;    // code size relative to the body size
constexpr double mark_gap = 1.5 * mm;  // cut marks start this far outside the grid
constexpr double mark_length = 4 * mm;
// Below the cut marks even on Letter, whose margin under the grid is the smaller (16 mm),
// and above the 5 mm most printers cannot reach.
constexpr double footer_baseline = 6 * mm;
const std::string ellipsis = "\u2026";

// A styled piece of source text.
struct Span {
  Role role = Role::serif;
  model::Color color;
  std::string text;
};

// A paragraph of flowing text, or one line of code (never reflowed at word boundaries).
struct Chunk {
  bool code = false;
  bool gap_before = false;  // paragraph spacing
  int indent = 0;           // list / quote nesting
  std::string prefix;       // "• " or "3. " on the first line of a list item
  std::vector<Span> spans;
};

struct Piece {
  int face = 0;
  double x = 0;
  double size = 0;
  model::Color color;
  std::string text;
};

struct Line {
  std::vector<Piece> pieces;
  double height = 0;
  double gap_before = 0;
};

struct Laid {
  std::vector<Line> lines;
  double height = 0;
  bool broken = false;  // a code line wrapped, or a word broken inside
};

enum class Side { front, back };

// Body → chunks, with cloze deletions blanked (front) or filled and emphasised (back).
class ChunkBuilder {
 public:
  ChunkBuilder(const model::Layout& layout, Side side) : m_layout(layout), m_side(side) {}

  void body(const model::Body& blocks, int indent) {
    for (const model::Block& block : blocks) {
      std::visit([&](const auto& node) { this->block(node, indent); }, block.node);
    }
  }

  std::vector<Chunk> take() { return std::move(m_chunks); }

 private:
  void block(const model::Paragraph& paragraph, int indent) { inlines(paragraph.inlines, indent); }

  void block(const model::CodeBlock& code, int indent) {
    const bool highlighted = text::can_highlight(code.language);
    std::string source;
    for (std::size_t i = 0; i < code.lines.size(); ++i) {
      source += (i > 0 ? "\n" : "") + code.lines[i];
    }
    bool first = true;
    for (const text::TokenLine& line : text::highlight_code(code.language, source)) {
      Chunk chunk = start(indent);
      chunk.code = true;
      chunk.gap_before = first;
      first = false;
      for (const text::Token& token : line) {
        const model::TokenStyle& look = m_layout.colors.tokens[static_cast<std::size_t>(
            highlighted ? token.tag : model::HighlightTag::plain)];
        chunk.spans.push_back({typeset::mono_role(look.bold, look.italic), look.color, token.text});
      }
      m_chunks.push_back(std::move(chunk));
    }
  }

  void block(const model::List& list, int indent) {
    int number = list.start;
    for (const model::ListItem& item : list.items) {
      const std::size_t first = m_chunks.size();
      body(item.blocks, indent + 1);
      if (first < m_chunks.size()) {
        m_chunks[first].prefix = list.ordered ? std::to_string(number) + ". " : "\u2022 ";
        if (list.tight && number != list.start) {
          m_chunks[first].gap_before = false;
        }
      }
      ++number;
    }
  }

  void block(const model::OutputBlock& output, int indent) {
    bool first = true;
    for (const std::string& text : output.lines) {
      Chunk chunk = start(indent);
      chunk.code = true;
      chunk.gap_before = first;
      first = false;
      chunk.spans.push_back({Role::mono, m_layout.colors.muted, text});
      m_chunks.push_back(std::move(chunk));
    }
  }

  void block(const model::Image& image, int indent) {
    Chunk chunk = start(indent);
    chunk.spans.push_back(
        {Role::serif_italic, m_layout.colors.muted, "[image: " + image.alt + "]"});
    m_chunks.push_back(std::move(chunk));
  }

  void block(const model::Quote& quote, int indent) { body(quote.blocks, indent + 1); }

  Chunk start(int indent) const {
    Chunk chunk;
    chunk.gap_before = !m_chunks.empty();
    chunk.indent = indent;
    return chunk;
  }

  void inlines(const model::Inlines& runs, int indent) {
    Chunk chunk = start(indent);
    int open_cloze = 0;  // the deletion whose blank is already printed
    for (const model::Inline& run : runs) {
      if (run.kind == model::Inline::Kind::line_break) {
        m_chunks.push_back(std::move(chunk));
        chunk = start(indent);
        chunk.gap_before = false;
        open_cloze = 0;
        continue;
      }
      const std::string text = run.kind == model::Inline::Kind::soft_break ? " " : run.text;
      Role role = typeset::role_for_style(run.style);
      model::Color color = m_layout.colors.text;
      if (run.cloze > 0 && m_side == Side::front) {
        if (open_cloze != run.cloze) {
          chunk.spans.push_back({Role::sans_bold, m_layout.colors.accent,
                                 "[" + (run.cloze_hint.empty() ? ellipsis : run.cloze_hint) + "]"});
        }
        open_cloze = run.cloze;
        continue;
      }
      open_cloze = 0;
      if (run.cloze > 0) {
        role = typeset::bold_of(role);
        color = m_layout.colors.accent;
      }
      chunk.spans.push_back({role, color, text});
    }
    m_chunks.push_back(std::move(chunk));
  }

  const model::Layout& m_layout;
  Side m_side;
  std::vector<Chunk> m_chunks;
};

// Greedy line filling of chunks into a given width at a given body size.
class Flow {
 public:
  Flow(const typeset::FaceTable& faces, const pdf::TextMeasure& measure, double min_size)
      : m_faces(faces), m_measure(measure), m_min_size(min_size) {}

  // Stops once the lines are taller than `stop_after`: the card cannot hold them anyway,
  // and a field may be a megabyte long.
  Laid lay_out(const std::vector<Chunk>& chunks, double size, double width,
               double stop_after) const {
    Filler filler;
    filler.width = width;
    filler.stop_after = stop_after;
    for (const Chunk& chunk : chunks) {
      if (filler.full) {
        break;
      }
      // Code is set smaller than the text around it, but never below the smallest size.
      const double chunk_size = chunk.code ? std::max(size * code_scale, m_min_size) : size;
      filler.start_chunk(chunk.code ? chunk_size * 1.22 : chunk_size * 1.28,
                         chunk.gap_before ? size * 0.45 : 0, chunk.indent * size * 1.1);
      if (!chunk.prefix.empty()) {
        // Hanging indent: continuation lines start where the item's text starts.
        filler.x = place(filler.line, Span{Role::serif, model::Color{0.1, 0.1, 0.1}, chunk.prefix},
                         filler.x, chunk_size);
        filler.continuation = filler.x;
      }
      if (chunk.code) {
        code_line(chunk, chunk_size, filler);
      } else {
        for (const Word& word : words(chunk)) {
          prose_word(word, chunk_size, filler);
        }
      }
      filler.laid.lines.push_back(std::move(filler.line));
    }
    Laid laid = std::move(filler.laid);
    for (const Line& line : laid.lines) {
      laid.height += line.gap_before + line.height;
    }
    return laid;
  }

 private:
  // Pieces of text between spaces; a word may change style ("`&T`.)").
  struct Word {
    std::vector<Span> parts;
    bool space_before = false;
  };

  // The line being filled and the lines so far.
  struct Filler {
    double width = 0;
    double stop_after = 0;
    Laid laid;
    Line line;
    double x = 0;
    double continuation = 0;
    double height = 0;
    bool full = false;

    void start_chunk(double line_height, double gap_before, double indent) {
      line = Line{};
      line.height = line_height;
      line.gap_before = gap_before;
      x = indent;
      continuation = indent;
    }
    void new_line() {
      const double line_height = line.height;
      height += line.gap_before + line.height;
      full = height > stop_after;
      laid.lines.push_back(std::move(line));
      line = Line{};
      line.height = line_height;
      x = continuation;
    }
    [[nodiscard]] bool overflows(double w) const { return x + w > width + 0.01; }
  };

  static std::vector<Word> words(const Chunk& chunk) {
    std::vector<Word> out;
    bool space = false;
    for (const Span& span : chunk.spans) {
      for (std::size_t pos = 0; pos < span.text.size();) {
        if (span.text[pos] == ' ') {
          space = true;
          ++pos;
          continue;
        }
        const std::size_t end = std::min(span.text.find(' ', pos), span.text.size());
        if (out.empty() || space) {
          out.push_back({{}, space && !out.empty()});
        }
        out.back().parts.push_back({span.role, span.color, span.text.substr(pos, end - pos)});
        space = false;
        pos = end;
      }
    }
    return out;
  }

  void prose_word(const Word& word, double size, Filler& filler) const {
    const double space = word.space_before ? width_of(Role::serif, " ", size) : 0;
    double w = 0;
    for (const Span& part : word.parts) {
      w += width_of(part.role, part.text, size);
    }
    if (filler.overflows(space + w) && filler.x > filler.continuation) {
      filler.new_line();
    } else if (filler.x > filler.continuation) {
      filler.x += space;
    }
    if (!filler.overflows(w)) {
      for (const Span& part : word.parts) {
        filler.x = place(filler.line, part, filler.x, size);
      }
      return;
    }
    // A word wider than the card: broken by character, a last resort.
    filler.laid.broken = true;
    for (const Span& part : word.parts) {
      place_characters(part, size, filler, [&] { filler.new_line(); });
    }
  }

  // `span` placed character by character, calling `wrap` before a character that would
  // overflow the line (not the line's first).
  template <typename Wrap>
  void place_characters(const Span& span, double size, Filler& filler, Wrap&& wrap) const {
    for (const std::string& character : characters(span.text)) {
      if (filler.full) {
        return;
      }
      if (filler.overflows(width_of(span.role, character, size)) &&
          filler.x > filler.continuation) {
        wrap();
      }
      filler.x = place(filler.line, Span{span.role, span.color, character}, filler.x, size);
    }
  }

  // One code line, its spaces kept. A line too wide for the card continues on the next
  // after a space or , ; ( where there is one, marked with ↪ as in the booklet.
  void code_line(const Chunk& chunk, double size, Filler& filler) const {
    const Span mark{Role::mono, model::Color{0.55, 0.55, 0.55}, "\u21AA "};
    // Continued lines keep the line's indentation.
    std::size_t indentation = 0;
    for (const Span& span : chunk.spans) {
      const std::size_t spaces = span.text.find_first_not_of(' ');
      indentation += std::min(spaces, span.text.size());
      if (spaces != std::string::npos) {
        break;
      }
    }
    filler.continuation += width_of(Role::mono, std::string(indentation, ' '), size);
    const auto wrap = [&] {
      filler.laid.broken = true;
      std::vector<Piece> carried = carry_after_break(filler.line.pieces);
      filler.new_line();
      filler.x = place(filler.line, mark, filler.x, size);
      const double shift = carried.empty() ? 0 : filler.x - carried.front().x;
      for (Piece& piece : carried) {
        piece.x += shift;
        filler.x = piece.x + m_measure.width(piece.face, piece.text, piece.size);
        filler.line.pieces.push_back(std::move(piece));
      }
    };
    for (const Span& span : chunk.spans) {
      place_characters(span, size, filler, wrap);
    }
  }

  // The pieces after the line's last break point (a space, or , ; and ( ), taken off the
  // line; none when there is no break point past the first quarter of its code (after its
  // indentation and mark).
  static std::vector<Piece> carry_after_break(std::vector<Piece>& pieces) {
    std::size_t first = 0;
    while (first < pieces.size() &&
           (pieces[first].text.find_first_not_of(' ') == std::string::npos ||
            pieces[first].text.rfind("\u21AA", 0) == 0)) {
      ++first;
    }
    for (std::size_t i = pieces.size(); i-- > first + (pieces.size() - first) / 4 + 1;) {
      const std::string& text = pieces[i - 1].text;
      if (text == " " || text == "," || text == ";" || text == "(") {
        std::vector<Piece> carried(std::make_move_iterator(pieces.begin() + i),
                                   std::make_move_iterator(pieces.end()));
        pieces.erase(pieces.begin() + i, pieces.end());
        return carried;
      }
    }
    return {};
  }

 public:
  [[nodiscard]] double width_of(Role role, std::string_view text, double size) const {
    double total = 0;
    for (const auto& [face, piece] : typeset::split_by_face(m_faces, role, text)) {
      total += m_measure.width(face, piece, size);
    }
    return total;
  }

  double place(Line& line, const Span& span, double x, double size) const {
    for (auto& [face, piece] : typeset::split_by_face(m_faces, span.role, span.text)) {
      const double w = m_measure.width(face, piece, size);
      line.pieces.push_back({face, x, size, span.color, std::move(piece)});
      x += w;
    }
    return x;
  }

 private:
  static std::vector<std::string> characters(std::string_view text) {
    std::vector<std::string> out;
    for (std::size_t pos = 0; pos < text.size();) {
      const std::size_t start = pos;
      util::decode_utf8(text, pos);
      out.emplace_back(text.substr(start, pos - start));
    }
    return out;
  }

  const typeset::FaceTable& m_faces;
  const pdf::TextMeasure& m_measure;
  double m_min_size = 0;
};

struct Fitted {
  Laid laid;
  double size = 0;
  bool fits = true;
};

// Body sizes at which a face is tried before one of its code lines may wrap: below them, code
// would be too small to read, so it wraps (↪) instead.
constexpr double smallest_unbroken_size = 9.0;

// The largest of the preferred sizes, else of the sizes below them down to min, at which the
// face fits with nothing broken (down to smallest_unbroken_size); else the largest from
// there down at which it fits with code wrapped; else min size cut off after the last whole
// line with "…".
Fitted fit(const Flow& flow, const std::vector<Chunk>& chunks, double width, double height,
           const FlashcardOptions& options) {
  std::vector<double> sizes = options.sizes;
  const double below = sizes.empty() ? options.min_size + size_step : sizes.back();
  for (double size = below - size_step; size >= options.min_size - 1e-9; size -= size_step) {
    sizes.push_back(size);
  }
  for (const bool allow_breaks : {false, true}) {
    for (const double size : sizes) {
      if (!allow_breaks && size < smallest_unbroken_size) {
        break;
      }
      if (allow_breaks && size > std::max(smallest_unbroken_size, options.min_size)) {
        continue;  // larger, it would only wrap more
      }
      Laid laid = flow.lay_out(chunks, size, width, height);
      if (laid.height <= height && (allow_breaks || !laid.broken)) {
        return {std::move(laid), size, true};
      }
    }
  }
  Laid laid = flow.lay_out(chunks, options.min_size, width, height);
  Laid cut;
  for (Line& line : laid.lines) {
    if (cut.height + line.gap_before + line.height > height) {
      break;
    }
    cut.height += line.gap_before + line.height;
    cut.lines.push_back(std::move(line));
  }
  Line more;
  more.height = options.min_size * 1.28;
  more.pieces.push_back({0, 0, options.min_size, model::Color{0.4, 0.4, 0.4}, ellipsis});
  while (!cut.lines.empty() && cut.height + more.height > height) {
    cut.height -= cut.lines.back().gap_before + cut.lines.back().height;
    cut.lines.pop_back();
  }
  cut.height += more.height;
  cut.lines.push_back(std::move(more));
  return {std::move(cut), options.min_size, false};
}

struct PaperCard {
  const model::Topic* topic = nullptr;
  const model::Card* card = nullptr;
  std::vector<Chunk> front;
  std::vector<Chunk> back;
};

PaperCard paper_card(const model::Topic& topic, const model::Card& card,
                     const model::Layout& layout) {
  PaperCard paper{&topic, &card, {}, {}};
  ChunkBuilder front(layout, Side::front);
  ChunkBuilder back(layout, Side::back);
  switch (card.kind) {
    case model::CardKind::basic:
      front.body(card.front, 0);
      back.body(card.back, 0);
      break;
    case model::CardKind::code:
      front.body(card.front, 0);
      if (card.code) {
        front.body(model::Body{model::Block{*card.code, card.code->where}}, 0);
      }
      back.body(card.back, 0);
      break;
    case model::CardKind::cloze:
      front.body(card.text, 0);
      back.body(card.text, 0);
      back.body(card.extra, 0);
      break;
  }
  paper.front = front.take();
  paper.back = back.take();
  return paper;
}

struct Grid {
  SheetSize sheet;
  double left = 0;    // x of the grid's left edge
  double bottom = 0;  // y of the grid's bottom edge
  double width = 0;
  double height = 0;
};

Grid grid_for(const SheetSize& sheet) {
  Grid grid{sheet};
  grid.width = card_columns * card_width + (card_columns - 1) * gutter;
  grid.height = card_rows * card_height + (card_rows - 1) * gutter;
  grid.left = (sheet.width - grid.width) / 2;
  grid.bottom = (sheet.height - grid.height) / 2;
  return grid;
}

// Bottom-left corner of the card cell; row 0 is the top row.
std::pair<double, double> cell_origin(const Grid& grid, CardSlot slot) {
  return {grid.left + slot.column * (card_width + gutter),
          grid.bottom + grid.height - card_height - slot.row * (card_height + gutter)};
}

void add_cut_marks(pdf::Page& page, const Grid& grid) {
  const model::Color grey{0.45, 0.45, 0.45};
  const double top = grid.bottom + grid.height;
  const double right = grid.left + grid.width;
  for (int c = 0; c < card_columns; ++c) {
    for (double x : {grid.left + c * (card_width + gutter),
                     grid.left + c * (card_width + gutter) + card_width}) {
      page.items.emplace_back(
          pdf::Rule{x, top + mark_gap, x, top + mark_gap + mark_length, 0.3, grey});
      page.items.emplace_back(
          pdf::Rule{x, grid.bottom - mark_gap, x, grid.bottom - mark_gap - mark_length, 0.3, grey});
    }
  }
  for (int r = 0; r < card_rows; ++r) {
    const double upper = top - r * (card_height + gutter);
    for (double y : {upper, upper - card_height}) {
      page.items.emplace_back(
          pdf::Rule{grid.left - mark_gap, y, grid.left - mark_gap - mark_length, y, 0.3, grey});
      page.items.emplace_back(
          pdf::Rule{right + mark_gap, y, right + mark_gap + mark_length, y, 0.3, grey});
    }
  }
}

}  // namespace

CardSlot card_slot(int index, bool back) {
  const int row = index / card_columns;
  const int column = index % card_columns;
  return {row, back ? card_columns - 1 - column : column};
}

FlashcardResult make_flashcards(const model::Document& document, const model::Layout& layout,
                                const typeset::FaceTable& faces, const pdf::TextMeasure& measure,
                                const FlashcardOptions& options) {
  const Grid grid = grid_for(portrait_sheet(options.sheet, "lay out flashcards"));
  const Flow flow(faces, measure, options.min_size);
  FlashcardResult result;
  result.pages.fonts = faces.fonts;
  result.pages.metadata.title = document.book.title + " \u2014 flashcards";
  result.pages.metadata.author = document.book.author;
  result.pages.metadata.creator = "prepkit";

  std::vector<PaperCard> cards;
  for (const model::Area& area : document.areas) {
    for (const model::Topic& topic : area.topics) {
      for (const model::Card& card : topic.cards) {
        cards.push_back(paper_card(topic, card, layout));
      }
    }
  }
  const int count = static_cast<int>(cards.size());
  result.sheet_count = (count + cards_per_sheet - 1) / cards_per_sheet;

  const double content_width = card_width - 2 * inset;
  const double content_height = card_height - 2 * inset - label_height;
  const int label_face = faces.primary(Role::sans);
  const int label_bold = faces.primary(Role::sans_bold);

  for (int sheet = 0; sheet < result.sheet_count; ++sheet) {
    pdf::Page front_page{grid.sheet.width, grid.sheet.height, {}, {}, {}};
    pdf::Page back_page = front_page;
    add_cut_marks(front_page, grid);
    for (int i = 0; i < cards_per_sheet; ++i) {
      const int index = sheet * cards_per_sheet + i;
      if (index >= count) {
        break;
      }
      const PaperCard& card = cards[static_cast<std::size_t>(index)];
      CardFit card_fit;
      card_fit.id = card.topic->id + "/" + card.card->id;
      for (const Side side : {Side::front, Side::back}) {
        const bool back = side == Side::back;
        const std::vector<Chunk>& chunks = back ? card.back : card.front;
        const Fitted fitted = fit(flow, chunks, content_width, content_height, options);
        (back ? card_fit.back_size : card_fit.front_size) = fitted.size;
        if (!fitted.fits) {
          card_fit.fits = false;
          result.diagnostics.warning(card.card->where,
                                     std::string("flashcard ") + card_fit.id +
                                         " does not fit on its card (" + (back ? "back" : "front") +
                                         "): the printed text is cut off",
                                     "shorten the card or split it into two cards");
        }
        pdf::Page& page = back ? back_page : front_page;
        const auto [x0, y0] = cell_origin(grid, card_slot(i, back));
        const double top = y0 + card_height - inset;
        std::string label =
            std::to_string(card.topic->number) + "  " + model::plain_title(card.topic->title);
        page.items.emplace_back(
            pdf::TextRun{x0 + inset, top - label_size, back ? label_bold : label_face, label_size,
                         layout.colors.muted, back ? label + "  \u00b7  answer" : label});
        double cursor = top - label_height;
        if (!back) {
          cursor -= (content_height - fitted.laid.height) / 2;  // questions sit centred
        }
        for (const Line& line : fitted.laid.lines) {
          cursor -= line.gap_before;
          const double baseline = cursor - line.height * 0.78;
          for (const Piece& piece : line.pieces) {
            page.items.emplace_back(pdf::TextRun{x0 + inset + piece.x, baseline, piece.face,
                                                 piece.size, piece.color, piece.text});
          }
          cursor -= line.height;
        }
      }
      result.fits.push_back(std::move(card_fit));
    }
    const std::string position =
        "sheet " + std::to_string(sheet + 1) + " of " + std::to_string(result.sheet_count);
    const std::string footers[] = {
        "Print at 100 %, duplex, flip on long edge  \u00b7  " + position + ", fronts",
        position + ", backs (answers)"};
    for (int k = 0; k < 2; ++k) {
      pdf::Page& page = k == 0 ? front_page : back_page;
      const double w = flow.width_of(Role::sans, footers[k], 7.0);
      double x = (grid.sheet.width - w) / 2;
      for (auto& [face, piece] : typeset::split_by_face(faces, Role::sans, footers[k])) {
        const double pw = measure.width(face, piece, 7.0);
        page.items.emplace_back(
            pdf::TextRun{x, footer_baseline, face, 7.0, layout.colors.muted, std::move(piece)});
        x += pw;
      }
    }
    result.pages.pages.push_back(std::move(front_page));
    result.pages.pages.push_back(std::move(back_page));
  }
  return result;
}

util::OutputFile flashcards_file(const model::Document& document, const model::Layout& layout,
                                 const typeset::FaceTable& faces) {
  pdf::PdfWriter writer(faces.fonts);
  FlashcardOptions options;
  options.sheet = layout.products.sheet;
  FlashcardResult cards = make_flashcards(document, layout, faces, writer.measure(), options);
  std::string summary = std::to_string(cards.sheet_count) +
                        (cards.sheet_count == 1 ? " sheet (" : " sheets (") +
                        std::to_string(cards.fits.size()) + " cards, duplex, flip on long edge)";
  std::vector<std::string> cut;
  for (const CardFit& fit : cards.fits) {
    if (!fit.fits) {
      cut.push_back(fit.id);
    }
  }
  if (!cut.empty()) {
    summary += "; cut off, too long for a card:";
    for (const std::string& id : cut) {
      summary += " " + id;
    }
  }
  return {document.book.slug + "-cards.pdf", writer.write(cards.pages), summary};
}

}  // namespace print
