// Content that tries to be code: HTML/script in card text reaches Anki escaped, and SQL in
// card text is stored as text (the deck is written with bound parameters only). And a
// build never opens a network connection.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "anki_fixture.hpp"
#include "support.hpp"
#include "util/process.hpp"

namespace fs = std::filesystem;

TEST_CASE("script and SQL in card text end up as inert text in the deck", "[reliability][anki]") {
  test_support::TempDir dir("reliability-hostile");
  test_support::copy_fixture("basic", dir.path() / "project");
  const fs::path content = dir.path() / "project/content";
  std::ofstream(content / "topics/beta.yaml", std::ios::app)
      << "  - id: hostile\n"
         "    kind: basic\n"
         "    front: '<script>alert(1)</script> <img src=x onerror=alert(2)> `<b>code</b>`'\n"
         // Brackets must pair up in card fields, so the injection comes with its '('.
         "    back: \"VALUES ('Robert'); DROP TABLE notes; --\"\n"
         "    tags: [\"x<y\"]\n";
  const fs::path out = dir.path() / "out";
  util::ProcessResult result = test_support::run_prepkit(
      {"build", "--content", content.string(), "--out", out.string(), "--now", "1767225600",
       "--layout", PREPKIT_SOURCE_DIR "/layouts/default.yaml"});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);

  const auto entries = anki_fixture::unzip(test_support::read_bytes(out / "fixture-book.apkg"));
  const anki_fixture::ZipEntry* collection = anki_fixture::find_entry(entries, "collection.anki2");
  REQUIRE(collection != nullptr);
  anki_fixture::Database db(collection->bytes);
  CHECK(db.query("select count(*) from notes")[0][0] == "5");  // the table is still there
  const auto rows = db.query("select flds from notes where flds like '%alert(1)%'");
  REQUIRE(rows.size() == 1);
  const std::string& fields = rows[0][0];
  INFO(fields);
  CHECK(fields.find("<script") == std::string::npos);
  CHECK(fields.find("<img src=x") == std::string::npos);
  CHECK(fields.find("<b>code") == std::string::npos);
  CHECK(fields.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(fields.find("&lt;b&gt;code&lt;/b&gt;") != std::string::npos);
  CHECK(fields.find("); DROP TABLE notes;") != std::string::npos);  // (quotes made typographic)
}

TEST_CASE("a build opens no socket: the tool never touches the network", "[reliability][e2e]") {
  test_support::TempDir dir("reliability-network");
  test_support::copy_fixture("basic", dir.path() / "project");
  const fs::path trace = dir.path() / "trace.txt";
  if (util::find_program("strace").empty()) {
    test_support::missing_tool("strace");
    return;
  }
  // Every thread and child process, every system call that could reach a network.
  util::ProcessSpec spec;
  spec.program = "strace";
  spec.args = {"-f",           "-qq",
               "-e",           "signal=none",
               "-e",           "trace=socket,connect,bind,sendto,sendmsg",
               "-o",           trace.string(),
               PREPKIT_BINARY, "build",
               "--content",    (dir.path() / "project/content").string(),
               "--out",        (dir.path() / "out").string(),
               "--now",        "1767225600",
               "--layout",     PREPKIT_SOURCE_DIR "/layouts/default.yaml"};
  // LeakSanitizer (in the sanitizer build) cannot run under ptrace; everything else stays.
  spec.env_set = {{"ASAN_OPTIONS", "detect_leaks=0:halt_on_error=1"}};
  spec.timeout = std::chrono::minutes(5);
  const util::ProcessResult result = util::run_process(spec);
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  REQUIRE(fs::exists(dir.path() / "out/fixture-book.pdf"));
  const std::string calls = test_support::read_bytes(trace);
  INFO(calls);
  CHECK(calls.find("socket(") == std::string::npos);
  CHECK(calls.find("connect(") == std::string::npos);
}
