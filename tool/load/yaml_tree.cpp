#include "load/yaml_tree.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <istream>
#include <set>
#include <streambuf>
#include <unordered_map>

namespace load {
namespace {

constexpr int max_depth = 32;

// Builds YamlNodes from yaml-cpp's parse events, so that aliases can be refused (a
// billion-laughs document would otherwise expand when walked) and marks are kept.
class TreeBuilder : public YAML::EventHandler {
 public:
  TreeBuilder(const std::string& text, std::string file_name, model::Diagnostics& diagnostics)
      : m_lines(split(text)), m_file(std::move(file_name)), m_diagnostics(diagnostics) {}

  std::optional<YamlNode> result() { return m_failed ? std::nullopt : std::move(m_root); }

  void OnDocumentStart(const YAML::Mark& /*mark*/) override {}
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t /*anchor*/) override {
    YamlNode node;
    node.where = location(mark);
    add(std::move(node));
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t /*anchor*/) override {
    fail(mark, "YAML aliases (*name) are not supported", "write the value out in full");
  }

  void OnAnchor(const YAML::Mark& mark, const std::string& /*name*/) override {
    fail(mark, "YAML anchors (&name) are not supported", "write the value out in full");
  }

  void OnScalar(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t /*anchor*/,
                const std::string& value) override {
    YamlNode node;
    node.kind = YamlNode::Kind::scalar;
    node.value = value;
    node.where = location(mark);
    set_text_origin(mark, node);
    if (node.quoted_or_block && !quote_closed(mark)) {
      fail(mark, "invalid YAML: this quoted string is never closed",
           "add the closing quote; the file ends inside the string");
    }
    add(std::move(node));
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& /*tag*/,
                       YAML::anchor_t /*anchor*/, YAML::EmitterStyle::value /*style*/) override {
    open(mark, YamlNode::Kind::sequence);
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t /*anchor*/,
                  YAML::EmitterStyle::value /*style*/) override {
    open(mark, YamlNode::Kind::map);
  }
  void OnMapEnd() override { close(); }

  void fail(const YAML::Mark& mark, const std::string& message, const std::string& hint = {}) {
    if (!m_failed) {
      m_diagnostics.error(location(mark), message, hint);
    }
    m_failed = true;
  }

  [[nodiscard]] model::SourceLocation location(const YAML::Mark& mark) const {
    if (mark.is_null()) {
      return {m_file, 0, 0};
    }
    return {m_file, mark.line + 1, mark.column + 1};
  }

 private:
  // The lines of `text` (as std::getline reads them: no empty line after a final '\n').
  static std::vector<std::string_view> split(std::string_view text) {
    std::vector<std::string_view> lines;
    for (std::size_t start = 0; start < text.size();) {
      std::size_t end = std::min(text.find('\n', start), text.size());
      lines.push_back(text.substr(start, end - start));
      start = end + 1;
    }
    return lines;
  }

  // yaml-cpp ends a quoted scalar that is never closed at the end of the file, silently
  // swallowing every line after it: true when the quote at `mark` has its closing quote.
  [[nodiscard]] bool quote_closed(const YAML::Mark& mark) const {
    auto line = static_cast<std::size_t>(mark.line);
    auto column = static_cast<std::size_t>(mark.column);
    if (line >= m_lines.size() || column >= m_lines[line].size()) {
      return true;
    }
    const char quote = m_lines[line][column];
    if (quote != '"' && quote != '\'') {
      return true;  // a block scalar
    }
    ++column;
    for (; line < m_lines.size(); ++line, column = 0) {
      const std::string_view text = m_lines[line];
      for (; column < text.size(); ++column) {
        if (quote == '"' && text[column] == '\\') {
          ++column;  // an escaped character (or, at the end of the line, the line break)
        } else if (text[column] == quote) {
          if (quote == '\'' && column + 1 < text.size() && text[column + 1] == '\'') {
            ++column;  // '' is a quote inside a single-quoted string
            continue;
          }
          return true;
        }
      }
    }
    return false;
  }

  // Where a scalar's text starts: after an opening quote, or on the first non-empty line
  // after a block indicator (`|`, `>`), at that line's indentation.
  void set_text_origin(const YAML::Mark& mark, YamlNode& node) const {
    node.origin_line = node.where.line;
    node.origin_column = node.where.column;
    if (mark.is_null() || static_cast<std::size_t>(mark.line) >= m_lines.size()) {
      return;
    }
    const std::string_view line = m_lines[static_cast<std::size_t>(mark.line)];
    char first = static_cast<std::size_t>(mark.column) < line.size()
                     ? line[static_cast<std::size_t>(mark.column)]
                     : '\0';
    if (first == '"' || first == '\'') {
      node.quoted_or_block = true;
      ++node.origin_column;
      return;
    }
    if (first == '|' || first == '>') {
      node.quoted_or_block = true;
      for (auto next = static_cast<std::size_t>(mark.line) + 1; next < m_lines.size(); ++next) {
        std::size_t indent = m_lines[next].find_first_not_of(' ');
        if (indent != std::string_view::npos) {
          node.origin_line = static_cast<int>(next) + 1;
          node.origin_column = static_cast<int>(indent) + 1;
          return;
        }
      }
    }
  }

  void open(const YAML::Mark& mark, YamlNode::Kind kind) {
    if (static_cast<int>(m_stack.size()) >= max_depth) {
      fail(mark, "YAML is nested too deeply (more than " + std::to_string(max_depth) + " levels)");
    }
    YamlNode node;
    node.kind = kind;
    node.where = location(mark);
    m_stack.push_back(std::move(node));
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
        m_diagnostics.error(node.where, "mapping keys must be plain words");
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

  std::vector<std::string_view> m_lines;  // into the text, which outlives the builder
  std::string m_file;
  model::Diagnostics& m_diagnostics;
  std::vector<YamlNode> m_stack;
  std::vector<std::optional<YamlNode>> m_pending_keys;
  std::vector<std::unordered_map<std::string, int>> m_key_lines;  // per open mapping: key → line
  std::optional<YamlNode> m_root;
  bool m_failed = false;
};

// Lets yaml-cpp read the text where it is (an istringstream would first copy it).
class TextBuffer : public std::streambuf {
 public:
  explicit TextBuffer(const std::string& text) {
    char* begin = const_cast<char*>(text.data());  // a get area only: never written
    setg(begin, begin, begin + text.size());
  }
};

// Reports the first invalid UTF-8 sequence or NUL byte; YAML parsing would misreport them.
// Line and column of the character at byte `offset`, all bytes before it being valid UTF-8
// (columns count characters: continuation bytes are not counted).
model::SourceLocation location_at(const std::string& text, const std::string& file_name,
                                  std::size_t offset) {
  const std::string_view before(text.data(), offset);
  const std::size_t line_start = before.rfind('\n') + 1;  // npos + 1 == 0
  int column = 1;
  for (std::size_t i = line_start; i < offset; ++i) {
    column += (static_cast<unsigned char>(text[i]) & 0xC0U) != 0x80U ? 1 : 0;
  }
  const auto line = 1 + std::count(before.begin(), before.end(), '\n');
  return {file_name, static_cast<int>(line), column};
}

bool check_bytes(const std::string& text, const std::string& file_name,
                 model::Diagnostics& diagnostics) {
  std::size_t i = 0;
  while (i < text.size()) {
    auto byte = static_cast<unsigned char>(text[i]);
    std::size_t length = 1;
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
        unsigned code = byte & (0x7FU >> length);
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
    i += length;
  }
  return true;
}

}  // namespace

std::string YamlNode::kind_name() const {
  switch (kind) {
    case Kind::null:
      return "empty";
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
  TreeBuilder builder(text, file_name, diagnostics);
  TextBuffer buffer(text);
  std::istream in(&buffer);
  try {
    YAML::Parser parser(in);
    parser.HandleNextDocument(builder);
  } catch (const YAML::Exception& error) {
    std::string message = error.msg;
    std::string hint;
    if (!message.empty()) {
      message[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(message[0])));
    }
    // Tabs are the most common cause of YAML syntax errors in hand-edited files.
    std::size_t line_start = 0;
    for (int l = 0; l < error.mark.line && line_start != std::string::npos; ++l) {
      line_start = text.find('\n', line_start);
      line_start = line_start == std::string::npos ? line_start : line_start + 1;
    }
    if (line_start != std::string::npos) {
      std::string_view line(text.data() + line_start,
                            text.find('\n', line_start) == std::string::npos
                                ? text.size() - line_start
                                : text.find('\n', line_start) - line_start);
      if (line.find('\t') != std::string_view::npos) {
        hint = "this line contains a tab; YAML indentation must use spaces";
      }
    }
    // yaml-cpp's terse messages for the usual hand-editing mistakes, explained.
    static const std::pair<const char*, const char*> explained[] = {
        {"illegal map value",
         "is this line indented too far? A value that contains ': ' must be quoted"},
        {"end of map not found", "check this line's indentation against the lines above"},
        {"end of sequence not found", "check this line's indentation against the lines above"},
        {"end of sequence flow not found", "a list opened with '[' above is not closed with ']'"},
        {"end of map flow not found", "a mapping opened with '{' above is not closed with '}'"},
    };
    for (const auto& [text_of_error, explanation] : explained) {
      if (hint.empty() && message == text_of_error) {
        hint = explanation;
      }
    }
    builder.fail(error.mark, "invalid YAML: " + message, hint);
  }
  return builder.result();
}

}  // namespace load
