// Checks on the folders a command is given, made before anything is loaded, so that a
// mistyped folder is reported as such rather than through the errors it would cause.
#pragma once

#include <iosfwd>

#include "cli.hpp"

namespace commands {

// Reports a content folder that does not exist and returns exit_content_error; with -v
// prints the folders used. Returns exit_ok when the command may run.
int check_pack_folders(const prepkit::Options& options, std::ostream& err);

}  // namespace commands
