// No input hangs: a pack of about 4 MB made of pathological runs (the longest word the
// loader allows in titles and prose, megabyte code lines, huge card fields, a cloze of
// hundreds of thousands of characters, each field a megabyte at most) builds with the flashcard
// layout, and longer words fail at once with a located error. A hang would run into the process
// time-out.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "support.hpp"

namespace fs = std::filesystem;

namespace {

void write_pack(const fs::path& pack, std::size_t word) {
  test_support::run_prepkit({"new", pack.string(), "-q", "--lang", "sql"});
  std::ofstream topic(pack / "content/topics/next-steps.yaml", std::ios::app);
  const std::string w(word, 'w');
  std::string many;  // a megabyte of the longest words
  for (int i = 0; i < 1000; ++i) {
    many += w + " ";
  }
  topic << "  - id: long-front\n    kind: basic\n    front: \"" << many << "\"\n    back: \""
        << many.substr(0, 500'000) << "\"\n"
        << "  - id: long-cloze\n    kind: cloze\n    text: \"{{c1::" << many.substr(0, 400'000)
        << "}} " << w << "\"\n"
        << "  - id: long-code\n    kind: code\n    front: " << w << "\n    code: |\n      SELECT '"
        << std::string(1'000'000, 'z') << "';\n      " << std::string(300'000, '(')
        << "\n    back: B\n";
  std::ofstream second(pack / "content/topics/first-steps.yaml", std::ios::app);
  second << "  - id: long-words\n    kind: basic\n    front: " << w << " " << w
         << "\n    back: |\n";
  for (int i = 0; i < 200; ++i) {
    second << "      " << w << " a " << w << "\n";
  }
}

}  // namespace

TEST_CASE("four megabytes of unbroken runs build or fail at once", "[e2e][bad-input]") {
  test_support::TempDir dir("long-input");
  const fs::path pack = dir.path() / "pack";
  write_pack(pack, 1000);
  CHECK(fs::file_size(pack / "content/topics/next-steps.yaml") > 3'000'000);
  util::ProcessResult built = test_support::run_prepkit(
      {"build", pack.string(), "-q", "--layout", "a5-booklet", "--now", "1767225600"});
  INFO(built.err);
  CHECK(built.exit_code == 0);
  CHECK(fs::exists(pack / "out/pack-cards.pdf"));

  const fs::path longer = dir.path() / "longer";
  write_pack(longer, 1001);
  util::ProcessResult refused = test_support::run_prepkit({"check", longer.string()});
  CHECK(refused.exit_code == 1);
  CHECK(refused.err.find("error: a word of 1001 characters is too long to set (at most 1000)\n"
                         "  hint: break it with spaces, or put it in a code block\n") !=
        std::string::npos);
}
