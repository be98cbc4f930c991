#include "anki/card_html.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <optional>

#include "model/highlight_tag.hpp"
#include "text/highlight_code.hpp"
#include "util/utf8.hpp"

namespace anki {
namespace {

// The character reference that stands for `ch` in a field, or nullptr when it stays as is.
constexpr const char* field_reference(char ch, bool keep_backslash) {
  switch (ch) {
    case '&':
      return "&amp;";
    case '<':
      return "&lt;";
    case '>':
      return "&gt;";
    case '"':
      return "&quot;";
    case '{':
      return "&#123;";
    case '}':
      return "&#125;";
    case '[':
      return "&#91;";
    case '\\':
      return keep_backslash ? nullptr : "&#92;";
    case '\t':
    case '\n':
    case '\r':
      return nullptr;
    default:
      // Other control characters: 0x1f separates the fields of a note in the collection.
      return static_cast<unsigned char>(ch) < 0x20 ? "&#xfffd;" : nullptr;
  }
}

// Appends `text` to `out` with each character that field_reference names replaced.
void append_escaped(std::string& out, std::string_view text, bool keep_backslash) {
  // One table lookup per byte: most text needs no reference at all.
  static constexpr auto may_need_reference = [] {
    std::array<bool, 256> table{};
    for (int ch = 0; ch < 256; ++ch) {
      table[ch] = field_reference(static_cast<char>(ch), false) != nullptr;
    }
    return table;
  }();
  std::size_t plain = 0;  // start of the characters not yet copied
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (!may_need_reference[static_cast<unsigned char>(text[i])]) {
      continue;
    }
    if (const char* reference = field_reference(text[i], keep_backslash)) {
      out.append(text, plain, i - plain);
      out += reference;
      plain = i + 1;
    }
  }
  out.append(text, plain);
}

std::string escape(std::string_view text, bool keep_backslash) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  append_escaped(out, text, keep_backslash);
  return out;
}

// Inside a deletion "::" would start the hint and "}}" end it. Character references do
// not keep them apart: Anki's editor reads a field back through innerHTML, which decodes
// them. So each ':', '{' and '}' of the deletion's text goes into its own span, which
// innerHTML keeps; tags (and the URLs in their attributes) are copied as they are.
std::string separate_cloze_syntax(std::string_view html) {
  static constexpr std::string_view open = "<span class=\"cz\">";
  static constexpr std::string_view close = "</span>";
  std::string out;
  out.reserve(html.size() + html.size() / 4);
  bool in_tag = false;
  for (std::size_t i = 0; i < html.size(); ++i) {
    const char ch = html[i];
    if (in_tag) {
      out += ch;
      in_tag = ch != '>';
    } else if (ch == '<') {
      out += ch;
      in_tag = true;
    } else if (ch == ':') {
      out.append(open).append(":").append(close);
    } else if (html.compare(i, 6, "&#123;") == 0 || html.compare(i, 6, "&#125;") == 0) {
      out.append(open).append(html.substr(i, 6)).append(close);
      i += 5;
    } else {
      out += ch;
    }
  }
  return out;
}

std::string expand_tabs(std::string_view line) {
  std::string out;
  std::size_t column = 0;
  for (const char ch : line) {
    if (ch == '\t') {
      const std::size_t spaces = 4 - column % 4;
      out.append(spaces, ' ');
      column += spaces;
    } else {
      out += ch;
      if ((static_cast<unsigned char>(ch) & 0xC0U) != 0x80U) {
        ++column;
      }
    }
  }
  return out;
}

bool is_external_link(std::string_view link) {
  return link.starts_with("https://") || link.starts_with("http://") || link.starts_with("mailto:");
}

// Renders a run sequence; keeps tags balanced and, in cloze mode, buffers each deletion
// so that it can be encoded and wrapped as a whole.
class InlineWriter {
 public:
  explicit InlineWriter(bool cloze) : m_cloze(cloze) {}

  std::string render(const model::Inlines& inlines) {
    for (std::size_t i = 0; i < inlines.size(); ++i) {
      const model::Inline& run = inlines[i];
      if (run.kind == model::Inline::Kind::soft_break) {
        sink() += ' ';
        continue;
      }
      if (run.kind == model::Inline::Kind::line_break) {
        sink() += "<br>";
        continue;
      }
      const int cloze = m_cloze ? run.cloze : 0;
      const std::string hint = cloze > 0 ? trimmed(run.cloze_hint) : std::string();
      if (cloze != m_open_cloze || hint != m_open_hint) {
        close_link();
        close_cloze();
        m_open_cloze = cloze;
        m_open_hint = hint;
      }
      if (run.link != m_open_link) {
        close_link();
        open_link(run.link);
      }
      if (run.style != m_open_style) {
        close_style();
        open_style(run.style);
      }
      append_escaped(sink(), run.text, false);
    }
    close_link();
    close_cloze();
    return std::move(m_out);
  }

 private:
  std::string& sink() { return m_open_cloze > 0 ? m_deletion : m_out; }

  static std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string::npos) {
      return {};
    }
    const auto last = text.find_last_not_of(" \t");
    return text.substr(first, last - first + 1);
  }

  void open_style(unsigned style) {
    if ((style & model::style_bold) != 0U) {
      sink() += "<b>";
    }
    if ((style & model::style_italic) != 0U) {
      sink() += "<i>";
    }
    if ((style & model::style_code) != 0U) {
      sink() += "<code>";
    }
    m_open_style = style;
  }

  void close_style() {
    if ((m_open_style & model::style_code) != 0U) {
      sink() += "</code>";
    }
    if ((m_open_style & model::style_italic) != 0U) {
      sink() += "</i>";
    }
    if ((m_open_style & model::style_bold) != 0U) {
      sink() += "</b>";
    }
    m_open_style = model::style_plain;
  }

  void open_link(const std::string& link) {
    m_open_link = link;
    if (link.empty()) {
      return;
    }
    if (is_external_link(link)) {
      sink() += "<a href=\"" + escape(link, false) + "\">";
    } else if (link.starts_with("#")) {
      sink() += "<span class=\"xref\">";
    } else {
      sink() += "<span class=\"link\">";
    }
  }

  void close_link() {
    close_style();
    if (!m_open_link.empty()) {
      sink() += is_external_link(m_open_link) ? "</a>" : "</span>";
    }
    m_open_link.clear();
  }

  void close_cloze() {
    close_link();
    if (m_open_cloze > 0) {
      m_out += "{{c" + std::to_string(m_open_cloze) + "::" + separate_cloze_syntax(m_deletion);
      if (!m_open_hint.empty()) {
        m_out += "::" + separate_cloze_syntax(escape(m_open_hint, false));
      }
      m_out += "}}";
      m_deletion.clear();
    }
    m_open_cloze = 0;
    m_open_hint.clear();
  }

  bool m_cloze;
  std::string m_out;
  std::string m_deletion;
  int m_open_cloze = 0;
  std::string m_open_hint;
  std::string m_open_link;
  unsigned m_open_style = model::style_plain;
};

std::string inlines_html(const model::Inlines& inlines, bool cloze) {
  return InlineWriter(cloze).render(inlines);
}

std::string blocks_html(const std::vector<model::Block>& blocks, const HtmlContext& context,
                        bool cloze, bool tight);

std::string block_html(const model::Block& block, const HtmlContext& context, bool cloze,
                       bool tight) {
  return std::visit(
      [&](const auto& node) -> std::string {
        using T = std::decay_t<decltype(node)>;
        if constexpr (std::is_same_v<T, model::Paragraph>) {
          const std::string inner = inlines_html(node.inlines, cloze);
          return tight ? inner : "<p>" + inner + "</p>";
        } else if constexpr (std::is_same_v<T, model::CodeBlock>) {
          return code_block_html(node);
        } else if constexpr (std::is_same_v<T, model::List>) {
          std::string html = node.ordered ? "<ol" : "<ul";
          if (node.ordered && node.start != 1) {
            html += " start=\"" + std::to_string(node.start) + "\"";
          }
          html += ">";
          for (const model::ListItem& item : node.items) {
            html += "<li>" + blocks_html(item.blocks, context, cloze, node.tight) + "</li>";
          }
          html += node.ordered ? "</ol>" : "</ul>";
          return html;
        } else if constexpr (std::is_same_v<T, model::OutputBlock>) {
          std::string html = "<pre class=\"output\"><code>";
          for (std::size_t i = 0; i < node.lines.size(); ++i) {
            html += (i > 0 ? "\n" : "") + escape(expand_tabs(node.lines[i]), true);
          }
          return html + "</code></pre>";
        } else if constexpr (std::is_same_v<T, model::Image>) {
          if (context.media != nullptr) {
            const auto found = context.media->find(node.path);
            if (found != context.media->end()) {
              return "<img src=\"" + escape(found->second, false) + "\" alt=\"" +
                     escape(node.alt, false) + "\">";
            }
          }
          return node.alt.empty() ? std::string() : "<p>" + escape(node.alt, false) + "</p>";
        } else {
          static_assert(std::is_same_v<T, model::Quote>);
          return "<blockquote>" + blocks_html(node.blocks, context, cloze, false) + "</blockquote>";
        }
      },
      block.node);
}

std::string blocks_html(const std::vector<model::Block>& blocks, const HtmlContext& context,
                        bool cloze, bool tight) {
  std::string html;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    // A tight list item's paragraphs are bare; a break keeps two of them apart.
    const bool bare = tight && std::holds_alternative<model::Paragraph>(blocks[i].node);
    if (bare && i > 0) {
      html += "<br>";
    }
    html += block_html(blocks[i], context, cloze, bare);
  }
  return html;
}

std::string body_or_cloze(const model::Body& body, const HtmlContext& context, bool cloze) {
  const bool single_paragraph =
      body.size() == 1 && std::holds_alternative<model::Paragraph>(body.front().node);
  return blocks_html(body, context, cloze, single_paragraph);
}

char ascii_lower(char ch) {
  return ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch;
}

bool starts_with_ci(std::string_view text, std::size_t at, std::string_view prefix) {
  if (at + prefix.size() > text.size()) {
    return false;
  }
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (ascii_lower(text[at + i]) != ascii_lower(prefix[i])) {
      return false;
    }
  }
  return true;
}

std::size_t find_ci(std::string_view text, std::string_view needle, std::size_t from) {
  const char lower = ascii_lower(needle[0]);
  const char upper = lower >= 'a' && lower <= 'z' ? static_cast<char>(lower - 'a' + 'A') : lower;
  for (std::size_t i = from; i + needle.size() <= text.size(); ++i) {
    if (lower == upper) {  // every needle here starts with '<' or '-': memchr finds it
      i = text.find(lower, i);
      if (i == std::string_view::npos) {
        break;
      }
    }
    if ((text[i] == lower || text[i] == upper) && starts_with_ci(text, i, needle)) {
      return i;
    }
  }
  return std::string_view::npos;
}

// Removes every `open…close` span (Anki's non-greedy, case-insensitive block regexes).
std::string remove_blocks(std::string_view html, std::string_view open, std::string_view close) {
  std::string out;
  std::size_t pos = 0;
  while (pos < html.size()) {
    const std::size_t start = find_ci(html, open, pos);
    if (start == std::string_view::npos) {
      break;
    }
    const std::size_t end = find_ci(html, close, start + open.size());
    if (end == std::string_view::npos) {
      break;
    }
    out.append(html.substr(pos, start - pos));
    pos = end + close.size();
  }
  out.append(html.substr(pos));
  return out;
}

// <img …src="x"…> → " x " (Anki's reMedia: the last src= before '>' wins, as its greedy
// [^>]+ backtracks from the end of the tag).
std::string replace_images(std::string_view html) {
  std::string out;
  std::size_t pos = 0;
  while (pos < html.size()) {
    const std::size_t start = find_ci(html, "<img", pos);
    if (start == std::string_view::npos) {
      break;
    }
    const std::size_t end = html.find('>', start);
    std::optional<std::string> name;
    if (end != std::string_view::npos) {
      const std::string_view tag = html.substr(start, end - start);
      for (std::size_t at = tag.size(); at-- > 5;) {
        if (!starts_with_ci(tag, at, "src=")) {
          continue;
        }
        std::size_t value = at + 4;
        if (value < tag.size() && (tag[value] == '"' || tag[value] == '\'')) {
          ++value;
        }
        std::size_t stop = value;
        while (stop < tag.size() && tag[stop] != '"' && tag[stop] != '\'') {
          ++stop;
        }
        if (stop > value) {
          name = std::string(tag.substr(value, stop - value));
        }
        break;
      }
    }
    if (!name) {
      out.append(html.substr(pos, start + 4 - pos));
      pos = start + 4;
      continue;
    }
    out.append(html.substr(pos, start - pos));
    out += " " + *name + " ";
    pos = end + 1;
  }
  out.append(html.substr(pos));
  return out;
}

std::string remove_tags(std::string_view html) {
  std::string out;
  std::size_t pos = 0;
  while (pos < html.size()) {
    const std::size_t start = html.find('<', pos);
    if (start == std::string_view::npos) {
      break;
    }
    const std::size_t end = html.find('>', start + 1);
    if (end == std::string_view::npos) {
      break;
    }
    out.append(html.substr(pos, start - pos));
    pos = end + 1;
  }
  out.append(html.substr(pos));
  return out;
}

bool is_word_char(char ch) {
  return std::isalnum(static_cast<unsigned char>(ch)) != 0 || ch == '_';
}

// Anki's entsToTxt: &nbsp; → space, numeric references, the named entities we ever write.
std::string decode_entities(std::string_view html) {
  std::string out;
  std::size_t pos = 0;
  while (pos < html.size()) {
    if (html[pos] != '&') {
      out += html[pos++];
      continue;
    }
    std::size_t end = pos + 1;
    const bool numeric = end < html.size() && html[end] == '#';
    if (numeric) {
      ++end;
    }
    const std::size_t word = end;
    while (end < html.size() && is_word_char(html[end])) {
      ++end;
    }
    if (end == word || end >= html.size() || html[end] != ';') {
      out += html[pos++];
      continue;
    }
    const std::string_view name = html.substr(word, end - word);
    std::optional<std::uint32_t> code;
    if (numeric) {
      const bool hex = name[0] == 'x' || name[0] == 'X';
      const std::string_view digits = hex ? name.substr(1) : name;
      std::uint32_t value = 0;
      bool ok = !digits.empty() && digits.size() <= 8;
      for (const char d : digits) {
        if (!ok) {
          break;
        }
        if (hex && std::isxdigit(static_cast<unsigned char>(d)) != 0) {
          value = value * 16 + static_cast<std::uint32_t>(
                                   std::isdigit(static_cast<unsigned char>(d)) != 0
                                       ? d - '0'
                                       : std::tolower(static_cast<unsigned char>(d)) - 'a' + 10);
        } else if (!hex && std::isdigit(static_cast<unsigned char>(d)) != 0) {
          value = value * 10 + static_cast<std::uint32_t>(d - '0');
        } else {
          ok = false;
        }
      }
      if (ok && value <= 0x10FFFF) {
        code = value;
      }
    } else if (name == "nbsp") {
      code = ' ';
    } else if (name == "amp") {
      code = '&';
    } else if (name == "lt") {
      code = '<';
    } else if (name == "gt") {
      code = '>';
    } else if (name == "quot") {
      code = '"';
    }
    if (code) {
      util::append_utf8(out, *code);
    } else {
      out.append(html.substr(pos, end + 1 - pos));
    }
    pos = end + 1;
  }
  return out;
}

}  // namespace

std::string escape_field_text(std::string_view text) {
  return escape(text, false);
}

std::string escape_field_code(std::string_view text) {
  return escape(text, true);
}

std::string body_html(const model::Body& body, const HtmlContext& context) {
  return body_or_cloze(body, context, false);
}

std::string cloze_html(const model::Body& body, const HtmlContext& context) {
  return body_or_cloze(body, context, true);
}

std::string code_block_html(const model::CodeBlock& code) {
  std::string language;
  for (const char ch : code.language) {
    if (std::isalnum(static_cast<unsigned char>(ch)) != 0 || ch == '-' || ch == '_') {
      language += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    }
  }
  if (language.empty()) {
    language = "text";
  }
  // Each line is <span class="ln"><span class="ind">indent</span><span class="tx">rest\n
  // </span></span>: inline on wide screens; on phones the note type's CSS makes it a row
  // whose wrapped text hangs under the indented start of the line.
  std::vector<text::TokenLine> lines;
  if (text::can_highlight(language)) {
    std::string source;
    for (std::size_t i = 0; i < code.lines.size(); ++i) {
      source += (i > 0 ? "\n" : "") + code.lines[i];
    }
    lines = text::highlight_code(code.language, source);
  } else {
    for (const std::string& line : code.lines) {
      lines.push_back({{model::HighlightTag::plain, expand_tabs(line)}});
    }
  }
  std::string html = "<pre><code class=\"lang-" + language + "\">";
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string indent;
    bool in_indent = true;
    std::string rest;
    for (const text::Token& token : lines[i]) {
      std::string_view text = token.text;
      if (in_indent) {
        const std::size_t end = std::min(text.find_first_not_of(" \t"), text.size());
        indent.append(text.substr(0, end));
        text.remove_prefix(end);
        in_indent = text.empty();
      }
      if (text.empty()) {
        continue;
      }
      if (token.tag == model::HighlightTag::plain) {
        append_escaped(rest, text, true);
      } else {
        rest += "<span class=\"hl-";
        rest += model::highlight_tag_name(token.tag);
        rest += "\">";
        append_escaped(rest, text, true);
        rest += "</span>";
      }
    }
    html += "<span class=\"ln\"><span class=\"ind\">" + indent + "</span><span class=\"tx\">" +
            rest + (i + 1 < lines.size() ? "\n" : "") + "</span></span>";
  }
  return html + "</code></pre>";
}

std::string strip_html_media(std::string_view html) {
  std::string text = remove_blocks(html, "<!--", "-->");
  text = remove_blocks(text, "<style", "</style>");
  text = remove_blocks(text, "<script", "</script>");
  text = replace_images(text);
  text = remove_tags(text);
  return decode_entities(text);
}

bool is_blank_field(std::string_view html) {
  const std::string text = strip_html_media(html);
  return std::all_of(text.begin(), text.end(),
                     [](char ch) { return std::isspace(static_cast<unsigned char>(ch)) != 0; });
}

}  // namespace anki
