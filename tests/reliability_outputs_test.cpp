// Nothing lost, builds reproducible: the real binary failing in the middle of replacing its
// outputs, and two builds of the same pack giving the same bytes.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "support.hpp"
#include "util/process.hpp"

namespace fs = std::filesystem;
using test_support::copy_fixture;
using test_support::names_in;
using test_support::read_bytes;
using test_support::replace_in_file;
using test_support::TempDir;

namespace {

const std::string default_layout = PREPKIT_SOURCE_DIR "/layouts/default.yaml";

// A file's bytes and identity: a put-back file must be the very same file.
struct FileState {
  std::string bytes;
  ino_t inode = 0;
  std::int64_t modified_ns = 0;
  bool operator==(const FileState&) const = default;
};

FileState state_of(const fs::path& path) {
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  return {read_bytes(path), info.st_ino,
          static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1000000000 + info.st_mtim.tv_nsec};
}

// Every file directly in `folder`, with its state.
std::map<std::string, FileState> files_in(const fs::path& folder) {
  std::map<std::string, FileState> files;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.is_regular_file()) {
      files[entry.path().filename().string()] = state_of(entry.path());
    }
  }
  return files;
}

// Runs `command…` in a private mount namespace in which `busy` is bind-mounted onto itself:
// renaming another file onto it fails (EBUSY), as with a file held by another system.
util::ProcessResult run_with_busy_file(const fs::path& busy,
                                       const std::vector<std::string>& command) {
  util::ProcessSpec spec;
  spec.program = "unshare";
  spec.args = {"--mount", "sh",         "-c", "mount --bind \"$1\" \"$1\" && shift && exec \"$@\"",
               "sh",      busy.string()};
  spec.args.insert(spec.args.end(), command.begin(), command.end());
  spec.env_unset = {"SOURCE_DATE_EPOCH"};
  spec.timeout = std::chrono::minutes(5);
  return util::run_process(spec);
}

bool can_bind_mount(const fs::path& file) {
  try {
    return run_with_busy_file(file, {"true"}).exit_code == 0;
  } catch (const std::exception&) {
    return false;  // no unshare
  }
}

}  // namespace

TEST_CASE("a build failing while it replaces its outputs leaves every old file as it was",
          "[reliability][e2e]") {
  TempDir dir("reliability-rename");
  copy_fixture("basic", dir.path() / "project");
  const fs::path content = dir.path() / "project/content";
  const fs::path out = dir.path() / "out";
  const std::vector<std::string> build = {
      PREPKIT_BINARY, "build", "--content",  content.string(), "--out",
      out.string(),   "--now", "1767225600", "--layout",       default_layout};
  util::ProcessResult first =
      test_support::run_prepkit(std::vector<std::string>(build.begin() + 1, build.end()));
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  const fs::path pdf = out / "fixture-book.pdf";
  const fs::path apkg = out / "fixture-book.apkg";
  const fs::path lock = content / "anki.lock";
  if (!can_bind_mount(apkg)) {
    WARN("skipped: cannot bind-mount in a private mount namespace here (needs root)");
    return;
  }
  const std::map<std::string, FileState> out_before = files_in(out);
  const std::map<std::string, FileState> content_before = files_in(content);
  REQUIRE(out_before.count(pdf.filename().string()) == 1);
  REQUIRE(content_before.count("anki.lock") == 1);
  const std::vector<std::string> out_names = names_in(out);
  const std::vector<std::string> content_names = names_in(content);

  // Every output and the lock would change; the booklet is renamed into place first, then
  // replacing the deck fails: the booklet must be put back, the lock never touched.
  replace_in_file(content / "topics/alpha.yaml", "Why *alpha* matters",
                  "Why *alpha* really matters");
  replace_in_file(content / "topics/beta.yaml", "back: Beta back", "back: Beta back, changed");
  util::ProcessResult failed = run_with_busy_file(apkg, build);
  CHECK(failed.exit_code == 3);
  CHECK(failed.err == "error: failed to replace " + apkg.string() + ": Device or resource busy\n");
  // The same files (inode and time too), no temporary or backup left behind, and any
  // build record still the old one.
  CHECK(names_in(out) == out_names);
  CHECK(files_in(out) == out_before);
  CHECK(names_in(content) == content_names);
  CHECK(files_in(content) == content_before);

  // Without the obstacle the same build goes through and replaces all three.
  util::ProcessResult second =
      test_support::run_prepkit(std::vector<std::string>(build.begin() + 1, build.end()));
  CHECK(second.exit_code == 0);
  CHECK_FALSE(read_bytes(pdf) == out_before.at(pdf.filename().string()).bytes);
  CHECK_FALSE(read_bytes(apkg) == out_before.at(apkg.filename().string()).bytes);
  CHECK_FALSE(read_bytes(lock) == content_before.at("anki.lock").bytes);
}

TEST_CASE("two builds with SOURCE_DATE_EPOCH give byte-identical PDF, deck and lock",
          "[reliability][reproducible]") {
  // Two copies of the real study pack with the same lock, built at different moments into
  // two folders: no clock, path, order or memory address may leak into the bytes.
  TempDir dir("reliability-reproducible");
  std::map<std::string, std::map<std::string, std::string>> outputs;
  for (const std::string copy : {"a", "b"}) {
    const fs::path project = dir.path() / copy;
    fs::create_directories(project);
    fs::copy(fs::path(PREPKIT_SOURCE_DIR) / "content", project / "content",
             fs::copy_options::recursive);
    fs::copy(fs::path(PREPKIT_SOURCE_DIR) / "layouts", project / "layouts",
             fs::copy_options::recursive);
    util::ProcessSpec spec;
    spec.program = PREPKIT_BINARY;
    spec.args = {"build",     "-q",
                 "--content", (project / "content").string(),
                 "--out",     (project / "out").string()};
    spec.env_set = {{"SOURCE_DATE_EPOCH", "1767225600"}};
    spec.timeout = std::chrono::minutes(10);
    util::ProcessResult result = util::run_process(spec);
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    for (const auto& entry : fs::directory_iterator(project / "out")) {
      // (out/.prepkit-build records output times for skipping unchanged builds: not an output)
      const std::string name = entry.path().filename().string();
      if (name.ends_with(".pdf") || name.ends_with(".apkg")) {
        outputs[copy][name] = read_bytes(entry.path());
      }
    }
    outputs[copy]["anki.lock"] = read_bytes(project / "content/anki.lock");
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // another second
  }
  REQUIRE(outputs["a"].size() >= 3);
  CHECK(outputs["a"].count("rust-interview-prep.pdf") == 1);
  CHECK(outputs["a"].count("rust-interview-prep.apkg") == 1);
  for (const auto& [name, bytes] : outputs["a"]) {
    INFO(name);
    CHECK(outputs["b"][name].size() == bytes.size());
    const bool identical = outputs["b"][name] == bytes;  // (not printed: megabytes)
    CHECK(identical);
  }
  CHECK(outputs["a"].size() == outputs["b"].size());
}
