// The booklet with real fonts, checked by the tools of booklet-print.md §6: qpdf, Ghostscript,
// pdffonts, mutool (no .notdef), pdftotext round trips. A missing tool skips its check
// (fails it when CI is set).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "booklet/booklet.hpp"
#include "booklet_fixture.hpp"
#include "support.hpp"
#include "util/error.hpp"
#include "util/process.hpp"

namespace {

struct Built {
  std::filesystem::path file;
  booklet::BookletResult result;
};

const Built& built_booklet() {
  // A folder of this test process: ctest runs these checks side by side, and a shared file
  // would be rewritten under a tool still reading it.
  static const test_support::TempDir folder("booklet-checks");
  static const Built built = [] {
    Built b;
    typeset::Typesetting typesetting = typeset::prepare_typesetting(model::Layout{});
    b.result =
        booklet::make_booklet(booklet_fixture::sample_document(), model::Layout{}, typesetting);
    b.file = folder.path() / "booklet.pdf";
    std::ofstream(b.file, std::ios::binary) << b.result.files.at(0).bytes;
    return b;
  }();
  return built;
}

// Runs a tool on the booklet; nullopt (and a warning) when the tool is not installed.
std::optional<util::ProcessResult> tool(const std::string& name, std::vector<std::string> args) {
  if (util::find_program(name).empty()) {
    test_support::missing_tool(name);
    return std::nullopt;
  }
  util::ProcessSpec spec;
  spec.program = name;
  spec.args = std::move(args);
  spec.timeout = std::chrono::milliseconds(120000);
  return util::run_process(spec);
}

int count_lines_with(const std::string& text, const std::string& needle) {
  int count = 0;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    count += line.find(needle) != std::string::npos ? 1 : 0;
  }
  return count;
}

}  // namespace

TEST_CASE("the booklet is one PDF named after the slug", "[pdf]") {
  const Built& built = built_booklet();
  REQUIRE(built.result.files.size() == 1);
  CHECK(built.result.files[0].name == "sample.pdf");
  CHECK(built.result.files[0].bytes.rfind("%PDF-", 0) == 0);
  CHECK(built.result.page_count > 6);
  CHECK(built.result.page_map.page_of("topic/ownership") == 2);
  // Same input, same bytes.
  typeset::Typesetting typesetting = typeset::prepare_typesetting(model::Layout{});
  const booklet::BookletResult again =
      booklet::make_booklet(booklet_fixture::sample_document(), model::Layout{}, typesetting);
  CHECK(again.files[0].bytes == built.result.files[0].bytes);
  CHECK(typesetting.writer == nullptr);  // used up
}

TEST_CASE("qpdf finds no structural errors", "[pdf]") {
  if (auto run = tool("qpdf", {"--check", built_booklet().file.string()})) {
    CHECK(run->exit_code == 0);
    CHECK(run->out.find("No syntax or stream encoding errors found") != std::string::npos);
  }
}

TEST_CASE("Ghostscript renders every page without errors", "[pdf]") {
  if (auto run = tool("gs", {"-q", "-dNOPAUSE", "-dBATCH", "-sDEVICE=nullpage",
                             built_booklet().file.string()})) {
    CHECK(run->exit_code == 0);
    CHECK(count_lines_with(run->out + run->err, "Error") == 0);
  }
}

TEST_CASE("every font is embedded, subset and has a ToUnicode map", "[pdf]") {
  if (auto run = tool("pdffonts", {built_booklet().file.string()})) {
    REQUIRE(run->exit_code == 0);
    std::istringstream in(run->out);
    std::string line;
    std::getline(in, line);
    std::getline(in, line);
    int fonts = 0;
    const std::regex row(
        R"(^(\S+)\s+CID TrueType\s+Identity-H\s+(yes|no)\s+(yes|no)\s+(yes|no)\s)");
    while (std::getline(in, line)) {
      std::smatch match;
      INFO(line);
      REQUIRE(std::regex_search(line, match, row));
      CHECK(match[2] == "yes");
      CHECK(match[3] == "yes");
      CHECK(match[4] == "yes");
      ++fonts;
    }
    CHECK(fonts >= 5);
  }
}

TEST_CASE("no glyph is drawn as .notdef", "[pdf]") {
  if (auto run =
          tool("mutool", {"draw", "-F", "trace", "-o", "-", built_booklet().file.string()})) {
    CHECK(run->exit_code == 0);
    CHECK(run->out.find("<fill_text") != std::string::npos);
    CHECK(count_lines_with(run->out, "glyph=\".notdef\"") == 0);
  }
}

TEST_CASE("text extraction round-trips quotes, arrows and Rust syntax", "[pdf]") {
  if (auto run =
          tool("pdftotext", {"-enc", "UTF-8", "-layout", built_booklet().file.string(), "-"})) {
    REQUIRE(run->exit_code == 0);
    const std::string& text = run->out;
    for (const char* expected : {"\u2192", "\u2264", "\u201C", "\u201D", "\u2014", "&'a mut",
                                 "Sample Prep", "Ownership and moves", "does not compile"}) {
      INFO(expected);
      CHECK(text.find(expected) != std::string::npos);
    }
    CHECK(text.find("\uFFFD") == std::string::npos);
    CHECK(text.find("\u00AD") == std::string::npos);  // no soft hyphens
  }
}

TEST_CASE("links, labels and the outline are in the file", "[pdf]") {
  if (auto run = tool("pdfinfo", {"-url", built_booklet().file.string()})) {
    CHECK(run->out.find("https://doc.rust-lang.org/book/") != std::string::npos);
  }
  if (auto run = tool("qpdf", {"--json=2", "--json-key=outlines", "--json-key=pagelabels",
                               built_booklet().file.string()})) {
    REQUIRE(run->exit_code == 0);
    CHECK(run->out.find("\"title\": \"Part I: Core language\"") != std::string::npos);
    CHECK(run->out.find("\"/S\": \"/r\"") != std::string::npos);
    CHECK(run->out.find("\"/S\": \"/D\"") != std::string::npos);
  }
}

TEST_CASE("check_fonts reports characters no face has, where they are", "[pdf]") {
  model::Document document = booklet_fixture::sample_document();
  model::Diagnostics clean;
  booklet::check_fonts(document, model::Layout{}, clean);
  CHECK(clean.all().empty());

  auto& body = document.areas[0].topics[0].sections[0].body;
  body.push_back(booklet_fixture::paragraph({booklet_fixture::run("Kanji \u6F22 here")}, 42));
  model::Diagnostics diagnostics;
  booklet::check_fonts(document, model::Layout{}, diagnostics);
  REQUIRE(diagnostics.all().size() == 1);
  CHECK(
      model::format_diagnostic(diagnostics.all()[0])
          .rfind(
              "topics/sample.yaml:42:1: error: character U+6F22 '\u6F22' is not in any font of the "
              "layout",
              0) == 0);
}

TEST_CASE("a layout naming a missing font is an environment error", "[pdf]") {
  model::Layout layout;
  layout.fonts.serif_italic = {"DejaVu Serif", "Ultra Italic", ""};
  model::Diagnostics diagnostics;
  CHECK_THROWS_WITH(booklet::check_fonts(booklet_fixture::sample_document(), layout, diagnostics),
                    Catch::Contains("fonts-dejavu-extra"));
}

TEST_CASE("check_fonts reports the same with the prepared faces, in code too", "[pdf]") {
  model::Document document = booklet_fixture::sample_document();
  auto& body = document.areas[0].topics[0].sections[0].body;
  // In a Rust comment: highlighted code that no face can draw must still be found.
  body.push_back(booklet_fixture::code({"let x = 1; // \u6F22", "let y = \"\u00E9\";"}));
  body.push_back(booklet_fixture::paragraph({booklet_fixture::run("Kanji \u6F22 here")}, 42));
  const model::Layout layout;
  model::Diagnostics located;
  booklet::check_fonts(document, layout, located);
  model::Diagnostics prepared;
  const typeset::Typesetting typesetting = typeset::prepare_typesetting(layout);
  booklet::check_fonts(document, layout, prepared, &typesetting);
  std::vector<std::string> messages;
  for (const model::Diagnostic& diagnostic : located.all()) {
    messages.push_back(model::format_diagnostic(diagnostic));
  }
  REQUIRE(messages.size() == 2);
  CHECK(messages[0].find("U+6F22") != std::string::npos);
  CHECK(messages[0].find("DejaVu Sans Mono") != std::string::npos);  // the code's faces
  std::vector<std::string> with_prepared;
  for (const model::Diagnostic& diagnostic : prepared.all()) {
    with_prepared.push_back(model::format_diagnostic(diagnostic));
  }
  CHECK(with_prepared == messages);
}
