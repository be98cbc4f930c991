#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "anki/card_html.hpp"
#include "text/highlight_code.hpp"

namespace {

using model::HighlightTag;

// "tag:text" for every token that is not plain, in order.
std::vector<std::string> classified(const std::vector<text::TokenLine>& lines) {
  std::vector<std::string> out;
  for (const text::TokenLine& line : lines) {
    for (const text::Token& token : line) {
      if (token.tag != HighlightTag::plain &&
          token.text.find_first_not_of(' ') != std::string::npos) {
        out.push_back(std::string(model::highlight_tag_name(token.tag)) + ":" + token.text);
      }
    }
  }
  return out;
}

bool contains(const std::vector<std::string>& tokens, const std::string& token) {
  return std::find(tokens.begin(), tokens.end(), token) != tokens.end();
}

std::string joined(const text::TokenLine& line) {
  std::string text;
  for (const text::Token& token : line) {
    text += token.text;
  }
  return text;
}

}  // namespace

TEST_CASE("SQL is highlighted as SQL, not as Rust", "[highlight]") {
  const auto tokens = classified(text::highlight_code(
      "sql",
      "CREATE TABLE users (email TEXT);\nSELECT * FROM users WHERE email = 'a@example.com';"));
  CHECK(contains(tokens, "keyword:CREATE"));
  CHECK(contains(tokens, "keyword:SELECT"));
  CHECK(contains(tokens, "type:TEXT"));
  CHECK(contains(tokens, "string:'a@example.com'"));
  CHECK_FALSE(contains(tokens, "lifetime:'a"));
}

TEST_CASE("common languages get keywords, strings and comments", "[highlight]") {
  struct Case {
    const char* language;
    const char* source;
    std::vector<std::string> expected;
  };
  const std::vector<Case> cases = {
      {"go",
       "func main() {\n\tfmt.Println(\"hi\") // say it\n}",
       {"keyword:func", "string:\"hi\"", "comment:// say it"}},
      {"c", "#include <stdio.h>\nint main(void) { return 0; }", {"type:int", "keyword:return"}},
      {"cpp", "class Point { public: int x; };", {"keyword:class", "type:int"}},
      {"C++", "namespace a {}", {"keyword:namespace"}},
      {"python",
       "def f(x):\n    return 'y'  # done",
       {"keyword:def", "string:'y'", "comment:# done"}},
      {"java", "public class A { String s = \"x\"; }", {"keyword:public", "string:\"x\""}},
      {"javascript", "const x = 'a'; // c", {"keyword:const", "string:'a'"}},
      {"typescript", "const n: number = 1;", {"keyword:const", "number:1"}},
      {"sh", "echo \"$HOME\" # home", {"comment:# home"}},
      {"bash", "if [ -f x ]; then echo y; fi", {"keyword:if", "keyword:then", "keyword:fi"}},
      {"json", "{\"a\": 1}", {"number:1"}},
      {"toml", "[package]\nname = \"x\" # the name", {"string:\"x\"", "comment:# the name"}},
      {"yaml", "name: \"x\"  # the name\ncount: 3", {"string:\"x\"", "comment:# the name"}},
      {"rust", "fn main() { let s: &'a str = \"x\"; }", {"keyword:fn", "lifetime:'a"}},
  };
  for (const Case& c : cases) {
    INFO(c.language);
    CHECK(text::can_highlight(c.language));
    const auto lines = text::highlight_code(c.language, c.source);
    const auto tokens = classified(lines);
    for (const std::string& token : c.expected) {
      INFO(token);
      CHECK(contains(tokens, token));
    }
  }
}

TEST_CASE("SQL's window functions, CASE and CTEs are highlighted too", "[highlight]") {
  // source-highlight's sql.lang knows none of these words.
  const std::string source =
      "WITH ranked AS (\n"
      "  SELECT name, rank() OVER (PARTITION BY dept ORDER BY pay DESC) AS r,\n"
      "         CASE WHEN pay > 10 THEN 'high' ELSE 'low' END AS band, count\n"
      "  FROM staff) SELECT * FROM ranked WHERE r <= 3 -- over here: a comment";
  const auto lines = text::highlight_code("postgresql", source);
  const auto tokens = classified(lines);
  for (const char* token : {"keyword:OVER", "keyword:PARTITION", "keyword:CASE", "keyword:WHEN",
                            "keyword:THEN", "keyword:ELSE", "keyword:END", "function:rank",
                            "keyword:WITH", "comment:-- over here: a comment"}) {
    INFO(token);
    CHECK(contains(tokens, token));
  }
  CHECK_FALSE(contains(tokens, "function:count"));  // a column: no "(" follows
  CHECK_FALSE(contains(tokens, "keyword:ranked"));  // whole words only
  CHECK(joined(lines[1]) ==
        "  SELECT name, rank() OVER (PARTITION BY dept ORDER BY pay DESC) AS r,");
  // Other languages keep their own definitions' words.
  CHECK_FALSE(contains(classified(text::highlight_code("python", "x = over(1)")), "keyword:over"));
}

TEST_CASE("highlighted lines give the source back, tabs expanded", "[highlight]") {
  const std::string source = "SELECT\t1; -- one\n\n/* a comment\n   over lines */ SELECT 'x';";
  const auto lines = text::highlight_code("sql", source);
  REQUIRE(lines.size() == 4);
  CHECK(joined(lines[0]) == "SELECT  1; -- one");
  CHECK(joined(lines[1]).empty());
  CHECK(joined(lines[3]) == "   over lines */ SELECT 'x';");
  CHECK(classified({lines[3]}).front() == "comment:   over lines */");
}

TEST_CASE("unknown languages and plain text stay plain", "[highlight]") {
  for (const char* language : {"text", "console", "", "no-such-language"}) {
    INFO(language);
    CHECK_FALSE(text::can_highlight(language));
    const auto lines = text::highlight_code(language, "SELECT 'x' -- y");
    REQUIRE(lines.size() == 1);
    REQUIRE(lines[0].size() == 1);
    CHECK(lines[0][0].tag == HighlightTag::plain);
  }
}

TEST_CASE("a very long line is not handed to the regular expressions", "[highlight]") {
  const std::string line = "SELECT '" + std::string(100000, 'a') + "'";
  const auto lines = text::highlight_code("sql", line);
  REQUIRE(lines.size() == 1);
  CHECK(joined(lines[0]) == line);
  CHECK(classified(lines).empty());
}

TEST_CASE("card HTML names the code's language and styles its tokens", "[highlight][anki]") {
  model::CodeBlock code;
  code.language = "sql";
  code.lines = {"SELECT 1;"};
  CHECK(anki::code_block_html(code) ==
        "<pre><code class=\"lang-sql\"><span class=\"ln\"><span class=\"ind\"></span><span "
        "class=\"tx\"><span class=\"hl-keyword\">SELECT</span> <span class=\"hl-number\">1</span>"
        "<span class=\"hl-punctuation\">;</span></span></span></code></pre>");
}
