// Code and output blocks: highlighted rows wrapped to the measure, on a background.
#include "booklet/blocks.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <type_traits>

#include "booklet/code_reformat.hpp"
#include "text/highlight_code.hpp"
#include "util/error.hpp"
#include "util/utf8.hpp"

namespace booklet {
namespace {

constexpr std::size_t unsplittable_code_rows = 12;  // shorter code blocks split reluctantly
// A long block splits where its page is full, between any two lines, or at a blank line
// that leaves less than about this many more rows white at the foot of the page.
constexpr double blank_line_reach = 3;

std::string expand_tabs(const std::string& line) {
  std::string out;
  std::size_t column = 0;
  for (std::size_t pos = 0; pos < line.size();) {
    const std::size_t start = pos;
    const char32_t code = util::decode_utf8(line, pos);
    if (code == '\t') {
      const std::size_t spaces = 4 - column % 4;
      out.append(spaces, ' ');
      column += spaces;
    } else {
      out.append(line, start, pos - start);
      ++column;
    }
  }
  return out;
}

// A row of code: (highlight tag, text) tokens.
using TokenRow = std::vector<std::pair<int, std::string>>;

// Lines without highlighting: each a row of one plain token, an empty line an empty row.
std::vector<TokenRow> plain_rows(const std::vector<std::string>& lines) {
  std::vector<TokenRow> rows;
  for (const std::string& line : lines) {
    auto& row = rows.emplace_back();
    if (!line.empty()) {
      row.emplace_back(static_cast<int>(model::HighlightTag::plain), expand_tabs(line));
    }
  }
  return rows;
}

std::size_t row_columns(const TokenRow& row) {
  std::string text;
  for (const auto& token : row) {
    text += token.second;
  }
  return code_columns(text);
}

// The line-comment marker a comment starts with ("//", "///", "#", "--"), or "" when it has
// none followed by a space (a block comment, or "//x").
std::string_view comment_marker(std::string_view comment) {
  const std::size_t end = comment.find_first_not_of("/#-!;%");
  return end != std::string_view::npos && end > 0 && comment[end] == ' ' ? comment.substr(0, end)
                                                                         : std::string_view();
}

// Whether a comment points at a column ("// ^ here") or aligns its text with spaces: its
// spaces must stay as they are, and it must stay where it is.
bool aligned(std::string_view comment) {
  const std::size_t text = comment.find_first_not_of(' ', comment_marker(comment).size());
  return text == std::string_view::npos || comment[text] == '^' || comment[text] == '|' ||
         comment.find("  ", text) != std::string_view::npos;
}

// A comment-only row wider than `columns`, its words refilled into rows of `indent`, the
// marker and as many words as fit; the row itself when it is no such comment.
std::vector<TokenRow> refill_comment(const TokenRow& row, std::size_t columns) {
  const int comment_tag = static_cast<int>(model::HighlightTag::comment);
  if (row.empty() || row.back().first != comment_tag || row_columns(row) <= columns) {
    return {row};
  }
  std::string indent;
  for (std::size_t i = 0; i + 1 < row.size(); ++i) {
    if (row[i].second.find_first_not_of(" \t") != std::string::npos) {
      return {row};  // code before the comment
    }
    indent += row[i].second;
  }
  const std::string& comment = row.back().second;
  const std::string_view marker = comment_marker(comment);
  if (marker.empty() || aligned(comment)) {
    return {row};
  }
  std::vector<TokenRow> rows;
  std::string line;
  std::istringstream words(comment.substr(marker.size()));
  for (std::string word; words >> word;) {
    const std::string longer = (line.empty() ? std::string(marker) : line) + " " + word;
    if (!line.empty() && code_columns(indent + longer) > columns) {
      rows.push_back({{comment_tag, indent + line}});
      line = std::string(marker) + " " + word;
    } else {
      line = longer;
    }
  }
  rows.push_back({{comment_tag, indent + line}});
  return rows;
}

// Rows wider than `columns` lose their trailing comment to a row of its own above them, at
// their indentation, and long comment lines are refilled, as a book sets code: wrapping
// (the last resort) is then needed only for code itself. Comments stay comments in every
// language whose line comments are moved (the marker starts the new row).
std::vector<TokenRow> lift_long_comments(const std::vector<TokenRow>& rows, std::size_t columns) {
  const int comment_tag = static_cast<int>(model::HighlightTag::comment);
  std::vector<TokenRow> out;
  for (const TokenRow& row : rows) {
    std::size_t code_end = row.size();  // tokens before a trailing comment and its spaces
    if (!row.empty() && row.back().first == comment_tag && !aligned(row.back().second)) {
      code_end = row.size() - 1;
      while (code_end > 0 &&
             row[code_end - 1].second.find_first_not_of(" \t") == std::string::npos) {
        --code_end;
      }
    }
    if (columns == 0 || row_columns(row) <= columns || code_end == 0 || code_end == row.size()) {
      for (TokenRow& refilled : refill_comment(row, columns)) {
        out.push_back(std::move(refilled));
      }
      continue;
    }
    const TokenRow code(row.begin(), row.begin() + static_cast<std::ptrdiff_t>(code_end));
    TokenRow comment;
    const std::string& first = row.front().second;
    if (row.front().first != comment_tag) {
      const std::size_t indent = first.find_first_not_of(" \t");
      if (indent != 0) {
        comment.emplace_back(row.front().first, first.substr(0, indent));
      }
    }
    comment.push_back(row.back());
    for (TokenRow& refilled : refill_comment(comment, columns)) {
      out.push_back(std::move(refilled));
    }
    out.push_back(code);
  }
  return out;
}

// Key of a code or output block's rows: its kind, its measure and its lines.
std::string code_key(std::string_view kind, double width, const std::vector<std::string>& lines) {
  std::string key;
  add_text(key, kind);
  add_value(key, width);
  for (const std::string& line : lines) {
    add_text(key, line);
  }
  return key;
}

}  // namespace

std::vector<CodeRow> BlockSetter::code_rows(
    const std::vector<std::vector<std::pair<int, std::string>>>& lines, double width, double size) {
  const model::Layout& layout = m_context.layout;
  const FaceTable& faces = m_context.faces;
  struct Glyph {
    std::string_view text;  // in its token
    int face = 0;
    int tag = 0;
    double width = 0;
  };
  const int space_face = faces.face_for(Role::mono, ' ') >= 0 ? faces.face_for(Role::mono, ' ')
                                                              : faces.primary(Role::mono);
  const double space = m_context.measure.width(space_face, " ", size);

  // Code is mostly ASCII: the face and width of each ASCII character per role, found once.
  struct Known {
    int face = -1;  // -1: not looked up yet
    double width = 0;
  };
  std::array<std::array<Known, 128>, role_count> ascii;
  const auto face_and_width = [&](Role role, char32_t code, std::string_view text) {
    Known* known = code < 128 ? &ascii[static_cast<std::size_t>(role)][code] : nullptr;
    if (known != nullptr && known->face >= 0) {
      return *known;
    }
    Known found;
    found.face = faces.face_for(role, code);
    if (found.face < 0) {
      found.face = faces.primary(role);
    }
    found.width = m_context.measure.width(found.face, text, size);
    if (known != nullptr) {
      *known = found;
    }
    return found;
  };

  std::vector<CodeRow> rows;
  std::vector<Glyph> glyphs;
  for (const auto& tokens : lines) {
    glyphs.clear();
    for (const auto& [tag, token] : tokens) {
      const model::TokenStyle& look = layout.colors.tokens[static_cast<std::size_t>(tag)];
      const Role role = mono_role(look.bold, look.italic);
      for (std::size_t pos = 0; pos < token.size();) {
        const std::size_t start = pos;
        const char32_t code = util::decode_utf8(token, pos);
        Glyph glyph;
        glyph.text = std::string_view(token).substr(start, pos - start);
        const Known known = face_and_width(role, code, glyph.text);
        glyph.face = known.face;
        glyph.tag = tag;
        glyph.width = known.width;
        glyphs.push_back(glyph);
      }
    }
    if (glyphs.empty()) {
      CodeRow row;
      row.blank = true;
      rows.push_back(row);
      continue;
    }
    std::size_t lead = 0;
    while (lead < glyphs.size() && glyphs[lead].text == " ") {
      ++lead;
    }
    double continuation_x = static_cast<double>(lead) * space;
    if (continuation_x + 4 * space > width / 2) {
      continuation_x = 0;
    }
    const double text_x = continuation_x + 2 * space;

    std::size_t pos = 0;
    bool first = true;
    while (pos < glyphs.size()) {
      CodeRow row;
      row.continued = !first;
      double x = first ? 0 : text_x;
      const double limit = width;
      if (!first) {
        while (pos < glyphs.size() && glyphs[pos].text == " ") {
          ++pos;  // a wrapped row starts at its text
        }
        const auto marker = split_by_face(faces, Role::mono, "\u21AA");
        Piece arrow;
        arrow.text = marker.front().second;
        arrow.face = marker.front().first;
        arrow.size = size;
        arrow.color = layout.colors.muted;
        arrow.width = m_context.measure.width(arrow.face, arrow.text, size);
        row.pieces.emplace_back(continuation_x, arrow);
      }
      // How many glyphs fit; then prefer to wrap after a space or punctuation.
      std::size_t end = pos;
      double used = x;
      while (end < glyphs.size() && used + glyphs[end].width <= limit + 1e-6) {
        used += glyphs[end].width;
        ++end;
      }
      if (end == pos) {
        end = pos + 1;  // a single glyph wider than the row: place it anyway
      }
      if (end < glyphs.size()) {
        const std::size_t fitting = end - pos;
        for (std::size_t cut = end; cut > pos + fitting * 3 / 5; --cut) {
          const std::string_view before = glyphs[cut - 1].text;
          if (before == " " || before == "," || before == ";" || before == "(" || before == "." ||
              before == "{" || before == "[") {
            end = cut;
            break;
          }
        }
      }
      for (std::size_t i = pos; i < end; ++i) {
        const Glyph& glyph = glyphs[i];
        const model::TokenStyle& look = layout.colors.tokens[static_cast<std::size_t>(glyph.tag)];
        const bool joins = !row.pieces.empty() && i > pos &&
                           row.pieces.back().second.face == glyph.face &&
                           row.pieces.back().second.color == look.color;
        if (joins) {
          row.pieces.back().second.text += glyph.text;
          row.pieces.back().second.width += glyph.width;
        } else {
          Piece piece;
          piece.text = glyph.text;
          piece.face = glyph.face;
          piece.size = size;
          piece.color = look.color;
          piece.width = glyph.width;
          row.pieces.emplace_back(x, piece);
        }
        x += glyph.width;
      }
      // Trailing spaces draw nothing.
      while (!row.pieces.empty()) {
        Piece& last = row.pieces.back().second;
        const std::size_t trimmed = last.text.find_last_not_of(' ');
        if (trimmed == std::string::npos) {
          row.pieces.pop_back();
          continue;
        }
        if (trimmed + 1 < last.text.size()) {
          last.width -= static_cast<double>(last.text.size() - trimmed - 1) * space;
          last.text.erase(trimmed + 1);
        }
        break;
      }
      rows.push_back(std::move(row));
      pos = end;
      first = false;
    }
  }
  return rows;
}

void BlockSetter::add_code_rows(const SetCache::CodeRows& rows, const Frame& frame, VList& out,
                                const Background& background, double pad_x, double pad_y,
                                const std::string& label, const model::Color& label_color) {
  const model::Layout& layout = m_context.layout;
  const double size = layout.sizes.code;
  const double height = size * 1.32;
  const double baseline = Context::baseline(height, size);
  std::vector<Background> backgrounds = frame.backgrounds;
  backgrounds.push_back(background);
  const double left = frame.x + pad_x;
  const double inner_width = frame.width - 2 * pad_x;
  // The boxes share the rows' text (kept alive by `rows`).
  const std::shared_ptr<const SetLines> row_text(rows, &rows->text);

  const auto row_box = [&](std::optional<std::size_t> row) {
    VBox box;
    box.height = height;
    box.baseline = baseline;
    if (m_context.sizing_only) {
      return box;
    }
    box.backgrounds = backgrounds;
    if (row) {
      box.text = {row_text, static_cast<std::uint32_t>(*row), left};
    }
    return box;
  };
  const auto padding = [&](double h) {
    VBox box;
    box.height = h;
    box.lines = 0;
    box.backgrounds = backgrounds;
    return box;
  };

  std::vector<VBox> boxes;
  for (std::size_t row = 0; row < rows->kinds.size(); ++row) {
    boxes.push_back(row_box(row));
  }
  if (!label.empty()) {
    // A note such as "does not compile · E0382" at the top right, on the first row if the
    // code leaves room, else on a row of its own.
    const double caption = layout.sizes.caption;
    const auto pieces = split_by_face(m_context.faces, Role::sans, label);
    double label_width = 0;
    for (const auto& [face, text] : pieces) {
      label_width += m_context.measure.width(face, text, caption);
    }
    double first_width = 0;
    if (!boxes.empty() && row_text->end_run(0) > 0) {
      const SetLines::Run& last = row_text->run(row_text->end_run(0) - 1);
      first_width = last.x + last.width;
    }
    const bool fits = first_width + label_width + 3 * size <= inner_width;
    if (!fits || boxes.empty()) {
      boxes.insert(boxes.begin(), row_box(std::nullopt));
    }
    double x = left + inner_width - label_width;
    for (const auto& [face, text] : pieces) {
      boxes.front().items.emplace_back(pdf::TextRun{x, baseline, face, caption, label_color, text});
      x += m_context.measure.width(face, text, caption);
    }
  }

  // A split between two lines costs what blank_line_reach rows of white at a page foot cost.
  const int split_cost = static_cast<int>(
      std::lround(typeset::underfull_cost(blank_line_reach * height, m_context.block_height())));
  out.box(padding(pad_y));
  const std::size_t count = boxes.size();
  const std::size_t offset = count - rows->kinds.size();  // a label row has no CodeRow
  const auto is_blank = [&](std::size_t i) { return i >= offset && rows->kinds[i - offset].blank; };
  for (std::size_t i = 0; i < count; ++i) {
    // A block may break before a row (not inside a wrapped line, not within three rows of
    // either end); best at a blank line, whose space then disappears. A short block breaks
    // only when keeping it whole would leave much of the page white; so does a split that
    // leaves a line alone beside a blank line (a "}" at the top of a page, "fn main() {" at
    // its foot), as a paragraph keeps clear of widows and orphans.
    const bool may_break = i >= 3 && count - i >= 3 && i > offset &&
                           !rows->kinds[i - offset].continued && !is_blank(i - 1);
    if (may_break) {
      VBox marker = padding(pad_y + layout.sizes.caption * 1.5);
      marker.lines = 1;
      double x = left;
      for (const auto& [face, text] :
           split_by_face(m_context.faces, Role::serif_italic, "(continued)")) {
        marker.items.emplace_back(pdf::TextRun{x, pad_y + layout.sizes.caption * 1.05, face,
                                               layout.sizes.caption, layout.colors.muted, text});
        x += m_context.measure.width(face, text, layout.sizes.caption);
      }
      // …and "continues" at the bottom right of the part before the break.
      VBox closing = padding(pad_y + layout.sizes.caption * 1.5);
      const auto closing_pieces = split_by_face(m_context.faces, Role::serif_italic, "continues");
      double closing_width = 0;
      for (const auto& [face, text] : closing_pieces) {
        closing_width += m_context.measure.width(face, text, layout.sizes.caption);
      }
      x = left + inner_width - closing_width;
      for (const auto& [face, text] : closing_pieces) {
        closing.items.emplace_back(pdf::TextRun{x, layout.sizes.caption * 1.05, face,
                                                layout.sizes.caption, layout.colors.muted, text});
        x += m_context.measure.width(face, text, layout.sizes.caption);
      }
      const bool lone_line = !is_blank(i) && (is_blank(i - 2) || is_blank(i + 1));
      const int cost = count <= unsplittable_code_rows || lone_line ? typeset::kept_together_break
                       : is_blank(i)                                ? 0
                                                                    : split_cost;
      out.penalty(cost, {marker}, {closing});
    }
    if (is_blank(i) && i > 0 && i + 1 < count) {
      // Blank rows are glue: inside the block's background, dropped at a page break.
      out.glue(boxes[i].height);
    } else {
      out.box(std::move(boxes[i]));
    }
  }
  out.box(padding(pad_y));
}

void BlockSetter::code_block(const model::CodeBlock& code, const Frame& frame, VList& out) {
  const model::Layout& layout = m_context.layout;
  const bool highlighted = text::can_highlight(code.language);
  const double pad_x = 0.7 * layout.sizes.code;
  const double pad_y = 0.45 * layout.sizes.code;
  const double width = frame.width - 2 * pad_x;
  const double advance =
      m_context.measure.width(m_context.faces.primary(Role::mono), " ", layout.sizes.code);
  const std::size_t columns = advance > 0 ? static_cast<std::size_t>(width / advance + 1e-6) : 0;
  const std::vector<std::string>& code_lines = m_context.code_reformatter == nullptr
                                                   ? code.lines
                                                   : m_context.code_reformatter->fit(code, columns);
  const auto set = [&] {
    std::vector<TokenRow> lines;
    if (highlighted) {
      std::string source;
      for (std::size_t i = 0; i < code_lines.size(); ++i) {
        source += (i > 0 ? "\n" : "") + code_lines[i];
      }
      for (const text::TokenLine& tokens : text::highlight_code(code.language, source)) {
        auto& row = lines.emplace_back();
        for (const text::Token& token : tokens) {
          row.emplace_back(static_cast<int>(token.tag), token.text);
        }
      }
      lines.resize(code_lines.size());
      lines = lift_long_comments(lines, columns);
    } else {
      lines = plain_rows(code_lines);
    }
    return code_rows(lines, width, layout.sizes.code);
  };
  const SetCache::CodeRows rows = reuse_or_set<SetCodeRows>(
      *m_context.set_cache,
      code_key(highlighted ? "lang " + code.language : "code", width, code_lines),
      m_context.keep_set_text, set);
  Background background;
  background.group = new_group();
  background.x = frame.x;
  background.width = frame.width;
  background.fill = layout.colors.code_background;
  background.border_width = 0.5;
  background.border_color = layout.colors.code_border;
  std::string label;
  if (code.check == model::CodeCheck::compile_fail) {
    label = code.error_code.empty() ? "does not compile" : "does not compile: " + code.error_code;
  } else if (code.check == model::CodeCheck::should_panic) {
    label = "panics";
  }
  add_code_rows(rows, frame, out, background, pad_x, pad_y, label, layout.colors.pitfall_rule);
}

void BlockSetter::output_block(const model::OutputBlock& output, const Frame& frame, VList& out) {
  const model::Layout& layout = m_context.layout;
  const double pad_x = 0.7 * layout.sizes.code + 2;
  const double width = frame.width - 2 * pad_x;
  const auto set = [&] { return code_rows(plain_rows(output.lines), width, layout.sizes.code); };
  const SetCache::CodeRows rows = reuse_or_set<SetCodeRows>(
      *m_context.set_cache, code_key("output", width, output.lines), m_context.keep_set_text, set);
  Background background;
  background.group = new_group();
  background.x = frame.x;
  background.width = frame.width;
  background.filled = false;
  background.rule_width = 2;
  background.rule_color = layout.colors.code_border;
  // The label row, then the lines.
  std::vector<Background> backgrounds = frame.backgrounds;
  backgrounds.push_back(background);
  const double caption = layout.sizes.caption;
  VBox label;
  label.height = caption * 1.6;
  label.baseline = caption * 1.2;
  label.backgrounds = backgrounds;
  label.lines = 0;
  double x = frame.x + pad_x;
  for (const auto& [face, text] : split_by_face(m_context.faces, Role::sans_bold, "Output")) {
    label.items.emplace_back(
        pdf::TextRun{x, label.baseline, face, caption, layout.colors.muted, text});
    x += m_context.measure.width(face, text, caption);
  }
  out.box(std::move(label));
  add_code_rows(rows, frame, out, background, pad_x, 0.3 * layout.sizes.code, "", {});
}

}  // namespace booklet
