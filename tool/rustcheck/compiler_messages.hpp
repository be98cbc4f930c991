// Reading rustc's JSON diagnostics (directly or wrapped in cargo's messages) into short
// error summaries for prepkit's own diagnostics.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "rustcheck/json_value.hpp"

namespace rustcheck {

struct CompilerError {
  std::string code;       // "E0382", a lint name such as "static_mut_refs", or ""
  std::string message;    // "borrow of moved value: `s`"
  std::string line_text;  // the source line of the primary span, trimmed; "" if none
  std::string rendered;   // rustc's full human-readable text
};

// The error in one rustc diagnostic object; false for warnings, notes and the closing
// "aborting due to …" line.
bool read_compiler_error(const JsonValue& diagnostic, CompilerError& error);

// All errors in rustc --error-format=json output (one object per line; other lines skipped).
std::vector<CompilerError> parse_rustc_errors(std::string_view output);

// "error[E0382]: borrow of moved value: `s`, at `println!("{s}");`" (shortened when long).
std::string summarize(const CompilerError& error);

// The crate an error says could not be found ("unlinked crate `tokio`", "can't find crate
// for `foo`"), or "" when the error is about something else. std, core and alloc count as
// found: a #![no_std] example may fail on them on purpose.
std::string missing_crate(const CompilerError& error);

}  // namespace rustcheck
