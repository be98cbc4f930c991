// Every PDF of every shipped layout extracts with pdftotext and no warning: each font
// carries a valid ToUnicode CMap (libharu's own begincidrange map made poppler warn on every
// page).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>

#include "support.hpp"

namespace fs = std::filesystem;

TEST_CASE("pdftotext reads every shipped layout's PDFs without a warning", "[pdf][e2e]") {
  if (util::find_program("pdftotext").empty()) {
    if (std::getenv("CI") != nullptr) {
      FAIL("pdftotext is not installed (.ci/setup installs poppler-utils)");
    }
    WARN("skipped: pdftotext is not installed");
    return;
  }
  test_support::TempDir dir("pdf-text");
  test_support::copy_fixture("basic", dir.path() / "project");
  int layouts = 0;
  for (const auto& entry : fs::directory_iterator(PREPKIT_SOURCE_DIR "/layouts")) {
    if (entry.path().extension() != ".yaml") {
      continue;
    }
    ++layouts;
    const std::string layout = entry.path().stem().string();
    INFO(layout);
    const fs::path out = dir.path() / ("out-" + layout);
    const util::ProcessResult build = test_support::run_prepkit(
        {"build", "--content", (dir.path() / "project/content").string(), "--out", out.string(),
         "--only", "pdf", "--now", "1767225600", "--layout", entry.path().string()});
    INFO(build.err);
    REQUIRE(build.exit_code == 0);
    int pdfs = 0;
    for (const std::string& name : test_support::names_in(out)) {
      if (fs::path(name).extension() != ".pdf") {
        continue;
      }
      ++pdfs;
      INFO(name);
      bool found = false;
      const util::ProcessResult text =
          test_support::run_tool("pdftotext", {(out / name).string(), "-"}, found);
      CHECK(text.exit_code == 0);
      CHECK(text.err.empty());
      CHECK(text.out.find_first_not_of(" \n\f") != std::string::npos);  // some text
    }
    CHECK(pdfs > 0);
  }
  CHECK(layouts >= 6);
}
