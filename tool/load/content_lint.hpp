// Checks on the raw Markdown of content fields that catch text which parses but does not
// say what its author meant: a card cut short, or a line that silently starts a list.
#pragma once

#include <string_view>

#include "model/diagnostics.hpp"

namespace load {

// Errors for brackets ( ) [ ] { } that do not pair up and for an odd number of straight
// double quotes in a card field named `field` ("front", "back", "text", "extra"). Code
// spans, fenced code blocks, backslash escapes and, when `cloze`, the {{cN:: … }} braces
// are ignored. `origin` is where the field's first character sits in its YAML file.
void check_card_field_pairs(std::string_view markdown, std::string_view field, bool cloze,
                            const model::SourceLocation& origin, model::Diagnostics& diagnostics);

// A warning for each line that begins a list in the middle of a prose paragraph: a line
// starting with "- ", "+ ", "* ", "1. " or "1) " right after a line of prose that does not
// end with ':' (which would introduce a list on purpose). CommonMark lets such a line
// interrupt the paragraph, so wrapped prose like "a + b" printed as a bullet list.
void warn_accidental_lists(std::string_view markdown, const model::SourceLocation& origin,
                           model::Diagnostics& diagnostics);

}  // namespace load
