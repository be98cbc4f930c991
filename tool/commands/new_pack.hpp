// `prepkit new DIR`: writes a small, complete starter pack (two topics using every element,
// an image, a layout extending a built-in one) that checks and builds as it is.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace commands {

struct StarterFile {
  std::string path;  // relative to the pack folder
  std::string bytes;
};

// The languages the starter has examples for ("c", "cpp", "go", …).
std::vector<std::string> starter_languages();

// The starter pack's files for a pack folder called `folder_name`, with code examples in
// `language` (one of starter_languages()). Its YAML files name the JSON Schemas in
// schema/ (see commands/schema.hpp) for editors.
std::vector<StarterFile> starter_pack(const std::string& folder_name, const std::string& language);

struct Verbosity {
  bool quiet = false;    // -q: print nothing on success
  bool verbose = false;  // -v: also name every file written
};

// Writes the starter into `folder` (which must not exist or be empty); returns the exit code.
int new_pack(const std::string& folder, const std::string& language, const Verbosity& verbosity,
             std::ostream& out, std::ostream& err);

}  // namespace commands
