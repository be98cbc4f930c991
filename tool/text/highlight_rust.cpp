#include "text/highlight_rust.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace text {
namespace {

using model::HighlightTag;

constexpr std::array<std::string_view, 53> keywords = {
    "as",    "async",    "await",  "break",  "const",    "continue", "crate", "dyn",
    "else",  "enum",     "extern", "false",  "fn",       "for",      "if",    "impl",
    "in",    "let",      "loop",   "match",  "mod",      "move",     "mut",   "pub",
    "ref",   "return",   "self",   "Self",   "static",   "struct",   "super", "trait",
    "true",  "type",     "unsafe", "use",    "where",    "while",    "union", "macro_rules",
    "safe",  "yield",    "gen",    "try",    "abstract", "become",   "box",   "do",
    "final", "override", "priv",   "typeof", "unsized",
};

// Primitive types are not capitalised, but readers expect them styled as types.
constexpr std::array<std::string_view, 17> primitive_types = {
    "bool", "char", "str", "u8",  "u16",  "u32",   "u64", "u128", "usize",
    "i8",   "i16",  "i32", "i64", "i128", "isize", "f32", "f64",
};

bool is_ident_start(unsigned char c) {
  return std::isalpha(c) != 0 || c == '_' || c >= 0x80;
}
bool is_ident_char(unsigned char c) {
  return std::isalnum(c) != 0 || c == '_' || c >= 0x80;
}

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& words, std::string_view word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

class Lexer {
 public:
  explicit Lexer(std::string_view source) : m_src(source) {}

  std::vector<TokenLine> run() {
    m_lines.emplace_back();
    while (m_pos < m_src.size()) {
      lex_one();
    }
    return std::move(m_lines);
  }

 private:
  [[nodiscard]] char peek(std::size_t ahead = 0) const {
    return m_pos + ahead < m_src.size() ? m_src[m_pos + ahead] : '\0';
  }

  // Appends source text to the current line, splitting at newlines and expanding tabs.
  void emit(HighlightTag tag, std::string_view piece) {
    for (char c : piece) {
      if (c == '\n') {
        m_lines.emplace_back();
        m_column = 0;
        continue;
      }
      if (c == '\r') {
        continue;
      }
      TokenLine& line = m_lines.back();
      if (line.empty() || line.back().tag != tag) {
        line.push_back({tag, {}});
      }
      if (c == '\t') {
        std::size_t spaces = 4 - (m_column % 4);
        line.back().text.append(spaces, ' ');
        m_column += spaces;
      } else {
        line.back().text.push_back(c);
        // Count columns in code points, not bytes (continuation bytes don't advance).
        if ((static_cast<unsigned char>(c) & 0xC0U) != 0x80U) {
          ++m_column;
        }
      }
    }
  }

  void take(HighlightTag tag, std::size_t length) {
    length = std::min(length, m_src.size() - m_pos);
    emit(tag, m_src.substr(m_pos, length));
    m_pos += length;
  }

  void lex_one() {
    char c = peek();
    if (c == '/' && peek(1) == '/') {
      std::size_t end = m_src.find('\n', m_pos);
      take(HighlightTag::comment, (end == std::string_view::npos ? m_src.size() : end) - m_pos);
      return;
    }
    if (c == '/' && peek(1) == '*') {
      lex_block_comment();
      return;
    }
    if (c == '#' && (peek(1) == '[' || (peek(1) == '!' && peek(2) == '['))) {
      lex_attribute();
      return;
    }
    if (c == 'r' && (peek(1) == '"' || (peek(1) == '#' && (peek(2) == '"' || peek(2) == '#')))) {
      lex_raw_string(1);
      return;
    }
    if ((c == 'b' || c == 'c') && peek(1) == 'r' &&
        (peek(2) == '"' || (peek(2) == '#' && (peek(3) == '"' || peek(3) == '#')))) {
      lex_raw_string(2);
      return;
    }
    if ((c == 'b' || c == 'c') && peek(1) == '"') {
      lex_string(1);
      return;
    }
    if (c == 'b' && peek(1) == '\'') {
      lex_char_or_lifetime(1);
      return;
    }
    if (c == '"') {
      lex_string(0);
      return;
    }
    if (c == '\'') {
      lex_char_or_lifetime(0);
      return;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) != 0) {
      lex_number();
      return;
    }
    if (is_ident_start(static_cast<unsigned char>(c))) {
      lex_identifier();
      return;
    }
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      take(HighlightTag::plain, 1);
      return;
    }
    take(HighlightTag::punctuation, 1);
  }

  void lex_block_comment() {
    std::size_t end = m_pos + 2;
    int depth = 1;  // Rust block comments nest.
    while (end < m_src.size() && depth > 0) {
      if (m_src.compare(end, 2, "/*") == 0) {
        ++depth;
        end += 2;
      } else if (m_src.compare(end, 2, "*/") == 0) {
        --depth;
        end += 2;
      } else {
        ++end;
      }
    }
    take(HighlightTag::comment, end - m_pos);
  }

  void lex_attribute() {
    std::size_t end = m_src.find('[', m_pos) + 1;
    int depth = 1;
    bool in_string = false;
    while (end < m_src.size() && depth > 0) {
      char c = m_src[end];
      if (in_string) {
        if (c == '\\') {
          ++end;
        } else if (c == '"') {
          in_string = false;
        }
      } else if (c == '"') {
        in_string = true;
      } else if (c == '[') {
        ++depth;
      } else if (c == ']') {
        --depth;
      }
      ++end;
    }
    take(HighlightTag::attribute, end - m_pos);
  }

  void lex_raw_string(std::size_t prefix) {
    std::size_t end = m_pos + prefix;
    std::size_t hashes = 0;
    while (end < m_src.size() && m_src[end] == '#') {
      ++hashes;
      ++end;
    }
    if (end >= m_src.size() || m_src[end] != '"') {
      lex_identifier();  // e.g. `r#type`: a raw identifier, not a string
      return;
    }
    std::string closing = "\"" + std::string(hashes, '#');
    std::size_t close = m_src.find(closing, end + 1);
    end = close == std::string_view::npos ? m_src.size() : close + closing.size();
    take(HighlightTag::string, end - m_pos);
  }

  void lex_string(std::size_t prefix) {
    std::size_t end = m_pos + prefix + 1;
    while (end < m_src.size() && m_src[end] != '"') {
      end += m_src[end] == '\\' ? 2 : 1;
    }
    take(HighlightTag::string, std::min(end + 1, m_src.size()) - m_pos);
  }

  // 'a' and '\n' are chars; 'a (no closing quote right after one char) is a lifetime.
  void lex_char_or_lifetime(std::size_t prefix) {
    std::size_t start = m_pos + prefix + 1;
    if (start < m_src.size() && m_src[start] == '\\') {
      std::size_t close = m_src.find('\'', start + 2);
      std::size_t end = close == std::string_view::npos ? m_src.size() : close + 1;
      take(HighlightTag::string, end - m_pos);
      return;
    }
    // One code point, then a closing quote: a char literal.
    std::size_t after = start;
    if (after < m_src.size()) {
      ++after;
      while (after < m_src.size() && (static_cast<unsigned char>(m_src[after]) & 0xC0U) == 0x80U) {
        ++after;
      }
    }
    if (after < m_src.size() && m_src[after] == '\'') {
      take(HighlightTag::string, after + 1 - m_pos);
      return;
    }
    if (prefix == 0 && start < m_src.size() &&
        is_ident_start(static_cast<unsigned char>(m_src[start]))) {
      std::size_t end = start;
      while (end < m_src.size() && is_ident_char(static_cast<unsigned char>(m_src[end]))) {
        ++end;
      }
      take(HighlightTag::lifetime, end - m_pos);
      return;
    }
    take(HighlightTag::punctuation, 1);
  }

  void lex_number() {
    std::size_t end = m_pos;
    bool hex = peek() == '0' && (peek(1) == 'x' || peek(1) == 'X');
    while (end < m_src.size()) {
      auto c = static_cast<unsigned char>(m_src[end]);
      bool exponent_sign = !hex && (c == '+' || c == '-') && end > m_pos &&
                           (m_src[end - 1] == 'e' || m_src[end - 1] == 'E');
      // A dot belongs to the number only when a digit follows (`1.5`, not `1..5` or `1.max`).
      bool decimal_point = c == '.' && end + 1 < m_src.size() &&
                           std::isdigit(static_cast<unsigned char>(m_src[end + 1])) != 0;
      if (std::isalnum(c) != 0 || c == '_' || exponent_sign || decimal_point) {
        ++end;
      } else {
        break;
      }
    }
    take(HighlightTag::number, end - m_pos);
  }

  void lex_identifier() {
    std::size_t start = m_pos;
    if (m_src.compare(m_pos, 2, "r#") == 0) {
      start += 2;
    }
    std::size_t end = start;
    while (end < m_src.size() && is_ident_char(static_cast<unsigned char>(m_src[end]))) {
      ++end;
    }
    std::string_view word = m_src.substr(start, end - start);
    HighlightTag tag = m_after_fn ? HighlightTag::function : classify_identifier(word, end);
    take(tag, end - m_pos);
    m_after_fn = word == "fn";
  }

  [[nodiscard]] HighlightTag classify_identifier(std::string_view word, std::size_t end) const {
    std::size_t next = end;
    while (next < m_src.size() && m_src[next] == ' ') {
      ++next;
    }
    char following = next < m_src.size() ? m_src[next] : '\0';
    if (following == '!' && (next + 1 >= m_src.size() || m_src[next + 1] != '=')) {
      return HighlightTag::macro;
    }
    if (contains(keywords, word)) {
      return HighlightTag::keyword;
    }
    if (contains(primitive_types, word)) {
      return HighlightTag::type;
    }
    // `word` is empty for a lone "r#" (found by fuzzing).
    if (!word.empty() && std::isupper(static_cast<unsigned char>(word.front())) != 0) {
      return HighlightTag::type;
    }
    if (following == '(' || m_src.compare(next, 3, "::<") == 0) {
      return HighlightTag::function;
    }
    return HighlightTag::plain;
  }

  std::string_view m_src;
  std::size_t m_pos = 0;
  std::size_t m_column = 0;
  bool m_after_fn = false;  // the next identifier names a function being defined
  std::vector<TokenLine> m_lines;
};

}  // namespace

std::vector<TokenLine> highlight_rust(std::string_view source) {
  return Lexer(source).run();
}

}  // namespace text
