// The whole pipeline in one function: load → validate → render → write atomically.
#pragma once

#include <iosfwd>

#include "cli.hpp"

namespace prepkit {

// Runs `build` or `check` as `options` say; reports to `out` (summaries) and `err`
// (diagnostics, environment errors); returns the process exit code.
int run(const Options& options, std::ostream& out, std::ostream& err);

}  // namespace prepkit
