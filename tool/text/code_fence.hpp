// A fenced code block's info string and source: rustdoc-style annotations
// ("rust,compile_fail,E0382", "ignore(reason)") and rustdoc's rules for Rust snippets.
#pragma once

#include <string>
#include <string_view>

#include "model/document.hpp"

namespace text {

// Parses a fence info string such as "rust,compile_fail,E0382" into `block`'s language and
// check fields; returns an error message, or "" when the annotations are valid.
std::string apply_code_annotations(std::string_view info, model::CodeBlock& block);

// Applies rustdoc's rules to a Rust snippet: hidden "# " lines are compiled but not shown,
// and a snippet without `fn main` is wrapped in one. Fills block.lines and block.source.
void prepare_rust_source(std::string_view code, model::CodeBlock& block);

// Any other language: every line is shown and is the source. Fills block.lines and
// block.source.
void prepare_plain_source(std::string_view code, model::CodeBlock& block);

}  // namespace text
