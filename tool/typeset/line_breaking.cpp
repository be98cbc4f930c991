#include "typeset/line_breaking.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "typeset/break_constants.hpp"

namespace typeset {
namespace {

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

}  // namespace typeset
