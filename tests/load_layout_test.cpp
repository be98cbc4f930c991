#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "load/builtin_layouts.hpp"
#include "load/load_layout.hpp"
#include "support.hpp"

namespace {

std::vector<std::string> messages(const model::Diagnostics& diagnostics) {
  std::vector<std::string> out = test_support::formatted(diagnostics);
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

TEST_CASE("topic_start is auto or new_page, auto by default", "[load][layout]") {
  model::Diagnostics diagnostics;
  CHECK(load::load_layout_from("name: plain\n", "p.yaml", diagnostics).topic_start ==
        model::TopicStart::automatic);
  CHECK(load::load_layout_from("typography: {topic_start: new_page}\n", "p.yaml", diagnostics)
            .topic_start == model::TopicStart::new_page);
  CHECK(load::load_layout_from("typography: {topic_start: auto}\n", "p.yaml", diagnostics)
            .topic_start == model::TopicStart::automatic);
  CHECK(messages(diagnostics).empty());
  load::load_layout_from("typography:\n  topic_start: odd_page\n", "p.yaml", diagnostics);
  load::load_layout_from("typography:\n  topic_start: [auto]\n", "q.yaml", diagnostics);
  CHECK(messages(diagnostics) ==
        std::vector<std::string>{
            "p.yaml:2:16: error: unknown topic_start 'odd_page'\n"
            "  hint: use auto (a topic continues on the page when there is room) or new_page "
            "(every topic starts a page)",
            "q.yaml:2:16: error: 'topic_start' in typography must be a string, not a list"});
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

TEST_CASE("the built-in layouts are the shipped files, found without a layouts folder",
          "[load][layout]") {
  const std::vector<std::string> names = {"a4",        "a5-booklet",          "default",
                                          "greyscale", "half-letter-booklet", "letter"};
  std::vector<std::string> built_in;
  for (const load::BuiltinLayout& layout : load::builtin_layouts()) {
    built_in.emplace_back(layout.name);
    std::ifstream file(PREPKIT_SOURCE_DIR "/layouts/" + std::string(layout.name) + ".yaml");
    const std::string text((std::istreambuf_iterator<char>(file)),
                           std::istreambuf_iterator<char>());
    CHECK(text == layout.yaml);
  }
  CHECK(built_in == names);
  for (const std::string& name : names) {
    INFO(name);
    const std::string path = load::layout_path(name, "/nonexistent/layouts");
    CHECK(path == "<built-in>/" + name + ".yaml");
    model::Diagnostics diagnostics;
    model::Layout layout = load::load_layout(path, diagnostics);
    CHECK(messages(diagnostics).empty());
  }
  model::Diagnostics diagnostics;
  CHECK(load::load_layout(load::layout_path("letter", "/nonexistent"), diagnostics).page_width ==
        Approx(612.0));
}

TEST_CASE("a pack's layouts extend or override the built-in ones", "[load][layout]") {
  const std::filesystem::path folder =
      std::filesystem::temp_directory_path() / ("prepkit-layouts-" + std::to_string(::getpid()));
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder);
  std::ofstream(folder / "mine.yaml")
      << "extends: letter\nname: mine\ncolors: {accent: \"#008080\"}\n";
  // A pack's own letter.yaml replaces the built-in one and may extend it.
  std::ofstream(folder / "letter.yaml")
      << "extends: letter\nname: my-letter\nsizes: {body: 11pt}\n";
  std::ofstream(folder / "broken.yaml") << "extends: leter\n";

  model::Diagnostics diagnostics;
  model::Layout mine = load::load_layout(load::layout_path("mine", folder.string()), diagnostics);
  CHECK(messages(diagnostics).empty());
  CHECK(mine.name == "mine");
  CHECK(mine.page_width == Approx(612.0));  // from the built-in letter, through letter.yaml
  CHECK(mine.sizes.body == Approx(11.0));   // from the pack's letter.yaml
  CHECK(mine.colors.accent.g == Approx(128.0 / 255.0));

  model::Layout letter =
      load::load_layout(load::layout_path("letter", folder.string()), diagnostics);
  CHECK(messages(diagnostics).empty());
  CHECK(letter.name == "my-letter");
  CHECK(load::layout_path("a4", folder.string()) == "<built-in>/a4.yaml");

  load::load_layout(load::layout_path("broken", folder.string()), diagnostics);
  CHECK(messages(diagnostics) ==
        std::vector<std::string>{folder.string() +
                                 "/broken.yaml:1:10: error: cannot read layout 'leter' (" +
                                 folder.string() +
                                 "/leter.yaml): No such file or directory\n  hint: did you mean "
                                 "'letter'?"});
  std::filesystem::remove_all(folder);
}
