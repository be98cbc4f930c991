// Hyphenation with Debian's en_US patterns: known words, and never identifiers.
#include <catch2/catch.hpp>

#include "text/hyphenate.hpp"
#include "util/error.hpp"

TEST_CASE("known words hyphenate at the dictionary's points", "[booklet]") {
  const text::Hyphenator hyphenator;
  CHECK(hyphenator.show("hyphenation") == "hy-phen-ation");
  CHECK(hyphenator.show("programming") == "pro-gram-ming");
  CHECK(hyphenator.show("ownership") == "own-er-ship");
  CHECK(hyphenator.show("documentation") == "doc-u-men-ta-tion");
  CHECK(hyphenator.show("Borrowing") == "Bor-row-ing");
  CHECK(hyphenator.points("asynchronous") == std::vector<std::size_t>{4, 8});
}

TEST_CASE("two letters stay before a hyphen and three after it", "[booklet]") {
  const text::Hyphenator hyphenator;
  for (const char* word : {"iterator", "reference", "mutable", "concurrency", "lifetime"}) {
    const std::string text = word;
    for (std::size_t point : hyphenator.points(text)) {
      CHECK(point >= 2);
      CHECK(text.size() - point >= 3);
    }
  }
  CHECK(hyphenator.show("mutable") == "mu-ta-ble");
}

TEST_CASE("identifiers, paths, URLs and short words are never hyphenated", "[booklet]") {
  const text::Hyphenator hyphenator;
  for (const char* word :
       {"HashMap", "RefCell", "and_then", "std::mem::swap", "Vec<T>", "u32",
        "https://doc.rust-lang.org", "HTTP", "into", "self.value", "don't", "na\xC3\xAFve"}) {
    INFO(word);
    CHECK(hyphenator.points(word).empty());
  }
  CHECK_FALSE(text::is_hyphenatable("SCREAMING"));
  CHECK(text::is_hyphenatable("Screaming"));
}

TEST_CASE("a missing dictionary is an environment error naming the package", "[booklet]") {
  try {
    text::Hyphenator hyphenator("/nonexistent/hyph_en_US.dic");
    FAIL("no error");
  } catch (const util::ToolError& error) {
    CHECK(std::string(error.what()).find("hyphen-en-us") != std::string::npos);
  }
}

TEST_CASE("words of six letters or fewer stay whole", "[text]") {
  const text::Hyphenator hyphenator;
  CHECK(hyphenator.show("hyper") == "hyper");
  CHECK(hyphenator.show("tokio") == "tokio");
  CHECK(hyphenator.show("anyhow") == "anyhow");
  CHECK(hyphenator.show("hyphenation") != "hyphenation");
}

TEST_CASE("names kept whole are never hyphenated, capitalised or not", "[text]") {
  text::Hyphenator hyphenator;
  REQUIRE(hyphenator.show("refcount") != "refcount");  // the patterns would split it
  hyphenator.keep_whole("refcount");
  CHECK(hyphenator.show("refcount") == "refcount");
  CHECK(hyphenator.show("Refcount") == "Refcount");
  CHECK(hyphenator.show("serde_json") == "serde_json");
  CHECK(hyphenator.show("hyper") == "hyper");
  CHECK(hyphenator.show("tokio") == "tokio");
  CHECK(hyphenator.show("hyphenation") == "hy-phen-ation");  // other words still break
}
