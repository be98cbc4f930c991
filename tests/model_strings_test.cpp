// The model's compact strings read, copy and compare like the std::strings they replaced:
// model::RareText (a run's link and cloze hint) and model::FileName (a location's file).
#include <catch2/catch.hpp>

#include <string>
#include <utility>

#include "model/document.hpp"

TEST_CASE("a run's link and hint take a pointer, not a string", "[model]") {
  STATIC_REQUIRE(sizeof(model::RareText) == sizeof(void*));
  STATIC_REQUIRE(sizeof(model::Inline) <= 64);
}

TEST_CASE("RareText is empty until given text, and an empty string keeps it empty", "[model]") {
  model::RareText none;
  CHECK(none.empty());
  CHECK(none.str().empty());
  CHECK(none.size() == 0);
  CHECK(none == "");
  const model::RareText from_empty = std::string();
  CHECK(from_empty.empty());

  const model::RareText link = std::string("#topic/borrowing");
  CHECK_FALSE(link.empty());
  CHECK(link.size() == 16);
  CHECK(link.front() == '#');
  CHECK(link[1] == 't');
  CHECK(link.substr(1) == "topic/borrowing");
  CHECK(link == std::string("#topic/borrowing"));
  CHECK(link != "#topic/ownership");
  const std::string& read = link;
  CHECK(read == "#topic/borrowing");
}

TEST_CASE("copies of a run own their link; moves leave the source empty", "[model]") {
  model::Inline run;
  run.text = "borrowing";
  run.link = "https://doc.rust-lang.org";
  run.cloze_hint = "a hint";

  model::Inline copy = run;
  run.link = "#elsewhere";
  CHECK(copy.link == "https://doc.rust-lang.org");
  CHECK(copy.cloze_hint == "a hint");

  copy = run;  // copy-assign over a link it had
  CHECK(copy.link == "#elsewhere");
  copy = copy;  // NOLINT(clang-diagnostic-self-assign-overloaded): self-assignment keeps it
  CHECK(copy.link == "#elsewhere");

  model::Inline moved = std::move(run);
  CHECK(moved.link == "#elsewhere");
  CHECK(moved.cloze_hint == "a hint");
}

TEST_CASE("locations copied from one share its file name", "[model]") {
  const model::SourceLocation first{std::string("content/topics/ownership.yaml"), 3, 5};
  const model::SourceLocation copy = first;
  CHECK(&copy.file.str() == &first.file.str());  // the same string, not an equal one
  CHECK(copy.file == "content/topics/ownership.yaml");
  CHECK(copy.file + ":3" == "content/topics/ownership.yaml:3");

  const model::SourceLocation none;
  CHECK(none.file.empty());
  CHECK(none.file == "");
  CHECK(std::string(none.file.c_str()).empty());
}

TEST_CASE("file names order as their text does", "[model]") {
  const model::FileName a = "a.yaml";
  const model::FileName b = std::string("b.yaml");
  CHECK(a < b);
  CHECK_FALSE(b < a);
  CHECK(a == model::FileName("a.yaml"));
  CHECK(a != b);
}
