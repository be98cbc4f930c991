// The real binary with the a5-booklet layout: imposed sheets and flashcard sheets on disk,
// inspected with poppler (pdfinfo, pdftotext, pdftoppm).
#include <catch2/catch.hpp>

#include <cctype>
#include <regex>

#include "print/impose.hpp"
#include "support.hpp"

using test_support::copy_fixture;
using test_support::read_bytes;
using test_support::run_prepkit;
using test_support::run_tool;
using test_support::TempDir;

namespace {

int page_count(const std::string& info) {
  std::smatch match;
  REQUIRE(std::regex_search(info, match, std::regex("Pages:\\s+(\\d+)")));
  return std::stoi(match[1]);
}

// Renders every page as greyscale PGM at 30 dpi and counts dark pixels closer than
// `edge_mm` to the sheet edge.
int marks_near_edge(const std::filesystem::path& pdf, const std::filesystem::path& prefix,
                    double edge_mm) {
  bool found = false;
  const util::ProcessResult render =
      run_tool("pdftoppm", {"-r", "30", "-gray", pdf.string(), prefix.string()}, found);
  REQUIRE(found);
  REQUIRE(render.exit_code == 0);
  int dark = 0;
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(prefix.parent_path())) {
    if (entry.path().filename().string().rfind(prefix.filename().string(), 0) != 0) {
      continue;
    }
    ++files;
    const std::string bytes = read_bytes(entry.path());
    int width = 0;
    int height = 0;
    int max = 0;
    int offset = 0;
    REQUIRE(std::sscanf(bytes.c_str(), "P5 %d %d %d%n", &width, &height, &max, &offset) == 3);
    const std::size_t start = static_cast<std::size_t>(offset) + 1;
    const int edge = static_cast<int>(edge_mm / 25.4 * 30);
    for (int y = 0; y < height; ++y) {
      for (int x = 0; x < width; ++x) {
        if (x >= edge && x < width - edge && y >= edge && y < height - edge) {
          continue;
        }
        const auto value =
            static_cast<unsigned char>(bytes[start + static_cast<std::size_t>(y * width + x)]);
        dark += value < 200 ? 1 : 0;
      }
    }
  }
  CHECK(files > 0);
  return dark;
}

}  // namespace

TEST_CASE("a5-booklet builds imposed sheets and flashcards", "[print][e2e]") {
  TempDir dir{"print"};
  copy_fixture("basic", dir.path() / "project");
  std::filesystem::create_directories(dir.path() / "render");
  std::filesystem::create_directories(dir.path() / "render2");
  const auto out = dir.path() / "out";
  const util::ProcessResult result = run_prepkit(
      {"build", "--content", (dir.path() / "project/content").string(), "--out", out.string(),
       "--now", "1767225600", "--layout", PREPKIT_SOURCE_DIR "/layouts/a5-booklet.yaml"});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  CHECK(result.out.find("fixture-book-imposed.pdf: ") != std::string::npos);
  CHECK(result.out.find("fixture-book-cards.pdf: 1 sheet (") != std::string::npos);

  bool found = false;
  const auto one_up = (out / "fixture-book.pdf").string();
  const auto imposed = (out / "fixture-book-imposed.pdf").string();
  const auto cards = (out / "fixture-book-cards.pdf").string();
  const util::ProcessResult info = run_tool("pdfinfo", {one_up}, found);
  if (!found) {
    test_support::missing_tool("pdfinfo");
    return;
  }
  const int pages = page_count(info.out);
  const util::ProcessResult sheets = run_tool("pdfinfo", {imposed}, found);
  // An instruction sheet (two sides), then the booklet's sheets.
  CHECK(page_count(sheets.out) == print::padded_page_count(pages) / 2 + 2);
  CHECK(sheets.out.find("841.89 x 595.28 pts") != std::string::npos);  // A4 landscape
  CHECK(page_count(run_tool("pdfinfo", {cards}, found).out) == 2);
  const auto side_text = [&](int page) {
    return run_tool("pdftotext",
                    {"-f", std::to_string(page), "-l", std::to_string(page), imposed, "-"}, found)
        .out;
  };
  const std::string instructions = side_text(1);
  CHECK(instructions.find("Printing and folding") != std::string::npos);
  CHECK(instructions.find("flip on short edge") != std::string::npos);
  CHECK(side_text(2).find_first_not_of(" \n\f") == std::string::npos);  // its back is blank

  // Side 3 is N | 1: the title page in the right half only, without any printing note.
  const auto half = [&](int page, bool right) {
    return run_tool(
               "pdftotext",
               {"-f", std::to_string(page), "-l", std::to_string(page), "-x", right ? "421" : "0",
                "-y", "0", "-W", "421", "-H", "596", "-layout", imposed, "-"},
               found)
        .out;
  };
  const std::string first_right = half(3, true);
  CHECK(first_right.find("Fixture") != std::string::npos);
  CHECK(side_text(3).find("flip on short edge") == std::string::npos);
  CHECK(half(3, false).find("Fixture") == std::string::npos);

  // Print geometry: nothing within 6 mm of a sheet edge (5.5 mm: anti-aliasing slack).
  CHECK(marks_near_edge(imposed, dir.path() / "render/imposed", 5.5) == 0);
  CHECK(marks_near_edge(cards, dir.path() / "render2/cards", 5.5) == 0);
}
