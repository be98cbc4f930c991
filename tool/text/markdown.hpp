// Markdown text (from a YAML field) → model::Body. The only cmark user. Also owns the
// cloze pre-pass ({{c1::…}}) and the rustdoc-style code-fence annotations.
#pragma once

#include <string_view>

#include "model/diagnostics.hpp"
#include "model/document.hpp"

namespace text {

struct MarkdownOptions {
  // Where the first character of the Markdown text sits in its YAML file; line and column
  // of every block and diagnostic are reported relative to it.
  model::SourceLocation origin;
  bool cloze = false;  // parse {{cN::…}} deletions (cloze card text only)
};

// Parses CommonMark into blocks of flat inline runs; problems (headings, unclosed fences,
// bad code annotations, bad cloze syntax) become diagnostics and parsing continues.
model::Body parse_markdown(std::string_view markdown, const MarkdownOptions& options,
                           model::Diagnostics& diagnostics);

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
