// The front matter's own pages: the title page and "How to use this booklet".
#include "booklet/booklet_layout_internal.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <optional>
#include <set>

#include "model/walk.hpp"
#include "util/error.hpp"
#include "util/utf8.hpp"

namespace booklet {
namespace {

constexpr const char* how_to_anchor = "how-to-use";
constexpr const char* how_to_title = "How to use this booklet";

}  // namespace

std::vector<LaidPage> BookletLayout::title_page() {
  const model::Layout& look = layout();
  const model::Book& book = m_context.document.book;
  Column column;
  double top = 0.24 * m_context.block_height();
  const auto add = [&](VBox box) {
    column.boxes.push_back({top, std::move(box)});
    top += column.boxes.back().box.height;
  };
  VBox bar;
  bar.height = 22;
  bar.items.emplace_back(
      pdf::Box{.x = 0, .y = 0, .width = 42, .height = 4, .fill = look.colors.accent});
  add(std::move(bar));
  for (VBox& box : lines(book.title, Role::sans_bold, look.sizes.title, look.colors.heading,
                         look.sizes.title * 1.15)) {
    add(std::move(box));
  }
  if (!book.subtitle.empty()) {
    top += 8;
    const double size = look.sizes.title * 0.46;
    for (VBox& box : lines(book.subtitle, Role::sans, size, look.colors.muted, size * 1.35, 0,
                           0.85 * width())) {
      add(std::move(box));
    }
  }
  if (!book.author.empty()) {
    top += 40;
    for (VBox& box : lines(book.author, Role::serif, look.sizes.body * 1.25, look.colors.text,
                           look.sizes.body * 1.7)) {
      add(std::move(box));
    }
  }
  std::string edition;
  if (!book.version.empty()) {
    edition = "Version " + book.version;
  }
  if (!book.date.empty()) {
    edition += (edition.empty() ? "" : "\u2003\u00B7\u2003") + book.date;
  }
  if (!edition.empty()) {
    const double size = look.sizes.caption + 1;
    VBox box = lines(edition, Role::sans, size, look.colors.muted, size * 1.5).front();
    top = m_context.block_height() - box.height;
    add(std::move(box));
  }
  LaidPage page;
  page.kind = PageKind::title;
  page.columns.push_back(std::move(column));
  return {page};
}

namespace {

// The sentences on code that fit this book: none without code, output boxes and "does not
// compile" marks only when some example has them (a pack in another language has no
// compiler error codes).
std::optional<std::string> code_conventions(const model::Document& document) {
  bool code = false;
  bool output = false;
  bool compile_fail = false;
  for (const model::Area& area : document.areas) {
    for (const model::Topic& topic : area.topics) {
      model::for_each_body(topic, [&](const model::Body& body) {
        model::for_each_block(body, [&](const model::Block& block) {
          output = output || std::holds_alternative<model::OutputBlock>(block.node);
        });
      });
      model::for_each_code_block(topic, [&](const model::CodeBlock& block) {
        code = true;
        compile_fail = compile_fail || block.check == model::CodeCheck::compile_fail;
      });
    }
  }
  const std::string output_text = "A program\u2019s output follows it under \u201COutput\u201D";
  const std::string compile_fail_text =
      "ode that must not compile is marked \u201Cdoes not compile\u201D with the "
      "compiler\u2019s error code.";
  if (!code) {
    return std::nullopt;
  }
  if (output && compile_fail) {
    return ". " + output_text + "; c" + compile_fail_text;
  }
  if (output) {
    return ". " + output_text + ".";
  }
  return compile_fail ? ". C" + compile_fail_text : ".";
}

}  // namespace

std::vector<LaidPage> BookletLayout::how_to_page() {
  const model::Book& book = m_context.document.book;
  if (book.description.empty()) {
    return {};
  }
  const model::Layout& look = layout();
  VList out;
  out.box(spacer(0.5 * look.sizes.h_topic));
  heading("", how_to_title, look.sizes.h_topic, how_to_anchor, out);
  out.box(rule_box(14, 7, 0.9, look.colors.accent));
  Frame frame = m_blocks.body_frame();
  m_blocks.body(book.description, frame, out);
  // What the booklet's own devices mean.
  out.penalty(-100);
  out.glue(1.25 * m_context.line_height(look.sizes.body));
  heading("", "Conventions", look.sizes.h_section, "", out);
  out.glue(0.35 * m_context.line_height(look.sizes.body));
  out.keep_next_lines(2);
  const auto inline_text = [](std::string words, unsigned style = model::style_plain) {
    model::Inline run;
    run.text = std::move(words);
    run.style = style;
    return run;
  };
  model::List conventions;
  conventions.tight = true;
  // Only what this layout really does: the highlighting sentence follows its token styles.
  const auto& tokens = look.colors.tokens;
  const bool bold_keywords = tokens[static_cast<std::size_t>(model::HighlightTag::keyword)].bold;
  const bool italic_comments =
      tokens[static_cast<std::size_t>(model::HighlightTag::comment)].italic;
  std::string highlighting;
  if (bold_keywords && italic_comments) {
    highlighting = " with keywords in bold and comments in italics";
  } else if (bold_keywords) {
    highlighting = " with keywords in bold";
  } else if (italic_comments) {
    highlighting = " with comments in italics";
  }
  std::vector<model::Inlines> items = {
      {inline_text("Sections are numbered by topic: \u00A73.2 is the second section of topic "
                   "3. A cross reference prints the page it points to (\u201C\u2026, "
                   "p.\u00A023\u201D).")}};
  if (const std::optional<std::string> code = code_conventions(m_context.document)) {
    items.push_back({inline_text("Code examples are set in "),
                     inline_text("monospace", model::style_code),
                     inline_text(highlighting + *code)});
    items.push_back({inline_text("A long code line continues on the next line after \u21AA.")});
  }
  items.push_back(
      {inline_text("Each topic closes with its key points, common pitfalls and "
                   "questions with model answers (Q and A).")});
  if (has_index()) {
    items.push_back({inline_text("The index lists terms with the pages that explain them.")});
  }
  for (const model::Inlines& item : items) {
    model::Block block;
    block.node = model::Paragraph{item};
    conventions.items.push_back(model::ListItem{{block}});
  }
  m_blocks.list(conventions, frame, out);
  return single_columns(std::move(out), PageKind::opener, PageKind::normal, how_to_title,
                        how_to_title);
}

}  // namespace booklet
