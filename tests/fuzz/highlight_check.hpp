// The invariant both highlighter fuzz targets check: the tokens of each line give the line
// back (tabs expanded to the next multiple of 4 columns counted in code points, carriage
// returns dropped), and no token holds a newline.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "fuzz/fuzz_support.hpp"
#include "text/highlight_rust.hpp"

namespace fuzz {

inline void require_source_back(std::string_view source,
                                const std::vector<text::TokenLine>& lines) {
  std::string expected;
  std::size_t column = 0;  // in code points, as the highlighters count them
  for (char c : source) {
    if (c == '\n') {
      expected += c;
      column = 0;
    } else if (c == '\t') {
      expected.append(4 - column % 4, ' ');
      column += 4 - column % 4;
    } else if (c != '\r') {
      expected += c;
      column += (static_cast<unsigned char>(c) & 0xC0U) != 0x80U ? 1 : 0;
    }
  }
  std::string rebuilt;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) {
      rebuilt += '\n';
    }
    for (const text::Token& token : lines[i]) {
      require(token.text.find('\n') == std::string::npos, "a token contains a newline");
      rebuilt += token.text;
    }
  }
  require(rebuilt == expected, "tokens do not give the source back");
}

}  // namespace fuzz
