#include "load/map_reader.hpp"

#include <algorithm>
#include <numeric>

namespace load {
namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), 0);
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string quoted_list(const std::vector<std::string_view>& words) {
  std::string text;
  for (std::string_view word : words) {
    text += (text.empty() ? "" : ", ") + std::string(word);
  }
  return text;
}

}  // namespace

std::string closest_match(std::string_view word, const std::vector<std::string_view>& candidates) {
  // A word that begins exactly one candidate abbreviates it ("q" for "question").
  const auto abbreviates = [&](std::string_view candidate) {
    return !word.empty() && candidate.size() > word.size() && candidate.starts_with(word);
  };
  if (std::count_if(candidates.begin(), candidates.end(), abbreviates) == 1) {
    return std::string(*std::find_if(candidates.begin(), candidates.end(), abbreviates));
  }
  // Else a plausible typo, which keeps at least one of the word's letters.
  std::string best;
  std::size_t best_distance = std::min(std::max<std::size_t>(2, word.size() / 3) + 1, word.size());
  for (std::string_view candidate : candidates) {
    std::size_t distance = edit_distance(word, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

bool is_valid_id(std::string_view id) {
  if (id.empty() || id.front() == '-' || id.back() == '-' ||
      id.find("--") != std::string_view::npos) {
    return false;
  }
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

MapReader::MapReader(const YamlNode& node, std::string what,
                     std::vector<std::string_view> allowed_keys, model::Diagnostics& diagnostics)
    : m_node(node), m_what(std::move(what)), m_diagnostics(diagnostics) {
  m_is_map = node.kind == YamlNode::Kind::map;
  if (!m_is_map) {
    m_diagnostics.error(node.where,
                        m_what + " must be a mapping of keys to values, not " + node.kind_name());
    return;
  }
  const std::vector<std::string_view>& allowed = allowed_keys;
  for (const auto& [key, value] : node.entries) {
    if (std::find(allowed.begin(), allowed.end(), key.value) != allowed.end()) {
      continue;
    }
    std::string suggestion = closest_match(key.value, allowed);
    m_suggested.push_back(suggestion);
    m_diagnostics.error(key.where, "unknown key '" + key.value + "' in " + m_what,
                        suggestion.empty() ? "valid keys: " + quoted_list(allowed)
                                           : "did you mean '" + suggestion + "'?");
  }
}

const YamlNode* MapReader::find(std::string_view key, bool required) {
  if (!m_is_map) {
    return nullptr;
  }
  for (const auto& [name, value] : m_node.entries) {
    if (name.value == key) {
      return &value;
    }
  }
  const bool suggested =
      std::find(m_suggested.begin(), m_suggested.end(), key) != m_suggested.end();
  if (required && !suggested) {
    m_diagnostics.error(m_node.where,
                        "missing required key '" + std::string(key) + "' in " + m_what);
  }
  return nullptr;
}

std::string MapReader::string(std::string_view key, bool required) {
  const YamlNode* value = find(key, required);
  if (value == nullptr) {
    return {};
  }
  if (value->kind != YamlNode::Kind::scalar) {
    if (value->kind == YamlNode::Kind::null && !required) {
      if (value->is_null_word()) {
        m_diagnostics.warning(
            value->where, "'" + std::string(key) + "' in " + m_what + " is " + value->kind_name());
      }
      return {};
    }
    m_diagnostics.error(value->where, "'" + std::string(key) + "' in " + m_what +
                                          " must be a string, not " + value->kind_name());
    return {};
  }
  return value->value;
}

std::vector<std::string> MapReader::string_list(std::string_view key, bool required) {
  std::vector<std::string> items;
  const YamlNode* node = list(key, required);
  if (node == nullptr) {
    return items;
  }
  for (const YamlNode& item : node->items) {
    if (item.kind != YamlNode::Kind::scalar) {
      m_diagnostics.error(item.where, "items of '" + std::string(key) + "' in " + m_what +
                                          " must be strings, not " + item.kind_name());
      continue;
    }
    items.push_back(item.value);
  }
  return items;
}

bool MapReader::boolean(std::string_view key, bool fallback) {
  const YamlNode* value = find(key);
  if (value == nullptr) {
    return fallback;
  }
  if (value->kind == YamlNode::Kind::scalar && !value->quoted_or_block) {
    if (value->value == "true") {
      return true;
    }
    if (value->value == "false") {
      return false;
    }
  }
  m_diagnostics.error(value->where,
                      "'" + std::string(key) + "' in " + m_what + " must be true or false");
  return fallback;
}

const YamlNode* MapReader::list(std::string_view key, bool required) {
  const YamlNode* value = find(key, required);
  if (value == nullptr) {
    return nullptr;
  }
  if (value->kind != YamlNode::Kind::sequence) {
    m_diagnostics.error(value->where, "'" + std::string(key) + "' in " + m_what +
                                          " must be a list, not " + value->kind_name());
    return nullptr;
  }
  return value;
}

std::string MapReader::id(std::string_view key) {
  std::string value = string(key, true);
  const YamlNode* node = find(key);
  if (node != nullptr && node->kind == YamlNode::Kind::scalar && !is_valid_id(value)) {
    m_diagnostics.error(node->where,
                        "invalid " + m_what + " " + std::string(key) + " '" + value + "'",
                        "use lowercase letters, digits and hyphens, e.g. 'move-semantics'");
  }
  return value;
}

}  // namespace load
