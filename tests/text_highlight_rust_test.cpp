#include <catch2/catch.hpp>

#include "text/highlight_rust.hpp"

using model::HighlightTag;

namespace {

// Renders a line as "tag:text|tag:text" for compact, exact comparisons.
std::string describe(const text::TokenLine& line) {
  std::string out;
  for (const auto& token : line) {
    std::string trimmed = token.text;
    std::erase(trimmed, ' ');
    if (trimmed.empty()) {
      continue;
    }
    if (!out.empty()) {
      out += "|";
    }
    out += std::string(model::highlight_tag_name(token.tag)) + ":" + trimmed;
  }
  return out;
}

}  // namespace

TEST_CASE("keywords, types, functions and macros are classified", "[text][highlight]") {
  auto lines = text::highlight_rust("let v: Vec<u8> = make(3);\nprintln!(\"{v:?}\");");
  REQUIRE(lines.size() == 2);
  CHECK(describe(lines[0]) ==
        "keyword:let|plain:v|punctuation::|type:Vec|punctuation:<|type:u8|punctuation:>|"
        "punctuation:=|function:make|punctuation:(|number:3|punctuation:);");
  CHECK(describe(lines[1]) == "macro:println|punctuation:!(|string:\"{v:?}\"|punctuation:);");
}

TEST_CASE("lifetimes are told apart from char literals", "[text][highlight]") {
  auto lines = text::highlight_rust("fn f<'a>(x: &'a str) -> char { 'a' }");
  REQUIRE(lines.size() == 1);
  CHECK(describe(lines[0]) ==
        "keyword:fn|function:f|punctuation:<|lifetime:'a|punctuation:>(|plain:x|punctuation::|"
        "punctuation:&|lifetime:'a|type:str|punctuation:)|punctuation:->|type:char|"
        "punctuation:{|string:'a'|punctuation:}");
}

TEST_CASE("nested block comments, raw strings and attributes", "[text][highlight]") {
  auto lines = text::highlight_rust("/* a /* b */ c */ r#\"x \"y\" z\"# #[derive(Debug)]");
  REQUIRE(lines.size() == 1);
  CHECK(describe(lines[0]) ==
        "comment:/*a/*b*/c*/|string:r#\"x\"y\"z\"#|attribute:#[derive(Debug)]");
}

TEST_CASE("numbers keep suffixes and ranges stay punctuation", "[text][highlight]") {
  auto lines = text::highlight_rust("0xFF_u8 1.5e-3 0..10 1_000i64");
  REQUIRE(lines.size() == 1);
  CHECK(describe(lines[0]) ==
        "number:0xFF_u8|number:1.5e-3|number:0|punctuation:..|number:10|number:1_000i64");
}

TEST_CASE("tokens reproduce the source and tabs expand to four columns", "[text][highlight]") {
  std::string source = "fn main() {\n\tlet s = \"unterminated";
  auto lines = text::highlight_rust(source);
  REQUIRE(lines.size() == 2);
  std::string second;
  for (const auto& token : lines[1]) {
    second += token.text;
  }
  CHECK(second == "    let s = \"unterminated");
  CHECK(lines[1].back().tag == HighlightTag::string);
}
