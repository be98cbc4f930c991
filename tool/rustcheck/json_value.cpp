#include "rustcheck/json_value.hpp"

#include <cstdlib>

#include "util/utf8.hpp"

namespace rustcheck {

namespace {

constexpr int k_max_depth = 200;

class Parser {
 public:
  explicit Parser(std::string_view text) : m_text(text) {}

  std::optional<JsonValue> parse_document() {
    JsonValue value;
    if (!parse_value(value, 0)) {
      return std::nullopt;
    }
    skip_space();
    if (m_pos != m_text.size()) {
      return std::nullopt;
    }
    return value;
  }

 private:
  void skip_space() {
    while (m_pos < m_text.size() && (m_text[m_pos] == ' ' || m_text[m_pos] == '\t' ||
                                     m_text[m_pos] == '\n' || m_text[m_pos] == '\r')) {
      ++m_pos;
    }
  }

  bool consume(std::string_view word) {
    if (m_text.substr(m_pos, word.size()) != word) {
      return false;
    }
    m_pos += word.size();
    return true;
  }

  bool parse_value(JsonValue& value, int depth) {
    if (depth > k_max_depth) {
      return false;
    }
    skip_space();
    if (m_pos >= m_text.size()) {
      return false;
    }
    char c = m_text[m_pos];
    if (c == '{') {
      return parse_object(value, depth);
    }
    if (c == '[') {
      return parse_array(value, depth);
    }
    if (c == '"') {
      value.kind = JsonValue::Kind::string;
      return parse_string(value.string);
    }
    if (consume("true")) {
      value.kind = JsonValue::Kind::boolean;
      value.boolean = true;
      return true;
    }
    if (consume("false")) {
      value.kind = JsonValue::Kind::boolean;
      return true;
    }
    if (consume("null")) {
      value.kind = JsonValue::Kind::null;
      return true;
    }
    return parse_number(value);
  }

  bool parse_number(JsonValue& value) {
    std::size_t start = m_pos;
    while (m_pos < m_text.size() &&
           std::string_view("+-0123456789.eE").find(m_text[m_pos]) != std::string_view::npos) {
      ++m_pos;
    }
    if (m_pos == start) {
      return false;
    }
    std::string digits(m_text.substr(start, m_pos - start));
    char* end = nullptr;
    value.kind = JsonValue::Kind::number;
    value.number = std::strtod(digits.c_str(), &end);
    return end == digits.c_str() + digits.size();
  }

  bool parse_object(JsonValue& value, int depth) {
    value.kind = JsonValue::Kind::object;
    ++m_pos;  // '{'
    skip_space();
    if (consume("}")) {
      return true;
    }
    while (true) {
      skip_space();
      std::string key;
      if (m_pos >= m_text.size() || m_text[m_pos] != '"' || !parse_string(key)) {
        return false;
      }
      skip_space();
      if (!consume(":")) {
        return false;
      }
      JsonValue member;
      if (!parse_value(member, depth + 1)) {
        return false;
      }
      value.object.emplace_back(std::move(key), std::move(member));
      skip_space();
      if (consume("}")) {
        return true;
      }
      if (!consume(",")) {
        return false;
      }
    }
  }

  bool parse_array(JsonValue& value, int depth) {
    value.kind = JsonValue::Kind::array;
    ++m_pos;  // '['
    skip_space();
    if (consume("]")) {
      return true;
    }
    while (true) {
      JsonValue element;
      if (!parse_value(element, depth + 1)) {
        return false;
      }
      value.array.push_back(std::move(element));
      skip_space();
      if (consume("]")) {
        return true;
      }
      if (!consume(",")) {
        return false;
      }
    }
  }

  bool parse_hex4(unsigned& code) {
    if (m_pos + 4 > m_text.size()) {
      return false;
    }
    code = 0;
    for (int i = 0; i < 4; ++i) {
      char c = m_text[m_pos++];
      code <<= 4U;
      if (c >= '0' && c <= '9') {
        code |= static_cast<unsigned>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        code |= static_cast<unsigned>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        code |= static_cast<unsigned>(c - 'A' + 10);
      } else {
        return false;
      }
    }
    return true;
  }

  bool parse_string(std::string& out) {
    ++m_pos;  // '"'
    while (m_pos < m_text.size()) {
      char c = m_text[m_pos++];
      if (c == '"') {
        return true;
      }
      if (c != '\\') {
        out += c;
        continue;
      }
      if (m_pos >= m_text.size()) {
        return false;
      }
      char escape = m_text[m_pos++];
      switch (escape) {
        case '"':
        case '\\':
        case '/':
          out += escape;
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          unsigned code = 0;
          if (!parse_hex4(code)) {
            return false;
          }
          if (code >= 0xD800 && code < 0xDC00 && consume("\\u")) {
            unsigned low = 0;
            if (!parse_hex4(low) || low < 0xDC00 || low >= 0xE000) {
              return false;
            }
            code = 0x10000 + ((code - 0xD800) << 10U) + (low - 0xDC00);
          }
          util::append_utf8(out, code);
          break;
        }
        default:
          return false;
      }
    }
    return false;
  }

  std::string_view m_text;
  std::size_t m_pos = 0;
};

}  // namespace

const JsonValue* JsonValue::get(std::string_view key) const {
  for (const auto& [name, value] : object) {
    if (name == key) {
      return &value;
    }
  }
  return nullptr;
}

std::string JsonValue::text(std::string_view key) const {
  const JsonValue* value = get(key);
  return value != nullptr && value->kind == Kind::string ? value->string : std::string();
}

std::optional<JsonValue> parse_json(std::string_view text) {
  return Parser(text).parse_document();
}

}  // namespace rustcheck
