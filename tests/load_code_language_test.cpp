#include <catch2/catch.hpp>

#include "load/load_content.hpp"
#include "support.hpp"

namespace {

struct Loaded {
  model::Document document;
  std::vector<std::string> messages;
};

Loaded load_pack(const std::string& book_extra, const std::string& cards,
                 const std::string& body = "x") {
  load::ContentFiles files;
  files.book_yaml = "title: T\nslug: t\ndeck: T\n" + book_extra +
                    "areas:\n  - id: a\n    title: A\n    topics: [alpha]\n";
  files.topic_files = {{"alpha.yaml",
                        "id: alpha\ntitle: Alpha\nsections:\n  - id: s\n    "
                        "title: S\n    body: |\n" +
                            body + "cards:\n" + cards}};
  Loaded loaded;
  model::Diagnostics diagnostics;
  loaded.document = load::load_content_from(files, diagnostics);
  loaded.messages = test_support::formatted(diagnostics);
  return loaded;
}

const model::CodeBlock& card_code(const Loaded& loaded, std::size_t index = 0) {
  return *loaded.document.areas.at(0).topics.at(0).cards.at(index).code;
}

const char* const sql_card = R"(  - id: c
    kind: code
    lang: sql
    front: What does this count?
    code: |
      SELECT COUNT(email) FROM users;
    back: Non-null emails.
)";

}  // namespace

TEST_CASE("a code card's lang: names its language; it is not wrapped as Rust", "[load][lang]") {
  const Loaded loaded = load_pack("", sql_card, "      x\n");
  CHECK(loaded.messages.empty());
  const model::CodeBlock& code = card_code(loaded);
  CHECK(code.language == "sql");
  CHECK(code.check == model::CodeCheck::none);
  CHECK(code.lines == std::vector<std::string>{"SELECT COUNT(email) FROM users;"});
  CHECK(code.source == "SELECT COUNT(email) FROM users;");
}

TEST_CASE("the book's code_language is the default of code cards", "[load][lang]") {
  const std::string card =
      "  - id: c\n    kind: code\n    front: F\n    code: |\n      "
      "fmt.Println(1)\n    back: B\n";
  CHECK(card_code(load_pack("code_language: go\n", card, "      x\n")).language == "go");
  // Without either, the code is plain text (never silently Rust).
  const Loaded plain = load_pack("", card, "      x\n");
  CHECK(plain.messages.empty());
  CHECK(card_code(plain).language.empty());
  CHECK(card_code(plain).check == model::CodeCheck::none);
  // Rust cards are still compiled as rustdoc would.
  const Loaded rust_pack = load_pack("code_language: rust\n", card, "      x\n");
  const model::CodeBlock& rust = card_code(rust_pack);
  CHECK(rust.language == "rust");
  CHECK(rust.check == model::CodeCheck::run);
  CHECK(rust.source.find("fn main() {") != std::string::npos);
}

TEST_CASE("check: on a code card that is not Rust is an error", "[load][lang]") {
  const std::string card = std::string(sql_card) + "    check: compile_fail\n";
  CHECK(load_pack("code_language: rust\n", card, "      x\n").messages ==
        std::vector<std::string>{
            "content/topics/alpha.yaml:16:12: error: 'check' applies only to Rust code; this "
            "card's code is sql\n  hint: remove 'check'"});
  const std::string unset =
      "  - id: c\n    kind: code\n    front: F\n    code: x\n    check: "
      "no_run\n    back: B\n";
  CHECK(load_pack("", unset, "      x\n").messages ==
        std::vector<std::string>{
            "content/topics/alpha.yaml:13:12: error: 'check' applies only to Rust code; this "
            "card's code is plain text\n  hint: set `lang: rust` on the card or `code_language: "
            "rust` in book.yaml, or remove 'check'"});
}

TEST_CASE("an output block may follow a fence of any language", "[load][lang]") {
  const Loaded loaded =
      load_pack("", "  - id: c\n    kind: basic\n    front: F\n    back: B\n",
                "      ```sql\n      SELECT 1;\n      ```\n      ```output\n       1\n      ```\n");
  CHECK(loaded.messages.empty());
  const model::Body& body = loaded.document.areas.at(0).topics.at(0).sections.at(0).body;
  REQUIRE(body.size() == 2);
  CHECK(std::get<model::CodeBlock>(body[0].node).language == "sql");
  CHECK_FALSE(std::get<model::CodeBlock>(body[0].node).expected_output.has_value());
  CHECK(std::holds_alternative<model::OutputBlock>(body[1].node));
  // Still not after a paragraph.
  CHECK(load_pack("", "  - id: c\n    kind: basic\n    front: F\n    back: B\n",
                  "      Text.\n\n      ```output\n      1\n      ```\n")
            .messages == std::vector<std::string>{"content/topics/alpha.yaml:9:7: error: an "
                                                  "```output block must follow a code block"});
}
