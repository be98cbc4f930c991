// Reading files and listing folders with std::filesystem; no knowledge of content.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace util {

// The whole file, or nullopt with `error` set to the reason ("No such file or directory").
std::optional<std::string> read_file(const std::string& path, std::string& error);

// Names of regular files in `folder` ending in `suffix`, sorted by name; empty if none.
std::vector<std::string> list_files(const std::string& folder, const std::string& suffix);

}  // namespace util
