// Source code of any language → lines of classified tokens (the HighlightTag classes the
// booklet, the flashcards and the Anki CSS already style). Rust goes to our own lexer
// (text/highlight_rust.hpp); every other language GNU source-highlight knows goes through
// it (the only source-highlight user); an unknown language is one plain token per line.
#pragma once

#include <string_view>
#include <vector>

#include "text/highlight_rust.hpp"

namespace text {

// True when `language` (a fence's first word or a card's `lang:`, any case: "sql", "go",
// "ts", "c++", …) is highlighted; false for "text", "console", "" and unknown names.
bool can_highlight(std::string_view language);

// Like highlight_rust (same guarantees: the tokens of a line give the line back, tabs
// expanded to 4 spaces, nothing dropped), for `language`.
std::vector<TokenLine> highlight_code(std::string_view language, std::string_view source);

}  // namespace text
