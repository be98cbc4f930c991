// Diagnostics for a terminal: "file:line:col: error: …" lines in colour, each followed by
// its source line and a caret under the column, as compilers do. Used only when stderr is
// a terminal and NO_COLOR is unset; otherwise the plain text goes out unchanged.
#pragma once

#include <string>

namespace commands {

// True when stderr is a terminal and the NO_COLOR convention does not forbid colour.
bool stderr_wants_color();

// `plain` (what the pipeline wrote to stderr) with colours, source lines and carets.
std::string colored_report(const std::string& plain);

}  // namespace commands
