// Model Body/Inlines → the HTML stored in Anki note fields. Text is escaped exactly once
// here, code is pre-highlighted into hl-* spans, and cloze deletions are made safe for
// Anki's textual cloze parser. Also Anki's "strip HTML, keep media" for sfld/csum.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "model/document.hpp"

namespace anki {

// What rendering needs besides the content itself.
// Cross references ("#topic/section") show their text only: a page number would change the
// note whenever the booklet's pages move.
struct HtmlContext {
  // Image path (as written in the content) → flat media file name. Null: images render as
  // their alt text (deck descriptions cannot carry media).
  const std::map<std::string, std::string>* media = nullptr;
};

// Escapes prose for a note field: & < > as entities, and { } [ \ as numeric references so
// that Anki's template engine ({{…}}), sound/LaTeX tags ([sound:…]) and MathJax (\( \[)
// never see them. `"` is escaped too, so the result is also safe inside attributes.
std::string escape_field_text(std::string_view text);

// Like escape_field_text, but keeps backslashes (MathJax skips <pre>/<code>).
std::string escape_field_code(std::string_view text);

// Field HTML of a Markdown body. A body that is one paragraph becomes bare inline HTML;
// otherwise every block gets its element (<p>, <ul>, <pre>, <blockquote>, <img>).
std::string body_html(const model::Body& body, const HtmlContext& context);

// Field HTML of a cloze text: like body_html, plus every run with a cloze number inside
// {{cN::…}} (with "::hint" when given). Inside a deletion every ':', '{' and '}' sits in its
// own <span class="cz">, so that neither "::" (a hint) nor "}}" (the end) appears in the
// field, not even after Anki's editor has decoded character references. Style tags never
// cross a deletion boundary.
std::string cloze_html(const model::Body& body, const HtmlContext& context);

// A code block as <pre><code class="lang-…">: Rust gets <span class="hl-…"> per token kind
// (plain text has no span); newlines are real newlines, tabs are expanded.
std::string code_block_html(const model::CodeBlock& code);

// Anki's stripHTMLMedia: drops comments, <style>/<script> blocks and tags, replaces
// <img src="x"> by " x ", decodes entities (&nbsp; → space). Used for sfld and csum.
std::string strip_html_media(std::string_view html);

// True when the field shows nothing: only whitespace after strip_html_media.
bool is_blank_field(std::string_view html);

}  // namespace anki
