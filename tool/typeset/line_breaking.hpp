// Paragraphs → lines: our own line breaker over styled runs (libharu's is ASCII-only and its
// word spacing does nothing with UTF-8 fonts). Knuth–Plass total fit, justified or ragged,
// with hyphenation and emergency breaks so that no line ever overflows its measure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/layout.hpp"
#include "pdf/text_measure.hpp"
#include "typeset/faces.hpp"

namespace text {
class Hyphenator;
}

namespace typeset {

// How a run of paragraph text looks and behaves.
struct TextStyle {
  Role role = Role::serif;
  double size = 10;
  model::Color color;
  // "" = no link; "#<anchor>" = a place in the book; anything else is an external URI.
  std::string link;
  bool code = false;      // inline code: breaks only after :: . , or before ( (marked with
                          // code_continuation_mark) and is never hyphenated
  bool hyphenate = true;  // false for headings, titles and other text set ragged on purpose
};

// Text drawn by one face: the content of a box.
struct Piece {
  std::string text;
  int face = 0;
  double size = 0;
  model::Color color;
  std::string link;
  double width = 0;
};

inline constexpr int infinite_penalty = 10000;

// Drawn, smaller, at the end of a line that breaks inside inline code ("Arc::↩").
inline constexpr char32_t code_continuation_mark = U'\u21A9';

// Knuth–Plass items. A glue is a break opportunity when a box precedes it; a penalty is
// one unless its value is infinite_penalty or more (≤ -infinite_penalty forces a break).
struct BreakItem {
  enum class Kind { box, glue, penalty };
  Kind kind = Kind::box;
  double width = 0;
  double stretch = 0;
  double shrink = 0;
  int penalty = 0;
  bool flagged = false;  // a hyphen break: counts toward consecutive hyphenated lines
  Piece piece;           // box: its text; penalty: drawn at the line end when broken here
};

struct PlacedPiece {
  double x = 0;  // from the start of the line
  Piece piece;
};

struct Line {
  std::vector<PlacedPiece> pieces;
  double width = 0;           // from the start of the first piece to the end of the last
  bool hyphenated = false;    // ends at a hyphen (added, or one the word already had)
  bool hyphen_added = false;  // the last piece is a hyphen or code_continuation_mark the
                              // breaker added
};

// Lines of placed pieces kept compactly (a paragraph's lines, a code block's rows): their
// text in one string and, per piece, its place, width and look. Laid-out pages point into
// it and draw the text only when the page is drawn: a whole book's pages stay small.
class SetLines {
 public:
  // How a piece looks; the pieces of a paragraph share a few.
  struct Look {
    int face = 0;
    double size = 0;
    model::Color color;
    std::string link;
  };
  struct Run {
    double x = 0;  // from the start of the line
    double width = 0;
    std::uint32_t text_end = 0;  // its text starts where the run before it ends
    std::uint32_t look = 0;
  };

  SetLines() = default;
  explicit SetLines(const std::vector<Line>& lines);

  // Adds a piece at `x` to the line being built; end_line() finishes that line. A
  // `joinable` piece that looks like the line's last run extends that run instead.
  void add(double x, const Piece& piece, bool joinable = false);
  void end_line() { m_line_ends.push_back(static_cast<std::uint32_t>(m_runs.size())); }
  // Frees the spare capacity left by adding: a whole book's lines stay until drawn.
  void shrink_to_fit();

  [[nodiscard]] std::size_t line_count() const { return m_line_ends.size(); }
  // The runs of `line` are first_run(line) … end_run(line) - 1.
  [[nodiscard]] std::size_t first_run(std::size_t line) const {
    return line == 0 ? 0 : m_line_ends[line - 1];
  }
  [[nodiscard]] std::size_t end_run(std::size_t line) const { return m_line_ends[line]; }
  [[nodiscard]] const Run& run(std::size_t i) const { return m_runs[i]; }
  [[nodiscard]] std::string_view text(std::size_t i) const {
    const std::uint32_t begin = i == 0 ? 0 : m_runs[i - 1].text_end;
    return std::string_view(m_text).substr(begin, m_runs[i].text_end - begin);
  }
  [[nodiscard]] const Look& look(std::size_t i) const { return m_looks[m_runs[i].look]; }

 private:
  std::string m_text;
  std::vector<Look> m_looks;
  std::vector<Run> m_runs;
  std::vector<std::uint32_t> m_line_ends;  // one past the last run of each line
};

struct BreakParams {
  double width = 0;     // the measure in points
  bool justify = true;  // false: ragged right (spaces keep their natural width)
  int max_consecutive_hyphens = 2;
  double ragged_stretch = 20;  // ragged right: how much white at the line end is normal
};

// Chooses breaks that minimise total demerits. Tries strict, then looser tolerances, then
// an emergency pass that accepts any breaks (only there may more than
// max_consecutive_hyphens lines in a row end hyphenated); lines can only be wider than the
// measure when a single character is.
std::vector<Line> break_lines(std::vector<BreakItem> items, const BreakParams& params);
// The same lines, kept compactly (without the Line vectors in between).
SetLines set_lines(std::vector<BreakItem> items, const BreakParams& params);

// Turns styled text into break items: words (split by font fallback), spaces, hyphenation
// points, break points inside code, and per-character emergency points in words wider
// than the measure.
class ParagraphBuilder {
 public:
  // `hyphenator` may be null (no hyphenation).
  ParagraphBuilder(const FaceTable& faces, const pdf::TextMeasure& measure,
                   const text::Hyphenator* hyphenator, const BreakParams& params);

  void add_text(std::string_view text, const TextStyle& style);
  void add_line_break(const TextStyle& style);
  [[nodiscard]] bool empty() const { return m_items.empty() && m_word.empty(); }
  // Items of the whole paragraph, ending with the finishing glue and forced break.
  std::vector<BreakItem> finish();

 private:
  struct Segment {
    std::string text;
    TextStyle style;
  };
  struct BreakPoint {
    std::size_t position = 0;  // byte offset in the word
    int penalty = infinite_penalty;
    bool flagged = false;
    bool hyphen = false;        // draw a hyphen when broken there
    bool continuation = false;  // draw code_continuation_mark when broken there
  };
  struct Chunk {
    std::string_view text;
    const TextStyle* style = nullptr;
    int penalty = infinite_penalty;  // break after the chunk, if < infinite_penalty
    bool flagged = false;
    bool hyphen = false;        // draw a hyphen when broken there
    bool continuation = false;  // draw code_continuation_mark when broken there
  };

  void flush_word();
  void add_space(const TextStyle& style, bool breakable);
  // Splits `chunk` into runs of one face (m_runs) and returns its width.
  double measure_runs(const Chunk& chunk);
  // Boxes of the runs measure_runs found for `chunk`, then the break after it.
  void add_boxes(const Chunk& chunk);
  // Adds to the width of the word's last box (from `word_start` on) the kerning between it
  // and the first run measure_runs found.
  void kern_with_box_before(std::size_t word_start);
  // Adds a break point; an existing one at the same place stays unless `replace`.
  void add_point(const BreakPoint& point, bool replace = false);
  // `path`: a path or URL, which breaks only after "/"; `mark`: breaks show
  // code_continuation_mark (not in URLs, which are not code).
  void add_code_breaks(std::string_view text, std::size_t offset, bool path, bool mark);
  // Fills `piece` (of an item just added) in place.
  static void set_piece(Piece& piece, std::string_view text, int face, const TextStyle& style,
                        double width);

  const FaceTable& m_faces;
  const pdf::TextMeasure& m_measure;
  const text::Hyphenator* m_hyphenator;
  BreakParams m_params;
  std::vector<Segment> m_word;
  std::vector<BreakItem> m_items;
  // Scratch space of flush_word, kept between words to save allocations.
  std::string m_all;
  std::vector<std::size_t> m_starts;
  std::vector<BreakPoint> m_points;  // sorted by position
  std::vector<Chunk> m_chunks;
  struct FaceRun {
    int face = 0;
    std::string_view text;
    double width = 0;
  };
  std::vector<FaceRun> m_runs;
  struct SpaceWidth {
    Role role = Role::serif;
    double size = -1;  // none measured yet
    double width = 0;
  };
  SpaceWidth m_space;  // of the last space added: most spaces are in one style
};

// Convenience: one styled run → lines.
std::vector<Line> set_text(const FaceTable& faces, const pdf::TextMeasure& measure,
                           const text::Hyphenator* hyphenator, const BreakParams& params,
                           std::string_view text, const TextStyle& style);

}  // namespace typeset
