// The bad-input catalogue: every folder of tests/bad_input/ is one hand-made mistake, run
// through the real binary with `check` and with `build`. Exit code and stderr must match
// the case's expected.txt exactly, stdout must be empty on failure, and nothing may be
// written (the working folder is byte-for-byte the same afterwards). UPDATE_EXPECTED=1
// rewrites the expected files; review their diff.
//
// A case folder holds:
//   content/…            the study pack (copied into a fresh working folder, symbolic
//                        links as links)
//   layouts/…            optional: the layouts folder (default: the repository's)
//   expected.txt         "exit: N", then the exact stderr, of `build` (and of `check`
//   expected-check.txt     unless this optional file gives check's own)
//   out.txt              optional: the --out folder, relative to the working folder
//   blocker              optional: a regular file copied beside content/ (out.txt may
//                        point into it: a folder whose parent is a file)
//   generate.txt         optional: "<path> <megabytes>" lines, files made at run time
//                        (too large to commit)
//   full-disk            optional marker: the out folder's parent is a full file system
//                        (a tmpfs in a private mount namespace; skipped where that is
//                        not allowed)
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "support.hpp"
#include "util/process.hpp"

namespace fs = std::filesystem;
using test_support::read_bytes;
using test_support::TempDir;

namespace {

const fs::path catalogue = fs::path(PREPKIT_TESTS_DIR) / "bad_input";

struct Outcome {
  int exit_code = -1;
  std::string err;
  [[nodiscard]] std::string text() const {
    return "exit: " + std::to_string(exit_code) + "\n" + err;
  }
};

std::vector<std::string> case_names() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(catalogue)) {
    if (entry.is_directory()) {
      names.push_back(entry.path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string trimmed_line(const fs::path& path) {
  std::string text = read_bytes(path);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

// Every file (with its bytes), folder and link under `root`, to prove that nothing changed
// (a link is not followed: it may point at /dev/zero).
std::map<std::string, std::string> snapshot(const fs::path& root) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    std::string name = fs::relative(entry.path(), root).string();
    files[name] = entry.is_symlink() ? "<link to " + fs::read_symlink(entry.path()).string() + ">"
                  : entry.is_directory() ? std::string("<folder>")
                                         : read_bytes(entry.path());
  }
  return files;
}

std::vector<std::string> differences(const std::map<std::string, std::string>& before,
                                     const std::map<std::string, std::string>& after) {
  std::vector<std::string> changed;
  for (const auto& [name, bytes] : after) {
    auto found = before.find(name);
    if (found == before.end()) {
      changed.push_back("created " + name);
    } else if (found->second != bytes) {
      changed.push_back("changed " + name);
    }
  }
  for (const auto& [name, bytes] : before) {
    if (after.count(name) == 0) {
      changed.push_back("removed " + name);
    }
  }
  return changed;
}

// Files too large to commit: "<path> <megabytes>" → that many bytes of YAML comments.
void generate_files(const fs::path& spec, const fs::path& work) {
  std::istringstream lines(read_bytes(spec));
  std::string path;
  std::size_t megabytes = 0;
  while (lines >> path >> megabytes) {
    const std::string line = "# padding: this file is far larger than any study topic\n";
    std::string text;
    text.reserve(megabytes * 1024 * 1024 + line.size());
    while (text.size() + line.size() <= megabytes * 1024 * 1024) {
      text += line;
    }
    text.append(megabytes * 1024 * 1024 - text.size(), '#');
    fs::create_directories((work / path).parent_path());
    std::ofstream(work / path, std::ios::binary) << text;
  }
}

// Runs `prepkit args…` in `work`; with `full_disk`, inside a private mount namespace where
// `work`/full is a tmpfs filled to the last byte (the mount vanishes with the process).
Outcome run(const fs::path& work, const std::vector<std::string>& args, bool full_disk) {
  util::ProcessSpec spec;
  spec.cwd = work.string();
  spec.env_unset = {"SOURCE_DATE_EPOCH"};
  spec.timeout = std::chrono::minutes(3);
  if (full_disk) {
    spec.program = "unshare";
    spec.args = {"--mount",
                 "sh",
                 "-c",
                 "mount -t tmpfs -o size=64k prepkit-full full && "
                 "{ cat /dev/zero > full/filler; } 2>/dev/null; exec \"$@\"",
                 "sh",
                 PREPKIT_BINARY};
  } else {
    spec.program = PREPKIT_BINARY;
  }
  spec.args.insert(spec.args.end(), args.begin(), args.end());
  util::ProcessResult result = util::run_process(spec);
  INFO("prepkit " << args.front() << ": " << util::describe_status(result));
  REQUIRE_FALSE(result.timed_out);  // a hang is a failure too
  REQUIRE(result.signal == 0);      // so is a crash
  if (result.exit_code != 0) {
    CHECK(result.out.empty());
  }
  return {result.exit_code, result.err};
}

bool can_fill_a_disk(const fs::path& folder) {
  util::ProcessSpec spec;
  spec.program = "unshare";
  spec.args = {"--mount", "sh", "-c", "mount -t tmpfs -o size=64k prepkit-probe \"$0\"",
               folder.string()};
  spec.timeout = std::chrono::seconds(30);
  try {
    return util::run_process(spec).exit_code == 0;
  } catch (const std::exception&) {
    return false;  // no unshare
  }
}

void compare_or_update(const fs::path& expected_file, const Outcome& actual, bool update) {
  if (update) {
    std::ofstream(expected_file, std::ios::binary) << actual.text();
    return;
  }
  INFO("expected in " << expected_file.string() << " (UPDATE_EXPECTED=1 rewrites it)");
  REQUIRE(fs::exists(expected_file));
  CHECK(actual.text() == read_bytes(expected_file));
}

void run_case(const std::string& name, bool update) {
  const fs::path folder = catalogue / name;
  TempDir dir("bad-input-" + name);
  const fs::path work = dir.path();
  fs::copy(folder / "content", work / "content",
           fs::copy_options::recursive | fs::copy_options::copy_symlinks);
  // The case's own layouts, else the repository's (whose set may grow: cases that name
  // layouts in their messages bring their own).
  fs::copy(fs::exists(folder / "layouts") ? folder / "layouts"
                                          : fs::path(PREPKIT_SOURCE_DIR) / "layouts",
           work / "layouts", fs::copy_options::recursive);
  if (fs::exists(folder / "blocker")) {
    fs::copy(folder / "blocker", work / "blocker");
  }
  if (fs::exists(folder / "generate.txt")) {
    generate_files(folder / "generate.txt", work);
  }
  const bool full_disk = fs::exists(folder / "full-disk");
  if (full_disk) {
    fs::create_directories(work / "full");
    if (!can_fill_a_disk(work / "full")) {
      WARN(name << " skipped: cannot mount a tmpfs in a private mount namespace here");
      return;
    }
  }
  const std::string out = fs::exists(folder / "out.txt") ? trimmed_line(folder / "out.txt") : "out";
  const auto before = snapshot(work);

  Outcome check = run(work, {"check", "--content", "content"}, full_disk);
  CHECK(differences(before, snapshot(work)).empty());
  Outcome build = run(work, {"build", "--content", "content", "--out", out}, full_disk);
  INFO("build must write nothing");
  CHECK(differences(before, snapshot(work)) == std::vector<std::string>{});
  CHECK(build.exit_code != 0);

  compare_or_update(folder / "expected.txt", build, update);
  const fs::path check_file = folder / "expected-check.txt";
  if (update) {
    if (check.text() != build.text()) {
      compare_or_update(check_file, check, true);
    } else {
      fs::remove(check_file);
    }
  } else {
    INFO("check gives what build gives, unless expected-check.txt says otherwise");
    CHECK(check.text() ==
          read_bytes(fs::exists(check_file) ? check_file : folder / "expected.txt"));
  }
}

}  // namespace

TEST_CASE("every bad input gives its exact message and exit code and writes nothing",
          "[bad-input]") {
  const char* update_env = std::getenv("UPDATE_EXPECTED");
  const bool update = update_env != nullptr && std::string(update_env) == "1";
  const std::vector<std::string> names = case_names();
  REQUIRE(names.size() >= 30);
  for (const std::string& name : names) {
    DYNAMIC_SECTION(name) {
      run_case(name, update);
    }
  }
  if (update) {
    WARN("UPDATE_EXPECTED=1: expected files rewritten; review them with git diff");
  }
}
