// The content lint: unpaired brackets and quotes in card fields (errors) and lines that
// start a list inside a paragraph (warnings), with their exact messages and locations.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "load/content_lint.hpp"
#include "load/load_content.hpp"
#include "support.hpp"

namespace {

const model::SourceLocation origin{"t.yaml", 10, 12};

std::vector<std::string> pairs(const std::string& text, bool cloze = false) {
  model::Diagnostics diagnostics;
  load::check_card_field_pairs(text, "back", cloze, origin, diagnostics);
  std::vector<std::string> messages = test_support::formatted(diagnostics);
  return messages;
}

std::vector<std::string> lists(const std::string& text) {
  model::Diagnostics diagnostics;
  load::warn_accidental_lists(text, origin, diagnostics);
  std::vector<std::string> messages = test_support::formatted(diagnostics);
  return messages;
}

const char* const unclosed_hint =
    "  hint: is the text cut short? In an unquoted YAML value ' #' starts a comment; quote the "
    "value";

}  // namespace

TEST_CASE("card fields: brackets and straight quotes must pair up", "[load][lint]") {
  // Columns count bytes, like every Markdown diagnostic ("—" is three).
  CHECK(pairs("No — E0502 (NLL problem case") ==
        std::vector<std::string>{"t.yaml:10:25: error: '(' in card back has no matching ')'\n" +
                                 std::string(unclosed_hint)});
  CHECK(pairs("a) first") ==
        std::vector<std::string>{"t.yaml:10:13: error: ')' in card back has no matching '('\n"
                                 "  hint: remove it, or add the opening bracket; put code in "
                                 "`backticks`"});
  CHECK(pairs("say \"hi") ==
        std::vector<std::string>{"t.yaml:10:16: error: unpaired straight double quote '\"' in "
                                 "card back\n"
                                 "  hint: close the quotation (typographic quotes are not "
                                 "counted)"});
  // A closer that skips an open bracket reports the open one, once.
  CHECK(pairs("f(a[0)") ==
        std::vector<std::string>{"t.yaml:10:15: error: '[' in card back has no matching ']'\n" +
                                 std::string(unclosed_hint)});
  // The second line of a block scalar is reported at its own line.
  CHECK(pairs("fine (here)\nbut [not") ==
        std::vector<std::string>{"t.yaml:11:16: error: '[' in card back has no matching ']'\n" +
                                 std::string(unclosed_hint)});
}

TEST_CASE("card fields: code, escapes and cloze braces are not counted", "[load][lint]") {
  CHECK(pairs("balanced (a [b] {c}) and \"quoted\"").empty());
  CHECK(pairs("code spans: `v[0` and ``a ` (b`` are skipped").empty());
  CHECK(pairs("escaped \\( and \\\" are text").empty());
  CHECK(pairs("a fence:\n```rust\nlet x = (1;\n```\nafter").empty());
  CHECK(pairs("{{c1::moves}} and {{c2::`HashMap<K, V>`:: a hint}}", true).empty());
  CHECK(pairs("{{c1::{a}}} nested braces", true).empty());
  // An unclosed deletion is the cloze parser's error ("unclosed cloze deletion"), not two
  // more here; outside cloze text, a double brace is two brackets like any other.
  CHECK(pairs("{{c1::x", true).empty());
  CHECK(pairs("{{c1::x", false).size() == 2);
  // Inside a deletion, a bracket must close inside it too.
  CHECK(pairs("{{c1::f(x}})", true) ==
        std::vector<std::string>{"t.yaml:10:19: error: '(' in card back has no matching ')'\n" +
                                     std::string(unclosed_hint),
                                 "t.yaml:10:23: error: ')' in card back has no matching '('\n"
                                 "  hint: remove it, or add the opening bracket; put code in "
                                 "`backticks`"});
}

TEST_CASE("a line that starts a list inside a paragraph is a warning", "[load][lint]") {
  const std::vector<std::string> plus = {
      "t.yaml:11:12: warning: '+ ' at the start of this line begins a list inside a "
      "paragraph\n"
      "  hint: if the sentence goes on, move '+' to the end of the line before; if a list is "
      "meant, put a blank line before it"};
  CHECK(lists("captures explicitly: `impl Iterator<Item = usize>\n+ use<T>` captures T.") == plus);
  CHECK(lists("one line\n- two") ==
        std::vector<std::string>{
            "t.yaml:11:12: warning: '- ' at the start of this line begins a list inside a "
            "paragraph\n"
            "  hint: if the sentence goes on, move '-' to the end of the line before; if a list "
            "is meant, put a blank line before it"});
  CHECK(lists("prose\n  1. numbered").size() == 1);
  CHECK(lists("prose\n* star").size() == 1);
  // Only the first item of an accidental list is reported.
  CHECK(lists("prose\n- a\n- b").size() == 1);
}

TEST_CASE("lists that are meant, and lines that are not lists, pass", "[load][lint]") {
  CHECK(lists("Three kinds:\n- a\n- b").empty());           // introduced by a colon
  CHECK(lists("Prose.\n\n- a\n- b\n  continued").empty());  // blank line before
  CHECK(lists("- a\n- b\n  - nested").empty());             // a list from the start
  CHECK(lists("> quote\n- x").empty());                     // not a prose paragraph
  CHECK(lists("released in\n2024. Each crate").empty());    // only 1. can interrupt
  CHECK(lists("a -b and\n-x or *emphasis*").empty());       // no space after the marker
  CHECK(lists("prose\n-").empty());                         // an empty item cannot interrupt
  CHECK(lists("code:\n```text\nx\n+ y\n```").empty());      // inside a fence
  CHECK(lists("prose\n     - indented continuation").empty());
}

TEST_CASE("the loader runs the lint on content fields", "[load][lint]") {
  load::ContentFiles files;
  files.book_yaml =
      "title: T\nslug: t\ndeck: T\nareas:\n  - id: core\n    title: Core\n    topics: [alpha]\n";
  files.topic_files = {{"alpha.yaml", R"(id: alpha
title: Alpha
summary: Why alpha matters.
sections:
  - id: first
    title: First
    body: |
      The return type is `impl Iterator<Item = usize>
      + use<T>` and it compiles.
cards:
  - id: one
    kind: basic
    front: Does it compile?
    back: No — E0502 (NLL problem case #3); Polonius accepts it.
  - id: two
    kind: cloze
    text: "{{c1::moves}} (a value"
)"}};
  model::Diagnostics diagnostics;
  load::load_content_from(files, diagnostics);
  std::vector<std::string> messages = test_support::formatted(diagnostics);
  CHECK(messages ==
        std::vector<std::string>{
            "content/topics/alpha.yaml:9:7: warning: '+ ' at the start of this line begins a "
            "list inside a paragraph\n"
            "  hint: if the sentence goes on, move '+' to the end of the line before; if a list "
            "is meant, put a blank line before it",
            "content/topics/alpha.yaml:14:24: error: '(' in card back has no matching ')'\n" +
                std::string(unclosed_hint),
            "content/topics/alpha.yaml:17:26: error: '(' in card text has no matching ')'\n" +
                std::string(unclosed_hint)});
}
