// Fuzzes text::highlight_rust: any bytes give lines whose tokens concatenate to the source
// lines (tabs expanded to the next multiple of 4 columns, carriage returns dropped), no
// token holds a newline, nothing else is dropped.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/fuzz_support.hpp"
#include "text/highlight_rust.hpp"

PREPKIT_FUZZ_TARGET(fuzz_highlight_rust) {
  std::string_view source(reinterpret_cast<const char*>(data), size);
  std::vector<text::TokenLine> lines = text::highlight_rust(source);

  std::string expected;
  std::size_t column = 0;  // in code points, as the highlighter counts them
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
      fuzz::require(token.text.find('\n') == std::string::npos, "a token contains a newline");
      rebuilt += token.text;
    }
  }
  fuzz::require(rebuilt == expected, "tokens do not give the source back");
  return 0;
}
