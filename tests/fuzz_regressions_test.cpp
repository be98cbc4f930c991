// Replays every input a fuzz target once failed on (tests/fuzz/regressions/<target>/),
// through the very same harness code, in the normal (and the sanitizer) test suite.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "support.hpp"

#define PREPKIT_FUZZ_REPLAY 1
#include "fuzz/fuzz_card_html.cpp"
#include "fuzz/fuzz_highlight_code.cpp"
#include "fuzz/fuzz_highlight_rust.cpp"
#include "fuzz/fuzz_image.cpp"
#include "fuzz/fuzz_layout.cpp"
#include "fuzz/fuzz_line_breaking.cpp"
#include "fuzz/fuzz_load_content.cpp"
#include "fuzz/fuzz_lock.cpp"
#include "fuzz/fuzz_markdown.cpp"

namespace {

using Target = int (*)(const std::uint8_t*, std::size_t);

std::size_t replay(const std::string& name, Target target) {
  const std::filesystem::path folder =
      std::filesystem::path(PREPKIT_TESTS_DIR) / "fuzz" / "regressions" / name;
  std::size_t count = 0;
  if (!std::filesystem::exists(folder)) {
    return count;
  }
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    const std::string bytes = test_support::read_bytes(entry.path());
    INFO(entry.path().string());
    CHECK_NOTHROW(target(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
    ++count;
  }
  return count;
}

}  // namespace

TEST_CASE("inputs that once broke a fuzz target now pass its checks", "[fuzz]") {
  std::size_t count =
      replay("highlight_rust", fuzz_highlight_rust) + replay("markdown", fuzz_markdown) +
      replay("load_content", fuzz_load_content) + replay("line_breaking", fuzz_line_breaking) +
      replay("highlight_code", fuzz_highlight_code) + replay("image", fuzz_image) +
      replay("card_html", fuzz_card_html) + replay("lock", fuzz_lock) + replay("layout", fuzz_layout);
  CHECK(count >= 2);
}

TEST_CASE("the fuzz harnesses accept ordinary input", "[fuzz]") {
  const std::string rust = "fn main() {\n\tlet s = r#\"raw\"#; // done\n}\n";
  CHECK_NOTHROW(
      fuzz_highlight_rust(reinterpret_cast<const std::uint8_t*>(rust.data()), rust.size()));
  const std::string cloze = std::string("\x01") + "Assigning {{c1::moves:: what}} it, `{{c2::x}}`.";
  CHECK_NOTHROW(fuzz_markdown(reinterpret_cast<const std::uint8_t*>(cloze.data()), cloze.size()));
  const std::string paragraph =
      std::string("\x90") + "A hyphenation candidate\x1Fstd::mem::swap\x1F here.";
  CHECK_NOTHROW(fuzz_line_breaking(reinterpret_cast<const std::uint8_t*>(paragraph.data()),
                                   paragraph.size()));
  for (const char* seed : {"rgba.png", "palette-transparent.png", "progressive.jpg"}) {
    const std::string image = test_support::read_bytes(std::filesystem::path(PREPKIT_TESTS_DIR) /
                                                       "fuzz" / "seeds" / "image" / seed);
    CHECK_NOTHROW(fuzz_image(reinterpret_cast<const std::uint8_t*>(image.data()), image.size()));
  }
}
