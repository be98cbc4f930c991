// Content folder (book.yaml + topics/*.yaml) → validated model::Document.
#pragma once

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "model/diagnostics.hpp"
#include "model/document.hpp"

namespace load {

// Reads and validates the whole content folder. Every problem is reported to
// `diagnostics` (all of them, in one run); the document is only meaningful when no error
// was reported.
model::Document load_content(const std::string& content_dir, model::Diagnostics& diagnostics);

// The layout book.yaml names ("" when it names none or cannot be read), read ahead of
// loading: lets the driver start on the layout's fonts meanwhile. Reports nothing;
// load_content reports any problem with the file.
std::string book_layout_name(const std::string& content_dir);

// Same, from in-memory files (for tests): `book_yaml` and topic files by file name.
struct ContentFiles {
  std::string content_dir = "content";
  std::string book_yaml;
  std::vector<std::pair<std::string, std::string>> topic_files;  // "x.yaml" → text
  std::set<std::string> unreadable;  // topic ids whose file exists but could not be read
};
model::Document load_content_from(const ContentFiles& files, model::Diagnostics& diagnostics);

}  // namespace load
