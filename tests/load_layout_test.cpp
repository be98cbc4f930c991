#include <catch2/catch.hpp>

#include "load/load_layout.hpp"

namespace {

std::vector<std::string> messages(const model::Diagnostics& diagnostics) {
  std::vector<std::string> out;
  for (const model::Diagnostic& diagnostic : diagnostics.sorted()) {
    out.push_back(model::format_diagnostic(diagnostic));
  }
  return out;
}

}  // namespace

TEST_CASE("missing layout keys keep the documented defaults", "[load][layout]") {
  model::Diagnostics diagnostics;
  model::Layout layout = load::load_layout_from("name: plain\n", "layouts/plain.yaml", diagnostics);
  CHECK(messages(diagnostics).empty());
  CHECK(layout.name == "plain");
  CHECK(layout.page_width == Approx(595.28));
  CHECK(layout.fonts.mono.family == "JetBrains Mono");
}

TEST_CASE("lengths, page sizes and colours are converted", "[load][layout]") {
  model::Diagnostics diagnostics;
  model::Layout layout = load::load_layout_from(
      "page:\n  size: Letter\n  margins: {inner: 1in, outer: 20mm}\n"
      "colors:\n  text: \"#ff8000\"\n  tokens:\n    keyword: {bold: false}\n",
      "x.yaml", diagnostics);
  CHECK(messages(diagnostics).empty());
  CHECK(layout.page_width == Approx(612.0));
  CHECK(layout.margin_inner == Approx(72.0));
  CHECK(layout.margin_outer == Approx(56.69).epsilon(0.001));
  CHECK(layout.colors.text.r == Approx(1.0));
  CHECK(layout.colors.text.g == Approx(128.0 / 255.0));
  CHECK_FALSE(layout.colors.tokens[static_cast<std::size_t>(model::HighlightTag::keyword)].bold);
}

TEST_CASE("bad layout values are located errors", "[load][layout]") {
  model::Diagnostics diagnostics;
  load::load_layout_from("page:\n  size: A3\n  margin: {}\ncolors: {text: red}\n", "l.yaml",
                         diagnostics);
  CHECK(messages(diagnostics) ==
        std::vector<std::string>{
            "l.yaml:2:9: error: unknown page size 'A3'\n"
            "  hint: use A4, Letter, A5, half-letter or custom (with width and height)",
            "l.yaml:3:3: error: unknown key 'margin' in page\n  hint: did you mean 'margins'?",
            "l.yaml:4:16: error: colour 'text' must be written as \"#rrggbb\""});
}

TEST_CASE("every shipped layout loads cleanly", "[load][layout]") {
  for (const char* name : {"default", "a4", "letter", "greyscale"}) {
    model::Diagnostics diagnostics;
    model::Layout layout =
        load::load_layout(load::layout_path(name, PREPKIT_SOURCE_DIR "/layouts"), diagnostics);
    INFO(name);
    CHECK(messages(diagnostics).empty());
    CHECK(layout.sizes.body == Approx(10.5));
  }
}
