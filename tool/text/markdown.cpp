#include "text/markdown.hpp"

#include <cmark.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <memory>
#include <string>
#include <vector>

#include "text/code_fence.hpp"
#include "util/lines.hpp"

namespace text {
namespace {

// Cloze deletions are replaced by private-use sentinels before cmark sees the text, so
// their boundaries survive Markdown parsing even inside code spans and emphasis.
constexpr std::string_view cloze_open = "\xEE\x80\x80";       // U+E000, then the deletion index
constexpr std::string_view cloze_index_end = "\xEE\x80\x81";  // U+E001
constexpr std::string_view cloze_close = "\xEE\x80\x82";      // U+E002
constexpr std::string_view sentinel_prefix = "\xEE\x80";      // what the three share

// Lists and quotes nest at most this deep (and emphasis and links inside a paragraph too):
// deeper input is an error, so that no converter or renderer recurses without bound.
constexpr int max_nesting = 16;

// A GFM table's second row: cells of dashes, optionally with colons, between pipes
// ("| --- | :-: |"). cmark reads CommonMark, which has no tables.
bool is_table_delimiter_row(std::string_view line) {
  const bool only_cell_marks = line.find_first_not_of(" \t|:-") == std::string_view::npos;
  return only_cell_marks && line.find('|') != std::string_view::npos &&
         line.find('-') != std::string_view::npos;
}

struct ClozeDeletion {
  int number = 0;
  std::string hint;
};

struct NodeDeleter {
  void operator()(cmark_node* node) const { cmark_node_free(node); }
};

using CodeSpans = std::vector<std::pair<std::size_t, std::size_t>>;

// [start, end) byte ranges of backtick code spans: a run of n backticks pairs with the next
// run of at least n (its first n backticks close the span). The next such run is found for
// every run at once with a stack, so a text full of unmatched runs stays linear.
CodeSpans find_code_spans(std::string_view text) {
  struct Run {
    std::size_t start = 0;
    std::size_t length = 0;
    std::size_t closer = 0;  // index of the next run at least as long, or runs.size()
  };
  std::vector<Run> runs;
  for (std::size_t i = text.find('`'); i != std::string_view::npos; i = text.find('`', i)) {
    const std::size_t end = std::min(text.find_first_not_of('`', i), text.size());
    runs.push_back({i, end - i, 0});
    i = end;
  }
  std::vector<std::size_t> waiting;  // runs with no closer yet, longest at the bottom
  for (std::size_t r = 0; r < runs.size(); ++r) {
    while (!waiting.empty() && runs[waiting.back()].length <= runs[r].length) {
      runs[waiting.back()].closer = r;
      waiting.pop_back();
    }
    waiting.push_back(r);
  }
  for (std::size_t r : waiting) {
    runs[r].closer = runs.size();
  }
  CodeSpans spans;
  std::size_t r = 0;
  while (r < runs.size()) {
    const Run& open = runs[r];
    if (open.closer == runs.size()) {
      ++r;
      continue;
    }
    const Run& close = runs[open.closer];
    const std::size_t end = close.start + open.length;
    spans.emplace_back(open.start, end);
    // Scanning resumes after the closing backticks, inside the closing run if it is longer.
    r = open.closer;
    if (close.length == open.length) {
      ++r;
    } else {
      runs[r] = {end, close.length - open.length, 0};
      const std::size_t length = runs[r].length;
      std::size_t next = r + 1;
      while (next < runs.size() && runs[next].length < length) {
        next = runs[next].closer;
      }
      runs[r].closer = next;
    }
  }
  return spans;
}

// The code span holding byte `offset`, or nullptr.
const std::pair<std::size_t, std::size_t>* span_containing(const CodeSpans& spans,
                                                           std::size_t offset) {
  auto after = std::upper_bound(spans.begin(), spans.end(), offset,
                                [](std::size_t at, const auto& span) { return at < span.first; });
  if (after == spans.begin() || offset >= std::prev(after)->second) {
    return nullptr;
  }
  return &*std::prev(after);
}

// Position of `needle` (no backticks) in `text` from `from`, skipping the code spans.
std::size_t find_outside_code(std::string_view text, const CodeSpans& spans,
                              std::string_view needle, std::size_t from) {
  for (std::size_t at = text.find(needle, from); at != std::string_view::npos;
       at = text.find(needle, at)) {
    const auto* span = span_containing(spans, at);
    if (span == nullptr) {
      return at;
    }
    at = span->second;
  }
  return std::string_view::npos;
}

// Line and column of byte offsets asked for in increasing order, counted once.
class LineCounter {
 public:
  explicit LineCounter(std::string_view text) : m_text(text) {}
  // 1-based line and column of `offset`.
  std::pair<int, int> at(std::size_t offset) {
    if (offset < m_pos) {
      *this = LineCounter(m_text);
    }
    for (; m_pos < offset && m_pos < m_text.size(); ++m_pos) {
      if (m_text[m_pos] == '\n') {
        ++m_line;
        m_line_start = m_pos + 1;
      }
    }
    return {m_line, static_cast<int>(offset - m_line_start) + 1};
  }

 private:
  std::string_view m_text;
  std::size_t m_pos = 0;
  int m_line = 1;
  std::size_t m_line_start = 0;
};

class MarkdownParser {
 public:
  MarkdownParser(const MarkdownOptions& options, model::Diagnostics& diagnostics)
      : m_options(options), m_diagnostics(diagnostics) {}

  model::Body parse(std::string_view markdown) {
    if (m_options.cloze && !check_no_sentinels(markdown)) {
      return {};
    }
    const std::string with_marks = m_options.cloze ? extract_clozes(markdown) : std::string();
    m_text = m_options.cloze ? std::string_view(with_marks) : markdown;
    std::unique_ptr<cmark_node, NodeDeleter> document(
        cmark_parse_document(m_text.data(), m_text.size(), CMARK_OPT_SMART));
    model::Body body = convert_children(document.get());
    if (m_options.cloze && m_clozes.empty() && !m_reported_unclosed) {
      m_diagnostics.error(m_options.origin, "cloze card has no deletion",
                          "mark the term to recall as {{c1::term}}");
    }
    return body;
  }

 private:
  model::SourceLocation location_of(int line, int column) const {
    model::SourceLocation where = m_options.origin;
    if (where.line > 0 && line > 0) {
      where.line += line - 1;
      where.column = line == 1 ? where.column + column - 1 : column + m_indent_guess();
    }
    return where;
  }
  model::SourceLocation location_of(cmark_node* node) const {
    return location_of(cmark_node_get_start_line(node), cmark_node_get_start_column(node));
  }
  // Block scalars are indented in YAML; the loader reports the indentation via the
  // origin column of their first line, which applies to every line.
  [[nodiscard]] int m_indent_guess() const {
    return m_options.origin.column > 0 ? m_options.origin.column - 1 : 0;
  }

  // Cloze text must not contain the sentinels themselves (U+E000..U+E002, private use).
  bool check_no_sentinels(std::string_view text) {
    for (std::string_view sentinel : {cloze_open, cloze_index_end, cloze_close}) {
      std::size_t at = text.find(sentinel);
      if (at != std::string_view::npos) {
        LineCounter lines(text);
        m_diagnostics.error(location_for_offset(lines, at),
                            "cloze text contains a private-use character (U+E000 to U+E002)",
                            "remove it; prepkit uses these characters to mark deletions");
        return false;
      }
    }
    return true;
  }

  std::string extract_clozes(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t pos = 0;
    const CodeSpans code_spans = find_code_spans(text);
    LineCounter lines(text);
    while (pos < text.size()) {
      std::size_t open = text.find("{{c", pos);
      if (open == std::string_view::npos) {
        out.append(text.substr(pos));
        break;
      }
      // {{c, digits, ::
      const std::size_t digits_start = open + 3;
      const std::size_t digits_end =
          std::min(text.find_first_not_of("0123456789", digits_start), text.size());
      if (digits_end == digits_start || text.substr(digits_end, 2) != "::") {
        out.append(text.substr(pos, open + 3 - pos));
        pos = open + 3;
        continue;
      }
      out.append(text.substr(pos, open - pos));
      const std::string_view digits = text.substr(digits_start, digits_end - digits_start);
      const model::SourceLocation where = location_for_offset(lines, open);
      int number = 0;
      auto [end, code] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
      if (code != std::errc() || end != digits.data() + digits.size() || number > 999) {
        m_diagnostics.error(
            where, "cloze number c" + std::string(digits) + " is too large (at most c999)");
        number = 999;
      }
      std::size_t body_start = digits_end + 2;
      // Inside a code span the deletion ends at the first }} of the span; outside, code
      // spans in the deletion are skipped, so `}}` in code never ends it early.
      const auto* span = span_containing(code_spans, open);
      std::size_t close = span == nullptr ? find_outside_code(text, code_spans, "}}", body_start)
                                          : text.substr(0, span->second).find("}}", body_start);
      if (close == std::string_view::npos) {
        m_diagnostics.error(where, "unclosed cloze deletion '{{c" + std::to_string(number) + "::'",
                            "end the deletion with }}");
        m_reported_unclosed = true;
        out.append(text.substr(open));
        break;
      }
      if (number < 1) {
        m_diagnostics.error(where, "cloze numbers start at 1 (found c0)");
      }
      std::string_view inner = text.substr(body_start, close - body_start);
      const CodeSpans inner_spans = find_code_spans(inner);
      std::size_t nested = find_outside_code(inner, inner_spans, "{{c", 0);
      if (nested != std::string_view::npos) {
        m_diagnostics.error(where, "nested cloze deletions are not supported");
      }
      ClozeDeletion deletion{number, {}};
      // A hint follows ":: " (double colon and a space), so Rust paths stay whole.
      std::size_t hint = find_outside_code(inner, inner_spans, ":: ", 0);
      if (hint != std::string_view::npos) {
        deletion.hint = std::string(inner.substr(hint + 3));
        inner = inner.substr(0, hint);
      }
      if (inner.find_first_not_of(" \t\n") == std::string_view::npos) {
        m_diagnostics.error(where, "empty cloze deletion");
      }
      out.append(cloze_open);
      out.append(std::to_string(m_clozes.size()));
      out.append(cloze_index_end);
      out.append(inner);
      out.append(cloze_close);
      m_clozes.push_back(std::move(deletion));
      pos = close + 2;
    }
    return out;
  }

  model::SourceLocation location_for_offset(LineCounter& lines, std::size_t offset) const {
    const auto [line, column] = lines.at(offset);
    return location_of(line, column);
  }

  // True when `depth` reaches the nesting limit; the first time in a text, also an error
  // at `node` saying what is nested ("lists and quotes").
  bool too_deep(cmark_node* node, int depth, const std::string& what) {
    if (depth < max_nesting) {
      return false;
    }
    if (!m_reported_depth) {
      m_diagnostics.error(location_of(node), what + " are nested too deeply (more than " +
                                                 std::to_string(max_nesting) + " levels)");
      m_reported_depth = true;
    }
    return true;
  }

  model::Body convert_children(cmark_node* parent) {
    model::Body body;
    if (too_deep(parent, m_depth, "lists and quotes")) {
      return body;
    }
    ++m_depth;
    for (cmark_node* node = cmark_node_first_child(parent); node != nullptr;
         node = cmark_node_next(node)) {
      convert_block(node, body);
    }
    --m_depth;
    return body;
  }

  void convert_block(cmark_node* node, model::Body& body) {
    model::SourceLocation where = location_of(node);
    switch (cmark_node_get_type(node)) {
      case CMARK_NODE_PARAGRAPH: {
        convert_paragraph(node, where, body);
        return;
      }
      case CMARK_NODE_CODE_BLOCK: {
        convert_code_block(node, where, body);
        return;
      }
      case CMARK_NODE_LIST: {
        model::List list;
        list.ordered = cmark_node_get_list_type(node) == CMARK_ORDERED_LIST;
        list.start = cmark_node_get_list_start(node);
        list.tight = cmark_node_get_list_tight(node) != 0;
        for (cmark_node* item = cmark_node_first_child(node); item != nullptr;
             item = cmark_node_next(item)) {
          list.items.push_back({convert_children(item)});
        }
        body.push_back({std::move(list), where});
        return;
      }
      case CMARK_NODE_BLOCK_QUOTE: {
        body.push_back({model::Quote{convert_children(node)}, where});
        return;
      }
      case CMARK_NODE_HTML_BLOCK: {
        // Raw HTML is shown as the text it is (e.g. a line starting with `<T>`).
        std::string literal = cmark_node_get_literal(node);
        while (!literal.empty() && literal.back() == '\n') {
          literal.pop_back();
        }
        model::Paragraph paragraph;
        add_text(literal, model::style_plain, "", paragraph.inlines);  // may hold cloze marks
        body.push_back({std::move(paragraph), where});
        return;
      }
      case CMARK_NODE_HEADING:
        m_diagnostics.error(where, "headings are not allowed in Markdown text",
                            "start a new entry under `sections:` instead");
        return;
      case CMARK_NODE_THEMATIC_BREAK:
        m_diagnostics.error(where, "horizontal rules are not allowed in Markdown text");
        return;
      default:
        m_diagnostics.error(where, std::string("unsupported Markdown element: ") +
                                       cmark_node_get_type_string(node));
        return;
    }
  }

  // A paragraph with a line that has a pipe followed by a table's delimiter row (in a block
  // quote too: the lines are read as written, with their '>').
  [[nodiscard]] bool is_table(cmark_node* node) {
    const int first = cmark_node_get_start_line(node);
    const int last = cmark_node_get_end_line(node);
    for (int line = first; line > 0 && line < last; ++line) {
      const std::string_view row = line_at(line);
      std::string_view next = line_at(line + 1);
      next.remove_prefix(std::min(next.find_first_not_of(" >"), next.size()));
      if (row.find('|') != std::string_view::npos && is_table_delimiter_row(next)) {
        return true;
      }
    }
    return false;
  }

  void convert_paragraph(cmark_node* node, const model::SourceLocation& where, model::Body& body) {
    if (is_table(node)) {
      m_diagnostics.error(where, "Markdown tables are not supported",
                          "use a list, or a code block for text in columns");
      return;
    }
    cmark_node* first = cmark_node_first_child(node);
    if (first != nullptr && cmark_node_next(first) == nullptr &&
        cmark_node_get_type(first) == CMARK_NODE_IMAGE) {
      model::Image image;
      image.path = without_cloze_marks(cmark_node_get_url(first));
      image.alt = without_cloze_marks(plain_text(first));
      image.where = where;
      body.push_back({std::move(image), where});
      return;
    }
    model::Paragraph paragraph;
    convert_inlines(node, model::style_plain, "", paragraph.inlines);
    paragraph.inlines.shrink_to_fit();  // kept all build long: a third of it was spare room
    body.push_back({std::move(paragraph), where});
  }

  void convert_code_block(cmark_node* node, const model::SourceLocation& where, model::Body& body) {
    std::string info = cmark_node_get_fence_info(node);
    std::string code = cmark_node_get_literal(node);
    if (!code.empty() && code.back() == '\n') {
      code.pop_back();
    }
    if (m_options.cloze && (code.find(cloze_open) != std::string::npos ||
                            code.find(cloze_close) != std::string::npos)) {
      m_diagnostics.error(where, "cloze deletions cannot be inside a code block",
                          "use a `code` card, or cloze an identifier in inline code");
    }
    check_fence_closed(node, where);
    if (info == "output") {
      model::OutputBlock output;
      for (std::string_view line : util::split_lines(code)) {
        output.lines.emplace_back(line);
      }
      attach_expected_output(body, code, where);
      body.push_back({std::move(output), where});
      return;
    }
    model::CodeBlock block;
    block.where = where;
    std::string error = apply_code_annotations(info, block);
    if (!error.empty()) {
      m_diagnostics.error(where, error);
    }
    if (block.language == "rust") {
      prepare_rust_source(code, block);
    } else {
      prepare_plain_source(code, block);
    }
    body.push_back({std::move(block), where});
  }

  void attach_expected_output(model::Body& body, const std::string& code,
                              const model::SourceLocation& where) {
    auto* previous = body.empty() ? nullptr : std::get_if<model::CodeBlock>(&body.back().node);
    if (previous == nullptr) {
      m_diagnostics.error(where, "an ```output block must follow a code block");
      return;
    }
    if (previous->language != "rust") {
      return;  // shown under the code; only Rust examples are run and compared
    }
    if (previous->check != model::CodeCheck::run &&
        previous->check != model::CodeCheck::should_panic) {
      m_diagnostics.error(where, "an ```output block needs a runnable example before it",
                          "remove no_run/compile_fail/ignore from the example, or drop the output");
      return;
    }
    previous->expected_output = code + "\n";
  }

  // cmark runs an unclosed fence to the end of the text; readers meant something else.
  void check_fence_closed(cmark_node* node, const model::SourceLocation& where) {
    int end_line = cmark_node_get_end_line(node);
    int start_line = cmark_node_get_start_line(node);
    std::string_view opening = line_at(start_line);
    std::size_t indent = opening.find_first_not_of(' ');
    if (indent == std::string_view::npos || (opening[indent] != '`' && opening[indent] != '~')) {
      return;  // indented code block: no fence to close
    }
    std::string_view closing = end_line > start_line ? line_at(end_line) : std::string_view{};
    std::size_t close_indent = closing.find_first_not_of(' ');
    bool closed = close_indent != std::string_view::npos &&
                  closing.compare(close_indent, 3, std::string(3, opening[indent])) == 0;
    if (!closed) {
      m_diagnostics.error(where, "code block is not closed",
                          "end it with a line of ``` matching the opening fence");
    }
  }

  [[nodiscard]] std::string_view line_at(int line) {
    if (m_lines.empty()) {  // split when first needed: most texts have no code block
      m_lines = util::split_lines(m_text);
    }
    if (line < 1 || static_cast<std::size_t>(line) > m_lines.size()) {
      return {};
    }
    return m_lines[static_cast<std::size_t>(line) - 1];
  }

  // The text of every inline below `node`, walked without recursion (nesting is unbounded).
  static std::string plain_text(cmark_node* node) {
    std::string text;
    cmark_iter* iter = cmark_iter_new(node);
    for (cmark_event_type event = cmark_iter_next(iter); event != CMARK_EVENT_DONE;
         event = cmark_iter_next(iter)) {
      cmark_node* current = cmark_iter_get_node(iter);
      const char* literal = cmark_node_get_literal(current);
      if (event == CMARK_EVENT_ENTER && current != node && literal != nullptr) {
        text += literal;
      }
    }
    cmark_iter_free(iter);
    return text;
  }

  void convert_inlines(cmark_node* parent, unsigned style, const std::string& link,
                       model::Inlines& out, int depth = 0) {
    if (too_deep(parent, depth, "emphasis and links")) {
      return;
    }
    for (cmark_node* node = cmark_node_first_child(parent); node != nullptr;
         node = cmark_node_next(node)) {
      switch (cmark_node_get_type(node)) {
        case CMARK_NODE_TEXT: {
          // cmark splits text at would-be emphasis ("x_y"): join the pieces again.
          std::string text = after_word(cmark_node_get_literal(node), out);
          while (cmark_node_next(node) != nullptr &&
                 cmark_node_get_type(cmark_node_next(node)) == CMARK_NODE_TEXT) {
            node = cmark_node_next(node);
            const char* literal = cmark_node_get_literal(node);
            text += literal == nullptr ? "" : literal;
          }
          add_prose(text, style, link, out);
          break;
        }
        case CMARK_NODE_HTML_INLINE:
          add_text(cmark_node_get_literal(node), style, link, out);
          break;
        case CMARK_NODE_CODE:
          add_text(cmark_node_get_literal(node), style | model::style_code, link, out);
          break;
        case CMARK_NODE_SOFTBREAK:
          out.push_back(run_of(" ", style, link, model::Inline::Kind::soft_break));
          break;
        case CMARK_NODE_LINEBREAK:
          out.push_back(run_of("", style, link, model::Inline::Kind::line_break));
          break;
        case CMARK_NODE_EMPH:
          convert_inlines(node, style | model::style_italic, link, out, depth + 1);
          break;
        case CMARK_NODE_STRONG:
          convert_inlines(node, style | model::style_bold, link, out, depth + 1);
          break;
        case CMARK_NODE_LINK: {
          std::string url = without_cloze_marks(cmark_node_get_url(node));
          if (url.empty()) {
            m_diagnostics.error(location_of(node), "link without a target");
          }
          // An autolink (<https://…>) shows its address: set like code, never hyphenated.
          const bool shows_address = plain_text(node) == url && !url.empty();
          convert_inlines(node, shows_address ? style | model::style_code : style, url, out,
                          depth + 1);
          break;
        }
        case CMARK_NODE_IMAGE:
          m_diagnostics.error(location_of(node), "an image must stand alone in its paragraph");
          break;
        default:
          break;
      }
    }
  }

  // Prose outside links: a bare address ("https://…", "http://…") becomes a link to
  // itself, set like code. It ends at a space; punctuation after it (".", ",", ")" without
  // its "(") belongs to the sentence.
  void add_prose(std::string_view text, unsigned style, const std::string& link,
                 model::Inlines& out) {
    if (!link.empty() || (style & model::style_code) != 0 || m_options.cloze) {
      add_text(text, style, link, out);  // links, code and cloze text stay as they are
      return;
    }
    std::size_t from = 0;  // where the search for the next address starts
    for (;;) {
      const std::size_t start = std::min(text.find("https://", from), text.find("http://", from));
      if (start == std::string_view::npos) {
        break;
      }
      const bool at_word_start = start == 0 || text[start - 1] == ' ' || text[start - 1] == '(';
      std::size_t end = text.find_first_of(" \t\n", start);
      end = end == std::string_view::npos ? text.size() : end;
      std::string_view address = text.substr(start, end - start);
      while (!address.empty() &&
             std::string_view(".,;:!?'\"").find(address.back()) != std::string_view::npos) {
        address.remove_suffix(1);
      }
      if (!address.empty() && address.back() == ')' &&
          std::count(address.begin(), address.end(), '(') <
              std::count(address.begin(), address.end(), ')')) {
        address.remove_suffix(1);
      }
      const bool has_host = address.size() > address.find("//") + 2;
      if (!at_word_start || !has_host) {
        from = start + 1;
        continue;
      }
      add_text(text.substr(0, start), style, link, out);
      add_text(address, style | model::style_code, std::string(address), out);
      text.remove_prefix(start + address.size());
      from = 0;
    }
    add_text(text, style, link, out);
  }

  // cmark's smart punctuation sees the code span before "'s" as punctuation and opens a
  // quote (`String`‘s); right after a word, a quote before a letter is an apostrophe.
  static std::string after_word(const char* literal, const model::Inlines& before) {
    std::string text = literal == nullptr ? "" : literal;
    const std::string_view opening = "\u2018";
    // The same after bold or italic words (**Exercism**'s): any run ending in a non-space.
    const std::string_view last = before.empty() ? "" : std::string_view(before.back().text);
    const bool follows_word =
        !last.empty() && before.back().kind == model::Inline::Kind::text &&
        std::string_view(" \n([").find(last.back()) == std::string_view::npos &&
        !last.ends_with("\u2014");
    if (follows_word && text.rfind(opening, 0) == 0 && text.size() > opening.size() &&
        std::isalpha(static_cast<unsigned char>(text[opening.size()])) != 0) {
      text.replace(0, opening.size(), "\u2019");
    }
    return text;
  }

  // Link targets and image paths and alt texts cannot be (part of) a deletion: their
  // sentinels are dropped, so the deletion's text is shown there as it is.
  [[nodiscard]] std::string without_cloze_marks(const std::string& text) const {
    if (!m_options.cloze) {
      return text;
    }
    std::string kept;
    kept.reserve(text.size());
    std::string_view rest = text;
    for (std::size_t mark = rest.find(sentinel_prefix); mark != std::string_view::npos;
         mark = rest.find(sentinel_prefix)) {
      kept.append(rest.substr(0, mark));
      rest.remove_prefix(mark);
      if (rest.starts_with(cloze_open)) {  // with the deletion's index, if it ends
        const std::size_t index_end = rest.find(cloze_index_end);
        rest.remove_prefix(index_end == std::string_view::npos
                               ? cloze_open.size()
                               : index_end + cloze_index_end.size());
      } else if (rest.starts_with(cloze_close)) {
        rest.remove_prefix(cloze_close.size());
      } else {
        kept.append(sentinel_prefix);
        rest.remove_prefix(sentinel_prefix.size());
      }
    }
    kept.append(rest);
    return kept;
  }

  // A run of `text` in the cloze deletion the text is in, if any.
  [[nodiscard]] model::Inline run_of(std::string text, unsigned style, const std::string& link,
                                     model::Inline::Kind kind = model::Inline::Kind::text) const {
    return {.text = std::move(text),
            .link = link,
            .cloze_hint = m_active_hint,
            .style = style,
            .cloze = m_active_cloze,
            .kind = kind};
  }

  // Adds text, splitting it at cloze sentinels and tagging each piece with its deletion.
  void add_text(std::string_view text, unsigned style, const std::string& link,
                model::Inlines& out) {
    while (!text.empty()) {
      // Only cloze text has sentinels (and check_no_sentinels keeps the user's out of it).
      std::size_t open = m_options.cloze ? text.find(cloze_open) : std::string_view::npos;
      std::size_t close = m_options.cloze ? text.find(cloze_close) : std::string_view::npos;
      std::size_t next = std::min(open, close);
      std::string_view piece = text.substr(0, next);
      if (!piece.empty()) {
        out.push_back(run_of(std::string(piece), style, link));
      }
      if (next == std::string_view::npos) {
        break;
      }
      if (next == open) {
        // The sentinel, the deletion's index and its end marker were written together by
        // extract_clozes and contain nothing cmark splits text at.
        std::size_t index_end = text.find(cloze_index_end, open);
        std::size_t index = m_clozes.size();
        if (index_end != std::string_view::npos) {
          std::string_view digits =
              text.substr(open + cloze_open.size(), index_end - open - cloze_open.size());
          std::from_chars(digits.data(), digits.data() + digits.size(), index);
        }
        if (index >= m_clozes.size()) {
          text.remove_prefix(open + cloze_open.size());  // not ours: drop the sentinel
          continue;
        }
        m_active_cloze = m_clozes[index].number;
        m_active_hint = m_clozes[index].hint;
        text.remove_prefix(index_end + cloze_index_end.size());
      } else {
        m_active_cloze = 0;
        m_active_hint.clear();
        text.remove_prefix(close + cloze_close.size());
      }
    }
  }

  const MarkdownOptions& m_options;
  model::Diagnostics& m_diagnostics;
  std::string_view m_text;                // what cmark parses
  std::vector<std::string_view> m_lines;  // of m_text
  std::vector<ClozeDeletion> m_clozes;
  bool m_reported_unclosed = false;  // then "no deletion" would only repeat it
  int m_depth = 0;
  bool m_reported_depth = false;
  int m_active_cloze = 0;
  std::string m_active_hint;
};

}  // namespace

model::Body parse_markdown(std::string_view markdown, const MarkdownOptions& options,
                           model::Diagnostics& diagnostics) {
  return MarkdownParser(options, diagnostics).parse(markdown);
}

}  // namespace text
