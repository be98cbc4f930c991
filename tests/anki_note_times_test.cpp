// The note-time lock: parse/write round trip, diagnostics, and when `mod` moves.
#include <catch2/catch.hpp>

#include "anki/note_times.hpp"

namespace {

constexpr std::int64_t t1 = 1764000000;  // first build
constexpr std::int64_t t2 = 1764100000;  // a later build

anki::NoteTimes first_build() {
  return anki::update_note_times({}, "pack",
                                 {{"g-a", "aaaa", "basic", "t/a"}, {"g-b", "bbbb", "cloze", "t/b"}},
                                 {{"basic", 101, "1111"}}, t1);
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
  CHECK(times.note_types.at("basic").mod == t1);
}

TEST_CASE("unchanged notes keep mod; edited get now; new get now; removed are kept as removed",
          "[anki]") {
  const anki::NoteTimes before = first_build();
  const anki::NoteTimes after = anki::update_note_times(before, "pack",
                                                        {{"g-a", "aaaa", "basic", "t/a"},
                                                         {"g-b", "b-edited", "cloze", "t/b"},
                                                         {"g-c", "cccc", "basic", "t/c"}},
                                                        {{"basic", 101, "1111"}}, t2);
  CHECK(after.notes.at("g-a").mod == t1);
  CHECK(after.notes.at("g-a").first_seen == before.notes.at("g-a").first_seen);
  CHECK(after.notes.at("g-b").mod == t2);
  CHECK(after.notes.at("g-b").first_seen == before.notes.at("g-b").first_seen);
  CHECK(after.notes.at("g-c").mod == t2);
  CHECK(after.notes.at("g-c").first_seen < t2 * 1000);
  CHECK(after.notes.at("g-c").first_seen > before.notes.at("g-b").first_seen);
  CHECK(after.note_types.at("basic").mod == t1);

  const anki::NoteTimes removed = anki::update_note_times(
      after, "pack", {{"g-a", "aaaa", "basic", "t/a"}}, {{"basic", 101, "2222"}}, t2 + 5);
  CHECK(removed.notes.size() == 3);
  CHECK_FALSE(removed.notes.at("g-a").removed);
  CHECK(removed.notes.at("g-b").removed);
  CHECK(removed.notes.at("g-b").mod == t2 + 5);  // the tombstone updates the user's note
  CHECK(removed.notes.at("g-b").kind == "cloze");
  CHECK(removed.notes.at("g-b").first_seen == before.notes.at("g-b").first_seen);
  CHECK(removed.note_types.at("basic").mod == t2 + 5);  // CSS/templates changed
  // Removed once, a note keeps its removal time; a card that comes back revives it.
  const anki::NoteTimes again = anki::update_note_times(
      removed, "pack", {{"g-a", "aaaa", "basic", "t/a"}}, {{"basic", 101, "2222"}}, t2 + 50);
  CHECK(again.notes.at("g-b").mod == t2 + 5);
  const anki::NoteTimes back = anki::update_note_times(
      again, "pack", {{"g-a", "aaaa", "basic", "t/a"}, {"g-b", "b-edited", "cloze", "t/b"}},
      {{"basic", 101, "2222"}}, t2 + 60);
  CHECK_FALSE(back.notes.at("g-b").removed);
  CHECK(back.notes.at("g-b").mod == t2 + 60);
}

TEST_CASE("an edit always moves mod forward, even with a clock behind the lock", "[anki]") {
  const anki::NoteTimes before = first_build();
  const anki::NoteTimes after = anki::update_note_times(
      before, "pack", {{"g-a", "changed", "basic", "t/a"}}, {{"basic", 101, "changed"}}, t1 - 100);
  CHECK(after.notes.at("g-a").mod == t1 + 1);
  CHECK(after.note_types.at("basic").mod == t1 + 1);
}

TEST_CASE("new first-seen ids avoid ids already in the lock", "[anki]") {
  anki::NoteTimes lock;
  lock.notes["old"] = {"h", t1, (t1 - 1) * 1000, "basic", "t/old"};
  const anki::NoteTimes after = anki::update_note_times(
      lock, "pack", {{"old", "h", "basic", "t/old"}, {"new", "n", "basic", "t/new"}}, {}, t1);
  CHECK(after.notes.at("old").first_seen == (t1 - 1) * 1000);
  CHECK(after.notes.at("new").first_seen == (t1 - 2) * 1000);
}

TEST_CASE("the lock round-trips through text, sorted", "[anki]") {
  const anki::NoteTimes times = first_build();
  const std::string text = anki::write_note_times(times);
  CHECK(text.find("\npack pack\n") != std::string::npos);
  CHECK(text.find("\nnotetype basic 101 1111 1764000000\n") != std::string::npos);
  CHECK(text.find("note g-a aaaa 1764000000 ") != std::string::npos);
  CHECK(text.find(" basic t/a\n") != std::string::npos);
  CHECK(text.find("note g-a") < text.find("note g-b"));
  model::Diagnostics diagnostics;
  const anki::NoteTimes parsed = anki::parse_note_times(text, "content/anki.lock", diagnostics);
  CHECK_FALSE(diagnostics.has_errors());
  CHECK(anki::write_note_times(parsed) == text);
  CHECK(parsed.notes.at("g-b").first_seen == times.notes.at("g-b").first_seen);
  CHECK(parsed.notes.at("g-b").source == "t/b");
  CHECK(parsed.notes.at("g-b").kind == "cloze");
  CHECK(parsed.pack == "pack");
}

TEST_CASE("a format-1 lock is read: note types by their old ids, notes without kind", "[anki]") {
  const std::string text =
      "notetype 1764000000101 ae043f6df4bd59ee 1795486773\n"
      "notetype 1764000000102 41244f20e7f32f34 1795486773\n"
      "note 004fe444d9be9208 c9874cf3f07d7ee4 1795486773 1795481343000 cli-tools/main\n";
  model::Diagnostics diagnostics;
  const anki::NoteTimes parsed = anki::parse_note_times(text, "content/anki.lock", diagnostics);
  CHECK(diagnostics.all().empty());
  CHECK(parsed.pack.empty());
  CHECK(parsed.note_types.at("basic").id == 1764000000101);
  CHECK(parsed.note_types.at("cloze").id == 1764000000102);
  const anki::NoteTime& note = parsed.notes.at("004fe444d9be9208");
  CHECK(note.source == "cli-tools/main");
  CHECK(note.kind.empty());
  CHECK(note.line == 3);
  CHECK_FALSE(note.removed);
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
      "notetype basic 5 ab 7\n";
  model::Diagnostics diagnostics;
  const anki::NoteTimes parsed = anki::parse_note_times(text, "content/anki.lock", diagnostics);
  const auto items = diagnostics.sorted();
  REQUIRE(items.size() == 5);
  CHECK(model::format_diagnostic(items[0]).starts_with(
      "content/anki.lock:4:6: error: note abc is listed twice"));
  CHECK(model::format_diagnostic(items[1]).starts_with(
      "content/anki.lock:5:10: error: hash 'XYZ' is not lower-case hex"));
  CHECK(model::format_diagnostic(items[2]).starts_with(
      "content/anki.lock:6:1: error: a notetype line needs 4 values (kind, id, hash, mod), found "
      "2"));
  CHECK(model::format_diagnostic(items[3]).starts_with(
      "content/anki.lock:7:13: error: mod '1x' is not a number of seconds"));
  CHECK(model::format_diagnostic(items[4]).starts_with(
      "content/anki.lock:8:1: error: unknown entry 'bogus'"));
  CHECK(parsed.notes.size() == 1);
  CHECK(parsed.note_types.at("basic").mod == 7);
}

TEST_CASE("ids and times out of range, as --now 0 once wrote them, are read as unknown", "[anki]") {
  const std::string text =
      "pack p\n"
      "notetype basic 1764000000101 ab 0\n"
      "note g-a aaaa 0 -1000 basic t/a\n"
      "note g-b bbbb -7 1764000000000 basic t/b\n"
      "removed g-c 99999999999999 -3000 cloze t/c\n"
      "note g-d dddd 1764000000 1763999999000 basic t/d\n";
  model::Diagnostics diagnostics;
  const anki::NoteTimes parsed = anki::parse_note_times(text, "content/anki.lock", diagnostics);
  const auto items = diagnostics.sorted();
  REQUIRE(items.size() == 1);
  CHECK(model::format_diagnostic(items[0]) ==
        "content/anki.lock:3:17: warning: 4 note ids or times are out of range (written by a "
        "build with --now 0 or a wrong clock); building gives those notes new ones\n"
        "  hint: ids are milliseconds and times seconds, from 1970 to 9999");
  CHECK(parsed.notes.at("g-a").mod == 0);  // 1970 is in range
  CHECK(parsed.notes.at("g-a").first_seen == 0);
  CHECK(parsed.notes.at("g-b").mod == -1);
  CHECK(parsed.notes.at("g-c").mod == -1);
  CHECK(parsed.notes.at("g-c").first_seen == 0);

  const anki::NoteTimes next = anki::update_note_times(parsed, "p",
                                                       {{"g-a", "aaaa", "basic", "t/a"},
                                                        {"g-b", "bbbb", "basic", "t/b"},
                                                        {"g-d", "dddd", "basic", "t/d"}},
                                                       {{"basic", 1764000000101, "ab"}}, t2);
  CHECK(next.notes.at("g-a").mod == 0);  // unchanged, and its time was in range
  CHECK(next.notes.at("g-a").first_seen > 0);
  CHECK(next.notes.at("g-b").mod == t2);  // its time was unknown
  CHECK(next.notes.at("g-b").first_seen == 1764000000000);
  CHECK(next.notes.at("g-c").removed);
  CHECK(next.notes.at("g-c").mod == t2);
  CHECK(next.notes.at("g-c").first_seen > 0);
  CHECK(next.notes.at("g-c").first_seen != next.notes.at("g-a").first_seen);
  CHECK(next.notes.at("g-d").first_seen == 1763999999000);
  model::Diagnostics reread;
  (void)anki::parse_note_times(anki::write_note_times(next), "content/anki.lock", reread);
  CHECK(reread.all().empty());
}

TEST_CASE("a note type id out of range, or a number that overflows, is an error", "[anki]") {
  const std::string text =
      "notetype basic 0 ab 1\n"
      "notetype cloze 253402300800000 ab 1\n"
      "note g-a aaaa 99999999999999999999 1000 basic t/a\n"
      "removed g-b 1 -99999999999999999999 basic t/b\n";
  model::Diagnostics diagnostics;
  (void)anki::parse_note_times(text, "content/anki.lock", diagnostics);
  const auto items = diagnostics.sorted();
  REQUIRE(items.size() == 4);
  CHECK(model::format_diagnostic(items[0]).starts_with(
      "content/anki.lock:1:16: error: note type id '0' is not a number from 1 to "
      "253402300799999\n"));
  CHECK(model::format_diagnostic(items[1]).starts_with(
      "content/anki.lock:2:16: error: note type id '253402300800000' is not a number from 1 to "
      "253402300799999\n"));
  CHECK(model::format_diagnostic(items[2]).starts_with(
      "content/anki.lock:3:15: error: mod '99999999999999999999' is not a number of seconds\n"));
  CHECK(model::format_diagnostic(items[3]).starts_with(
      "content/anki.lock:4:15: error: first-seen '-99999999999999999999' is not a number of "
      "milliseconds\n"));
}

TEST_CASE("new note ids stay positive at the earliest build time", "[anki]") {
  std::vector<anki::NoteStamp> notes;
  for (int i = 0; i < 1000; ++i) {
    notes.push_back({"g" + std::to_string(i), "h", "basic", "t/" + std::to_string(i)});
  }
  const anki::NoteTimes times =
      anki::update_note_times({}, "p", notes, {}, anki::min_build_seconds);
  for (const auto& [guid, note] : times.notes) {
    CHECK(note.first_seen > 0);
    CHECK(note.first_seen < anki::min_build_seconds * 1000);
  }
}
