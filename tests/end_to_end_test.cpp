// The real binary on the fixture project: both outputs, opened and inspected.
#include <catch2/catch.hpp>

#include "anki_fixture.hpp"
#include "support.hpp"

using anki_fixture::Database;
using anki_fixture::find_entry;
using anki_fixture::unzip;
using anki_fixture::ZipEntry;
using test_support::copy_fixture;
using test_support::read_bytes;
using test_support::run_prepkit;
using test_support::run_tool;
using test_support::TempDir;

namespace {

const std::string default_layout = PREPKIT_SOURCE_DIR "/layouts/default.yaml";

struct FixtureBuild {
  TempDir dir{"e2e"};
  std::filesystem::path content;
  std::filesystem::path out;
  util::ProcessResult result;

  explicit FixtureBuild(const std::vector<std::string>& extra = {}) {
    copy_fixture("basic", dir.path() / "project");
    content = dir.path() / "project/content";
    out = dir.path() / "out";
    std::vector<std::string> args = {"build",      "--content",  content.string(),
                                     "--out",      out.string(), "--now",
                                     "1767225600", "--layout",   default_layout};
    args.insert(args.end(), extra.begin(), extra.end());
    result = run_prepkit(args);
  }
  [[nodiscard]] std::string pdf() const { return (out / "fixture-book.pdf").string(); }
  [[nodiscard]] std::string apkg() const { return (out / "fixture-book.apkg").string(); }
};

}  // namespace

TEST_CASE("build writes both outputs and one summary line each", "[e2e]") {
  FixtureBuild build;
  INFO(build.result.err);
  REQUIRE(build.result.exit_code == 0);
  CHECK(build.result.err.empty());
  CHECK(build.result.out.find(build.pdf() + ": ") != std::string::npos);
  CHECK(build.result.out.find(" pages, ") != std::string::npos);
  CHECK(build.result.out.find(build.apkg() + ": 4 notes, 6 cards, ") != std::string::npos);
  CHECK(std::filesystem::exists(build.content / "anki.lock"));
}

TEST_CASE("the PDF parses, has an outline of the topics and round-trips its text", "[e2e][pdf]") {
  FixtureBuild build;
  REQUIRE(build.result.exit_code == 0);
  std::string pdf = read_bytes(build.pdf());
  CHECK(pdf.rfind("%PDF-", 0) == 0);

  bool found = false;
  util::ProcessResult check = run_tool("qpdf", {"--check", build.pdf()}, found);
  if (found) {
    CHECK(check.exit_code == 0);
  }
  util::ProcessResult info = run_tool("pdfinfo", {build.pdf()}, found);
  if (found) {
    CHECK(info.out.find("Title:           Fixture Book") != std::string::npos);
    CHECK(info.out.find("Pages:") != std::string::npos);
  }
  util::ProcessResult outline = run_tool("mutool", {"show", build.pdf(), "outline"}, found);
  if (found) {
    CHECK(outline.out.find("Alpha — moves → copies") != std::string::npos);
    CHECK(outline.out.find("Beta") != std::string::npos);
    CHECK(outline.out.find("First section") != std::string::npos);
  }
  util::ProcessResult text = run_tool("pdftotext", {"-enc", "UTF-8", build.pdf(), "-"}, found);
  if (found) {
    for (const char* expected : {"“quotes”", "→ ≤ ≥", "&'a mut T", "Vec<T>", "Use after move"}) {
      INFO(expected);
      CHECK(text.out.find(expected) != std::string::npos);
    }
  }
}

TEST_CASE("the deck holds the expected notes, cards, decks and JSON keys", "[e2e][anki]") {
  FixtureBuild build;
  REQUIRE(build.result.exit_code == 0);
  std::vector<ZipEntry> entries = unzip(read_bytes(build.apkg()));
  const ZipEntry* collection = find_entry(entries, "collection.anki2");
  REQUIRE(collection != nullptr);
  REQUIRE(find_entry(entries, "media") != nullptr);
  Database db(collection->bytes);
  CHECK(db.query("select count(*) from notes")[0][0] == "4");
  CHECK(db.query("select count(*) from cards")[0][0] == "6");
  CHECK(db.query("select count(distinct guid) from notes")[0][0] == "4");
  std::string decks = db.query("select decks from col")[0][0];
  CHECK(decks.find("\"Fixture Deck\"") != std::string::npos);
  CHECK(decks.find("\"collapsed\":false") != std::string::npos);
  std::string models = db.query("select models from col")[0][0];
  for (const char* key :
       {"\"css\":", "\"flds\":", "\"tmpls\":", "\"req\":", "\"latexsvg\":false"}) {
    INFO(key);
    CHECK(models.find(key) != std::string::npos);
  }
  // One deck holds every card (book order = due order); tags say where each belongs.
  CHECK(db.query("select count(distinct did) from cards")[0][0] == "1");
  CHECK(decks.find("\"Fixture Deck::") == std::string::npos);
  CHECK(db.query("select count(*) from notes where tags not like '% %::%::% %'")[0][0] == "0");
}

TEST_CASE("two builds of the same content give identical bytes", "[e2e][reproducible]") {
  FixtureBuild first;
  REQUIRE(first.result.exit_code == 0);
  // Rebuild from the same project (its lock now exists) into a second folder.
  std::filesystem::path second_out = first.dir.path() / "out2";
  util::ProcessResult again =
      run_prepkit({"build", "--content", first.content.string(), "--out", second_out.string(),
                   "--now", "1767225600", "--layout", default_layout});
  REQUIRE(again.exit_code == 0);
  CHECK(read_bytes(first.pdf()) == read_bytes(second_out / "fixture-book.pdf"));
  CHECK(read_bytes(first.apkg()) == read_bytes(second_out / "fixture-book.apkg"));
}

TEST_CASE("check validates and writes nothing", "[e2e][cli]") {
  TempDir dir("check");
  copy_fixture("basic", dir.path() / "project");
  std::filesystem::path content = dir.path() / "project/content";
  util::ProcessResult result =
      run_prepkit({"check", "--content", content.string(), "--layout", default_layout});
  INFO(result.err);
  CHECK(result.exit_code == 0);
  CHECK(result.out.find("ok: ") == 0);
  CHECK_FALSE(std::filesystem::exists(content / "anki.lock"));
}

TEST_CASE("bad content: located errors, exit 1, nothing written", "[e2e][cli]") {
  TempDir dir("bad");
  copy_fixture("basic", dir.path() / "project");
  std::filesystem::path content = dir.path() / "project/content";
  std::ofstream(content / "topics/beta.yaml", std::ios::app)
      << "  - id: b-basic\n    kind: cloze\n    text: none\n";
  std::filesystem::path out = dir.path() / "out";
  util::ProcessResult result = run_prepkit(
      {"build", "--content", content.string(), "--out", out.string(), "--layout", default_layout});
  CHECK(result.exit_code == 1);
  std::string file = (content / "topics/beta.yaml").string();
  CHECK(result.err == file +
                          ":13:5: error: duplicate card id 'b-basic' in topic 'beta'\n"
                          "  hint: first defined at " +
                          file + ":9:5\n" + file +
                          ":15:11: error: cloze card has no deletion\n"
                          "  hint: mark the term to recall as {{c1::term}}\n"
                          "2 errors; nothing was written\n");
  CHECK_FALSE(std::filesystem::exists(out));
  CHECK_FALSE(std::filesystem::exists(content / "anki.lock"));
}

TEST_CASE("usage errors exit 2; --help and --version exit 0", "[e2e][cli]") {
  CHECK(run_prepkit({"build", "--only", "docx"}).exit_code == 2);
  CHECK(run_prepkit({"frobnicate"}).exit_code == 2);
  CHECK(run_prepkit({}).exit_code == 2);
  util::ProcessResult help = run_prepkit({"build", "--help"});
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("--only") != std::string::npos);
  util::ProcessResult version = run_prepkit({"--version"});
  CHECK(version.exit_code == 0);
  CHECK(version.out.rfind("prepkit ", 0) == 0);
}

TEST_CASE("a missing content folder is a content error naming the folder", "[e2e][cli]") {
  util::ProcessResult result = run_prepkit({"check", "--content", "/nonexistent/content"});
  CHECK(result.exit_code == 1);
  CHECK(result.err.rfind("/nonexistent/content: error: content folder not found\n", 0) == 0);
}

TEST_CASE("build --only pdf writes only the booklet", "[e2e][cli]") {
  FixtureBuild build({"--only", "pdf"});
  REQUIRE(build.result.exit_code == 0);
  CHECK(std::filesystem::exists(build.pdf()));
  CHECK_FALSE(std::filesystem::exists(build.apkg()));
  CHECK_FALSE(std::filesystem::exists(build.content / "anki.lock"));
}

TEST_CASE("build --only apkg writes only the deck, the full build's, without page numbers",
          "[e2e][cli]") {
  std::string full_deck;
  {
    FixtureBuild full;  // (a FixtureBuild's folder is per process: one at a time)
    REQUIRE(full.result.exit_code == 0);
    full_deck = read_bytes(full.apkg());
  }
  FixtureBuild deck_only({"--only", "apkg"});
  REQUIRE(deck_only.result.exit_code == 0);
  CHECK_FALSE(std::filesystem::exists(deck_only.pdf()));
  const std::string deck = read_bytes(deck_only.apkg());
  CHECK(deck == full_deck);
  std::vector<ZipEntry> entries = unzip(deck);
  const ZipEntry* collection = find_entry(entries, "collection.anki2");
  REQUIRE(collection != nullptr);
  Database db(collection->bytes);
  // No note carries a page number: a layout change would update every note.
  CHECK(db.query("select count(*) from notes where flds like '%p. %'")[0][0] == "0");
}

TEST_CASE("the executable allocates with jemalloc and its huge-page options", "[e2e][perf]") {
  if (!PREPKIT_JEMALLOC) {
    SUCCEED("built without jemalloc (PREPKIT_JEMALLOC=OFF or a sanitizer build)");
    return;
  }
  // jemalloc prints its options at exit when asked: the ones tool/allocator.cpp sets must be
  // in effect (they are not if the link order lets glibc's malloc win, or the symbol is lost).
  util::ProcessResult result = run_prepkit({"--version"}, {{"MALLOC_CONF", "stats_print:true"}});
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.err, Catch::Contains("opt.thp: \"always\""));
  CHECK_THAT(result.err, Catch::Contains("opt.metadata_thp: \"always\""));
  CHECK_THAT(result.err, Catch::Contains("opt.narenas: 1"));
  CHECK_THAT(result.err, Catch::Contains("opt.oversize_threshold: 33554432"));
}
