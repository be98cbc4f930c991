#include "load/yaml_tree.hpp"

#include <yaml.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <new>
#include <string_view>
#include <unordered_map>

namespace load {
namespace {

constexpr int max_depth = 32;

// One libyaml event, released when it goes out of scope.
class Event {
 public:
  Event() = default;
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;
  ~Event() { yaml_event_delete(&m_event); }
  yaml_event_t* out() { return &m_event; }  // for libyaml to fill
  [[nodiscard]] const yaml_event_t& get() const { return m_event; }

 private:
  yaml_event_t m_event{};
};

// A libyaml parser reading `text` where it is (libyaml keeps no copy of the whole input).
class Parser {
 public:
  explicit Parser(std::string_view text) {
    if (yaml_parser_initialize(&m_parser) == 0) {
      throw std::bad_alloc();
    }
    yaml_parser_set_input_string(&m_parser, reinterpret_cast<const unsigned char*>(text.data()),
                                 text.size());
    yaml_parser_set_encoding(&m_parser, YAML_UTF8_ENCODING);
  }
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;
  ~Parser() { yaml_parser_delete(&m_parser); }
  // The next event, or false on a syntax error (then see get()'s problem fields).
  bool next(Event& event) { return yaml_parser_parse(&m_parser, event.out()) != 0; }
  [[nodiscard]] const yaml_parser_t& get() const { return m_parser; }

 private:
  yaml_parser_t m_parser{};
};

// libyaml's scalar value as a string (it is NUL-terminated, but may contain "\0" escapes).
std::string scalar_text(const yaml_event_t& event) {
  return {reinterpret_cast<const char*>(event.data.scalar.value), event.data.scalar.length};
}

// A plain scalar YAML reads as null ("", "~", "null", "Null", "NULL") and no tag overrides.
bool is_null(const yaml_event_t& event) {
  if (event.data.scalar.style != YAML_PLAIN_SCALAR_STYLE || event.data.scalar.tag != nullptr) {
    return false;
  }
  const std::string_view value(reinterpret_cast<const char*>(event.data.scalar.value),
                               event.data.scalar.length);
  return value.empty() || value == "~" || value == "null" || value == "Null" || value == "NULL";
}

bool has_anchor(const yaml_event_t& event) {
  switch (event.type) {
    case YAML_SCALAR_EVENT:
      return event.data.scalar.anchor != nullptr;
    case YAML_SEQUENCE_START_EVENT:
      return event.data.sequence_start.anchor != nullptr;
    case YAML_MAPPING_START_EVENT:
      return event.data.mapping_start.anchor != nullptr;
    default:
      return false;
  }
}

// Whether the byte at `i` ends a line as libyaml counts lines: "\n", the "\n" of "\r\n", or a
// '\r' alone.
bool ends_line(std::string_view text, std::size_t i) {
  return text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n'));
}

// Line and column of the character at byte `offset`, all bytes before it being valid UTF-8
// (columns count characters: continuation bytes are not counted).
model::SourceLocation location_at(std::string_view text, const std::string& file_name,
                                  std::size_t offset) {
  int line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < offset; ++i) {
    if (ends_line(text, i)) {
      ++line;
      line_start = i + 1;
    }
  }
  int column = 1;
  for (std::size_t i = line_start; i < offset; ++i) {
    column += (static_cast<unsigned char>(text[i]) & 0xC0U) != 0x80U ? 1 : 0;
  }
  return {file_name, line, column};
}

std::string code_point_name(unsigned code) {
  char name[16];
  std::snprintf(name, sizeof name, "U+%04X", code);
  return name;
}

// Reports the first invalid UTF-8 sequence, NUL byte or other character libyaml refuses
// (controls) or reads as a line break where a text editor shows none (YAML 1.1's U+0085,
// U+2028, U+2029), so that the message names the character and its place.
bool check_bytes(const std::string& text, const std::string& file_name,
                 model::Diagnostics& diagnostics) {
  std::size_t i = 0;
  while (i < text.size()) {
    auto byte = static_cast<unsigned char>(text[i]);
    std::size_t length = 1;
    unsigned code = byte;
    if (byte == 0) {
      diagnostics.error(location_at(text, file_name, i), "file contains a NUL byte");
      return false;
    }
    if (byte >= 0x80) {
      length = (byte & 0xE0U) == 0xC0U   ? 2
               : (byte & 0xF0U) == 0xE0U ? 3
               : (byte & 0xF8U) == 0xF0U ? 4
                                         : 0;
      bool valid = length != 0 && i + length <= text.size();
      for (std::size_t k = 1; valid && k < length; ++k) {
        valid = (static_cast<unsigned char>(text[i + k]) & 0xC0U) == 0x80U;
      }
      if (valid) {
        // Reject overlong forms and surrogates: decode and range-check.
        code = byte & (0x7FU >> length);
        for (std::size_t k = 1; k < length; ++k) {
          code = (code << 6U) | (static_cast<unsigned char>(text[i + k]) & 0x3FU);
        }
        static constexpr unsigned minimum[] = {0, 0, 0x80, 0x800, 0x10000};
        valid = code >= minimum[length] && code <= 0x10FFFF && (code < 0xD800 || code > 0xDFFF);
      }
      if (!valid) {
        diagnostics.error(location_at(text, file_name, i), "file is not valid UTF-8",
                          "save the file with UTF-8 encoding");
        return false;
      }
    }
    if (code == 0x85 || code == 0x2028 || code == 0x2029) {
      diagnostics.error(location_at(text, file_name, i),
                        "file contains the character " + code_point_name(code) +
                            ", which YAML reads as a line break",
                        "replace it with a line break or a space");
      return false;
    }
    const bool control = (code < 0x20 && code != '\t' && code != '\n' && code != '\r') ||
                         (code >= 0x7F && code < 0xA0) || code == 0xFFFE || code == 0xFFFF;
    if (control) {
      diagnostics.error(
          location_at(text, file_name, i),
          "file contains the control character " + code_point_name(code),
          "remove it; of the control characters YAML allows only tab and line breaks");
      return false;
    }
    i += length;
  }
  return true;
}

// Builds YamlNodes from libyaml's parse events, so that aliases can be refused (a
// billion-laughs document would otherwise expand when walked) and marks are kept.
class TreeBuilder {
 public:
  TreeBuilder(std::string_view text, std::string file_name, model::Diagnostics& diagnostics)
      : m_text(text),
        m_lines(split(text)),
        m_file(std::move(file_name)),
        m_diagnostics(diagnostics) {}

  std::optional<YamlNode> result() { return m_failed ? std::nullopt : std::move(m_root); }

  // Reads every event of the first document; stops at a syntax error, at nesting deeper
  // than max_depth, or where a second document starts. A file without any document (only
  // comments) is an error, as an empty file is.
  void read(Parser& parser) {
    int documents = 0;
    for (;;) {
      Event event;
      if (!parser.next(event)) {
        syntax_error(parser.get());
        return;
      }
      const yaml_event_t& parsed = event.get();
      const yaml_mark_t& mark = parsed.start_mark;
      if (has_anchor(parsed)) {
        fail(mark, "YAML anchors (&name) are not supported", "write the value out in full");
      }
      switch (parsed.type) {
        case YAML_STREAM_END_EVENT:
          if (documents == 0) {
            m_diagnostics.error({m_file, 0, 0}, "file is empty", "it holds only comments");
            m_failed = true;
          }
          return;
        case YAML_DOCUMENT_START_EVENT:
          if (++documents > 1) {
            fail(mark, "a second YAML document starts here; prepkit reads one per file",
                 "remove this '---' line, or move what follows into a file of its own");
            return;
          }
          break;
        case YAML_ALIAS_EVENT:
          fail(mark, "YAML aliases (*name) are not supported", "write the value out in full");
          add(node_at(mark, YamlNode::Kind::null));  // keeps keys paired with their values
          break;
        case YAML_SCALAR_EVENT:
          add_scalar(parsed);
          break;
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
          if (static_cast<int>(m_stack.size()) >= max_depth) {
            fail(mark,
                 "YAML is nested too deeply (more than " + std::to_string(max_depth) + " levels)");
            return;
          }
          open(mark, parsed.type == YAML_SEQUENCE_START_EVENT ? YamlNode::Kind::sequence
                                                              : YamlNode::Kind::map);
          break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
          close();
          break;
        default:
          break;
      }
    }
  }

 private:
  // The lines of `text`, numbered as libyaml numbers them (a "\r\n" line keeps its '\r'; no
  // empty line after a final line break).
  static std::vector<std::string_view> split(std::string_view text) {
    std::vector<std::string_view> lines;
    std::size_t start = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (ends_line(text, i)) {
        lines.push_back(text.substr(start, i - start));
        start = i + 1;
      }
    }
    if (start < text.size()) {
      lines.push_back(text.substr(start));
    }
    return lines;
  }

  void fail(const yaml_mark_t& mark, const std::string& message, const std::string& hint = {}) {
    if (!m_failed) {
      m_diagnostics.error(location(mark), message, hint);
    }
    m_failed = true;
  }

  // libyaml counts a column in characters; prepkit's columns count bytes, as the Markdown
  // positions added to a scalar's origin do. Marks come in increasing order, so the byte
  // offset is found from the previous one's (a long line is walked once, not per mark).
  [[nodiscard]] std::size_t byte_column(const yaml_mark_t& mark) {
    if (mark.line >= m_lines.size()) {
      return mark.column;
    }
    const std::string_view line = m_lines[mark.line];
    if (m_cursor.line != mark.line || m_cursor.characters > mark.column) {
      m_cursor = {mark.line, 0, 0};
    }
    while (m_cursor.characters < mark.column && m_cursor.bytes < line.size()) {
      ++m_cursor.bytes;
      while (m_cursor.bytes < line.size() &&
             (static_cast<unsigned char>(line[m_cursor.bytes]) & 0xC0U) == 0x80U) {
        ++m_cursor.bytes;
      }
      ++m_cursor.characters;
    }
    return m_cursor.bytes + (mark.column - m_cursor.characters);
  }

  [[nodiscard]] model::SourceLocation location(const yaml_mark_t& mark) {
    return {m_file, static_cast<int>(mark.line) + 1, static_cast<int>(byte_column(mark)) + 1};
  }

  // The character at a location, or '\0' past the end of its line.
  [[nodiscard]] char character_at(const model::SourceLocation& where) const {
    const auto line = static_cast<std::size_t>(where.line - 1);
    const auto column = static_cast<std::size_t>(where.column - 1);
    return line < m_lines.size() && column < m_lines[line].size() ? m_lines[line][column] : '\0';
  }

  [[nodiscard]] bool line_has_tab(int line) const {
    const auto index = static_cast<std::size_t>(line - 1);
    return index < m_lines.size() && m_lines[index].find('\t') != std::string_view::npos;
  }

  // libyaml's problem, in plain words, at the place the writer has to look.
  void syntax_error(const yaml_parser_t& parser) {
    if (parser.error == YAML_MEMORY_ERROR) {
      throw std::bad_alloc();
    }
    const std::string problem = parser.problem != nullptr ? parser.problem : "unreadable input";
    const std::string context = parser.context != nullptr ? parser.context : "";
    if (parser.error == YAML_READER_ERROR) {  // check_bytes reports these first; kept as a guard
      m_diagnostics.error(location_at(m_text, m_file, parser.problem_offset),
                          "invalid YAML: " + problem);
      m_failed = true;
      return;
    }
    const model::SourceLocation where = location(parser.problem_mark);
    const model::SourceLocation opened = location(parser.context_mark);
    const std::string opened_at =
        "line " + std::to_string(opened.line) + ", column " + std::to_string(opened.column);
    std::string message = problem;
    std::string hint;
    yaml_mark_t at = parser.problem_mark;
    if (problem == "found unexpected end of stream" &&
        context == "while scanning a quoted scalar") {
      at = parser.context_mark;
      message = "this quoted string is never closed";
      hint = "add the closing quote; the file ends inside the string";
    } else if (problem == "mapping values are not allowed in this context") {
      message = "a 'key: value' pair cannot start here";
      hint = "is this line indented too far? A value that contains ': ' must be quoted";
    } else if (problem == "block sequence entries are not allowed in this context") {
      message = "a '- ' list item cannot start here";
      hint = "start the list on the next line, or quote a value that begins with '- '";
    } else if (problem == "did not find expected key" &&
               context == "while parsing a block mapping") {
      message = "expected a key of the mapping that starts at " + opened_at;
      hint = "check this line's indentation against the lines above";
    } else if (problem == "did not find expected ',' or ']'") {
      message = "the list opened with '[' at " + opened_at + " is not closed with ']'";
      hint = "expected ',' or ']' here";
    } else if (problem == "did not find expected ',' or '}'") {
      message = "the mapping opened with '{' at " + opened_at + " is not closed with '}'";
      hint = "expected ',' or '}' here";
    } else if (problem.find("tab character") != std::string::npos ||
               (problem == "found character that cannot start any token" &&
                character_at(where) == '\t')) {
      message = "a tab is used for indentation";
    } else if (problem == "found character that cannot start any token" &&
               std::isgraph(static_cast<unsigned char>(character_at(where))) != 0) {
      message = std::string("'") + character_at(where) + "' cannot start a value";
      hint = "quote the value";
    } else if (problem == "could not find expected ':'" &&
               context == "while scanning a simple key") {
      // libyaml looks for a key's ':' on the key's own line, at most 1024 characters on.
      at = parser.context_mark;
      if (where.line == opened.line && where.column - opened.column >= 1024) {
        message = "this key is longer than 1024 characters";
        hint = "YAML keys stop there; shorten it";
      } else {
        message = "this line has no ':' after its key";
        hint = "a key and its ':' stay on one line; quote a value that needs more lines";
      }
    } else if (problem == "found unknown escape character") {
      message = "unknown escape sequence in a double-quoted string";
      hint = "write \\\\ for a backslash, or use single quotes";
    } else if (!context.empty()) {
      message += " (" + context + " at " + opened_at + ")";
    }
    // Tabs are the most common cause of YAML syntax errors in hand-edited files.
    if (hint.empty() && line_has_tab(where.line)) {
      hint = "this line contains a tab; YAML indentation must use spaces";
    }
    fail(at, "invalid YAML: " + message, hint);
  }

  // Where a scalar's text starts: after an opening quote, or on the first non-empty line
  // after a block indicator (`|`, `>`), at that line's indentation.
  void set_text_origin(const yaml_event_t& event, YamlNode& node) const {
    node.origin_line = node.where.line;
    node.origin_column = node.where.column;
    switch (event.data.scalar.style) {
      case YAML_SINGLE_QUOTED_SCALAR_STYLE:
      case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
        node.quoted_or_block = true;
        // The event starts at its tag or anchor, if any; the text after the quote.
        if (character_at(node.where) == '"' || character_at(node.where) == '\'') {
          ++node.origin_column;
        }
        return;
      case YAML_LITERAL_SCALAR_STYLE:
      case YAML_FOLDED_SCALAR_STYLE:
        node.quoted_or_block = true;
        for (auto next = static_cast<std::size_t>(node.where.line); next < m_lines.size(); ++next) {
          std::size_t indent = m_lines[next].find_first_not_of(' ');
          if (indent != std::string_view::npos) {
            node.origin_line = static_cast<int>(next) + 1;
            node.origin_column = static_cast<int>(indent) + 1;
            return;
          }
        }
        return;
      default:
        return;
    }
  }

  YamlNode node_at(const yaml_mark_t& mark, YamlNode::Kind kind) {
    YamlNode node;
    node.kind = kind;
    node.where = location(mark);
    return node;
  }

  void add_scalar(const yaml_event_t& event) {
    if (is_null(event)) {
      YamlNode node = node_at(event.start_mark, YamlNode::Kind::null);
      node.value = scalar_text(event);  // "", "~", "null": for messages
      add(std::move(node));
      return;
    }
    YamlNode node = node_at(event.start_mark, YamlNode::Kind::scalar);
    node.value = scalar_text(event);
    set_text_origin(event, node);
    add(std::move(node));
  }

  void open(const yaml_mark_t& mark, YamlNode::Kind kind) {
    m_stack.push_back(node_at(mark, kind));
    m_pending_keys.emplace_back();
    m_key_lines.emplace_back();
  }

  void close() {
    YamlNode node = std::move(m_stack.back());
    m_stack.pop_back();
    m_pending_keys.pop_back();
    m_key_lines.pop_back();
    add(std::move(node));
  }

  void add(YamlNode node) {
    if (m_stack.empty()) {
      m_root = std::move(node);
      return;
    }
    YamlNode& parent = m_stack.back();
    if (parent.kind == YamlNode::Kind::sequence) {
      parent.items.push_back(std::move(node));
      return;
    }
    std::optional<YamlNode>& key = m_pending_keys.back();
    if (!key) {
      if (node.kind != YamlNode::Kind::scalar) {
        // Most often text that starts with "{{c1::" and was not quoted.
        m_diagnostics.error(node.where, "mapping keys must be plain words",
                            "text that starts with '{' or '[' must be quoted, or YAML reads a "
                            "mapping or a list: text: \"{{c1::…}} …\"");
        m_failed = true;
      }
      key = std::move(node);
      return;
    }
    // One lookup per key, one error per repeat: a mapping of n keys costs O(n), not O(n^2).
    const auto [first, fresh] = m_key_lines.back().try_emplace(key->value, key->where.line);
    if (!fresh) {
      m_diagnostics.error(key->where, "duplicate key '" + key->value + "'",
                          "it was first given at line " + std::to_string(first->second));
      m_failed = true;
    }
    parent.entries.push_back(YamlEntry{std::move(*key), std::move(node)});
    key.reset();
  }

  struct Cursor {  // a character column of a line and its byte offset
    std::size_t line = 0;
    std::size_t characters = 0;
    std::size_t bytes = 0;
  };

  std::string_view m_text;                // outlives the builder
  std::vector<std::string_view> m_lines;  // into the text, which outlives the builder
  std::string m_file;
  model::Diagnostics& m_diagnostics;
  Cursor m_cursor;
  std::vector<YamlNode> m_stack;
  std::vector<std::optional<YamlNode>> m_pending_keys;
  std::vector<std::unordered_map<std::string, int>> m_key_lines;  // per open mapping: key → line
  std::optional<YamlNode> m_root;
  bool m_failed = false;
};
}  // namespace

std::string YamlNode::kind_name() const {
  switch (kind) {
    case Kind::null:
      // A pack about SQL or Python may well mean the word: YAML's reading surprises.
      return value.empty()
                 ? "empty"
                 : "empty (YAML reads a plain " + value + " as no value; write \"" + value + "\")";
    case Kind::scalar:
      return "a string";
    case Kind::sequence:
      return "a list";
    case Kind::map:
      return "a mapping";
  }
  return "empty";
}

std::optional<YamlNode> parse_yaml(const std::string& text, const std::string& file_name,
                                   model::Diagnostics& diagnostics) {
  if (text.size() > max_yaml_file_bytes) {
    diagnostics.error({file_name, 0, 0},
                      "file is too large (" + std::to_string(text.size() / (1024 * 1024)) +
                          " MB; the limit is " +
                          std::to_string(max_yaml_file_bytes / (1024 * 1024)) + " MB)");
    return std::nullopt;
  }
  if (!check_bytes(text, file_name, diagnostics)) {
    return std::nullopt;
  }
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    diagnostics.error({file_name, 0, 0}, "file is empty");
    return std::nullopt;
  }
  // libyaml would skip a byte order mark too, but the lines the marks index must start after it.
  std::string_view body = text;
  if (body.starts_with("\xEF\xBB\xBF")) {
    body.remove_prefix(3);
  }
  TreeBuilder builder(body, file_name, diagnostics);
  Parser parser(body);
  builder.read(parser);
  return builder.result();
}

}  // namespace load
