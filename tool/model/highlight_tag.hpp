// The one token classification of Rust code, shared by the booklet and the Anki CSS.
#pragma once

#include <array>
#include <string_view>

namespace model {

enum class HighlightTag {
  plain,
  keyword,
  type,
  function,
  macro,
  string,
  number,
  comment,
  lifetime,
  attribute,
  punctuation,
};

inline constexpr std::array<HighlightTag, 11> all_highlight_tags = {
    HighlightTag::plain,     HighlightTag::keyword,     HighlightTag::type,
    HighlightTag::function,  HighlightTag::macro,       HighlightTag::string,
    HighlightTag::number,    HighlightTag::comment,     HighlightTag::lifetime,
    HighlightTag::attribute, HighlightTag::punctuation,
};

// Short stable name: used as the CSS class suffix ("hl-kw") and as the layout YAML key.
constexpr std::string_view highlight_tag_name(HighlightTag tag) {
  switch (tag) {
    case HighlightTag::plain:
      return "plain";
    case HighlightTag::keyword:
      return "keyword";
    case HighlightTag::type:
      return "type";
    case HighlightTag::function:
      return "function";
    case HighlightTag::macro:
      return "macro";
    case HighlightTag::string:
      return "string";
    case HighlightTag::number:
      return "number";
    case HighlightTag::comment:
      return "comment";
    case HighlightTag::lifetime:
      return "lifetime";
    case HighlightTag::attribute:
      return "attribute";
    case HighlightTag::punctuation:
      return "punctuation";
  }
  return "plain";
}

}  // namespace model
