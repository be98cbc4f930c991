// A YAML file as a small tree whose every node remembers its file:line:col. The only
// libyaml user; it also guards against hostile input (aliases, deep nesting, bad bytes).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/diagnostics.hpp"

namespace load {

struct YamlEntry;

struct YamlNode {
  enum class Kind { null, scalar, sequence, map };
  Kind kind = Kind::null;
  std::string value;               // scalar text (null: the word that read as null, if any)
  std::vector<YamlNode> items;     // sequence items
  std::vector<YamlEntry> entries;  // map: key (scalar) → value
  model::SourceLocation where;     // the node itself (for a block scalar: its `|` or `>`)
  int origin_line = 0;             // scalar: where the first character of its text is
  int origin_column = 0;           // (in the same file: a copy of its name per node costs)
  bool quoted_or_block = false;    // scalar was quoted or a block scalar (not a plain word)

  // Readable name of the kind for messages: "a string", "a list", "a mapping", "empty".
  [[nodiscard]] std::string kind_name() const;
  // A plain null, NULL or Null: YAML's no value, where a pack may well have meant the word.
  [[nodiscard]] bool is_null_word() const {
    return kind == Kind::null && !value.empty() && value != "~";
  }
  // A scalar's first character of text, as a location.
  [[nodiscard]] model::SourceLocation origin() const {
    return {where.file, origin_line, origin_column};
  }
};

// A named struct, not std::pair: clang cannot instantiate a pair of the incomplete YamlNode.
struct YamlEntry {
  YamlNode key;
  YamlNode value;
};

// Largest file accepted; larger ones are rejected before parsing (a study topic is ~50 KB).
inline constexpr std::size_t max_yaml_file_bytes = 4U * 1024U * 1024U;

// Parses one YAML document. Invalid UTF-8, NUL bytes and other control characters, tabs
// used for indentation, syntax errors, a second document, anchors/aliases, duplicate keys
// and nesting deeper than 32 levels become diagnostics; the result is empty when the file
// cannot be used at all.
std::optional<YamlNode> parse_yaml(const std::string& text, const std::string& file_name,
                                   model::Diagnostics& diagnostics);

}  // namespace load
