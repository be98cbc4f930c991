// Text split at its line feeds.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace util {

// The lines of `text` without their '\n'; a text ending in '\n' ends with an empty line.
inline std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

// The lines of a text whose every line ends in '\n' (the last may lack it): "a\nb\n" and
// "a\nb" are {"a", "b"}, "" has none.
inline std::vector<std::string> text_lines(std::string_view text) {
  std::vector<std::string_view> lines = split_lines(text);
  if (lines.back().empty()) {  // split_lines gives at least one line
    lines.pop_back();
  }
  return {lines.begin(), lines.end()};
}

}  // namespace util
