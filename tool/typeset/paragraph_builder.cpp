// ParagraphBuilder (declared in line_breaking.hpp): styled text into break items.
#include "typeset/line_breaking.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "text/hyphenate.hpp"
#include "typeset/break_constants.hpp"
#include "util/utf8.hpp"

namespace typeset {
namespace {

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

// Drops the spaces and break points after the last box: a line end follows.
void drop_after_last_box(std::vector<BreakItem>& items) {
  while (!items.empty() && items.back().kind != BreakItem::Kind::box) {
    items.pop_back();
  }
}

// The end of a line or paragraph: fill glue, then a forced break.
void end_line_with_fill(std::vector<BreakItem>& items) {
  BreakItem fill;
  fill.kind = BreakItem::Kind::glue;
  fill.stretch = fill_stretch;
  items.push_back(fill);
  BreakItem force;
  force.kind = BreakItem::Kind::penalty;
  force.penalty = -infinite_penalty;
  items.push_back(force);
}

}  // namespace

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
  drop_after_last_box(m_items);
  end_line_with_fill(m_items);
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
// inside a name (`is_admin`, `#[non_exhaustive]`), nor where one side would hold no name
// (`DENSE_RANK` | `()`) — and after "/" in paths and URLs.
void ParagraphBuilder::add_code_breaks(std::string_view text, std::size_t offset, bool path,
                                       bool mark) {
  const std::size_t total = m_all.size();
  const auto is_name = [](char c) {
    return is_ascii_letter(c) || (c >= '0' && c <= '9') || c == '_';
  };
  const auto first_name = std::find_if(text.begin(), text.end(), is_name) - text.begin();
  const auto last_name = text.rend() - std::find_if(text.rbegin(), text.rend(), is_name) - 1;
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
    const auto at = static_cast<std::ptrdiff_t>(i);
    const bool names_on_both_sides = first_name <= at && last_name > at;
    if (after && names_on_both_sides && position >= 2 && total - position >= 2) {
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
  drop_after_last_box(m_items);
  if (m_items.empty()) {
    return {};
  }
  BreakItem keep;
  keep.kind = BreakItem::Kind::penalty;
  keep.penalty = infinite_penalty;
  m_items.push_back(keep);
  end_line_with_fill(m_items);
  return std::move(m_items);
}

std::vector<Line> set_text(const FaceTable& faces, const pdf::TextMeasure& measure,
                           const text::Hyphenator* hyphenator, const BreakParams& params,
                           std::string_view text, const TextStyle& style) {
  ParagraphBuilder builder(faces, measure, hyphenator, params);
  builder.add_text(text, style);
  return break_lines(builder.finish(), params);
}

}  // namespace typeset
