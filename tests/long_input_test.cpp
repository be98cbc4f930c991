// No input hangs: a pack of about 4 MB made of pathological runs (the longest word the
// loader allows in titles and prose, megabyte code lines, huge card fields, a cloze of
// hundreds of thousands of characters, each field a megabyte at most) builds with the flashcard
// layout, and longer words fail at once with a located error. A hang would run into the process
// time-out.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "model/diagnostics.hpp"
#include "support.hpp"
#include "text/markdown.hpp"

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

TEST_CASE("eighty thousand deletions in one cloze are each extracted", "[bad-input]") {
  std::string text;
  constexpr int count = 80'000;
  for (int i = 0; i < count; ++i) {
    text += "a `{{x}}` {{c" + std::to_string(i % 999 + 1) + "::w" + std::to_string(i) +
            (i == count - 1 ? ":: last hint" : "") + "}}\n";
  }
  model::Diagnostics diagnostics;
  text::MarkdownOptions options;
  options.origin = {"long.yaml", 4, 11};
  options.cloze = true;
  const model::Body body = text::parse_markdown(text, options, diagnostics);
  REQUIRE_FALSE(diagnostics.has_errors());
  REQUIRE(body.size() == 1);
  const auto& runs = std::get<model::Paragraph>(body.front().node).inlines;
  int deletions = 0;
  const model::Inline* last = nullptr;
  for (const model::Inline& run : runs) {
    if (run.cloze > 0) {
      ++deletions;
      last = &run;
    }
  }
  CHECK(deletions == count);
  REQUIRE(last != nullptr);
  CHECK(last->text == "w" + std::to_string(count - 1));
  CHECK(last->cloze == (count - 1) % 999 + 1);
  CHECK(last->cloze_hint == "last hint");
}

TEST_CASE("an unclosed deletion after many is reported at its line", "[bad-input]") {
  std::string text;
  for (int i = 0; i < 5000; ++i) {
    text += "{{c1::x}}\n";
  }
  text += "tail {{c2::open";
  model::Diagnostics diagnostics;
  text::MarkdownOptions options;
  options.origin = {"long.yaml", 4, 11};
  options.cloze = true;
  (void)text::parse_markdown(text, options, diagnostics);
  REQUIRE(diagnostics.all().size() == 1);
  CHECK(model::format_diagnostic(diagnostics.all()[0]) ==
        "long.yaml:5004:16: error: unclosed cloze deletion '{{c2::'\n"
        "  hint: end the deletion with }}");
}

TEST_CASE("a 100 KB title and a 3.9 MB word fail at once with located errors", "[e2e][bad-input]") {
  test_support::TempDir dir("long-title");
  const fs::path pack = dir.path() / "pack";
  test_support::run_prepkit({"new", pack.string(), "-q", "--lang", "sql"});
  std::string title;
  while (title.size() < 100'000) {
    title += " ownership";
  }
  title[0] = 'O';
  const fs::path topic = pack / "content/topics/next-steps.yaml";
  std::string yaml = test_support::read_bytes(topic);
  yaml.replace(yaml.find("title: Next steps"), 17, "title: " + title);
  std::ofstream(topic, std::ios::trunc) << yaml;
  std::ofstream(pack / "content/topics/first-steps.yaml", std::ios::app)
      << "  - id: one-word\n    kind: basic\n    front: F\n    back: "
      << std::string(3'900'000, 'w') << "\n";
  const util::ProcessResult refused = test_support::run_prepkit(
      {"build", pack.string(), "-q", "--layout", "a5-booklet", "--now", "1767225600"});
  CHECK(refused.exit_code == 1);
  CHECK(refused.err.find("next-steps.yaml:2:1: error: a title of 100000 characters is too long "
                         "(at most 300)\n") != std::string::npos);
  CHECK(refused.err.find("error: a word of 3900000 characters is too long to set (at most 1000)") !=
        std::string::npos);
  CHECK_FALSE(fs::exists(pack / "out"));
}

#if !defined(__SANITIZE_ADDRESS__)  // ASan reserves far more address space than any cap
TEST_CASE("running out of memory is a clean error that writes nothing", "[e2e][bad-input]") {
  test_support::TempDir dir("out-of-memory");
  const fs::path pack = dir.path() / "pack";
  test_support::run_prepkit({"new", pack.string(), "-q", "--lang", "sql"});
  std::ofstream topic(pack / "content/topics/next-steps.yaml", std::ios::app);
  topic << "  - id: many-deletions\n    kind: cloze\n    text: \"";
  for (int i = 0; i < 80'000; ++i) {
    topic << "{{c1::w" << i << "}} ";
  }
  topic << "\"\n";
  topic.close();
  bool found = false;
  const util::ProcessResult capped = test_support::run_tool(
      "prlimit",
      {"--as=150000000", PREPKIT_BINARY, "build", pack.string(), "-q", "--now", "1767225600"},
      found);
  if (!found) {
    test_support::missing_tool("prlimit");
    return;
  }
  CHECK(capped.exit_code == 3);
  CHECK(capped.err ==
        "error: out of memory; nothing was written\n"
        "  hint: the content is too large for the memory available\n");
  CHECK_FALSE(fs::exists(pack / "out"));
}
#endif
