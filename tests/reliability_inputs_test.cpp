// Hostile inputs through the real binary: FIFOs and devices where files are expected (no
// hang, nothing read), empty paths (never the file-system root), build times out of range,
// and a lock an earlier version wrote with --now 0 (read, and mended by the next build).
// Each run has a short timeout: a regression that blocks fails instead of hanging.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "support.hpp"
#include "util/process.hpp"

namespace fs = std::filesystem;
using test_support::copy_fixture;
using test_support::read_bytes;
using test_support::TempDir;

namespace {

struct Run {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// prepkit `args` in `folder`, which holds content/ (the basic fixture) and maybe more.
Run run_in(const fs::path& folder, const std::vector<std::string>& args,
           const std::vector<std::pair<std::string, std::string>>& env = {}) {
  util::ProcessSpec spec;
  spec.program = PREPKIT_BINARY;
  spec.args = args;
  spec.cwd = folder.string();
  spec.env_set = env;
  spec.env_set.emplace_back("NO_COLOR", "1");
  if (env.empty()) {
    spec.env_unset = {"SOURCE_DATE_EPOCH"};
  }
  spec.timeout = std::chrono::seconds(60);
  const util::ProcessResult result = util::run_process(spec);
  INFO("prepkit " << args.front() << ": " << util::describe_status(result));
  REQUIRE_FALSE(result.timed_out);  // blocked on a FIFO
  REQUIRE(result.signal == 0);      // aborted
  return {result.exit_code, result.out, result.err};
}

void make_fifo(const fs::path& path) {
  fs::remove(path);
  REQUIRE(::mkfifo(path.c_str(), 0644) == 0);
}

const std::string now = "1767225600";

// Both `check` and `build` fail with exactly `expected` on stderr, and write nothing.
void both_fail_with(const fs::path& folder, const std::vector<std::string>& extra,
                    const std::string& expected) {
  std::vector<std::string> check = {"check", "--content", "content"};
  check.insert(check.end(), extra.begin(), extra.end());
  const Run checked = run_in(folder, check);
  CHECK(checked.exit_code == 1);
  CHECK(checked.err == expected);
  std::vector<std::string> build = {"build", "--content", "content", "--out", "out", "--now", now};
  build.insert(build.end(), extra.begin(), extra.end());
  const Run built = run_in(folder, build);
  CHECK(built.exit_code == 1);
  CHECK(built.err == expected);
  CHECK(built.out.empty());
  CHECK_FALSE(fs::exists(folder / "out"));
}

}  // namespace

TEST_CASE("a FIFO as book.yaml, lock or layout is refused at once, never waited on",
          "[reliability][inputs]") {
  TempDir dir("fifo-inputs");
  copy_fixture("basic", dir.path());

  SECTION("book.yaml") {
    make_fifo(dir.path() / "content" / "book.yaml");
    both_fail_with(dir.path(), {},
                   "content/book.yaml: error: cannot read file: is a FIFO, not a regular file\n"
                   "  hint: is --content pointing at a prepkit content folder?\n"
                   "1 error; nothing was written\n");
  }
  SECTION("a topic file") {
    make_fifo(dir.path() / "content" / "topics" / "beta.yaml");
    const Run built =
        run_in(dir.path(), {"build", "--content", "content", "--out", "out", "--now", now});
    CHECK(built.exit_code == 1);
    // Listing topics/ takes regular files only: the FIFO is never opened.
    CHECK(
        built.err.starts_with("content/book.yaml:18:14: error: topic 'beta' is listed but "
                              "content/topics/beta.yaml does not exist\n"));
    CHECK_FALSE(fs::exists(dir.path() / "out"));
  }
  SECTION("anki.lock") {
    make_fifo(dir.path() / "content" / "anki.lock");
    both_fail_with(dir.path(), {},
                   "content/anki.lock: error: cannot read the lock: is a FIFO, not a regular "
                   "file\n1 error; nothing was written\n");
  }
  SECTION("--layout FILE") {
    make_fifo(dir.path() / "fifo.yaml");
    both_fail_with(dir.path(), {"--layout", "./fifo.yaml"},
                   "./fifo.yaml: error: cannot read layout: is a FIFO, not a regular file\n"
                   "1 error; nothing was written\n");
  }
  SECTION("a layout that extends a FIFO") {
    fs::create_directories(dir.path() / "layouts");
    make_fifo(dir.path() / "layouts" / "base.yaml");
    std::ofstream(dir.path() / "layouts" / "mine.yaml") << "extends: base\n";
    both_fail_with(dir.path(), {"--layout", "mine"},
                   "layouts/mine.yaml:1:10: error: cannot read layout 'base' (layouts/base.yaml): "
                   "is a FIFO, not a regular file\n"
                   "1 error; nothing was written\n");
  }
}

TEST_CASE("a layout option naming /dev/zero is refused before reading a byte",
          "[reliability][inputs]") {
  TempDir dir("dev-zero-layout");
  copy_fixture("basic", dir.path());
  const Run built = run_in(dir.path(), {"build", "--content", "content", "--out", "out", "--now",
                                        now, "--layout", "/dev/zero"});
  CHECK(built.exit_code == 1);
  CHECK(built.err.starts_with(
      "/dev/zero: error: cannot read layout: is a device, not a regular file\n"));
  CHECK_FALSE(fs::exists(dir.path() / "out"));
}

TEST_CASE("an empty path option is a usage error naming the option", "[reliability][inputs]") {
  TempDir dir("empty-paths");
  copy_fixture("basic", dir.path());
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"build", "--content", "content", "--out", ""}, "--out"},
      {{"build", "--content", "", "--out", "out"}, "--content"},
      {{"check", "--content", ""}, "--content"},
      {{"build", "--content", "content", "--layout", ""}, "--layout"},
      {{"build", ""}, "PACK"},
      {{"watch", "--content", "content", "--out", ""}, "--out"},
      {{"schema", "--out", ""}, "--out"},
      {{"new", ""}, "DIR"},
  };
  for (const auto& [args, option] : cases) {
    INFO(args.front() << " with an empty " << option);
    const Run run = run_in(dir.path(), args);
    CHECK(run.exit_code == 2);
    CHECK(run.err == "error: " + option + " needs a path, not an empty string\n");
    CHECK(run.out.empty());
  }
  CHECK(test_support::names_in(dir.path()) == std::vector<std::string>{"content"});
}

TEST_CASE("a build time out of range is a usage error, from --now or SOURCE_DATE_EPOCH",
          "[reliability][inputs]") {
  TempDir dir("build-time");
  copy_fixture("basic", dir.path());
  const std::string range =
      " must be a time in seconds since 1970 from 315532800 (1980-01-01) to 253402300799 "
      "(9999-12-31), not '";
  for (const std::string value :
       {"0", "-1", "315532799", "253402300800", "99999999999999999999", "1e9", "12abc"}) {
    INFO("--now " << value);
    const Run run =
        run_in(dir.path(), {"build", "--content", "content", "--out", "out", "--now=" + value});
    CHECK(run.exit_code == 2);
    CHECK(run.err == "error: --now" + range + value + "'\n");
  }
  for (const std::string value : {"0", "-5", "99999999999999999999"}) {
    INFO("SOURCE_DATE_EPOCH=" << value);
    const Run run = run_in(dir.path(), {"build", "--content", "content", "--out", "out"},
                           {{"SOURCE_DATE_EPOCH", value}});
    CHECK(run.exit_code == 2);
    CHECK(run.err == "error: SOURCE_DATE_EPOCH" + range + value + "'\n");
  }
  CHECK_FALSE(fs::exists(dir.path() / "out"));
  CHECK_FALSE(fs::exists(dir.path() / "content" / "anki.lock"));
  // Both ends of the range build.
  for (const std::string value : {"315532800", "253402300799"}) {
    INFO("--now " << value);
    CHECK(run_in(dir.path(), {"build", "--content", "content", "--out", "out", "--only", "apkg",
                              "-q", "--now", value})
              .exit_code == 0);
  }
}

TEST_CASE("a lock an earlier version wrote with --now 0 is read, and mended by the next build",
          "[reliability][inputs]") {
  TempDir dir("old-lock");
  copy_fixture("basic", dir.path());
  const std::vector<std::string> build = {"build", "--content", "content", "--out",
                                          "out",   "--only",    "apkg",    "-q"};
  auto build_at = [&](const std::string& time) {
    std::vector<std::string> args = build;
    args.insert(args.end(), {"--now", time});
    return run_in(dir.path(), args);
  };
  REQUIRE(build_at(now).exit_code == 0);
  // What a build with --now 0 wrote: mod 0, first-seen ids -1000, -2000, …
  const fs::path lock = dir.path() / "content" / "anki.lock";
  std::istringstream lines(read_bytes(lock));
  std::string old_lock;
  int notes = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("note ")) {
      std::vector<std::string> fields;
      std::istringstream words(line);
      for (std::string word; words >> word;) {
        fields.push_back(word);
      }
      REQUIRE(fields.size() == 7);
      fields[3] = "0";
      fields[4] = std::to_string(-1000 * ++notes);
      line.clear();
      for (const std::string& field : fields) {
        line += (line.empty() ? "" : " ") + field;
      }
    }
    old_lock += line + "\n";
  }
  REQUIRE(notes >= 2);
  std::ofstream(lock, std::ios::binary) << old_lock;

  const Run mended = build_at("1767300000");
  CHECK(mended.exit_code == 0);
  CHECK(std::regex_match(
      mended.err,
      std::regex("content/anki\\.lock:[0-9]+:[0-9]+: warning: " + std::to_string(notes) +
                 " note ids or times are out of range \\(written by a build with --now 0 or a "
                 "wrong clock\\); building gives those notes new ones\n"
                 "  hint: ids are milliseconds and times seconds, from 1970 to 9999\n")));
  const std::string new_lock = read_bytes(lock);
  CHECK(new_lock.find(" -") == std::string::npos);
  // The GUIDs stay: the notes are the same notes.
  std::istringstream old_lines(old_lock);
  for (std::string line; std::getline(old_lines, line);) {
    if (line.starts_with("note ")) {
      CHECK(new_lock.find(line.substr(0, line.find(' ', 5))) != std::string::npos);
    }
  }
  const Run again = build_at("1767400000");
  CHECK(again.exit_code == 0);
  CHECK(again.err.empty());
}
