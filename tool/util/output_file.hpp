// A rendered output: where it goes (relative to the output folder) and its bytes.
#pragma once

#include <string>

namespace util {

struct OutputFile {
  std::string name;     // file name inside the output folder, e.g. "rust-interview-prep.pdf"
  std::string bytes;    // complete file content
  std::string summary;  // e.g. "142 pages" or "331 notes, 352 cards", for the CLI's summary line
};

}  // namespace util
