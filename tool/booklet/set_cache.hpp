// The set paragraphs and code rows that the booklet's layout passes share, and the keys
// they are stored under.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "typeset/line_breaking.hpp"

namespace booklet {

// One row of a code block as set: pieces with x from the code's left edge.
struct CodeRow {
  std::vector<std::pair<double, typeset::Piece>> pieces;
  bool continued = false;  // a wrapped continuation of the row before
  bool blank = false;
};

// A code block's rows as kept: their pieces (a line per row) and what each row is.
struct SetCodeRows {
  struct Kind {
    bool continued = false;
    bool blank = false;
  };
  typeset::SetLines text;
  std::vector<Kind> kinds;
  explicit SetCodeRows(const std::vector<CodeRow>& rows);
};

// Paragraph lines and code rows already set, under a key made of everything that decides
// them: the layout passes that settle cross-reference page numbers set the same material
// again. Safe to use from several threads.
class SetCache {
 public:
  using Lines = std::shared_ptr<const typeset::SetLines>;
  using CodeRows = std::shared_ptr<const SetCodeRows>;
  // The lines stored under `key`, or null.
  [[nodiscard]] Lines lines(const std::string& key) const;
  // Stores `lines` under `key` unless some are there already; returns the stored ones.
  Lines add_lines(const std::string& key, Lines lines);
  [[nodiscard]] CodeRows code_rows(const std::string& key) const;
  CodeRows add_code_rows(const std::string& key, CodeRows rows);
  // Take what is stored under `key` out of the cache (its last use); null when absent.
  Lines take_lines(const std::string& key);
  CodeRows take_code_rows(const std::string& key);

 private:
  mutable std::mutex m_mutex;
  std::unordered_map<std::string, Lines> m_lines;
  std::unordered_map<std::string, CodeRows> m_code_rows;
};

// Appends the bytes of a plain value to a cache key.
template <typename T>
void add_value(std::string& key, const T& value) {
  static_assert(std::is_trivially_copyable_v<T>);
  key.append(reinterpret_cast<const char*>(&value), sizeof value);
}

// Appends text with its length, so that consecutive texts cannot run into each other.
inline void add_text(std::string& key, std::string_view text) {
  add_value(key, text.size());
  key += text;
}

// Set text under `key`: the cache's, else made by `set`. While `keep`, what is set is stored
// for a later pass; otherwise the cache's is taken out and what is set is not stored.
template <typename Value, typename Set>
std::shared_ptr<const Value> reuse_or_set(SetCache& cache, const std::string& key, bool keep,
                                          Set&& set) {
  constexpr bool is_lines = std::is_same_v<Value, typeset::SetLines>;
  std::shared_ptr<const Value> found;
  if constexpr (is_lines) {
    found = keep ? cache.lines(key) : cache.take_lines(key);
  } else {
    found = keep ? cache.code_rows(key) : cache.take_code_rows(key);
  }
  if (found) {
    return found;
  }
  auto made = std::make_shared<const Value>(set());
  if (!keep) {
    return made;
  }
  if constexpr (is_lines) {
    return cache.add_lines(key, std::move(made));
  } else {
    return cache.add_code_rows(key, std::move(made));
  }
}

}  // namespace booklet
