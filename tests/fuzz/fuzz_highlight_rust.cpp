// Fuzzes text::highlight_rust: any bytes give lines whose tokens concatenate to the source
// lines (tabs expanded to the next multiple of 4 columns, carriage returns dropped), no
// token holds a newline, nothing else is dropped.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/fuzz_support.hpp"
#include "fuzz/highlight_check.hpp"
#include "text/highlight_rust.hpp"

PREPKIT_FUZZ_TARGET(fuzz_highlight_rust) {
  std::string_view source(reinterpret_cast<const char*>(data), size);
  std::vector<text::TokenLine> lines = text::highlight_rust(source);

  fuzz::require_source_back(source, lines);
  return 0;
}
