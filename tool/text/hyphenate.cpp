#include "text/hyphenate.hpp"

#include <hyphen.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <mutex>
#include <unordered_map>

#include "util/error.hpp"

namespace text {
namespace {

constexpr int left_min = 2;
constexpr int right_min = 3;
// Short words gain little from a break and are often names ("hy-per", "to-kio"): whole.
constexpr std::size_t shortest_word = 7;

bool is_upper(char c) {
  return c >= 'A' && c <= 'Z';
}
bool is_lower(char c) {
  return c >= 'a' && c <= 'z';
}

}  // namespace

bool is_hyphenatable(std::string_view word) {
  if (word.size() < shortest_word) {
    return false;
  }
  for (char c : word) {
    if (!is_upper(c) && !is_lower(c)) {
      return false;  // digits, '_', "::", '.', '/', non-ASCII: identifiers, paths, URLs
    }
  }
  // "HashMap", "RefCell", "HTTP": an uppercase letter after the first is an identifier.
  for (std::size_t i = 1; i < word.size(); ++i) {
    if (is_upper(word[i])) {
      return false;
    }
  }
  return true;
}

namespace {

// Looks words up by view, without making a string of each.
struct WordHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view word) const {
    return std::hash<std::string_view>{}(word);
  }
};

}  // namespace

struct Hyphenator::Dictionary {
  HyphenDict* dict = nullptr;
  // Prose repeats its words: remembering each word's points saves most libhyphen calls.
  std::mutex mutex;
  std::unordered_map<std::string, std::vector<std::size_t>, WordHash, std::equal_to<>> points;
};

Hyphenator::Hyphenator(const std::string& dictionary)
    : m_dictionary(std::make_unique<Dictionary>()) {
  if (!std::filesystem::is_regular_file(dictionary)) {
    throw util::ToolError("failed to load hyphenation dictionary " + dictionary +
                          ": no such file; install the Debian package hyphen-en-us");
  }
  m_dictionary->dict = hnj_hyphen_load(dictionary.c_str());
  if (m_dictionary->dict == nullptr) {
    throw util::ToolError("failed to load hyphenation dictionary " + dictionary +
                          ": libhyphen could not read it");
  }
}

Hyphenator::~Hyphenator() {
  hnj_hyphen_free(m_dictionary->dict);
}

const std::vector<std::size_t>& Hyphenator::points(std::string_view word) const {
  static const std::vector<std::size_t> none;
  if (!is_hyphenatable(word)) {
    return none;
  }
  // Entries are complete before the lock is released and never change afterwards, so the
  // reference stays valid and may be read without the lock.
  std::lock_guard<std::mutex> lock(m_dictionary->mutex);
  const auto known = m_dictionary->points.find(word);
  if (known != m_dictionary->points.end()) {
    return known->second;
  }
  return m_dictionary->points.emplace(std::string(word), compute_points(word)).first->second;
}

void Hyphenator::keep_whole(std::string_view word) {
  if (word.empty()) {
    return;
  }
  std::string capital(word);
  capital[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(capital[0])));
  // The memo of points: a word known to have none is never hyphenated.
  std::lock_guard<std::mutex> lock(m_dictionary->mutex);
  m_dictionary->points.insert_or_assign(std::string(word), std::vector<std::size_t>());
  m_dictionary->points.insert_or_assign(capital, std::vector<std::size_t>());
}

std::vector<std::size_t> Hyphenator::compute_points(std::string_view word) const {
  std::vector<std::size_t> result;
  std::string lower(word);
  for (char& c : lower) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  const int size = static_cast<int>(lower.size());
  std::vector<char> hyphens(lower.size() + 5, '0');
  char** rep = nullptr;
  int* pos = nullptr;
  int* cut = nullptr;
  const int failed =
      hnj_hyphen_hyphenate3(m_dictionary->dict, lower.c_str(), size, hyphens.data(), nullptr, &rep,
                            &pos, &cut, left_min, right_min, left_min, right_min);
  // English patterns have no non-standard (replacing) hyphenation; free it if present.
  if (rep != nullptr) {
    for (int i = 0; i < size; ++i) {
      std::free(rep[i]);
    }
    std::free(rep);
    std::free(pos);
    std::free(cut);
    return result;
  }
  if (failed != 0) {
    return result;
  }
  // An odd digit after character i allows a hyphen between i and i + 1.
  for (std::size_t i = 0; i + 1 < lower.size(); ++i) {
    if ((hyphens[i] - '0') % 2 == 1) {
      const std::size_t point = i + 1;
      if (point >= static_cast<std::size_t>(left_min) &&
          lower.size() - point >= static_cast<std::size_t>(right_min)) {
        result.push_back(point);
      }
    }
  }
  return result;
}

std::string Hyphenator::show(std::string_view word) const {
  std::string out;
  std::size_t last = 0;
  for (std::size_t point : points(word)) {
    out += std::string(word.substr(last, point - last)) + "-";
    last = point;
  }
  return out + std::string(word.substr(last));
}

}  // namespace text
