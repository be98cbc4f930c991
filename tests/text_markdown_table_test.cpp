// The Markdown converter as a table: each row is a Markdown field, the blocks and runs it
// becomes (as a compact dump) and the diagnostics it reports. Every construct the content
// uses has a row: paragraphs and inline styles, links and cross references, cloze
// deletions and hints, code fences with their annotations, output blocks, images, quotes,
// nested lists, and the errors.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "model/diagnostics.hpp"
#include "model/document.hpp"
#include "text/markdown.hpp"

namespace {

std::string dump(const model::Body& body);

// A run: its text, then what else it carries: b(old) i(talic) c(ode), ->link, cN(::hint).
std::string dump(const model::Inlines& runs) {
  std::string out;
  for (const model::Inline& run : runs) {
    if (run.kind == model::Inline::Kind::soft_break) {
      out += "~";
      continue;
    }
    if (run.kind == model::Inline::Kind::line_break) {
      out += "//";
      continue;
    }
    std::string marks;
    marks += (run.style & model::style_bold) != 0 ? "b" : "";
    marks += (run.style & model::style_italic) != 0 ? "i" : "";
    marks += (run.style & model::style_code) != 0 ? "c" : "";
    if (!run.link.empty()) {
      marks += "->" + run.link;
    }
    if (run.cloze != 0) {
      marks += " c" + std::to_string(run.cloze);
      marks += run.cloze_hint.empty() ? "" : "::" + run.cloze_hint;
    }
    out += marks.empty() ? "'" + run.text + "'" : "(" + marks + ")'" + run.text + "'";
  }
  return out;
}

std::string check_name(model::CodeCheck check) {
  switch (check) {
    case model::CodeCheck::none:
      return "none";
    case model::CodeCheck::run:
      return "run";
    case model::CodeCheck::compile_fail:
      return "compile_fail";
    case model::CodeCheck::no_run:
      return "no_run";
    case model::CodeCheck::should_panic:
      return "should_panic";
    case model::CodeCheck::ignore:
      return "ignore";
  }
  return "?";
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    out += (i > 0 ? "|" : "") + lines[i];
  }
  return out;
}

// Lines joined by "|".
std::string flat(std::string text) {
  std::replace(text.begin(), text.end(), '\n', '|');
  return text;
}

std::string dump(const model::Block& block) {
  const auto& node = block.node;
  if (const auto* paragraph = std::get_if<model::Paragraph>(&node)) {
    return "P[" + dump(paragraph->inlines) + "]";
  }
  if (const auto* code = std::get_if<model::CodeBlock>(&node)) {
    std::string out = "Code(" + code->language + "," + check_name(code->check);
    out += code->error_code.empty() ? "" : "," + code->error_code;
    out += code->ignore_reason.empty() ? "" : ",why=" + code->ignore_reason;
    out += code->edition.empty() ? "" : ",ed=" + code->edition;
    out += code->expected_output ? ",out=" + flat(*code->expected_output) : "";
    // What the checker compiles, when it is more than the lines shown.
    out += code->source != joined(code->lines) && !code->source.empty()
               ? ",src=" + flat(code->source)
               : "";
    return out + ")[" + joined(code->lines) + "]";
  }
  if (const auto* list = std::get_if<model::List>(&node)) {
    std::string out = list->ordered ? "OL" + std::to_string(list->start) : "UL";
    out += list->tight ? "[" : "(loose)[";
    for (std::size_t i = 0; i < list->items.size(); ++i) {
      out += (i > 0 ? " ; " : "") + dump(list->items[i].blocks);
    }
    return out + "]";
  }
  if (const auto* output = std::get_if<model::OutputBlock>(&node)) {
    return "Out[" + joined(output->lines) + "]";
  }
  if (const auto* image = std::get_if<model::Image>(&node)) {
    return "Img(" + image->path + "," + image->alt + ")";
  }
  if (const auto* quote = std::get_if<model::Quote>(&node)) {
    return "Q[" + dump(quote->blocks) + "]";
  }
  return "?";
}

std::string dump(const model::Body& body) {
  std::string out;
  for (const model::Block& block : body) {
    out += (out.empty() ? "" : " ") + dump(block);
  }
  return out;
}

struct Row {
  const char* name;
  const char* markdown;
  bool cloze;
  const char* blocks;       // the dump of the body
  const char* diagnostics;  // "line:col: message" per diagnostic, joined by " | "
};

std::string diagnostics_text(const model::Diagnostics& diagnostics) {
  std::string out;
  for (const model::Diagnostic& diagnostic : diagnostics.sorted()) {
    out += (out.empty() ? "" : " | ") + std::to_string(diagnostic.where.line) + ":" +
           std::to_string(diagnostic.where.column) + ": " + diagnostic.message;
  }
  return out;
}

// clang-format off
const Row rows[] = {
    {"paragraph",
     "Hello world.", false,
     "P['Hello world.']",
     ""},
    {"two paragraphs",
     "One.\n\nTwo.", false,
     "P['One.'] P['Two.']",
     ""},
    {"soft break",
     "one\ntwo", false,
     "P['one'~'two']",
     ""},
    {"hard break",
     "one  \ntwo", false,
     "P['one'//'two']",
     ""},
    {"emphasis",
     "*it* and **bold** and ***both***", false,
     "P[(i)'it'' and '(b)'bold'' and '(bi)'both']",
     ""},
    {"inline code",
     "call `Vec::new()` now", false,
     "P['call '(c)'Vec::new()'' now']",
     ""},
    {"code inside bold",
     "**a `b` c**", false,
     "P[(b)'a '(bc)'b'(b)' c']",
     ""},
    {"external link",
     "see [the book](https://doc.rust-lang.org/book/)", false,
     "P['see '(->https://doc.rust-lang.org/book/)'the book']",
     ""},
    {"cross reference to a topic",
     "see [ownership](#ownership)", false,
     "P['see '(->#ownership)'ownership']",
     ""},
    {"cross reference to a section",
     "see [moves](#ownership/moves)", false,
     "P['see '(->#ownership/moves)'moves']",
     ""},
    {"bare address: a link to itself; the sentence's punctuation stays outside",
     "See https://tokio.rs/tokio/tutorial. Or (http://a.example/x_(y))!", false,
     "P['See '(c->https://tokio.rs/tokio/tutorial)'https://tokio.rs/tokio/tutorial''. Or ('"
     "(c->http://a.example/x_(y))'http://a.example/x_(y)'')!']",
     ""},
    {"not an address: no host, or inside a word",
     "the https:// scheme, xhttps://a.b", false,
     "P['the https:// scheme, xhttps://a.b']",
     ""},
    {"an apostrophe after a code span closes",
     "`String`'s capacity and **Exercism**'s, but 'quoted' words", false,
     "P[(c)'String''\u2019s capacity and '(b)'Exercism''\u2019s, but \u2018quoted\u2019 words']",
     ""},
    {"autolink: its address is set like code",
     "<https://example.com>", false,
     "P[(c->https://example.com)'https://example.com']",
     ""},
    {"entities and escapes",
     "a &amp; b \\*not\\*", false,
     "P['a & b *not*']",
     ""},
    {"bullet list",
     "- a\n- b", false,
     "UL[P['a'] ; P['b']]",
     ""},
    {"ordered list from 3",
     "3. x\n4. y", false,
     "OL3[P['x'] ; P['y']]",
     ""},
    {"nested list",
     "- a\n  - b\n  - c\n- d", false,
     "UL[P['a'] UL[P['b'] ; P['c']] ; P['d']]",
     ""},
    {"loose list",
     "- a\n\n- b", false,
     "UL(loose)[P['a'] ; P['b']]",
     ""},
    {"block quote",
     "> quoted *text*", false,
     "Q[P['quoted '(i)'text']]",
     ""},
    {"rust code",
     "```rust\nfn main() {}\n```", false,
     "Code(rust,run,src=#![allow(unused)]|fn main() {}|)[fn main() {}]",
     ""},
    {"code without language",
     "```\nplain text\n```", false,
     "Code(,none)[plain text]",
     ""},
    {"other language",
     "```toml\n[package]\n```", false,
     "Code(toml,none)[[package]]",
     ""},
    {"compile_fail with an error code",
     "```rust,compile_fail,E0382\nlet a = 1;\n```", false,
     "Code(rust,compile_fail,E0382,src=#![allow(unused)]|fn main() {|let a = 1;|}|)[let a = 1;]",
     ""},
    {"no_run",
     "```rust,no_run\nfn main() {}\n```", false,
     "Code(rust,no_run,src=#![allow(unused)]|fn main() {}|)[fn main() {}]",
     ""},
    {"should_panic",
     "```rust,should_panic\nfn main() { panic!() }\n```", false,
     "Code(rust,should_panic,src=#![allow(unused)]|fn main() { panic!() }|)[fn main() { panic!() }]",
     ""},
    {"ignore with a reason",
     "```rust,ignore(needs network)\nx\n```", false,
     "Code(rust,ignore,why=needs network,src=#![allow(unused)]|fn main() {|x|}|)[x]",
     ""},
    {"edition",
     "```rust,edition2021\nfn main() {}\n```", false,
     "Code(rust,run,ed=2021,src=#![allow(unused)]|fn main() {}|)[fn main() {}]",
     ""},
    {"hidden lines",
     "```rust\n# fn helper() {}\nfn main() {}\n```", false,
     "Code(rust,run,src=#![allow(unused)]|fn helper() {}|fn main() {}|)[fn main() {}]",
     ""},
    {"run with expected output",
     "```rust\nfn main() { println!(\"hi\"); }\n```\n\n```output\nhi\n```", false,
     "Code(rust,run,out=hi|,src=#![allow(unused)]|fn main() { println!(\"hi\"); }|)[fn main() { println!(\"hi\"); }] Out[hi]",
     ""},
    {"image",
     "![A diagram](images/d.png)", false,
     "Img(images/d.png,A diagram)",
     ""},
    {"cloze deletions and a hint",
     "The {{c1::borrow checker}} runs at {{c2::compile time:: when?}}.", true,
     "P['The '( c1)'borrow checker'' runs at '( c2::when?)'compile time''.']",
     ""},
    {"a Rust path in a cloze stays whole",
     "{{c1::std::mem::swap}} swaps", true,
     "P[( c1)'std::mem::swap'' swaps']",
     ""},
    {"cloze around code",
     "{{c1::`Box<T>`}} owns", true,
     "P[(c c1)'Box<T>'' owns']",
     ""},
    {"braces outside a cloze field",
     "{{c1::x}}", false,
     "P['{{c1::x}}']",
     ""},
    {"error: heading",
     "Text.\n\n# Title", false,
     "P['Text.']",
     "3:1: headings are not allowed in Markdown text"},
    {"error: unclosed fence",
     "```rust\nfn main() {}", false,
     "Code(rust,run,src=#![allow(unused)]|fn main() {}|)[fn main() {}]",
     "1:1: code block is not closed"},
    {"error: unknown annotation",
     "```rust,compile_fial\nx\n```", false,
     "Code(rust,run,src=#![allow(unused)]|fn main() {|x|}|)[x]",
     "1:1: unknown code block annotation 'compile_fial' (expected compile_fail, no_run, should_panic, ignore(reason), edition2021 or an error code such as E0382)"},
    {"error: ignore without a reason",
     "```rust,ignore\nx\n```", false,
     "Code(rust,run,src=#![allow(unused)]|fn main() {|x|}|)[x]",
     "1:1: `ignore` needs a reason: ```rust,ignore(why it cannot be compiled)"},
    {"error: cloze field without a deletion",
     "no deletion here", true,
     "P['no deletion here']",
     "1:1: cloze card has no deletion"},
    {"error: unclosed cloze",
     "{{c1::open", true,
     "P['{{c1::open']",
     "1:1: unclosed cloze deletion '{{c1::'"},
};
// clang-format on

}  // namespace

TEST_CASE("Markdown fields become these blocks, runs and diagnostics", "[markdown]") {
  for (const Row& row : rows) {
    model::Diagnostics diagnostics;
    const model::Body body = text::parse_markdown(
        row.markdown, {model::SourceLocation{"t.yaml", 1, 1}, row.cloze}, diagnostics);
    INFO("row: " << row.name << "\nmarkdown: " << row.markdown);
    CHECK(dump(body) == row.blocks);
    CHECK(diagnostics_text(diagnostics) == row.diagnostics);
  }
}
