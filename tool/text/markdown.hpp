// Markdown text (from a YAML field) → model::Body. The only cmark user. Also owns the
// cloze pre-pass ({{c1::…}}); code fences go through text/code_fence.hpp.
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

}  // namespace text
