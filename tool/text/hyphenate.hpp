// Where English words may be hyphenated: the only libhyphen user (Debian's hyph_en_US.dic,
// LEFTHYPHENMIN 2 / RIGHTHYPHENMIN 3). Identifiers, paths and URLs are never hyphenated.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace text {

// Default dictionary location (package hyphen-en-us).
inline constexpr const char* default_hyphenation_dictionary = "/usr/share/hyphen/hyph_en_US.dic";

// True when `word` is an ordinary English word that may be hyphenated: ASCII letters only,
// at least seven of them, and not shaped like an identifier (CamelCase, ALLCAPS).
bool is_hyphenatable(std::string_view word);

class Hyphenator {
 public:
  // Loads the dictionary; throws util::ToolError when it is missing or unreadable.
  explicit Hyphenator(const std::string& dictionary = default_hyphenation_dictionary);
  Hyphenator(const Hyphenator&) = delete;
  Hyphenator& operator=(const Hyphenator&) = delete;
  ~Hyphenator();

  // Byte offsets inside `word` before which a hyphen may be inserted, ascending; empty for
  // words that must not be hyphenated (see is_hyphenatable). At least 2 characters stay
  // before the first break and 3 after the last. The list lives as long as the Hyphenator.
  [[nodiscard]] const std::vector<std::size_t>& points(std::string_view word) const;

  // Never hyphenates `word` (nor its capitalised form at a sentence start): names that
  // look like English words, such as the crates and identifiers a pack quotes as code.
  void keep_whole(std::string_view word);

  // `word` with "-" at every point, for tests and debugging ("hy-phen-ation").
  [[nodiscard]] std::string show(std::string_view word) const;

 private:
  // points() without the memo: one libhyphen call.
  [[nodiscard]] std::vector<std::size_t> compute_points(std::string_view word) const;

  struct Dictionary;
  std::unique_ptr<Dictionary> m_dictionary;
};

}  // namespace text
