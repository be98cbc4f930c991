// The atomic writer when a rename fails half-way: files already replaced are put back.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "support.hpp"
#include "util/atomic_write.hpp"
#include "util/error.hpp"

namespace fs = std::filesystem;
using test_support::names_in;
using test_support::read_bytes;
using test_support::TempDir;

namespace {

ino_t inode_of(const fs::path& path) {
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  return info.st_ino;
}

}  // namespace

TEST_CASE("a rename failing after others puts the replaced files back",
          "[util][atomic][reliability]") {
  TempDir dir("atomic-rollback");
  const fs::path a = dir.path() / "a.txt";
  const fs::path fresh = dir.path() / "fresh.txt";
  const fs::path blocked = dir.path() / "blocked";  // a folder: renaming a file onto it fails
  std::ofstream(a, std::ios::binary) << "old a";
  fs::create_directories(blocked / "inside");
  const ino_t a_inode = inode_of(a);
  const auto a_time = fs::last_write_time(a);

  try {
    util::write_atomically(
        {{a.string(), "new a"}, {fresh.string(), "new file"}, {blocked.string(), "x"}});
    FAIL("expected a ToolError");
  } catch (const util::ToolError& error) {
    CHECK(std::string(error.what()).rfind("failed to replace " + blocked.string() + ": ", 0) == 0);
  }
  CHECK(read_bytes(a) == "old a");
  CHECK(inode_of(a) == a_inode);  // the very same file, not a copy
  CHECK(fs::last_write_time(a) == a_time);
  CHECK_FALSE(fs::exists(fresh));  // did not exist before, so it does not now
  CHECK(names_in(dir.path()) == std::vector<std::string>{"a.txt", "blocked"});
  CHECK(names_in(blocked) == std::vector<std::string>{"inside"});
}

TEST_CASE("a successful write leaves no backup or temporary behind",
          "[util][atomic][reliability]") {
  TempDir dir("atomic-clean");
  const fs::path a = dir.path() / "a.txt";
  std::ofstream(a, std::ios::binary) << "old a";
  util::WriteResult result = util::write_atomically({{a.string(), "new a"}});
  CHECK(result.written == std::vector<std::string>{a.string()});
  CHECK(read_bytes(a) == "new a");
  CHECK(names_in(dir.path()) == std::vector<std::string>{"a.txt"});
}
