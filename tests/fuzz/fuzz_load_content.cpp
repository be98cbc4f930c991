// Fuzzes the content loader (libyaml tree, MapReader, topic/card validation, Markdown) via
// load::load_content_from. The input is one topic file, topics/alpha.yaml, of a fixed book;
// or, when it contains a line "%%%%", a book.yaml followed by topic files t1.yaml, t2.yaml, …
// The whole input is also parsed as one YAML file, whose tree's marks are checked.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/fuzz_support.hpp"
#include "load/load_content.hpp"
#include "load/yaml_tree.hpp"
#include "model/diagnostics.hpp"

namespace {

// Every node of the located tree is marked inside the text, on the first byte of a
// character (columns count bytes); a quoted or block scalar's mark is its quote, block
// indicator or tag. `lines` are the text's '\n'-separated lines.
void check_marks(const load::YamlNode& node, const std::vector<std::string_view>& lines) {
  const auto line = static_cast<std::size_t>(node.where.line);
  const auto column = static_cast<std::size_t>(node.where.column);
  fuzz::require(line >= 1 && line <= lines.size() + 1, "a YAML node's line is outside the file");
  const std::string_view text = line <= lines.size() ? lines[line - 1] : std::string_view();
  fuzz::require(column >= 1 && column <= text.size() + 1, "a YAML node's column is past its line");
  const char first = column <= text.size() ? text[column - 1] : '\0';
  fuzz::require((static_cast<unsigned char>(first) & 0xC0U) != 0x80U,
                "a YAML node's column is inside a UTF-8 character");
  if (node.quoted_or_block) {
    fuzz::require(std::string_view("\"'|>!").find(first) != std::string_view::npos,
                  "a quoted or block scalar is not marked at its quote or indicator");
  }
  for (const load::YamlNode& item : node.items) {
    check_marks(item, lines);
  }
  for (const load::YamlEntry& entry : node.entries) {
    check_marks(entry.key, lines);
    check_marks(entry.value, lines);
  }
}

// The located tree of the whole input as one file (without '\r' or a BOM, whose line and
// column rules check_marks does not repeat).
void check_yaml_tree(std::string_view input) {
  if (input.find('\r') != std::string_view::npos || input.starts_with("\xEF\xBB\xBF")) {
    return;
  }
  model::Diagnostics diagnostics;
  const std::optional<load::YamlNode> root =
      load::parse_yaml(std::string(input), "fuzz.yaml", diagnostics);
  if (!root) {
    return;
  }
  std::vector<std::string_view> lines;
  for (std::size_t start = 0; start < input.size();) {
    const std::size_t end = std::min(input.find('\n', start), input.size());
    lines.push_back(input.substr(start, end - start));
    start = end + 1;
  }
  check_marks(*root, lines);
}

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
  check_yaml_tree(input);
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
