// Fuzzes a card field on its way into the deck: text::parse_markdown, then
// anki::body_html or, when the first byte is odd, anki::cloze_html (and Anki's
// strip_html_media, as the sort field gets it). For accepted text it checks that every
// tag is one the renderer makes and tags are balanced (content never becomes markup), that
// braces only appear as whole {{cN::…}} deletions (so Anki's template engine and cloze
// parser see exactly the deletions written), with at most one "::" hint separator each.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "anki/card_html.hpp"
#include "fuzz/fuzz_support.hpp"
#include "model/diagnostics.hpp"
#include "text/markdown.hpp"

namespace card_html_fuzz {

bool is_letter(char ch) {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

// Every tag is one the renderer writes; every non-void tag is closed, in order.
void require_renderer_tags(std::string_view html) {
  static constexpr std::string_view allowed[] = {"p",    "ul",         "ol", "li", "pre", "code",
                                                 "span", "blockquote", "b",  "i",  "a"};
  static constexpr std::string_view void_tags[] = {"img", "br"};
  std::vector<std::string_view> open;
  for (std::size_t at = html.find('<'); at != std::string_view::npos; at = html.find('<', at)) {
    const bool closing = at + 1 < html.size() && html[at + 1] == '/';
    std::size_t name_end = at + (closing ? 2 : 1);
    const std::size_t name_start = name_end;
    while (name_end < html.size() && is_letter(html[name_end])) {
      ++name_end;
    }
    const std::string_view name = html.substr(name_start, name_end - name_start);
    fuzz::require(name_end < html.size() && (html[name_end] == '>' || html[name_end] == ' '),
                  "a '<' that does not start a tag");
    const std::size_t end = html.find('>', name_end);
    fuzz::require(end != std::string_view::npos, "an unterminated tag");
    bool is_void = false;
    for (std::string_view tag : void_tags) {
      is_void = is_void || name == tag;
    }
    bool known = is_void;
    for (std::string_view tag : allowed) {
      known = known || name == tag;
    }
    fuzz::require(known, "a tag the renderer does not make");
    if (closing) {
      fuzz::require(!is_void && !open.empty() && open.back() == name, "unbalanced tags");
      open.pop_back();
    } else if (!is_void) {
      open.push_back(name);
    }
    at = end + 1;
  }
  fuzz::require(open.empty(), "a tag left open");
}

// Braces only in whole deletions, {{cN:: … }}, never nested, with at most one "::" inside.
void require_cloze_syntax(std::string_view html, bool cloze) {
  std::size_t at = 0;
  while (at < html.size()) {
    const std::size_t brace = html.find_first_of("{}", at);
    if (brace == std::string_view::npos) {
      return;
    }
    fuzz::require(cloze && html.compare(brace, 3, "{{c") == 0, "a brace outside a deletion");
    std::size_t digits = brace + 3;
    while (digits < html.size() && html[digits] >= '0' && html[digits] <= '9') {
      ++digits;
    }
    fuzz::require(digits > brace + 3 && html.compare(digits, 2, "::") == 0,
                  "a deletion without its number");
    const std::size_t close = html.find("}}", digits + 2);
    fuzz::require(close != std::string_view::npos, "a deletion without its end");
    const std::string_view inner = html.substr(digits + 2, close - digits - 2);
    fuzz::require(inner.find_first_of("{}") == std::string_view::npos, "a brace in a deletion");
    const std::size_t hint = inner.find("::");
    fuzz::require(
        hint == std::string_view::npos || inner.find("::", hint + 2) == std::string_view::npos,
        "more than one '::' in a deletion");
    at = close + 2;
  }
}

bool has_sentinel(std::string_view text) {
  return text.find("\xEE\x80\x80") != std::string_view::npos ||
         text.find("\xEE\x80\x81") != std::string_view::npos ||
         text.find("\xEE\x80\x82") != std::string_view::npos;
}

}  // namespace card_html_fuzz

PREPKIT_FUZZ_TARGET(fuzz_card_html) {
  if (size == 0) {
    return 0;
  }
  const bool cloze = (data[0] & 1U) != 0;
  const std::string_view field(reinterpret_cast<const char*>(data) + 1, size - 1);
  model::Diagnostics diagnostics;
  text::MarkdownOptions options;
  options.origin = {"fuzz.yaml", 3, 7};
  options.cloze = cloze;
  const model::Body body = text::parse_markdown(field, options, diagnostics);
  if (diagnostics.has_errors()) {
    return 0;  // the build stops before any field is rendered
  }
  const anki::HtmlContext context;
  const std::string html = cloze ? anki::cloze_html(body, context) : anki::body_html(body, context);
  card_html_fuzz::require_renderer_tags(html);
  card_html_fuzz::require_cloze_syntax(html, cloze);
  fuzz::require(
      !cloze || card_html_fuzz::has_sentinel(field) || !card_html_fuzz::has_sentinel(html),
      "a cloze sentinel leaked into the field");
  const std::string sort_field = anki::strip_html_media(html);
  fuzz::require(sort_field.find('<') == std::string::npos || html.find("&lt;") != std::string::npos,
                "a tag left in the sort field");
  (void)anki::is_blank_field(html);
  return 0;
}
