// `prepkit watch`: builds, then builds again each time a file of the pack is saved
// (inotify on the content and layouts folders), printing the summary lines or the errors.
// A failed build writes nothing, so the last good outputs stay; an unchanged save is
// answered from the build record without rendering.
#pragma once

#include <iosfwd>

#include "cli.hpp"

namespace commands {

// Runs until interrupted (or until its folders disappear); returns the exit code.
int watch(const prepkit::Options& options, std::ostream& out, std::ostream& err);

}  // namespace commands
