// Typed, located access to a YAML mapping: required and optional keys, wrong types and
// unknown keys (with a "did you mean" hint) all become diagnostics.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "load/yaml_tree.hpp"
#include "model/diagnostics.hpp"

namespace load {

class MapReader {
 public:
  // `what` names the mapping in messages ("topic", "card"). Reports right away when `node`
  // is not a mapping, and every key that is not in `allowed_keys` (load/key_table.hpp's).
  MapReader(const YamlNode& node, std::string what, std::vector<std::string_view> allowed_keys,
            model::Diagnostics& diagnostics);

  [[nodiscard]] bool is_map() const { return m_is_map; }
  [[nodiscard]] const model::SourceLocation& where() const { return m_node.where; }

  // The value of `key`, or nullptr when absent (reported when `required`).
  const YamlNode* find(std::string_view key, bool required = false);
  // A scalar's text; "" when absent or of the wrong type (both reported as needed).
  std::string string(std::string_view key, bool required = false);
  // A list of scalars; reports items that are not scalars.
  std::vector<std::string> string_list(std::string_view key, bool required = false);
  // true/false (YAML's spellings); `fallback` when absent.
  bool boolean(std::string_view key, bool fallback);
  // A list node (items to be read by the caller); nullptr when absent or not a list.
  const YamlNode* list(std::string_view key, bool required = false);
  // A string that must be an id: lowercase letters, digits and hyphens.
  std::string id(std::string_view key = "id");

  // Diagnostics sink, for callers that validate values further.
  model::Diagnostics& diagnostics() { return m_diagnostics; }

 private:
  const YamlNode& m_node;
  std::string m_what;
  model::Diagnostics& m_diagnostics;
  bool m_is_map = false;
  // Keys an unknown key was taken for ("fornt" → "front"): that error says they are missing.
  std::vector<std::string> m_suggested;
};

// The closest of `candidates` to `word` when it is a plausible typo, else "".
std::string closest_match(std::string_view word, const std::vector<std::string_view>& candidates);

// True for ids made of lowercase ASCII letters, digits and single hyphens ("move-vs-copy").
bool is_valid_id(std::string_view id);

}  // namespace load
