#include "typeset/line_breaking.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "text/hyphenate.hpp"
#include "util/utf8.hpp"

namespace typeset {
namespace {

// Knuth–Plass constants, as in TeX (plain.tex) unless noted.
constexpr double fill_stretch = 1e6;  // the paragraph's final glue: "0pt plus 1fil"
constexpr double line_penalty = 10;
constexpr double double_hyphen_demerits = 10000;
constexpr double final_hyphen_demerits = 5000;
constexpr double adjacent_demerits = 10000;  // a tight line next to a very loose one
constexpr double infinite_badness = 10000;
constexpr double overflow_demerits = 1e8;          // per point over the measure (emergency pass)
constexpr double too_many_hyphens_demerits = 1e7;  // emergency pass only

constexpr int justified_hyphen_penalty = 50;
constexpr int ragged_hyphen_penalty = 200;  // ragged text needs hyphens less
constexpr int explicit_hyphen_penalty = 50;
constexpr int dash_penalty = 50;
// Breaking inside a code token is a last resort before loose lines: a line ending "Arc::"
// costs about as much as one with spaces near the largest stretch accepted.
constexpr int code_break_penalty = 600;      // after :: . , (and / in paths), before (
constexpr int code_space_penalty = 50;       // a space inside inline code
constexpr int emergency_char_penalty = 900;  // inside a token wider than the measure
constexpr int lone_dash_penalty = 5000;      // a line starting with a spaced dash
// Breaks with a penalty this high are taken only by the emergency pass.
constexpr int last_resort_penalty = lone_dash_penalty;

// Justified spaces stretch by half their width per unit of ratio: a ratio of 2 makes them
// twice their natural width, the widest a justified line may have them.
constexpr double max_justified_ratio = 2;

constexpr char soft_hyphen_marker = '\x01';
constexpr char zero_width_break_marker = '\x02';

struct Totals {
  double width = 0;
  double stretch = 0;
  double shrink = 0;
};

struct Node {
  long position = -1;  // index of the break item; -1 = paragraph start
  int fitness = 1;
  int hyphens = 0;  // consecutive hyphenated lines ending here
  bool flagged = false;
  double demerits = 0;
  int previous = -1;      // index into the node pool
  std::size_t start = 0;  // first item of the line after this break (see line_start)
};

bool is_forced(const BreakItem& item) {
  return item.kind == BreakItem::Kind::penalty && item.penalty <= -infinite_penalty;
}

bool is_legal_break(const std::vector<BreakItem>& items, std::size_t i) {
  const BreakItem& item = items[i];
  switch (item.kind) {
    case BreakItem::Kind::box:
      return false;
    case BreakItem::Kind::glue:
      return i > 0 && items[i - 1].kind == BreakItem::Kind::box;
    case BreakItem::Kind::penalty:
      return item.penalty < infinite_penalty;
  }
  return false;
}

// First item of a line that follows a break at `position`: glue and penalties are dropped.
std::size_t line_start(const std::vector<BreakItem>& items, long position) {
  auto i = static_cast<std::size_t>(position + 1);
  while (i < items.size() && items[i].kind != BreakItem::Kind::box && !is_forced(items[i])) {
    ++i;
  }
  return i;
}

double badness(double ratio) {
  if (std::isinf(ratio) || std::fabs(ratio) > 10) {
    return infinite_badness;
  }
  return std::min(infinite_badness, 100.0 * std::pow(std::fabs(ratio), 3.0));
}

int fitness_class(double ratio) {
  if (ratio < -0.5) {
    return 0;  // tight
  }
  if (ratio <= 0.5) {
    return 1;  // decent
  }
  return ratio <= 1 ? 2 : 3;  // loose, very loose
}

struct Pass {
  double tolerance = 200;    // largest badness accepted
  double extra_stretch = 0;  // emergency stretch for computing badness only
  bool emergency = false;    // accept overfull lines (with huge demerits)
  // Outside the emergency pass, no line's glue may stretch by more than this (with the
  // extra stretch left out): what a justified line may look like at worst.
  double max_real_ratio = std::numeric_limits<double>::infinity();
};

class Breaker {
 public:
  Breaker(std::vector<BreakItem>& items, const BreakParams& params)
      : m_items(items), m_params(params), m_totals(items.size() + 1) {
    for (std::size_t i = 0; i < items.size(); ++i) {
      m_totals[i + 1] = m_totals[i];
      if (items[i].kind != BreakItem::Kind::penalty) {
        m_totals[i + 1].width += items[i].width;
        m_totals[i + 1].stretch += items[i].stretch;
        m_totals[i + 1].shrink += items[i].shrink;
      }
    }
  }

  // The chosen break positions, or empty when this pass finds no feasible set.
  std::vector<long> run(const Pass& pass) const {
    std::vector<Node> pool{Node{}};
    pool.front().start = line_start(m_items, -1);
    std::vector<int> active{0};
    std::vector<Node> best;  // the best new node per (fitness, hyphens): a handful
    std::vector<int> still_active;
    // Overfull lines only get wider, so their start nodes retire (in the emergency pass
    // after offering this one overfull break): keeping them made that pass quadratic in
    // the length of a long word. They come back only if nothing else is left.
    std::vector<int> retired;
    // Outside the emergency pass, a line whose glue must stretch or shrink by more than
    // this is beyond the tolerance (badness 100 |ratio|³; the margin covers rounding), so
    // it is rejected without computing its badness.
    const double max_ratio = std::cbrt(pass.tolerance / 100.0) * 1.001;
    for (std::size_t b = 0; b < m_items.size(); ++b) {
      if (!is_legal_break(m_items, b)) {
        continue;
      }
      const BreakItem& item = m_items[b];
      if (!pass.emergency && item.kind == BreakItem::Kind::penalty &&
          item.penalty >= last_resort_penalty) {
        continue;
      }
      const bool forced = is_forced(item);
      const bool last = b + 1 == m_items.size();
      best.clear();
      still_active.clear();
      retired.clear();
      // Active nodes after breaks close together often start their lines at the same item
      // (one node per fitness class, a penalty and its glue): their line is measured once.
      std::size_t measured_start = m_items.size();
      LineMeasure line;
      double line_badness = 0;
      for (int a : active) {
        const Node& from = pool[static_cast<std::size_t>(a)];
        const std::size_t start = from.start;
        if (start > b) {
          still_active.push_back(a);
          continue;
        }
        if (measured_start != start) {
          measured_start = start;
          line = measure(start, b, pass);
          line_badness = -1;  // computed when first needed
        }
        const bool overfull = line.ratio < -1;
        if (!forced && !overfull) {
          still_active.push_back(a);
        } else if (!forced) {
          retired.push_back(a);
        }
        if (!pass.emergency && (overfull || std::fabs(line.ratio) > max_ratio ||
                                line.real_ratio > pass.max_real_ratio)) {
          continue;
        }
        if (line_badness < 0) {
          line_badness = overfull ? infinite_badness : badness(line.ratio);
        }
        const double bad = line_badness;
        if (bad > pass.tolerance && !pass.emergency) {
          continue;
        }
        // Runs longer than allowed all count as one class: otherwise the emergency pass keeps
        // a node per run length, and their number grew without bound (found by fuzzing).
        const int hyphens =
            item.flagged ? std::min(from.hyphens + 1, m_params.max_consecutive_hyphens + 1) : 0;
        // Too many hyphenated lines in a row: forbidden, except in the emergency pass,
        // where a narrow measure may leave no other way to avoid overflowing.
        const bool too_many_hyphens = hyphens > m_params.max_consecutive_hyphens;
        if (too_many_hyphens && !pass.emergency) {
          continue;
        }
        double demerits = (line_penalty + bad) * (line_penalty + bad);
        if (item.kind == BreakItem::Kind::penalty && !forced) {
          const double p = item.penalty;
          demerits += p >= 0 ? p * p : -p * p;
        }
        if (item.flagged && from.flagged) {
          demerits += double_hyphen_demerits;
        }
        if (last && from.flagged) {
          demerits += final_hyphen_demerits;
        }
        const int fitness = fitness_class(line.ratio);
        if (std::abs(fitness - from.fitness) > 1) {
          demerits += adjacent_demerits;
        }
        if (overfull) {
          demerits += overflow_demerits * (line.width - m_params.width);
        }
        if (too_many_hyphens) {
          demerits += too_many_hyphens_demerits;
        }
        const Node node{static_cast<long>(b),     fitness, hyphens, item.flagged,
                        from.demerits + demerits, a};
        const auto same_class = std::find_if(best.begin(), best.end(), [&](const Node& other) {
          return other.fitness == fitness && other.hyphens == hyphens;
        });
        if (same_class == best.end()) {
          best.push_back(node);
        } else if (node.demerits < same_class->demerits) {
          *same_class = node;
        }
      }
      std::swap(active, still_active);
      // New nodes in (fitness, hyphens) order: ties in demerits go to the first.
      std::sort(best.begin(), best.end(), [](const Node& x, const Node& y) {
        return std::pair(x.fitness, x.hyphens) < std::pair(y.fitness, y.hyphens);
      });
      for (Node& node : best) {
        node.start = line_start(m_items, node.position);
        pool.push_back(node);
        active.push_back(static_cast<int>(pool.size() - 1));
      }
      if (active.empty() && pass.emergency) {
        std::swap(active, retired);
      }
      if (active.empty()) {
        return {};
      }
    }
    int chosen = -1;
    for (int a : active) {
      const Node& node = pool[static_cast<std::size_t>(a)];
      if (node.position == static_cast<long>(m_items.size()) - 1 &&
          (chosen < 0 || node.demerits < pool[static_cast<std::size_t>(chosen)].demerits)) {
        chosen = a;
      }
    }
    if (chosen < 0) {
      return {};
    }
    std::vector<long> breaks;
    for (int n = chosen; n > 0; n = pool[static_cast<std::size_t>(n)].previous) {
      breaks.push_back(pool[static_cast<std::size_t>(n)].position);
    }
    std::reverse(breaks.begin(), breaks.end());
    return breaks;
  }

  struct LineMeasure {
    double width = 0;
    double ratio = 0;
    double real_ratio = 0;  // the ratio without the pass's extra stretch
  };

  // Natural width of the line items[start..b) (plus the penalty's width at b) and the
  // ratio by which its glue must stretch (> 0) or shrink (< 0) to fill the measure.
  LineMeasure measure(std::size_t start, std::size_t b, const Pass& pass) const {
    LineMeasure line;
    line.width = m_totals[b].width - m_totals[start].width;
    double stretch = m_totals[b].stretch - m_totals[start].stretch + pass.extra_stretch;
    const double shrink = m_totals[b].shrink - m_totals[start].shrink;
    if (m_items[b].kind == BreakItem::Kind::penalty) {
      line.width += m_items[b].width;
    }
    if (!m_params.justify) {
      stretch += m_params.ragged_stretch;
    }
    const double target = m_params.width;
    constexpr double epsilon = 1e-6;
    if (line.width < target - epsilon) {
      line.ratio =
          stretch > 0 ? (target - line.width) / stretch : std::numeric_limits<double>::infinity();
      const double real_stretch = stretch - pass.extra_stretch;
      line.real_ratio = real_stretch > 0 ? (target - line.width) / real_stretch
                                         : std::numeric_limits<double>::infinity();
    } else if (line.width > target + epsilon) {
      line.ratio =
          shrink > 0 ? (target - line.width) / shrink : -std::numeric_limits<double>::infinity();
    }
    return line;
  }

  // Places the items of each line, stretching or shrinking the glue, into `sink`: its
  // put(x, piece, joinable) takes each box (joinable: no glue before it, so it may extend
  // the piece before), its end_line(hyphenated, hyphen_added) ends each line. The pieces
  // are moved out of the items: called once, after run().
  template <typename Sink>
  void place(const std::vector<long>& breaks, Sink& sink) {
    long previous = -1;
    for (long position : breaks) {
      const auto b = static_cast<std::size_t>(position);
      const std::size_t start = line_start(m_items, previous);
      previous = position;
      if (start > b) {
        sink.end_line(false, false);
        continue;
      }
      const LineMeasure measured = measure(start, b, Pass{});
      double ratio = 0;
      const double glue_stretch = m_totals[b].stretch - m_totals[start].stretch;
      if (m_params.justify && !std::isinf(measured.ratio) && glue_stretch < fill_stretch) {
        // Only an emergency pass lets a line need more: it is left short, not gappy.
        ratio = std::clamp(measured.ratio, -1.0, max_justified_ratio);
      } else if (measured.ratio < 0 && !std::isinf(measured.ratio)) {
        ratio = std::max(-1.0, measured.ratio);
      }
      double x = 0;
      bool after_glue = true;
      const auto put = [&](Piece&& piece) {
        const double width = piece.width;
        sink.put(x, std::move(piece), !after_glue);
        x += width;
        after_glue = false;
      };
      for (std::size_t i = start; i < b; ++i) {
        BreakItem& item = m_items[i];
        if (item.kind == BreakItem::Kind::box) {
          put(std::move(item.piece));
        } else if (item.kind == BreakItem::Kind::glue) {
          x += item.width + (ratio > 0 ? ratio * item.stretch : ratio * item.shrink);
          after_glue = true;
        }
      }
      const bool hyphen_added =
          m_items[b].kind == BreakItem::Kind::penalty && !m_items[b].piece.text.empty();
      if (hyphen_added) {
        put(std::move(m_items[b].piece));
      }
      sink.end_line(m_items[b].flagged, hyphen_added);
    }
  }

 private:
  std::vector<BreakItem>& m_items;
  BreakParams m_params;
  std::vector<Totals> m_totals;
};

bool is_ascii_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// An ASCII character that is neither a space nor a line end: always part of a word.
bool is_plain_ascii(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte < 0x80 && c != ' ' && c != '\n' && c != '\t' && c != '\r';
}

// "src/main.rs", "~/.cargo/bin": breaks only after its slashes.
bool is_path(std::string_view text) {
  return text.find('/') != std::string_view::npos &&
         std::all_of(text.begin(), text.end(), [](char c) {
           return is_ascii_letter(c) || (c >= '0' && c <= '9') || c == '_' || c == '/' ||
                  c == '.' || c == '-' || c == '~';
         });
}

// "--", "-", "—": a word of dashes alone, which must not start or end a line by itself.
bool is_dashes(std::string_view text) {
  if (text == "\u2014" || text == "\u2013") {
    return true;
  }
  return !text.empty() && text.find_first_not_of('-') == std::string_view::npos;
}

bool same_style(const TextStyle& a, const TextStyle& b) {
  return a.role == b.role && a.size == b.size && a.color == b.color && a.link == b.link &&
         a.code == b.code && a.hyphenate == b.hyphenate;
}

// Lines as vectors of pieces, a piece extended by the next when they look the same.
class LineList {
 public:
  void put(double x, Piece&& piece, bool joinable) {
    if (joinable && !m_line.pieces.empty()) {
      Piece& last = m_line.pieces.back().piece;
      if (last.face == piece.face && last.size == piece.size && last.color == piece.color &&
          last.link == piece.link) {
        last.text += piece.text;
        last.width += piece.width;
        return;
      }
    }
    m_line.pieces.push_back({x, std::move(piece)});
  }
  void end_line(bool hyphenated, bool hyphen_added) {
    m_line.hyphenated = hyphenated;
    m_line.hyphen_added = hyphen_added;
    const std::vector<PlacedPiece>& pieces = m_line.pieces;
    m_line.width = pieces.empty() ? 0 : pieces.back().x + pieces.back().piece.width;
    m_lines.push_back(std::move(m_line));
    m_line = Line();
  }
  std::vector<Line> take() { return std::move(m_lines); }

 private:
  std::vector<Line> m_lines;
  Line m_line;
};

// The same lines kept compactly.
class SetLineList {
 public:
  void put(double x, const Piece& piece, bool joinable) { m_lines.add(x, piece, joinable); }
  void end_line(bool /*hyphenated*/, bool /*hyphen_added*/) { m_lines.end_line(); }
  SetLines take() {
    m_lines.shrink_to_fit();
    return std::move(m_lines);
  }

 private:
  SetLines m_lines;
};

// Breaks `items` into lines (see the passes) and places them into a Sink (see place).
template <typename Sink>
auto break_into(std::vector<BreakItem>& items, const BreakParams& params) {
  Sink sink;
  if (items.empty()) {
    return sink.take();
  }
  const double em = 10;
  const double emergency_stretch = std::max(3 * em, params.width * 0.1);
  if (params.justify) {
    // Strict, then looser, then with TeX's emergency stretch (which spreads the white over
    // more lines) — never with spaces wider than max_justified_ratio allows.
    Breaker breaker(items, params);
    const Pass passes[] = {
        Pass{200, 0, false},
        Pass{400, 0, false, max_justified_ratio},
        Pass{400, emergency_stretch, false, max_justified_ratio},
    };
    for (const Pass& pass : passes) {
      const std::vector<long> breaks = breaker.run(pass);
      if (!breaks.empty()) {
        breaker.place(breaks, sink);
        return sink.take();
      }
    }
  }
  // Ragged right: by choice, or because the paragraph cannot be justified without gaps.
  BreakParams ragged = params;
  ragged.justify = false;
  Breaker breaker(items, ragged);
  const Pass passes[] = {
      Pass{200, 0, false},
      Pass{2000, 0, false},
      Pass{infinite_badness, emergency_stretch, true},
  };
  for (const Pass& pass : passes) {
    const std::vector<long> breaks = breaker.run(pass);
    if (!breaks.empty()) {
      breaker.place(breaks, sink);
      break;  // the emergency pass always finds breaks
    }
  }
  return sink.take();
}

}  // namespace

std::vector<Line> break_lines(std::vector<BreakItem> items, const BreakParams& params) {
  return break_into<LineList>(items, params);
}

SetLines set_lines(std::vector<BreakItem> items, const BreakParams& params) {
  return break_into<SetLineList>(items, params);
}

ParagraphBuilder::ParagraphBuilder(const FaceTable& faces, const pdf::TextMeasure& measure,
                                   const text::Hyphenator* hyphenator, const BreakParams& params)
    : m_faces(faces), m_measure(measure), m_hyphenator(hyphenator), m_params(params) {}

void ParagraphBuilder::add_text(std::string_view text, const TextStyle& style) {
  // About one item per two bytes of prose; growing geometrically keeps reserving linear.
  const std::size_t expected = m_items.size() + text.size() / 2;
  if (expected > m_items.capacity()) {
    m_items.reserve(std::max(expected, 2 * m_items.capacity()));
  }
  std::string* word = nullptr;  // text of the word's segment in `style`, once known
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t start = pos;
    const char32_t code = util::decode_utf8(text, pos);
    if (code == ' ' || code == '\n' || code == '\t' || code == '\r') {
      flush_word();
      add_space(style, true);
      word = nullptr;
      continue;
    }
    if (code == 0xA0) {  // no-break space
      flush_word();
      add_space(style, false);
      word = nullptr;
      continue;
    }
    if (word == nullptr) {
      if (m_word.empty() || !same_style(m_word.back().style, style)) {
        m_word.push_back({std::string(), style});
      }
      word = &m_word.back().text;
    }
    if (code == 0xAD) {
      *word += soft_hyphen_marker;
    } else if (code == 0x200B) {
      *word += zero_width_break_marker;
    } else {
      // The ASCII letters and marks after it join the word as they are: append them at once.
      while (pos < text.size() && is_plain_ascii(text[pos])) {
        ++pos;
      }
      word->append(text.data() + start, pos - start);
    }
  }
}

void ParagraphBuilder::add_line_break(const TextStyle& style) {
  flush_word();
  (void)style;
  while (!m_items.empty() && m_items.back().kind != BreakItem::Kind::box) {
    m_items.pop_back();
  }
  BreakItem fill;
  fill.kind = BreakItem::Kind::glue;
  fill.stretch = fill_stretch;
  m_items.push_back(fill);
  BreakItem force;
  force.kind = BreakItem::Kind::penalty;
  force.penalty = -infinite_penalty;
  m_items.push_back(force);
}

void ParagraphBuilder::add_space(const TextStyle& style, bool breakable) {
  if (m_items.empty() || m_items.back().kind == BreakItem::Kind::glue) {
    return;  // no space at the paragraph start; runs of spaces collapse
  }
  if (style.role != m_space.role || style.size != m_space.size) {
    int face = m_faces.face_for(style.role, ' ');
    if (face < 0) {
      face = m_faces.primary(style.role);
    }
    m_space = {style.role, style.size, m_measure.width(face, " ", style.size)};
  }
  const double width = m_space.width;
  // A line never ends with a lone "--" (`cargo test -- --nocapture`).
  const std::string& last = m_items.back().piece.text;
  const bool after_dashes = m_items.back().kind == BreakItem::Kind::box && !last.empty() &&
                            last.find_first_not_of('-') == std::string::npos;
  if (!breakable || style.code || after_dashes) {
    BreakItem penalty;
    penalty.kind = BreakItem::Kind::penalty;
    penalty.penalty = breakable && !after_dashes ? code_space_penalty : infinite_penalty;
    m_items.push_back(penalty);
  }
  BreakItem glue;
  glue.kind = BreakItem::Kind::glue;
  glue.width = width;
  if (m_params.justify && !style.code) {
    glue.stretch = width / 2;
    glue.shrink = width / 3;
  }
  m_items.push_back(glue);
}

void ParagraphBuilder::set_piece(Piece& piece, std::string_view text, int face,
                                 const TextStyle& style, double width) {
  piece.width = width;
  piece.text = text;
  piece.face = face;
  piece.size = style.size;
  piece.color = style.color;
  piece.link = style.link;
}

double ParagraphBuilder::measure_runs(const Chunk& chunk) {
  m_runs.clear();
  double width = 0;
  for_each_face_run(m_faces, chunk.style->role, chunk.text, [&](int face, std::string_view text) {
    const double run_width = m_measure.width(face, text, chunk.style->size);
    m_runs.push_back({face, text, run_width});
    width += run_width;
  });
  return width;
}

void ParagraphBuilder::add_boxes(const Chunk& chunk) {
  for (const FaceRun& run : m_runs) {
    BreakItem& box = m_items.emplace_back();
    box.kind = BreakItem::Kind::box;
    set_piece(box.piece, run.text, run.face, *chunk.style, run.width);
    box.width = run.width;
  }
  if (chunk.penalty < infinite_penalty) {
    BreakItem& penalty = m_items.emplace_back();
    penalty.kind = BreakItem::Kind::penalty;
    penalty.penalty = chunk.penalty;
    penalty.flagged = chunk.flagged;
    if (chunk.hyphen || chunk.continuation) {
      // A hyphen, or the mark of code that continues on the next line.
      const Role role = chunk.style->role;
      const char32_t mark = chunk.hyphen ? U'-' : code_continuation_mark;
      const std::string text = util::to_utf8(mark);
      const int face = m_faces.face_for(role, mark);
      const int mark_face = face < 0 ? m_faces.primary(role) : face;
      TextStyle look = *chunk.style;
      look.size = chunk.hyphen ? look.size : 0.8 * look.size;
      set_piece(penalty.piece, text, mark_face, look, m_measure.width(mark_face, text, look.size));
      penalty.width = penalty.piece.width;
    }
  }
}

void ParagraphBuilder::kern_with_box_before(std::size_t word_start) {
  // The box before, in this word (a penalty may stand between them).
  std::size_t at = m_items.size();
  while (at > word_start && m_items[at - 1].kind == BreakItem::Kind::penalty) {
    --at;
  }
  if (at == word_start || m_runs.empty() || m_items[at - 1].kind != BreakItem::Kind::box) {
    return;
  }
  BreakItem& box = m_items[at - 1];
  const FaceRun& next = m_runs.front();
  if (box.piece.face != next.face || box.piece.size == 0 || next.text.empty()) {
    return;
  }
  // Pieces that join on a line are drawn as one kerned run: the kerning between them
  // belongs to the first piece's width.
  const std::string_view before = box.piece.text;
  std::size_t last = before.size();
  while (last > 0 && (static_cast<unsigned char>(before[last - 1]) & 0xC0) == 0x80) {
    --last;
  }
  if (last == 0) {
    return;
  }
  --last;
  std::size_t first_end = 0;
  util::decode_utf8(next.text, first_end);
  const std::string left(before.substr(last));
  const std::string right(next.text.substr(0, first_end));
  const double size = box.piece.size;
  const double kern = m_measure.width(next.face, left + right, size) -
                      m_measure.width(next.face, left, size) -
                      m_measure.width(next.face, right, size);
  if (kern != 0) {
    box.width += kern;
    box.piece.width += kern;
  }
}

void ParagraphBuilder::add_point(const BreakPoint& point, bool replace) {
  const auto at = std::lower_bound(
      m_points.begin(), m_points.end(), point.position,
      [](const BreakPoint& other, std::size_t position) { return other.position < position; });
  if (at == m_points.end() || at->position != point.position) {
    m_points.insert(at, point);
  } else if (replace) {
    *at = point;
  }
}

// Break points inside code, paths and URLs: after "::", "." and ",", before "(" — never
// inside a name (`is_admin`, `#[non_exhaustive]`) — and after "/" in paths and URLs.
void ParagraphBuilder::add_code_breaks(std::string_view text, std::size_t offset, bool path,
                                       bool mark) {
  const std::size_t total = m_all.size();
  const auto is_name = [](char c) {
    return is_ascii_letter(c) || (c >= '0' && c <= '9') || c == '_';
  };
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    const char c = text[i];
    const char next = text[i + 1];
    bool after = false;
    if (path) {
      after = c == '/' && next != '/' && i > 0;  // "tests/" | "common.rs", never "common." | "rs"
    } else if (c == ':' && i > 0 && text[i - 1] == ':' && next != ':') {
      after = true;
    } else if (c == ',' && next != ',' && i > 0) {
      after = true;
    } else if (c == '.' && next != '.' && i > 0 && text[i - 1] != '.' && is_name(next)) {
      after = true;
    } else if (next == '(' && is_name(c)) {
      after = true;  // before the parenthesis: "with_state" | "(Arc::new(state))"
    }
    const std::size_t position = offset + i + 1;
    if (after && position >= 2 && total - position >= 2) {
      add_point({position, code_break_penalty, false, false, mark});
    }
  }
}

void ParagraphBuilder::flush_word() {
  if (m_word.empty()) {
    return;
  }
  // 1. The whole word without markers, and where each segment starts.
  m_all.clear();
  m_starts.clear();
  m_points.clear();
  m_chunks.clear();
  const int hyphen_penalty = m_params.justify ? justified_hyphen_penalty : ragged_hyphen_penalty;
  for (Segment& segment : m_word) {
    std::string& text = segment.text;
    std::size_t kept = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
      const char c = text[i];
      if (c == soft_hyphen_marker) {
        add_point({m_all.size() + kept, hyphen_penalty, true, true}, true);
      } else if (c == zero_width_break_marker) {
        add_point({m_all.size() + kept, 0, false, false}, true);
      } else {
        text[kept++] = c;
      }
    }
    text.resize(kept);
    m_starts.push_back(m_all.size());
    m_all += text;
  }
  const std::string_view all = m_all;

  const bool url_like = all.find("://") != std::string_view::npos || all.substr(0, 4) == "www.";
  const bool any_code =
      std::any_of(m_word.begin(), m_word.end(), [](const Segment& s) { return s.style.code; });

  // 2. Break points inside code, paths and URLs.
  for (std::size_t s = 0; s < m_word.size(); ++s) {
    if (m_word[s].style.code || url_like) {
      add_code_breaks(m_word[s].text, m_starts[s], url_like || is_path(m_word[s].text), !url_like);
    }
  }

  // 3. Explicit hyphens and dashes in prose, then dictionary hyphenation.
  if (!any_code && !url_like) {
    for (std::size_t i = 1; i + 2 < all.size(); ++i) {
      if (all[i] == '-' && is_ascii_letter(all[i - 1]) && is_ascii_letter(all[i + 1])) {
        add_point({i + 1, explicit_hyphen_penalty, true, false});
      }
    }
    for (const std::string_view dash : {std::string_view("\u2013"), std::string_view("\u2014")}) {
      for (std::size_t at = all.find(dash); at != std::string_view::npos;
           at = all.find(dash, at + 1)) {
        const std::size_t after = at + dash.size();
        if (at > 0 && after < all.size()) {
          add_point({after, dash_penalty, false, false});
        }
      }
    }
    const bool may_hyphenate =
        m_hyphenator != nullptr && std::all_of(m_word.begin(), m_word.end(),
                                               [](const Segment& s) { return s.style.hyphenate; });
    if (may_hyphenate) {
      // The word without surrounding punctuation; parts between explicit hyphens.
      std::size_t begin = 0;
      std::size_t end = all.size();
      while (begin < end && !is_ascii_letter(all[begin])) {
        ++begin;
      }
      while (end > begin && !is_ascii_letter(all[end - 1])) {
        --end;
      }
      const std::string_view core = all.substr(begin, end - begin);
      // A word that has hyphens of its own breaks only there.
      const bool plain =
          std::all_of(core.begin(), core.end(), [](char c) { return is_ascii_letter(c); });
      if (plain) {
        for (std::size_t point : m_hyphenator->points(core)) {
          add_point({begin + point, hyphen_penalty, true, true});
        }
      }
    }
  }

  // 4. A lone dash stays at the end of the line before it, never starts a line.
  if (is_dashes(all) && m_items.size() >= 2 && m_items.back().kind == BreakItem::Kind::glue &&
      m_items[m_items.size() - 2].kind == BreakItem::Kind::box) {
    BreakItem keep;
    keep.kind = BreakItem::Kind::penalty;
    keep.penalty = lone_dash_penalty;  // finite: a narrow measure may have no other break
    m_items.insert(m_items.end() - 1, keep);
  }

  // 5. Chunks between break points and style changes → boxes and penalties.
  for (std::size_t s = 0; s < m_word.size(); ++s) {
    const std::size_t seg_begin = m_starts[s];
    const std::size_t seg_end = seg_begin + m_word[s].text.size();
    std::size_t from = seg_begin;
    auto point = std::upper_bound(
        m_points.begin(), m_points.end(), seg_begin,
        [](std::size_t position, const BreakPoint& other) { return position < other.position; });
    for (; point != m_points.end() && point->position <= seg_end; ++point) {
      if (point->position == seg_end && s + 1 == m_word.size()) {
        break;  // no break point at the very end of the word
      }
      m_chunks.push_back({all.substr(from, point->position - from), &m_word[s].style,
                          point->penalty, point->flagged, point->hyphen, point->continuation});
      from = point->position;
    }
    if (from < seg_end) {
      m_chunks.push_back({all.substr(from, seg_end - from), &m_word[s].style});
    }
  }
  const std::size_t word_start = m_items.size();
  for (const Chunk& chunk : m_chunks) {
    if (chunk.text.empty()) {
      continue;
    }
    const double mark = chunk.hyphen || chunk.continuation ? 0.8 * chunk.style->size : 0;
    if (measure_runs(chunk) + mark <= m_params.width) {
      kern_with_box_before(word_start);
      add_boxes(chunk);
      continue;
    }
    // Wider than the measure: allow a break after every character.
    for (std::size_t pos = 0; pos < chunk.text.size();) {
      const std::string character = util::to_utf8(util::decode_utf8(chunk.text, pos));
      Chunk single{character, chunk.style, emergency_char_penalty, false, false, chunk.style->code};
      if (pos == chunk.text.size()) {
        single.penalty = chunk.penalty;
        single.flagged = chunk.flagged;
        single.hyphen = chunk.hyphen;
        single.continuation = chunk.continuation;
      }
      measure_runs(single);
      kern_with_box_before(word_start);
      add_boxes(single);
    }
  }
  m_word.clear();
}

std::vector<BreakItem> ParagraphBuilder::finish() {
  flush_word();
  while (!m_items.empty() && m_items.back().kind != BreakItem::Kind::box) {
    m_items.pop_back();
  }
  if (m_items.empty()) {
    return {};
  }
  BreakItem keep;
  keep.kind = BreakItem::Kind::penalty;
  keep.penalty = infinite_penalty;
  m_items.push_back(keep);
  BreakItem fill;
  fill.kind = BreakItem::Kind::glue;
  fill.stretch = fill_stretch;
  m_items.push_back(fill);
  BreakItem end;
  end.kind = BreakItem::Kind::penalty;
  end.penalty = -infinite_penalty;
  m_items.push_back(end);
  return std::move(m_items);
}

SetLines::SetLines(const std::vector<Line>& lines) {
  std::size_t runs = 0;
  std::size_t text = 0;
  for (const Line& line : lines) {
    runs += line.pieces.size();
    for (const PlacedPiece& placed : line.pieces) {
      text += placed.piece.text.size();
    }
  }
  m_text.reserve(text);
  m_runs.reserve(runs);
  m_line_ends.reserve(lines.size());
  for (const Line& line : lines) {
    for (const PlacedPiece& placed : line.pieces) {
      add(placed.x, placed.piece);
    }
    end_line();
  }
}

void SetLines::shrink_to_fit() {
  m_text.shrink_to_fit();
  m_looks.shrink_to_fit();
  m_runs.shrink_to_fit();
  m_line_ends.shrink_to_fit();
}

void SetLines::add(double x, const Piece& piece, bool joinable) {
  const auto same_look = [&piece](const Look& look) {
    return look.face == piece.face && look.size == piece.size && look.color == piece.color &&
           look.link == piece.link;
  };
  const std::size_t line_begin = m_line_ends.empty() ? 0 : m_line_ends.back();
  if (joinable && m_runs.size() > line_begin && same_look(m_looks[m_runs.back().look])) {
    Run& last = m_runs.back();
    m_text += piece.text;
    last.width += piece.width;
    last.text_end = static_cast<std::uint32_t>(m_text.size());
    return;
  }
  // Pieces mostly look like the one before; a paragraph has few looks.
  std::size_t look = m_looks.empty() || !same_look(m_looks[m_runs.back().look])
                         ? std::find_if(m_looks.begin(), m_looks.end(), same_look) - m_looks.begin()
                         : m_runs.back().look;
  if (look == m_looks.size()) {
    m_looks.push_back({piece.face, piece.size, piece.color, piece.link});
  }
  m_text += piece.text;
  m_runs.push_back({x, piece.width, static_cast<std::uint32_t>(m_text.size()),
                    static_cast<std::uint32_t>(look)});
}

std::vector<Line> set_text(const FaceTable& faces, const pdf::TextMeasure& measure,
                           const text::Hyphenator* hyphenator, const BreakParams& params,
                           std::string_view text, const TextStyle& style) {
  ParagraphBuilder builder(faces, measure, hyphenator, params);
  builder.add_text(text, style);
  return break_lines(builder.finish(), params);
}

}  // namespace typeset
