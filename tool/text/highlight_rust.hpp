// Rust source → lines of classified tokens. Knows no colours: the booklet and the Anki
// CSS map each HighlightTag to a style.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/highlight_tag.hpp"

namespace text {

struct Token {
  model::HighlightTag tag = model::HighlightTag::plain;
  std::string text;  // UTF-8; never contains '\n'
};
using TokenLine = std::vector<Token>;

// Splits `source` into lines (without '\n') and classifies every token. Concatenating the
// tokens of a line gives the line back exactly; tabs are expanded to 4 spaces. Unterminated
// strings or comments are classified to the end of the input; nothing is ever dropped.
std::vector<TokenLine> highlight_rust(std::string_view source);

}  // namespace text
