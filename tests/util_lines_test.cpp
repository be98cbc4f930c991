// Splitting text into lines: every '\n' ends a line, and only text_lines reads a last '\n'
// as the end of the last line.
#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "util/lines.hpp"

using Views = std::vector<std::string_view>;
using Lines = std::vector<std::string>;

TEST_CASE("split_lines keeps the empty line after a last line feed", "[util]") {
  CHECK(util::split_lines("") == Views{""});
  CHECK(util::split_lines("a") == Views{"a"});
  CHECK(util::split_lines("a\n") == Views{"a", ""});
  CHECK(util::split_lines("a\n\nb") == Views{"a", "", "b"});
  CHECK(util::split_lines("\t x\r\n") == Views{"\t x\r", ""});
}

TEST_CASE("text_lines reads a last line feed as the end of the last line", "[util]") {
  CHECK(util::text_lines("").empty());
  CHECK(util::text_lines("\n") == Lines{""});
  CHECK(util::text_lines("a\nb") == Lines{"a", "b"});
  CHECK(util::text_lines("a\nb\n") == Lines{"a", "b"});
  CHECK(util::text_lines("a\n\n") == Lines{"a", ""});
  CHECK(util::text_lines("\n\nfn main() {}\n") == Lines{"", "", "fn main() {}"});
}
