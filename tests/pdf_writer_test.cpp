// The libharu adapter: a real PDF from a small display list, byte-identical twice, and
// errors that name what failed.
#include <catch2/catch.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>

#include "pdf/font_locator.hpp"
#include "pdf/pdf_writer.hpp"
#include "support.hpp"
#include "util/error.hpp"
#include "util/utf8.hpp"

namespace fs = std::filesystem;

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

// The first sample page without its links, outline and labels: a page whose content stream
// holds only the drawing.
pdf::Pages first_sample_page_alone() {
  pdf::Pages pages = sample_pages();
  pages.pages.resize(1);
  pages.pages[0].links.clear();
  pages.outline.clear();
  pages.labels.clear();
  return pages;
}

// The PDF `bytes` uncompressed by qpdf (content streams readable), or nullopt when qpdf is
// not installed.
std::optional<std::string> unpacked_by_qpdf(const std::string& bytes) {
  test_support::TempDir dir("pdf-writer-qpdf");
  const fs::path pdf = dir.path() / "in.pdf";
  std::ofstream(pdf, std::ios::binary) << bytes;
  const fs::path unpacked = dir.path() / "out.qdf";
  bool found = false;
  const util::ProcessResult run =
      test_support::run_tool("qpdf",
                             {"--qdf", "--normalize-content=n", "--object-streams=disable",
                              pdf.string(), unpacked.string()},
                             found);
  if (!found) {
    return std::nullopt;
  }
  REQUIRE(run.exit_code == 0);
  return test_support::read_bytes(unpacked);
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
  CHECK(first.find("/XYZ 0 800 null ]") != std::string::npos);  // keeps the reader's zoom
}

TEST_CASE("pages added one by one make the same bytes as the whole list", "[pdf]") {
  // Page 0 links to a destination on page 2: placed only when every page exists.
  const pdf::Pages pages = sample_pages();
  pdf::PdfWriter writer(pages.fonts);
  for (const pdf::Page& page : pages.pages) {
    writer.add_page(page);
  }
  const std::string added = writer.finish(pages.outline, pages.labels, pages.metadata);
  CHECK(added == pdf::write_pdf(pages));
  CHECK_THROWS_WITH(writer.add_page(pages.pages[0]), Catch::Contains("one document only"));
}

TEST_CASE("a long document keeps every page's text when streams are freed once compressed",
          "[pdf]") {
  // Enough pages that most are compressed (and their buffers freed) before the save.
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
  for (std::size_t at = content.find(">] TJ\n"); at != std::string::npos;
       at = content.find(">] TJ\n", at + 1)) {
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

TEST_CASE("text is written as libharu writes it; beyond the BMP libharu draws it itself", "[pdf]") {
  pdf::Pages pages = first_sample_page_alone();
  pages.pages[0].items.emplace_back(pdf::TextRun{60, 600, 0, 12, {0, 0, 0}, "A\U0001D400B"});
  const std::optional<std::string> unpacked = unpacked_by_qpdf(pdf::write_pdf(pages));
  if (!unpacked) {
    test_support::missing_tool("qpdf");
    return;
  }
  const std::string& content = *unpacked;
  // One text object for the first two runs (font, colour, position, a TJ array of UTF-16
  // hex), …
  CHECK(content.find("BT\n/F1 12 Tf\n0.1 0.1 0.1 rg\n1 0 0 1 60 720 Tm\n[<004F0077006E") !=
        std::string::npos);
  CHECK(content.find("/F2 9 Tf\n0.5 0.1 0.4 rg\n1 0 0 1 60 705 Tm\n[<002600270061") !=
        std::string::npos);
  // … and the run with U+1D400 in a text object of libharu's own, after the rule (libharu
  // 2.3.0 encodes only the BMP: it draws a space; the booklet's font check refuses such
  // characters before they get here).
  const std::size_t rule = content.find(" l\nS\n");
  REQUIRE(rule != std::string::npos);
  CHECK(content.find("BT\n/F1 12 Tf\n0 0 0 rg\n1 0 0 1 60 600 Tm\n<004100200042> Tj\nET\n", rule) !=
        std::string::npos);
}

TEST_CASE("numbers are written as libharu formats them", "[pdf]") {
  pdf::Pages pages = first_sample_page_alone();
  // Five decimals of the float, rounded as libharu rounds, trailing zeros and point dropped.
  pages.pages[0].items = {
      pdf::TextRun{60.125, 700.1, 0, 12, {0.333333, 0, 1}, "a"},
      pdf::TextRun{-12.75, 1234.5678, 0, 12, {0.333333, 0, 1}, "b"},
      pdf::TextRun{72.000001, -0.000001, 0, 12, {0.333333, 0, 1}, "c"},
  };
  const std::optional<std::string> unpacked = unpacked_by_qpdf(pdf::write_pdf(pages));
  if (!unpacked) {
    test_support::missing_tool("qpdf");
    return;
  }
  CHECK(unpacked->find("0.33333 0 1 rg\n1 0 0 1 60.125 700.09998 Tm\n") != std::string::npos);
  CHECK(unpacked->find("1 0 0 1 -12.75 1234.56775 Tm\n") != std::string::npos);
  CHECK(unpacked->find("1 0 0 1 72 -0 Tm\n") != std::string::npos);
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

namespace {

// Where a reader puts each word of the TJ line that starts at `tm` ("1 0 0 1 x y Tm\n[...]
// TJ"): it sets the glyphs of the array's hex strings one after the other, each advancing by
// its width, and moves by -number/1000 of the size for each number. A word starts at a glyph
// after a space (or the line's first); the space glyphs themselves are counted in `spaces`.
std::vector<double> word_starts(const std::string& content, std::size_t tm,
                                const pdf::TextMeasure& measure, int face, double size,
                                int& spaces) {
  const std::size_t line_start = content.rfind('\n', tm) + 1;
  std::istringstream matrix(content.substr(line_start, tm - line_start));
  double a = 0;
  double b = 0;
  double c = 0;
  double d = 0;
  double pen = 0;
  matrix >> a >> b >> c >> d >> pen;
  const std::size_t open = content.find('[', tm);
  const std::size_t close = content.find("] TJ", open);
  const std::string array = content.substr(open + 1, close - open - 1);
  std::vector<double> starts;
  bool after_space = true;
  for (std::size_t at = 0; at < array.size();) {
    if (array[at] == '<') {
      const std::size_t end = array.find('>', at);
      for (std::size_t hex = at + 1; hex + 4 <= end; hex += 4) {
        const auto code = static_cast<char32_t>(std::stoul(array.substr(hex, 4), nullptr, 16));
        if (code == U' ') {
          ++spaces;
          after_space = true;
        } else if (after_space) {
          starts.push_back(pen);
          after_space = false;
        }
        pen += measure.width(face, util::to_utf8(code), size);
      }
      at = end + 1;
    } else if (array[at] == ' ') {
      ++at;
    } else {
      std::size_t used = 0;
      pen -= std::stod(array.substr(at), &used) * size / 1000;
      at += used;
    }
  }
  return starts;
}

}  // namespace

TEST_CASE("a line of words is one TJ array with real spaces, each word where layout put it",
          "[pdf]") {
  pdf::FontLocator locator;
  const pdf::ResolvedFont& serif = locator.locate({"DejaVu Serif", "Book", ""});
  pdf::Pages pages;
  pages.fonts = {{serif.file, serif.label()}};
  pdf::PdfWriter writer(pages.fonts);
  const pdf::TextMeasure& measure = writer.measure();
  // A justified line: stretched gaps of an odd width, one shrunk below a space (3.34), a run
  // that continues a word without a gap ("jump" + "s"); then the same words on a second
  // baseline, and a word in another colour that must start its own array.
  const std::vector<std::string> words = {"The", "quick", "brown", "fox", "jump", "s", "over"};
  const std::vector<double> gaps = {4.123457, 3.987654, 2.4, 5.5, 0, 4.000001};
  const double size = 10.5;
  pdf::Page page;
  page.width = 595.28;
  page.height = 841.89;
  std::vector<double> xs;
  for (const double y : {700.25, 686.75}) {
    double x = 72.345678;
    for (std::size_t i = 0; i < words.size(); ++i) {
      page.items.emplace_back(pdf::TextRun{x, y, 0, size, {0.1, 0.2, 0.3}, words[i]});
      if (y == 700.25) {
        xs.push_back(x);
      }
      x += measure.width(0, words[i], size) + (i < gaps.size() ? gaps[i] : 0);
    }
  }
  page.items.emplace_back(pdf::TextRun{300, 686.75, 0, size, {1, 0, 0}, "red"});
  pages.pages.push_back(page);
  const std::optional<std::string> unpacked = unpacked_by_qpdf(writer.write(pages));
  if (!unpacked) {
    test_support::missing_tool("qpdf");
    return;
  }
  const std::string& content = *unpacked;
  // An absolute text matrix for each line (as each word's own Tm used to be) and the colour
  // change: three arrays.
  const std::size_t first = content.find(" 700.25 Tm\n[");
  const std::size_t second = content.find(" 686.75 Tm\n[");
  const std::size_t red = content.find("1 0 0 1 300 686.75 Tm\n[<007200650064>] TJ\n");
  REQUIRE(first != std::string::npos);
  REQUIRE(second != std::string::npos);
  CHECK(red != std::string::npos);
  std::size_t arrays = 0;
  for (std::size_t at = content.find("] TJ\n"); at != std::string::npos;
       at = content.find("] TJ\n", at + 1)) {
    ++arrays;
  }
  CHECK(arrays == 3);
  CHECK(content.find(" Tj\n") == std::string::npos);
  for (const std::size_t tm : {first, second}) {
    int spaces = 0;
    std::vector<double> starts = word_starts(content, tm, measure, 0, size, spaces);
    CHECK(spaces == 5);  // none inside "jumps"
    // "jump" and "s" make one word here; layout's x of each other word.
    std::vector<double> expected = xs;
    expected.erase(expected.begin() + 5);
    REQUIRE(starts.size() == expected.size());
    for (std::size_t i = 0; i < starts.size(); ++i) {
      CHECK(starts[i] == Approx(expected[i]).margin(0.001));
    }
  }
}
