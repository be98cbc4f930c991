// The note-time lock: parse/write round trip, diagnostics, and when `mod` moves.
#include <catch2/catch.hpp>

#include "anki/note_times.hpp"

namespace {

constexpr std::int64_t t1 = 1764000000;  // first build
constexpr std::int64_t t2 = 1764100000;  // a later build

anki::NoteTimes first_build() {
  return anki::update_note_times({}, {{"g-a", "aaaa", "t/a"}, {"g-b", "bbbb", "t/b"}},
                                 {{101, "1111"}}, t1);
}

}  // namespace

TEST_CASE("new notes get now as mod and distinct first-seen ids before now", "[anki]") {
  const anki::NoteTimes times = first_build();
  REQUIRE(times.notes.size() == 2);
  const auto& a = times.notes.at("g-a");
  const auto& b = times.notes.at("g-b");
  CHECK(a.mod == t1);
  CHECK(b.mod == t1);
  CHECK(a.first_seen < b.first_seen);  // book order
  CHECK(b.first_seen < t1 * 1000);
  CHECK(b.first_seen - a.first_seen >= 1000);
  CHECK(a.first_seen > (t1 - 60) * 1000);
  CHECK(times.note_types.at(101).mod == t1);
}

TEST_CASE("unchanged notes keep mod; edited get now; new get now; removed are dropped", "[anki]") {
  const anki::NoteTimes before = first_build();
  const anki::NoteTimes after = anki::update_note_times(
      before, {{"g-a", "aaaa", "t/a"}, {"g-b", "b-edited", "t/b"}, {"g-c", "cccc", "t/c"}},
      {{101, "1111"}}, t2);
  CHECK(after.notes.at("g-a").mod == t1);
  CHECK(after.notes.at("g-a").first_seen == before.notes.at("g-a").first_seen);
  CHECK(after.notes.at("g-b").mod == t2);
  CHECK(after.notes.at("g-b").first_seen == before.notes.at("g-b").first_seen);
  CHECK(after.notes.at("g-c").mod == t2);
  CHECK(after.notes.at("g-c").first_seen < t2 * 1000);
  CHECK(after.notes.at("g-c").first_seen > before.notes.at("g-b").first_seen);
  CHECK(after.note_types.at(101).mod == t1);

  const anki::NoteTimes removed =
      anki::update_note_times(after, {{"g-a", "aaaa", "t/a"}}, {{101, "2222"}}, t2 + 5);
  CHECK(removed.notes.size() == 1);
  CHECK(removed.note_types.at(101).mod == t2 + 5);  // CSS/templates changed
}

TEST_CASE("an edit always moves mod forward, even with a clock behind the lock", "[anki]") {
  const anki::NoteTimes before = first_build();
  const anki::NoteTimes after =
      anki::update_note_times(before, {{"g-a", "changed", "t/a"}}, {{101, "changed"}}, t1 - 100);
  CHECK(after.notes.at("g-a").mod == t1 + 1);
  CHECK(after.note_types.at(101).mod == t1 + 1);
}

TEST_CASE("new first-seen ids avoid ids already in the lock", "[anki]") {
  anki::NoteTimes lock;
  lock.notes["old"] = {"h", t1, (t1 - 1) * 1000, ""};
  const anki::NoteTimes after =
      anki::update_note_times(lock, {{"old", "h", ""}, {"new", "n", ""}}, {}, t1);
  CHECK(after.notes.at("old").first_seen == (t1 - 1) * 1000);
  CHECK(after.notes.at("new").first_seen == (t1 - 2) * 1000);
}

TEST_CASE("the lock round-trips through text, sorted", "[anki]") {
  const anki::NoteTimes times = first_build();
  const std::string text = anki::write_note_times(times);
  CHECK(text.find("notetype 101 1111 1764000000\n") != std::string::npos);
  CHECK(text.find("note g-a aaaa 1764000000 ") != std::string::npos);
  CHECK(text.find(" t/a\n") != std::string::npos);
  CHECK(text.find("note g-a") < text.find("note g-b"));
  model::Diagnostics diagnostics;
  const anki::NoteTimes parsed = anki::parse_note_times(text, "content/anki.lock", diagnostics);
  CHECK_FALSE(diagnostics.has_errors());
  CHECK(anki::write_note_times(parsed) == text);
  CHECK(parsed.notes.at("g-b").first_seen == times.notes.at("g-b").first_seen);
  CHECK(parsed.notes.at("g-b").source == "t/b");
}

TEST_CASE("a malformed lock is reported with file, line and column", "[anki]") {
  const std::string text =
      "# comment\n"
      "\n"
      "note abc 12ab 100 200 t/x\n"
      "note abc 12ab 100 200\n"
      "note def XYZ 100 200\n"
      "notetype 5 ab\n"
      "note ghi 12 1x 200\n"
      "bogus line\r\n"
      "notetype 5 ab 7\n";
  model::Diagnostics diagnostics;
  const anki::NoteTimes parsed = anki::parse_note_times(text, "content/anki.lock", diagnostics);
  const auto items = diagnostics.sorted();
  REQUIRE(items.size() == 5);
  CHECK(model::format_diagnostic(items[0]).starts_with(
      "content/anki.lock:4:6: error: note abc is listed twice"));
  CHECK(model::format_diagnostic(items[1]).starts_with(
      "content/anki.lock:5:10: error: hash 'XYZ' is not lower-case hex"));
  CHECK(model::format_diagnostic(items[2]).starts_with(
      "content/anki.lock:6:1: error: a notetype line needs 3 values (id, hash, mod), found 2"));
  CHECK(model::format_diagnostic(items[3]).starts_with(
      "content/anki.lock:7:13: error: mod '1x' is not a number of seconds"));
  CHECK(model::format_diagnostic(items[4]).starts_with(
      "content/anki.lock:8:1: error: unknown entry 'bogus'"));
  CHECK(parsed.notes.size() == 1);
  CHECK(parsed.note_types.at(5).mod == 7);
}
