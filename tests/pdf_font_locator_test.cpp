// Finding fonts with fontconfig: exact family and style, coverage, and missing fonts
// reported with the Debian package to install.
#include <catch2/catch.hpp>

#include <filesystem>

#include "pdf/font_locator.hpp"
#include "util/error.hpp"

namespace {
std::string file_name(const std::string& path) {
  return std::filesystem::path(path).filename().string();
}
}  // namespace

TEST_CASE("a family and style find exactly that face", "[pdf]") {
  pdf::FontLocator locator;
  CHECK(file_name(locator.locate({"DejaVu Serif", "Book", ""}).file) == "DejaVuSerif.ttf");
  CHECK(file_name(locator.locate({"DejaVu Serif", "Bold", ""}).file) == "DejaVuSerif-Bold.ttf");
  CHECK(file_name(locator.locate({"DejaVu Serif", "Italic", ""}).file) == "DejaVuSerif-Italic.ttf");
  // "ExtraBold,Regular" faces must not pass for Regular.
  CHECK(file_name(locator.locate({"JetBrains Mono", "Regular", ""}).file) ==
        "JetBrainsMono-Regular.ttf");
  CHECK(file_name(locator.locate({"JetBrains Mono", "Bold Italic", ""}).file) ==
        "JetBrainsMono-BoldItalic.ttf");
  // "Book" and "Regular" name the same face.
  CHECK(file_name(locator.locate({"DejaVu Sans Mono", "Regular", ""}).file) ==
        "DejaVuSansMono.ttf");
}

TEST_CASE("coverage says which characters a face has", "[pdf]") {
  pdf::FontLocator locator;
  const pdf::ResolvedFont& mono = locator.locate({"JetBrains Mono", "Regular", ""});
  CHECK(mono.coverage.has('a'));
  CHECK(mono.coverage.has(0x2192));        // →
  CHECK_FALSE(mono.coverage.has(0x21AA));  // ↪ is not in JetBrains Mono
  const pdf::ResolvedFont& sans_mono = locator.locate({"DejaVu Sans Mono", "Book", ""});
  CHECK(sans_mono.coverage.has(0x21AA));
  CHECK_FALSE(sans_mono.coverage.has(0x6F22));  // no CJK
}

TEST_CASE("an explicit file wins over the family", "[pdf]") {
  pdf::FontLocator locator;
  const std::string file = locator.locate({"DejaVu Sans", "Book", ""}).file;
  const pdf::ResolvedFont& font = locator.locate({"Anything", "Bold", file});
  CHECK(font.file == file);
  CHECK(font.family == "DejaVu Sans");
}

TEST_CASE("missing fonts are environment errors that name the package", "[pdf]") {
  pdf::FontLocator locator;
  CHECK_THROWS_WITH(locator.locate({"No Such Family", "Book", ""}),
                    Catch::Contains("failed to find font 'No Such Family Book': not installed"));
  CHECK_THROWS_WITH(
      locator.locate({"JetBrains Mono", "Ultra Wide", ""}),
      Catch::Contains("the family has no such style") && Catch::Contains("fonts-jetbrains-mono"));
  CHECK_THROWS_WITH(locator.locate({"", "", "/nonexistent/font.ttf"}),
                    Catch::Contains("no such file"));
  CHECK(pdf::package_for_font("DejaVu Serif", "Italic") == "fonts-dejavu-extra");
  CHECK(pdf::package_for_font("DejaVu Sans", "Book") == "fonts-dejavu-core");
  CHECK(pdf::package_for_font("JetBrains Mono", "Bold") == "fonts-jetbrains-mono");
  CHECK(pdf::package_for_font("Liberation Serif", "Regular") == "fonts-liberation2");
}
