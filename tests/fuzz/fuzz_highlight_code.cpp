// Fuzzes text::highlight_code (GNU source-highlight's definitions, and our fallbacks): byte
// 0 picks the language, the rest is the source. The tokens of each line must give the line
// back (tabs expanded to the next multiple of 4 columns, carriage returns dropped), and no
// token may hold a newline.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/fuzz_support.hpp"
#include "fuzz/highlight_check.hpp"
#include "text/highlight_code.hpp"

PREPKIT_FUZZ_TARGET(fuzz_highlight_code) {
  static constexpr std::array<std::string_view, 14> languages = {
      "sql",        "go", "c",    "cpp",  "python", "java", "javascript",
      "typescript", "sh", "toml", "yaml", "json",   "text", "no-such-language"};
  if (size == 0) {
    return 0;
  }
  const std::string_view language = languages[data[0] % languages.size()];
  std::string_view source(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::vector<text::TokenLine> lines = text::highlight_code(language, source);

  fuzz::require_source_back(source, lines);
  return 0;
}
