// Fuzzes the content loader (libyaml tree, MapReader, topic/card validation, Markdown) via
// load::load_content_from. The input is one topic file, topics/alpha.yaml, of a fixed book;
// or, when it contains a line "%%%%", a book.yaml followed by topic files t1.yaml, t2.yaml, …
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/fuzz_support.hpp"
#include "load/load_content.hpp"
#include "model/diagnostics.hpp"

namespace {

const char* const fixed_book = R"(title: Fuzz
slug: fuzz
deck: Fuzz
areas:
  - id: core
    title: Core
    topics: [alpha]
)";

}  // namespace

PREPKIT_FUZZ_TARGET(fuzz_load_content) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  load::ContentFiles files;
  files.content_dir = "/nonexistent/prepkit-fuzz/content";
  constexpr std::string_view separator = "\n%%%%\n";
  std::size_t split = input.find(separator);
  if (split == std::string_view::npos) {
    files.book_yaml = fixed_book;
    files.topic_files.emplace_back("alpha.yaml", std::string(input));
  } else {
    files.book_yaml = std::string(input.substr(0, split));
    std::size_t start = split + separator.size();
    int number = 0;
    while (start <= input.size()) {
      std::size_t end = input.find(separator, start);
      std::string_view part =
          input.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
      files.topic_files.emplace_back("t" + std::to_string(++number) + ".yaml", std::string(part));
      if (end == std::string_view::npos) {
        break;
      }
      start = end + separator.size();
    }
  }
  model::Diagnostics diagnostics;
  model::Document document = load::load_content_from(files, diagnostics);
  for (const model::Diagnostic& diagnostic : diagnostics.all()) {
    fuzz::require(!diagnostic.message.empty(), "an empty diagnostic");
    fuzz::require(!diagnostic.where.file.empty(), "a diagnostic without a file");
    (void)model::format_diagnostic(diagnostic);
  }
  (void)diagnostics.sorted();
  return 0;
}
