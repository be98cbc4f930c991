#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "load/load_content.hpp"
#include "load/map_reader.hpp"
#include "support.hpp"

namespace {

const char* const book_yaml = R"(title: Test Book
slug: test-book
deck: Test Deck
areas:
  - id: core
    title: Core
    topics: [alpha]
)";

const char* const alpha_yaml = R"(id: alpha
title: Alpha
summary: Why *alpha* matters.
sections:
  - id: first
    title: First section
    terms: [alpha term]
    body: |
      A paragraph with `code` and **bold**.

      ```rust
      let x = 1;
      # let hidden = 2;
      println!("{x}");
      ```
      ```output
      1
      ```
key_points:
  - One point with a [link](#alpha/first).
questions:
  - id: q1
    question: Why?
    answer: Because.
cards:
  - id: c1
    kind: basic
    front: Front
    back: Back
  - id: c2
    kind: cloze
    text: "A {{c1::`std::mem::swap`}} and {{c2::std::mem::take:: a hint}}"
)";

struct Loaded {
  model::Document document;
  std::vector<std::string> messages;
};

Loaded load_book(const std::string& book,
                 const std::vector<std::pair<std::string, std::string>>& topics) {
  load::ContentFiles files;
  files.book_yaml = book;
  files.topic_files = topics;
  model::Diagnostics diagnostics;
  Loaded loaded;
  loaded.document = load::load_content_from(files, diagnostics);
  loaded.messages = test_support::formatted(diagnostics);
  return loaded;
}

// The topic file with one line replaced, for error cases.
std::string alpha_with(const std::string& from, const std::string& to) {
  std::string text = alpha_yaml;
  auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("a valid topic loads into the model", "[load]") {
  Loaded loaded = load_book(book_yaml, {{"alpha.yaml", alpha_yaml}});
  REQUIRE(loaded.messages.empty());
  REQUIRE(loaded.document.areas.size() == 1);
  const model::Topic& topic = loaded.document.areas[0].topics.at(0);
  CHECK(topic.number == 1);
  CHECK(topic.area == "core");
  REQUIRE(topic.sections.size() == 1);
  CHECK(topic.sections[0].number == 1);
  CHECK(topic.sections[0].terms == std::vector<std::string>{"alpha term"});
  const model::Body& body = topic.sections[0].body;
  REQUIRE(body.size() == 3);
  const auto& code = std::get<model::CodeBlock>(body[1].node);
  CHECK(code.check == model::CodeCheck::run);
  CHECK(code.lines == std::vector<std::string>{"let x = 1;", "println!(\"{x}\");"});
  CHECK(code.source ==
        "#![allow(unused)]\nfn main() {\nlet x = 1;\nlet hidden = 2;\nprintln!(\"{x}\");\n}\n");
  CHECK(code.expected_output == std::optional<std::string>("1\n"));
  CHECK(code.where.file == "content/topics/alpha.yaml");
  CHECK(code.where.line == 11);
  CHECK(std::holds_alternative<model::OutputBlock>(body[2].node));
  REQUIRE(topic.key_points.size() == 1);
  CHECK(topic.key_points[0].back().text == ".");
  CHECK(topic.key_points[0][1].link == "#alpha/first");
}

TEST_CASE("cloze deletions keep Rust paths whole and carry hints", "[load][markdown]") {
  Loaded loaded = load_book(book_yaml, {{"alpha.yaml", alpha_yaml}});
  REQUIRE(loaded.messages.empty());
  const model::Card& card = loaded.document.areas[0].topics[0].cards.at(1);
  const auto& inlines = std::get<model::Paragraph>(card.text.at(0).node).inlines;
  REQUIRE(inlines.size() == 4);
  CHECK(inlines[1].text == "std::mem::swap");
  CHECK(inlines[1].style == model::style_code);
  CHECK(inlines[1].cloze == 1);
  CHECK(inlines[3].text == "std::mem::take");
  CHECK(inlines[3].cloze == 2);
  CHECK(inlines[3].cloze_hint == "a hint");
}

TEST_CASE("exact messages for the main content errors", "[load]") {
  SECTION("missing required key") {
    Loaded loaded = load_book(book_yaml, {{"alpha.yaml", alpha_with("title: Alpha\n", "")}});
    CHECK(loaded.messages ==
          std::vector<std::string>{
              "content/topics/alpha.yaml:1:1: error: missing required key 'title' in topic"});
  }
  SECTION("wrong type") {
    Loaded loaded =
        load_book(book_yaml, {{"alpha.yaml", alpha_with("title: Alpha", "title: [a, b]")}});
    CHECK(
        loaded.messages ==
        std::vector<std::string>{
            "content/topics/alpha.yaml:2:8: error: 'title' in topic must be a string, not a list"});
  }
  SECTION("unknown key with a hint") {
    Loaded loaded = load_book(book_yaml, {{"alpha.yaml", alpha_with("summary:", "sumary:")}});
    CHECK(loaded.messages ==
          std::vector<std::string>{
              "content/topics/alpha.yaml:3:1: error: unknown key 'sumary' in topic\n"
              "  hint: did you mean 'summary'?"});
  }
  SECTION("duplicate card id") {
    Loaded loaded = load_book(book_yaml, {{"alpha.yaml", alpha_with("id: c2", "id: c1")}});
    CHECK(loaded.messages ==
          std::vector<std::string>{
              "content/topics/alpha.yaml:30:5: error: duplicate card id 'c1' in topic 'alpha'\n"
              "  hint: first defined at content/topics/alpha.yaml:26:5"});
  }
  SECTION("malformed YAML: a tab in the indentation") {
    Loaded loaded = load_book(
        book_yaml,
        {{"alpha.yaml", alpha_with("  - id: q1\n    question", "  - id: q1\n\tquestion")}});
    REQUIRE(loaded.messages.size() == 1);
    CHECK(loaded.messages[0].rfind("content/topics/alpha.yaml:23:", 0) == 0);
    CHECK(loaded.messages[0].find("error: invalid YAML: ") != std::string::npos);
    CHECK(loaded.messages[0].find(
              "hint: this line contains a tab; YAML indentation must use spaces") !=
          std::string::npos);
  }
  SECTION("a listed topic without a file") {
    Loaded loaded = load_book(book_yaml, {});
    CHECK(loaded.messages ==
          std::vector<std::string>{"content/book.yaml:7:14: error: topic 'alpha' is listed but "
                                   "content/topics/alpha.yaml does not exist"});
  }
  SECTION("a topic file nobody lists") {
    Loaded loaded = load_book(book_yaml, {{"alpha.yaml", alpha_yaml},
                                          {"beta.yaml", alpha_with("id: alpha", "id: beta")}});
    CHECK(loaded.messages ==
          std::vector<std::string>{
              "content/topics/beta.yaml: error: topic file is not listed in book.yaml\n"
              "  hint: add 'beta' to the topics of an area"});
  }
  SECTION("a cloze card without a deletion") {
    Loaded loaded = load_book(
        book_yaml,
        {{"alpha.yaml",
          alpha_with("text: \"A {{c1::`std::mem::swap`}} and {{c2::std::mem::take:: a hint}}\"",
                     "text: no deletion here")}});
    CHECK(loaded.messages ==
          std::vector<std::string>{
              "content/topics/alpha.yaml:32:11: error: cloze card has no deletion\n"
              "  hint: mark the term to recall as {{c1::term}}"});
  }
  SECTION("an emoji") {
    Loaded loaded = load_book(
        book_yaml, {{"alpha.yaml", alpha_with("title: Alpha", "title: Crab \xF0\x9F\xA6\x80")}});
    CHECK(
        loaded.messages ==
        std::vector<std::string>{
            "content/topics/alpha.yaml:2:8: error: character U+1F980 '\xF0\x9F\xA6\x80' cannot be "
            "printed (emoji and other characters above U+FFFF are not supported)\n"
            "  hint: remove it or replace it with text"});
  }
  SECTION("an unclosed code fence") {
    Loaded loaded = load_book(
        book_yaml, {{"alpha.yaml", alpha_with("      ```output\n      1\n      ```\n", "")}});
    std::string text = alpha_with("      ```output\n      1\n      ```\n", "");
    text = text.replace(text.find("      ```\nkey_points"), 10, "");
    loaded = load_book(book_yaml, {{"alpha.yaml", text}});
    CHECK(loaded.messages == std::vector<std::string>{
                                 "content/topics/alpha.yaml:11:7: error: code block is not closed\n"
                                 "  hint: end it with a line of ``` matching the opening fence"});
  }
  SECTION("a YAML alias") {
    Loaded loaded = load_book(
        book_yaml, {{"alpha.yaml", alpha_with("title: Alpha", "title: &t Alpha\nx: *t")}});
    REQUIRE_FALSE(loaded.messages.empty());
    CHECK(loaded.messages[0] ==
          "content/topics/alpha.yaml:2:8: error: YAML anchors (&name) are not supported\n"
          "  hint: write the value out in full");
  }
}

TEST_CASE("the book's description is Markdown", "[load]") {
  std::string book = book_yaml;
  book.insert(book.find("areas:"), "description: |\n  Read *one* topic.\n\n  Then `review`.\n");
  Loaded loaded = load_book(book, {{"alpha.yaml", alpha_with("title: Alpha", "title: Alpha")}});
  CHECK(loaded.messages.empty());
  const model::Body& description = loaded.document.book.description;
  REQUIRE(description.size() == 2);
  const auto& first = std::get<model::Paragraph>(description[0].node).inlines;
  REQUIRE(first.size() == 3);
  CHECK(first[1].text == "one");
  CHECK(first[1].style == model::style_italic);
  CHECK(description[1].where.line == 7);  // where the second paragraph is in book.yaml
}

TEST_CASE("a plain NULL where text may be left out is a warning naming the word", "[load]") {
  Loaded loaded = load_book(
      book_yaml, {{"alpha.yaml", alpha_with("    back: Back", "    back: NULL\n    extra: ~")}});
  REQUIRE(loaded.messages.size() == 1);  // `~` is plainly no value
  CHECK(
      loaded.messages[0] ==
      "content/topics/alpha.yaml:29:11: warning: 'back' in card is empty (YAML reads a plain NULL "
      "as no value; write \"NULL\")");
}

TEST_CASE("every error of a run is reported, not just the first", "[load]") {
  std::string text = alpha_with("title: Alpha", "titel: Alpha");
  text = text.replace(text.find("kind: basic"), 11, "kind: basik");
  Loaded loaded = load_book(book_yaml, {{"alpha.yaml", text}});
  CHECK(loaded.messages.size() == 2);  // unknown key, unknown kind
}

TEST_CASE("a misspelt required key is one error, not also a missing one", "[load]") {
  Loaded loaded =
      load_book(book_yaml, {{"alpha.yaml", alpha_with("title: Alpha", "titel: Alpha")}});
  REQUIRE(loaded.messages.size() == 1);
  CHECK(loaded.messages[0].find("unknown key 'titel' in topic") != std::string::npos);
  // A key that is no typo of the missing one leaves the missing one reported.
  loaded = load_book(book_yaml, {{"alpha.yaml", alpha_with("title: Alpha", "heading: Alpha")}});
  CHECK(loaded.messages.size() == 2);
}

TEST_CASE("the layout book.yaml names is read ahead, or nothing when it cannot be", "[load]") {
  test_support::TempDir dir("load-book-layout");
  const std::filesystem::path book = dir.path() / "book.yaml";
  CHECK(load::book_layout_name(dir.path().string()).empty());  // no book.yaml
  std::ofstream(book) << "title: T\nlayout: a5-booklet\nareas: []\n";
  CHECK(load::book_layout_name(dir.path().string()) == "a5-booklet");
  std::ofstream(book) << "title: T\nareas: []\n";
  CHECK(load::book_layout_name(dir.path().string()).empty());
  std::ofstream(book) << "title: [unclosed\nlayout: a4\n";
  CHECK(load::book_layout_name(dir.path().string()).empty());  // load_content reports it
}

TEST_CASE("reports come file by file in file order, whichever core read a file", "[load]") {
  // Two cores read the topic files; each file's reports (YAML, model and Markdown) must
  // still come together and in file order, then the driver's own report on that file.
  std::string book =
      "title: T\nslug: t\ndeck: D\nareas:\n  - id: core\n    title: Core\n"
      "    topics: [";
  std::vector<std::pair<std::string, std::string>> topics;
  std::vector<std::string> expected;
  for (int i = 0; i < 40; ++i) {
    const std::string id = "t" + std::to_string(100 + i);
    const std::string file = "content/topics/" + id + ".yaml";
    if (i % 7 == 3) {
      topics.emplace_back(id + ".yaml", "id: " + id + "\ntitle: [unclosed\n");
      expected.push_back(file +
                         " invalid YAML: the list opened with '[' at line 2, column 8 is not "
                         "closed with ']'");
      continue;
    }
    topics.emplace_back(
        id + ".yaml", "id: " + id + "\ntitle: T\nextra: x\nsummary: \"# heading\"\nsections: []\n");
    expected.push_back(file + " unknown key 'extra' in topic");
    expected.push_back(file + " headings are not allowed in Markdown text");
    if (i % 3 == 0) {
      expected.push_back(file + " topic file is not listed in book.yaml");
    } else {
      book += (book.back() == '[' ? "" : ", ") + id;
    }
  }
  book += "]\n";
  for (int run = 0; run < 5; ++run) {
    load::ContentFiles files;
    files.book_yaml = book;
    files.topic_files = topics;
    model::Diagnostics diagnostics;
    load::load_content_from(files, diagnostics);
    std::vector<std::string> reported;
    for (const model::Diagnostic& diagnostic : diagnostics.all()) {
      reported.push_back(diagnostic.where.file + " " + diagnostic.message);
    }
    REQUIRE(reported == expected);
  }
}

TEST_CASE("a key hint names the key a word abbreviates or misspells, and nothing else", "[load]") {
  const std::vector<std::string_view> keys = {"id", "question", "answer", "summary", "sections"};
  CHECK(load::closest_match("q", keys) == "question");
  CHECK(load::closest_match("a", keys) == "answer");
  CHECK(load::closest_match("sumary", keys) == "summary");
  CHECK(load::closest_match("qestion", keys) == "question");
  CHECK(load::closest_match("x", keys).empty());  // shares no letter with "id"
  CHECK(load::closest_match("s", keys).empty());  // begins two keys
  CHECK(load::closest_match("", keys).empty());
}
