// The libharu adapter: a real PDF from a small display list, byte-identical twice, and
// errors that name what failed.
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <set>
#include <sstream>

#include "pdf/font_locator.hpp"
#include "pdf/pdf_writer.hpp"
#include "support.hpp"
#include "util/error.hpp"
#include "util/utf8.hpp"

namespace fs = std::filesystem;
using namespace std::string_literals;

namespace {

pdf::Pages sample_pages() {
  pdf::FontLocator locator;
  const pdf::ResolvedFont& serif = locator.locate({"DejaVu Serif", "Book", ""});
  const pdf::ResolvedFont& mono = locator.locate({"JetBrains Mono", "Regular", ""});
  pdf::Pages pages;
  pages.fonts = {{serif.file, serif.label()}, {mono.file, mono.label()}};
  for (int i = 0; i < 3; ++i) {
    pdf::Page page;
    page.width = 595.28;
    page.height = 841.89;
    if (i == 0) {
      page.items.emplace_back(
          pdf::Box{.x = 50, .y = 700, .width = 200, .height = 40, .fill = {0.9, 0.9, 0.9}});
      page.items.emplace_back(
          pdf::TextRun{60, 720, 0, 12, {0.1, 0.1, 0.1}, "Ownership \u2192 borrowing \u2264 2"});
      page.items.emplace_back(pdf::TextRun{60, 705, 1, 9, {0.5, 0.1, 0.4}, "&'a mut T"});
      page.items.emplace_back(pdf::Rule{50, 690, 250, 690, 0.5, {0.7, 0.2, 0.1}});
      page.links.push_back({60, 700, 100, 20, "target", ""});
      page.links.push_back({60, 650, 100, 20, "", "https://www.rust-lang.org/"});
    }
    // Page 2 is deliberately empty: it must still get a drawing operator.
    if (i == 2) {
      page.destinations.push_back({"target", 800});
      page.items.emplace_back(pdf::TextRun{60, 780, 0, 10, {0, 0, 0}, "\u201CQuoted\u201D"});
    }
    pages.pages.push_back(page);
  }
  pages.outline = {{"Part I: Core", "target", 0, true}, {"1  Ownership \u2192", "target", 1}};
  pages.labels = {{0, pdf::LabelStyle::lower_roman, 1}, {1, pdf::LabelStyle::decimal, 1}};
  pages.metadata.title = "Sample \u2014 Prep";
  pages.metadata.author = "Tests";
  return pages;
}

// The PDF `bytes` uncompressed by qpdf (content streams readable), or nullopt when qpdf is
// not installed; under CI (where .ci/setup installs it) a missing qpdf fails the test.
std::optional<std::string> unpacked_by_qpdf(const std::string& bytes) {
  test_support::TempDir dir("pdf-writer-qpdf");
  const fs::path pdf = dir.path() / "in.pdf";
  std::ofstream(pdf, std::ios::binary) << bytes;
  const fs::path unpacked = dir.path() / "out.qdf";
  bool found = false;
  const util::ProcessResult run = test_support::run_tool(
      "qpdf",
      {"--qdf", "--normalize-content=n", "--object-streams=disable", "--no-original-object-ids",
       "--static-id", pdf.string(), unpacked.string()},
      found);
  if (!found) {
    if (std::getenv("CI") != nullptr) {
      FAIL("qpdf is not installed (.ci/setup installs it)");
    }
    WARN("skipped: qpdf is not installed");
    return std::nullopt;
  }
  REQUIRE(run.exit_code == 0);
  return test_support::read_bytes(unpacked);
}

// How often `piece` occurs in `text`, overlaps included.
std::size_t occurrences(const std::string& text, const std::string& piece) {
  std::size_t found = 0;
  for (std::size_t at = text.find(piece); at != std::string::npos; at = text.find(piece, at + 1)) {
    ++found;
  }
  return found;
}

}  // namespace

TEST_CASE("the writer makes a PDF with the right page count, twice the same bytes", "[pdf]") {
  const pdf::Pages pages = sample_pages();
  const std::string first = pdf::write_pdf(pages);
  const std::string second = pdf::write_pdf(pages);
  REQUIRE(first.rfind("%PDF-", 0) == 0);
  CHECK(first.find("%%EOF") != std::string::npos);
  const std::regex page_object("/Type /Page[^s]");
  const auto count = std::distance(std::sregex_iterator(first.begin(), first.end(), page_object),
                                   std::sregex_iterator());
  CHECK(count == 3);
  CHECK(first == second);
  CHECK(first.find("/CreationDate") == std::string::npos);  // no clock date
  // libharu writes '/' in strings as \057.
  CHECK(first.find(R"(/URI (https:\057\057www.rust-lang.org\057))") != std::string::npos);
  CHECK(first.find("/XYZ 0 800 0 ]") != std::string::npos);  // zoom 0: keep the reader's
}

TEST_CASE("link targets are escaped in the PDF, and only web and mail links open",
          "[pdf][escaping]") {
  pdf::Pages pages = sample_pages();
  pages.pages[0].links = {
      {60, 600, 100, 20, "", "https://x.test/a)b\\c(d"},
      {60, 570, 100, 20, "", "mailto:a@x.test"},
      {60, 540, 100, 20, "", "javascript:app.alert(1)"},
      {60, 510, 100, 20, "", "file:///etc/passwd"},
      {60, 480, 100, 20, "", "../notes.html"},
  };
  const std::string bytes = pdf::write_pdf(pages);
  CHECK(bytes.find(R"(/URI (https:\057\057x.test\057a\051b\134c\050d))") != std::string::npos);
  CHECK(bytes.find("/URI (mailto:a@x.test)") != std::string::npos);
  const std::regex uri("/URI \\(");
  CHECK(std::distance(std::sregex_iterator(bytes.begin(), bytes.end(), uri),
                      std::sregex_iterator()) == 2);
  CHECK(bytes.find("javascript") == std::string::npos);
  CHECK(bytes.find("passwd") == std::string::npos);
  CHECK(bytes.find("notes") == std::string::npos);
}

TEST_CASE("pages added one by one make the same document as the whole list", "[pdf]") {
  // Page 0 links to a destination on page 2: placed only when every page exists. libharu
  // numbers its objects in the order they are made, which depends on how many pages are
  // added at a time; qpdf's QDF form numbers them in document order.
  const pdf::Pages pages = sample_pages();
  pdf::PdfWriter writer(pages.fonts);
  for (const pdf::Page& page : pages.pages) {
    writer.add_pages({&page, 1});
  }
  const std::string added = writer.finish(pages.outline, pages.labels, pages.metadata);
  CHECK(added != pdf::write_pdf(pages));
  const std::optional<std::string> one_by_one = unpacked_by_qpdf(added);
  const std::optional<std::string> whole = unpacked_by_qpdf(pdf::write_pdf(pages));
  if (one_by_one && whole) {
    CHECK(*one_by_one == *whole);
  }
  CHECK_THROWS_WITH(writer.add_pages({&pages.pages[0], 1}), Catch::Contains("one document only"));
}

TEST_CASE("a long document keeps every page's text", "[pdf]") {
  pdf::Pages pages = sample_pages();
  const pdf::Page text_page = pages.pages[0];
  for (int i = 0; i < 200; ++i) {
    pages.pages.push_back(text_page);
  }
  const std::string bytes = pdf::write_pdf(pages);
  CHECK(bytes == pdf::write_pdf(pages));
  const std::optional<std::string> unpacked = unpacked_by_qpdf(bytes);
  if (!unpacked) {
    test_support::missing_tool("qpdf");
    return;
  }
  const std::string& content = *unpacked;
  std::size_t shown = 0;
  for (std::size_t at = content.find(")] TJ\n"); at != std::string::npos;
       at = content.find(")] TJ\n", at + 1)) {
    ++shown;
  }
  CHECK(shown == 2 * 201 + 1);  // two runs on each copy of page 1, one on page 3
}

TEST_CASE("measured widths come from the face and add up", "[pdf]") {
  pdf::FontLocator locator;
  const pdf::ResolvedFont& serif = locator.locate({"DejaVu Serif", "Book", ""});
  pdf::PdfWriter writer({{serif.file, serif.label()}});
  const pdf::TextMeasure& measure = writer.measure();
  CHECK(measure.width(0, "a", 10) == Approx(5.96));  // 596/1000 em
  CHECK(measure.width(0, "Hello world", 10) == Approx(59.14));
  CHECK(measure.width(0, "ab", 12) ==
        Approx(measure.width(0, "a", 12) + measure.width(0, "b", 12)));
  CHECK(measure.width(0, "\u2192", 10) == Approx(8.37));
}

TEST_CASE("writer errors name the step that failed", "[pdf]") {
  SECTION("a font file that is not TrueType") {
    CHECK_THROWS_WITH(pdf::PdfWriter(std::vector<pdf::FontFace>{{"/etc/hostname", "bad"}}),
                      Catch::Contains("failed to load font /etc/hostname"));
  }
  SECTION("a link to a place that does not exist") {
    pdf::Pages pages = sample_pages();
    pages.pages[0].links[0].anchor = "nowhere";
    CHECK_THROWS_WITH(pdf::write_pdf(pages), Catch::Contains("no destination named 'nowhere'"));
  }
  SECTION("pages drawn with other fonts") {
    pdf::Pages pages = sample_pages();
    pdf::PdfWriter writer({pages.fonts.front()});
    CHECK_THROWS_AS(writer.write(pages), util::ToolError);
  }
}

TEST_CASE("page transforms move and scale everything", "[pdf]") {
  pdf::Page page;
  page.items.emplace_back(pdf::TextRun{10, 20, 0, 10, {}, "x"});
  page.items.emplace_back(pdf::Box{.x = 10, .y = 20, .width = 30, .height = 40});
  page.links.push_back({10, 20, 30, 40, "a", ""});
  page.destinations.push_back({"a", 100});
  pdf::transform_page(page, 0.5, 100, 200);
  const auto& run = std::get<pdf::TextRun>(page.items[0]);
  CHECK(run.x == 105);
  CHECK(run.y == 210);
  CHECK(run.size == 5);
  const auto& box = std::get<pdf::Box>(page.items[1]);
  CHECK(box.width == 15);
  CHECK(page.links[0].height == 20);
  CHECK(page.destinations[0].top == 250);
}

TEST_CASE("embedded font subsets carry valid TrueType table checksums", "[pdf]") {
  const std::optional<std::string> unpacked = unpacked_by_qpdf(pdf::write_pdf(sample_pages()));
  if (!unpacked) {
    test_support::missing_tool("qpdf");
    return;
  }
  const auto big_endian = [](std::string_view bytes, std::size_t at, std::size_t count) {
    std::uint32_t value = 0;
    for (std::size_t i = 0; i < count; ++i) {
      value = (value << 8U) | static_cast<unsigned char>(bytes[at + i]);
    }
    return value;
  };
  int fonts = 0;
  for (std::size_t at = unpacked->find("/Length1 "); at != std::string::npos;
       at = unpacked->find("/Length1 ", at + 1)) {
    const std::size_t length = std::stoul(unpacked->substr(at + 9, 12));
    const std::size_t data = unpacked->find("stream\n", at) + 7;
    const std::string_view font = std::string_view(*unpacked).substr(data, length);
    REQUIRE(font.size() == length);
    const std::size_t tables = big_endian(font, 4, 2);
    REQUIRE(tables == 13);  // the tables libharu embeds
    for (std::size_t t = 0; t < tables; ++t) {
      const std::size_t entry = 12 + 16 * t;
      const std::string tag(font.substr(entry, 4));
      const std::size_t offset = big_endian(font, entry + 8, 4);
      const std::size_t size = big_endian(font, entry + 12, 4);
      REQUIRE(offset + size <= font.size());
      std::string table(font.substr(offset, size));
      if (tag == "head") {
        table.replace(8, 4, 4, '\0');  // checkSumAdjustment counts as 0
      }
      table.resize((table.size() + 3) / 4 * 4, '\0');
      std::uint32_t sum = 0;
      for (std::size_t word = 0; word < table.size(); word += 4) {
        sum += big_endian(table, word, 4);
      }
      CHECK(sum == big_endian(font, entry + 4, 4));
    }
    ++fonts;
  }
  CHECK(fonts == 2);
}

TEST_CASE("each page's drawing is a content stream of its own between two of libharu's", "[pdf]") {
  const std::string bytes = pdf::write_pdf(sample_pages());
  // libharu's own page streams hold nothing and are not compressed (an empty compressed
  // stream is not valid): two on each page that draws, one on page 2, which draws nothing.
  const std::regex empty("<<\n/Length \\d+ 0 R\n>>\nstream\r\n\nendstream");
  CHECK(std::distance(std::sregex_iterator(bytes.begin(), bytes.end(), empty),
                      std::sregex_iterator()) == 5);
  // prepkit's own streams (two pages' drawings and the ToUnicode map) come compressed and
  // name their filter, which libharu would not write: its stand-in key was renamed.
  CHECK(occurrences(bytes, "\n/Filter /FlateDecode\n") == 3);
  CHECK(occurrences(bytes, "FILTER") == 0);
  const std::optional<std::string> unpacked = unpacked_by_qpdf(bytes);
  if (!unpacked) {
    test_support::missing_tool("qpdf");
    return;
  }
  const std::regex contents("/Contents \\[\\s*\\d+ 0 R\\s+\\d+ 0 R\\s+\\d+ 0 R\\s*\\]");
  CHECK(std::distance(std::sregex_iterator(unpacked->begin(), unpacked->end(), contents),
                      std::sregex_iterator()) == 2);
  CHECK(unpacked->find("stream\n0.9 g\n50 700 200 40 re\nf\nBT\n/F1 12 Tf\n0.1 g\n"
                       "1 0 0 1 60 720 Tm\n[(\0O\0w"s) != std::string::npos);
  CHECK(unpacked->find(" Tj\n") == std::string::npos);  // no text of libharu's own
}

TEST_CASE("every font's ToUnicode map is a valid CMap and text extracts without warnings",
          "[pdf]") {
  const std::string bytes = pdf::write_pdf(sample_pages());
  const std::optional<std::string> unpacked = unpacked_by_qpdf(bytes);
  if (!unpacked) {
    test_support::missing_tool("qpdf");
    return;
  }
  // Both fonts point at the bfrange map; libharu's begincidrange map is left unused.
  const std::regex to_unicode("/ToUnicode (\\d+) 0 R");
  std::set<std::string> maps;
  for (auto it = std::sregex_iterator(unpacked->begin(), unpacked->end(), to_unicode);
       it != std::sregex_iterator(); ++it) {
    maps.insert((*it)[1]);
  }
  REQUIRE(maps.size() == 1);
  const std::size_t object = unpacked->find("\n" + *maps.begin() + " 0 obj\n");
  REQUIRE(object != std::string::npos);
  const std::size_t end = unpacked->find("endobj", object);
  const std::string map = unpacked->substr(object, end - object);
  CHECK(map.find("beginbfrange") != std::string::npos);
  CHECK(map.find("begincidrange") == std::string::npos);
  CHECK(map.find("/Subtype") == std::string::npos);  // no image keys left

  test_support::TempDir dir("pdf-writer-text");
  const fs::path pdf = dir.path() / "sample.pdf";
  std::ofstream(pdf, std::ios::binary) << bytes;
  bool found = false;
  const util::ProcessResult run = test_support::run_tool("pdftotext", {pdf.string(), "-"}, found);
  if (!found) {
    if (std::getenv("CI") != nullptr) {
      FAIL("pdftotext is not installed (.ci/setup installs it)");
    }
    WARN("skipped: pdftotext is not installed");
    return;
  }
  CHECK(run.exit_code == 0);
  CHECK(run.err.empty());
  CHECK(run.out.find("Ownership \u2192 borrowing \u2264 2") != std::string::npos);
  CHECK(run.out.find("\u201CQuoted\u201D") != std::string::npos);
}

TEST_CASE("images keep libharu's compression, and a JPEG holding the stand-in key is copied",
          "[pdf]") {
  // The JPEG's comment holds the stand-in key as it appears before a stream's data: only
  // the objects' dictionaries may be renamed, never an image's bytes.
  const fs::path fixtures = fs::path(PREPKIT_TESTS_DIR) / "fixtures";
  const std::string jpeg = test_support::read_bytes(fixtures / "pdf" / "stand-in-comment.jpg");
  const std::string comment = "\n/FILTER /FlateDecode\n>>\nstream\r\n";
  REQUIRE(jpeg.find(comment) != std::string::npos);
  pdf::Pages pages = sample_pages();
  pdf::Page& page = pages.pages[0];
  page.items.emplace_back(
      pdf::Image{(fixtures / "booklet" / "images" / "diagram.png").string(), 60, 500, 80, 60});
  page.items.emplace_back(pdf::TextRun{60, 480, 0, 10, {0, 0, 0}, "between the images"});
  page.items.emplace_back(
      pdf::Image{(fixtures / "pdf" / "stand-in-comment.jpg").string(), 60, 400, 40, 40});
  page.items.emplace_back(pdf::TextRun{60, 380, 0, 10, {0, 0, 0}, "after them"});

  const std::string bytes = pdf::write_pdf(pages);
  // Page 1 draws three content streams (before, between and after the images), page 3 one,
  // and the ToUnicode map is the fifth.
  CHECK(occurrences(bytes, "\n/Filter /FlateDecode\n") == 5);
  CHECK(occurrences(bytes, jpeg) == 1);  // the JPEG's bytes, comment and all, as they were
  CHECK(occurrences(bytes, "/Filter [ /DCTDecode ]") == 1);
  // The PNG's pixels (and the fonts) are still compressed by libharu.
  CHECK(occurrences(bytes, "/Subtype /Image") == 2);
  CHECK(occurrences(bytes, "/Filter [ /FlateDecode ]") >= 3);  // the PNG, and each font file
  CHECK(unpacked_by_qpdf(bytes).has_value());                  // qpdf decodes every stream
}
