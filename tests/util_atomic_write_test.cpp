#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "util/atomic_write.hpp"
#include "util/error.hpp"

namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

fs::path fresh_folder(const std::string& name) {
  fs::path folder = fs::temp_directory_path() / ("prepkit-test-" + name);
  fs::remove_all(folder);
  fs::create_directories(folder);
  return folder;
}

std::size_t file_count(const fs::path& folder) {
  return static_cast<std::size_t>(
      std::distance(fs::directory_iterator(folder), fs::directory_iterator{}));
}

}  // namespace

TEST_CASE("all files are written, and folders are created", "[util][atomic]") {
  fs::path folder = fresh_folder("atomic-write");
  util::WriteResult result = util::write_atomically(
      {{(folder / "a.txt").string(), "alpha"}, {(folder / "sub/b.txt").string(), "beta"}});
  CHECK(result.written.size() == 2);
  CHECK(slurp(folder / "a.txt") == "alpha");
  CHECK(slurp(folder / "sub/b.txt") == "beta");
  CHECK((fs::status(folder / "a.txt").permissions() & fs::perms::others_read) != fs::perms::none);
}

TEST_CASE("identical content is left untouched", "[util][atomic]") {
  fs::path folder = fresh_folder("atomic-same");
  util::write_atomically({{(folder / "a.txt").string(), "alpha"}});
  auto before = fs::last_write_time(folder / "a.txt");
  util::WriteResult result = util::write_atomically({{(folder / "a.txt").string(), "alpha"}});
  CHECK(result.written.empty());
  CHECK(result.unchanged == std::vector<std::string>{(folder / "a.txt").string()});
  CHECK(fs::last_write_time(folder / "a.txt") == before);
}

TEST_CASE("a failure in the middle leaves every old file as it was", "[util][atomic]") {
  // Before the first rename (all temporaries written), and after one file is in place.
  for (const std::size_t failing_step : {std::size_t{0}, std::size_t{1}}) {
    fs::path folder = fresh_folder("atomic-fail-" + std::to_string(failing_step));
    util::write_atomically(
        {{(folder / "a.txt").string(), "old a"}, {(folder / "b.txt").string(), "old b"}});
    auto fail = [failing_step](std::size_t renamed) {
      if (renamed == failing_step) {
        throw util::ToolError("injected failure");
      }
    };
    CHECK_THROWS_AS(
        util::write_atomically(
            {{(folder / "a.txt").string(), "new a"}, {(folder / "b.txt").string(), "new b"}}, fail),
        util::ToolError);
    CHECK(slurp(folder / "a.txt") == "old a");
    CHECK(slurp(folder / "b.txt") == "old b");
    CHECK(file_count(folder) == 2);  // no temporary or backup left behind
  }
}

TEST_CASE("an unwritable folder is an environment error naming the file", "[util][atomic]") {
  fs::path folder = fresh_folder("atomic-readonly");
  fs::path blocker = folder / "not-a-folder";
  std::ofstream(blocker) << "x";
  try {
    util::write_atomically({{(blocker / "out.pdf").string(), "bytes"}});
    FAIL("expected a ToolError");
  } catch (const util::ToolError& error) {
    CHECK(std::string(error.what()).find("not-a-folder") != std::string::npos);
  }
}
