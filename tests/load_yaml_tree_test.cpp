// The located YAML tree: values, marks and messages of load/yaml_tree.cpp, the one file
// that reads YAML, for the inputs where YAML parsers differ (YAML 1.1 vs 1.2, encodings).
#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "load/yaml_tree.hpp"

namespace {

using load::YamlNode;

struct Parsed {
  std::optional<YamlNode> root;
  std::vector<std::string> messages;
};

Parsed parse(const std::string& text) {
  model::Diagnostics diagnostics;
  Parsed parsed;
  parsed.root = load::parse_yaml(text, "t.yaml", diagnostics);
  for (const model::Diagnostic& diagnostic : diagnostics.all()) {
    parsed.messages.push_back(model::format_diagnostic(diagnostic));
  }
  return parsed;
}

// "line:column" of a node's mark and of its text's first character.
std::string marks(const YamlNode& node) {
  return std::to_string(node.where.line) + ":" + std::to_string(node.where.column) + " " +
         std::to_string(node.origin_line) + ":" + std::to_string(node.origin_column);
}

}  // namespace

TEST_CASE("a node's column counts bytes, also after non-ASCII text on its line", "[yaml]") {
  Parsed parsed = parse("a: [\xC3\xA9\xC3\xA9, \"x\"]\n");
  REQUIRE(parsed.root);
  const YamlNode& list = parsed.root->entries.at(0).value;
  CHECK(marks(list.items.at(0)) == "1:5 1:5");
  CHECK(marks(list.items.at(1)) == "1:11 1:12");
  CHECK(list.items.at(1).quoted_or_block);
}

TEST_CASE("a byte order mark is skipped: the first line's marks start after it", "[yaml]") {
  Parsed parsed = parse("\xEF\xBB\xBFtitle: \"x\"\n");
  REQUIRE(parsed.root);
  const YamlNode& title = parsed.root->entries.at(0).value;
  CHECK(title.value == "x");
  CHECK(title.quoted_or_block);
  CHECK(marks(title) == "1:8 1:9");
}

TEST_CASE("block scalars keep chomping and indentation; their text starts below", "[yaml]") {
  Parsed parsed = parse("a: |-\n  x\n\nb: >\n  one\n  two\n\n  three\nc: |2\n    deep\n  flat\n");
  REQUIRE(parsed.root);
  const auto& entries = parsed.root->entries;
  CHECK(entries.at(0).value.value == "x");
  CHECK(marks(entries.at(0).value) == "1:4 2:3");
  CHECK(entries.at(1).value.value == "one two\nthree\n");
  CHECK(entries.at(2).value.value == "  deep\nflat\n");
}

TEST_CASE("double-quoted escapes become UTF-8 text", "[yaml]") {
  Parsed parsed = parse(R"(a: "\x41\u00e9\N\_\L\P\/\t\"")"
                        "\n");
  REQUIRE(parsed.root);
  CHECK(parsed.root->entries.at(0).value.value ==
        "A\xC3\xA9\xC2\x85\xC2\xA0\xE2\x80\xA8\xE2\x80\xA9/\t\"");
}

TEST_CASE("plain null words are empty nodes; quoted or tagged ones are text", "[yaml]") {
  Parsed parsed = parse("a: ~\nb: null\nc:\nd: \"~\"\ne: !!str null\nf: nULL\n");
  REQUIRE(parsed.root);
  std::vector<std::string> kinds;
  for (const auto& entry : parsed.root->entries) {
    kinds.push_back(entry.value.kind_name());
  }
  CHECK(kinds ==
        std::vector<std::string>{"empty", "empty", "empty", "a string", "a string", "a string"});
}

TEST_CASE("CRLF or CR line ends, tabs inside values and directives parse as with LF", "[yaml]") {
  Parsed crlf = parse("a: 1\r\nb: \"x\ty\"\r\nc: |\r\n  l1\r\n  l2\r\n");
  Parsed cr = parse("a: 1\rb: \"x\"\r");  // old Mac line ends: a '\r' alone ends a line
  Parsed directive = parse("%YAML 1.1\n---\na: 1\n");
  REQUIRE(crlf.root);
  REQUIRE(cr.root);
  CHECK(marks(cr.root->entries.at(1).value) == "2:4 2:5");
  REQUIRE(directive.root);
  CHECK(crlf.root->entries.at(1).value.value == "x\ty");
  CHECK(crlf.root->entries.at(2).value.value == "l1\nl2\n");
  CHECK(marks(crlf.root->entries.at(2).value) == "3:4 4:3");
  CHECK(marks(directive.root->entries.at(0).key) == "3:1 3:1");
}

TEST_CASE("YAML the tree refuses becomes one located message", "[yaml]") {
  const std::pair<const char*, const char*> cases[] = {
      {"a: 1\n---\nb: 2\n",
       "t.yaml:2:1: error: a second YAML document starts here; prepkit reads one per file\n"
       "  hint: remove this '---' line, or move what follows into a file of its own"},
      {"# only a comment\n", "t.yaml: error: file is empty\n  hint: it holds only comments"},
      {"a: *x\n",
       "t.yaml:1:4: error: YAML aliases (*name) are not supported\n"
       "  hint: write the value out in full"},
      {"a: 1\nb: \"open\nc: 2\n",
       "t.yaml:2:4: error: invalid YAML: this quoted string is never closed\n"
       "  hint: add the closing quote; the file ends inside the string"},
      {"a:\n  b: 1\n c: 2\n",
       "t.yaml:3:2: error: invalid YAML: expected a key of the mapping that starts at line 1, "
       "column 1\n  hint: check this line's indentation against the lines above"},
      {"a: {b: 1\n",
       "t.yaml:2:1: error: invalid YAML: the mapping opened with '{' at line 1, column 4 is not "
       "closed with '}'\n  hint: expected ',' or '}' here"},
      {"a: @x\n",
       "t.yaml:1:4: error: invalid YAML: '@' cannot start a value\n  hint: quote the value"},
      {"a: \"\\q\"\n",
       "t.yaml:1:5: error: invalid YAML: unknown escape sequence in a double-quoted string\n"
       "  hint: write \\\\ for a backslash, or use single quotes"},
      {"a: x\x01y\n",
       "t.yaml:1:5: error: file contains the control character U+0001\n"
       "  hint: remove it; of the control characters YAML allows only tab and line breaks"},
      {"a: \xC3\xA9\xE2\x80\xA8y\n",
       "t.yaml:1:5: error: file contains the character U+2028, which YAML reads as a line break\n"
       "  hint: replace it with a line break or a space"},
  };
  for (const auto& [text, message] : cases) {
    INFO(text);
    CHECK(parse(text).messages == std::vector<std::string>{message});
  }
}

TEST_CASE("nesting is limited to 32 levels", "[yaml]") {
  const auto nested = [](int levels) {
    return "a: " + std::string(static_cast<std::size_t>(levels - 1), '[') +
           std::string(static_cast<std::size_t>(levels - 1), ']') + "\n";
  };
  CHECK(parse(nested(32)).messages.empty());
  CHECK(parse(nested(33)).messages ==
        std::vector<std::string>{
            "t.yaml:1:35: error: YAML is nested too deeply (more than 32 levels)"});
}
