#include "load/content_lint.hpp"

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace load {
namespace {

// One line of a field's text: where it starts, its length, and whether it belongs to a
// fenced code block (fence lines included).
struct Line {
  std::size_t start = 0;
  std::size_t size = 0;
  bool in_fence = false;
};

std::size_t leading_spaces(std::string_view text) {
  std::size_t n = 0;
  while (n < text.size() && text[n] == ' ') {
    ++n;
  }
  return n;
}

// The run of ``` or ~~~ (three or more) that opens or closes a fence, or "".
std::string_view fence_run(std::string_view rest) {
  if (rest.empty() || (rest[0] != '`' && rest[0] != '~')) {
    return {};
  }
  std::size_t n = 0;
  while (n < rest.size() && rest[n] == rest[0]) {
    ++n;
  }
  return n >= 3 ? rest.substr(0, n) : std::string_view{};
}

std::vector<Line> split_lines(std::string_view text) {
  std::vector<Line> lines;
  std::string_view open_fence;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    Line line{start, end - start, false};
    std::string_view content = text.substr(start, end - start);
    std::size_t indent = leading_spaces(content);
    std::string_view run = indent <= 3 ? fence_run(content.substr(indent)) : std::string_view{};
    if (!open_fence.empty()) {
      line.in_fence = true;
      std::string_view after = content.substr(indent + run.size());
      if (!run.empty() && run[0] == open_fence[0] && run.size() >= open_fence.size() &&
          after.find_first_not_of(" \t") == std::string_view::npos) {
        open_fence = {};
      }
    } else if (!run.empty()) {
      line.in_fence = true;
      open_fence = run;
    }
    lines.push_back(line);
    if (end == text.size()) {
      break;
    }
    start = end + 1;
  }
  return lines;
}

// Where the character at 1-based (line, column) of the field sits in its YAML file: the
// first line starts at the origin, later lines at the origin's column (a block scalar's
// indentation), as the Markdown parser reports them.
model::SourceLocation location(const model::SourceLocation& origin, int line, int column) {
  model::SourceLocation where = origin;
  if (where.line > 0) {
    where.line += line - 1;
    where.column = origin.column + column - 1;
  }
  return where;
}

class PairScanner {
 public:
  PairScanner(std::string_view text, std::string_view field, bool cloze,
              const model::SourceLocation& origin, model::Diagnostics& diagnostics)
      : m_text(text),
        m_field(field),
        m_cloze(cloze),
        m_origin(origin),
        m_diagnostics(diagnostics) {}

  void run() {
    std::vector<Line> lines = split_lines(m_text);
    std::vector<bool> skip(m_text.size(), false);
    for (const Line& line : lines) {
      if (line.in_fence) {
        for (std::size_t i = line.start; i < line.start + line.size; ++i) {
          skip[i] = true;
        }
      }
    }
    std::size_t i = 0;
    while (i < m_text.size()) {
      char c = m_text[i];
      if (skip[i]) {
        ++i;
      } else if (c == '\\') {
        i += 2;
      } else if (c == '`') {
        i = after_code_span(i);
      } else if (m_cloze && starts_cloze(i)) {
        m_cloze_depths.push_back(m_open.size());
        i = m_text.find("::", i) + 2;
      } else if (m_cloze && c == '}' && closes_cloze(i)) {
        for (std::size_t k = m_cloze_depths.back(); k < m_open.size(); ++k) {
          report_unclosed(m_open[k].first, m_open[k].second);
        }
        m_open.resize(m_cloze_depths.back());
        m_cloze_depths.pop_back();
        i += 2;
      } else {
        if (c == '(' || c == '[' || c == '{') {
          m_open.emplace_back(c, i);
        } else if (c == ')' || c == ']' || c == '}') {
          close(c, i);
        } else if (c == '"') {
          m_quotes.push_back(i);
        }
        ++i;
      }
    }
    for (const auto& [bracket, offset] : m_open) {
      report_unclosed(bracket, offset);
    }
    if (m_quotes.size() % 2 == 1) {
      m_diagnostics.error(at(m_quotes.back()),
                          "unpaired straight double quote '\"' in card " + std::string(m_field),
                          "close the quotation (typographic quotes are not counted)");
    }
  }

 private:
  static char closer_of(char open) { return open == '(' ? ')' : open == '[' ? ']' : '}'; }
  static char opener_of(char close) { return close == ')' ? '(' : close == ']' ? '[' : '{'; }

  // A code span: a run of n backticks up to the next run of exactly n; an unmatched run
  // is literal text.
  std::size_t after_code_span(std::size_t start) const {
    std::size_t run_end = start;
    while (run_end < m_text.size() && m_text[run_end] == '`') {
      ++run_end;
    }
    std::size_t run = run_end - start;
    std::size_t at = run_end;
    while ((at = m_text.find('`', at)) != std::string_view::npos) {
      std::size_t end = at;
      while (end < m_text.size() && m_text[end] == '`') {
        ++end;
      }
      if (end - at == run) {
        return end;
      }
      at = end;
    }
    return run_end;
  }

  bool starts_cloze(std::size_t i) const {
    if (m_text.compare(i, 3, "{{c") != 0) {
      return false;
    }
    std::size_t j = i + 3;
    while (j < m_text.size() && m_text[j] >= '0' && m_text[j] <= '9') {
      ++j;
    }
    return j > i + 3 && m_text.compare(j, 2, "::") == 0;
  }

  // "}}" ends the innermost deletion, unless its first '}' closes a '{' opened inside it;
  // brackets still open inside the deletion are reported.
  bool closes_cloze(std::size_t i) const {
    bool brace_open_inside = !m_cloze_depths.empty() && m_open.size() > m_cloze_depths.back() &&
                             m_open.back().first == '{';
    return !m_cloze_depths.empty() && !brace_open_inside && m_text.compare(i, 2, "}}") == 0;
  }

  void close(char c, std::size_t offset) {
    std::size_t floor = m_cloze_depths.empty() ? 0 : m_cloze_depths.back();
    for (std::size_t k = m_open.size(); k > floor; --k) {
      if (m_open[k - 1].first == opener_of(c)) {
        // Brackets opened after the matching one were never closed.
        for (std::size_t j = k; j < m_open.size(); ++j) {
          report_unclosed(m_open[j].first, m_open[j].second);
        }
        m_open.resize(k - 1);
        return;
      }
    }
    m_diagnostics.error(at(offset),
                        std::string("'") + c + "' in card " + std::string(m_field) +
                            " has no matching '" + opener_of(c) + "'",
                        "remove it, or add the opening bracket; put code in `backticks`");
  }

  void report_unclosed(char bracket, std::size_t offset) {
    m_diagnostics.error(at(offset),
                        std::string("'") + bracket + "' in card " + std::string(m_field) +
                            " has no matching '" + closer_of(bracket) + "'",
                        "is the text cut short? In an unquoted YAML value ' #' starts a comment; "
                        "quote the value");
  }

  model::SourceLocation at(std::size_t offset) const {
    int line = 1;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < offset; ++i) {
      if (m_text[i] == '\n') {
        ++line;
        line_start = i + 1;
      }
    }
    return location(m_origin, line, static_cast<int>(offset - line_start) + 1);
  }

  std::string_view m_text;
  std::string_view m_field;
  bool m_cloze;
  const model::SourceLocation& m_origin;
  model::Diagnostics& m_diagnostics;
  std::vector<std::pair<char, std::size_t>> m_open;  // bracket, offset
  std::vector<std::size_t> m_cloze_depths;           // open brackets when each {{c began
  std::vector<std::size_t> m_quotes;
};

// The list marker a line starts with ("- ", "+ ", "* ", "1. ", "1) "), or "" for none.
// Only these can interrupt a paragraph in CommonMark, and only when text follows.
std::string_view list_marker(std::string_view rest) {
  std::size_t marker = 0;
  if (!rest.empty() && (rest[0] == '-' || rest[0] == '+' || rest[0] == '*')) {
    marker = 1;
  } else if (rest.size() >= 2 && rest[0] == '1' && (rest[1] == '.' || rest[1] == ')')) {
    marker = 2;
  }
  if (marker == 0 || rest.size() <= marker + 1 || rest[marker] != ' ' ||
      rest.find_first_not_of(' ', marker) == std::string_view::npos) {
    return {};
  }
  return rest.substr(0, marker + 1);
}

// Whether a paragraph's first line starts something other than prose: a list item (any
// number), a block quote, a table row or a heading.
bool starts_block(std::string_view rest) {
  if (!list_marker(rest).empty() || rest.empty()) {
    return true;
  }
  if (rest[0] == '>' || rest[0] == '|' || rest[0] == '#') {
    return true;
  }
  std::size_t digits = 0;
  while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9') {
    ++digits;
  }
  return digits > 0 && digits + 1 < rest.size() && (rest[digits] == '.' || rest[digits] == ')') &&
         rest[digits + 1] == ' ';
}

}  // namespace

void check_card_field_pairs(std::string_view markdown, std::string_view field, bool cloze,
                            const model::SourceLocation& origin, model::Diagnostics& diagnostics) {
  PairScanner(markdown, field, cloze, origin, diagnostics).run();
}

void warn_accidental_lists(std::string_view markdown, const model::SourceLocation& origin,
                           model::Diagnostics& diagnostics) {
  bool in_paragraph = false;
  bool previous_is_prose = false;
  std::size_t paragraph_indent = 0;
  std::string_view previous;
  int number = 0;
  for (const Line& line : split_lines(markdown)) {
    ++number;
    std::string_view content = markdown.substr(line.start, line.size);
    if (line.in_fence || content.find_first_not_of(" \t") == std::string_view::npos) {
      in_paragraph = false;
      continue;
    }
    std::size_t indent = leading_spaces(content);
    std::string_view rest = content.substr(indent);
    if (!in_paragraph) {
      in_paragraph = true;
      paragraph_indent = indent;
      previous_is_prose = !starts_block(rest);
      previous = content;
      continue;
    }
    std::string_view marker = list_marker(rest);
    std::size_t last = previous.find_last_not_of(" \t");
    bool introduces = last != std::string_view::npos && previous[last] == ':';
    if (!marker.empty() && previous_is_prose && !introduces && indent <= paragraph_indent + 3) {
      diagnostics.warning(
          location(origin, number, static_cast<int>(indent) + 1),
          "'" + std::string(marker) +
              "' at the start of this line begins a list inside a paragraph",
          "if the sentence goes on, move '" + std::string(marker.substr(0, marker.size() - 1)) +
              "' to the end of the line before; if a list is meant, put a blank line before it");
    }
    previous_is_prose = previous_is_prose && marker.empty();
    previous = content;
  }
}

}  // namespace load
