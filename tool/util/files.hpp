// Reading files and listing folders; no knowledge of content.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace util {

// What kind of input a file is, and the most bytes such a file may have.
struct InputLimit {
  const char* kind;  // for the message: "a YAML file", "the lock", …
  std::size_t max_bytes;
};

inline constexpr std::size_t mebibyte = 1024U * 1024U;
inline constexpr InputLimit any_input{"an input file", 64 * mebibyte};

// The whole file, or nullopt with `error` set to the reason ("No such file or directory",
// "is a FIFO, not a regular file", "too large (…; the limit for … is 4 MB)"). Only a regular
// file (after symbolic links) of at most `limit.max_bytes` is read: that is checked before
// reading, and the file is opened without blocking, so a FIFO, a device or a huge file is
// refused without waiting for it or reading it.
std::optional<std::string> read_file(const std::string& path, std::string& error,
                                     const InputLimit& limit = any_input);

// "4 MB", "512 KB" or "300 bytes": a size for messages.
std::string size_in_words(std::size_t bytes);

// Names of regular files in `folder` ending in `suffix`, sorted by name; empty if none.
std::vector<std::string> list_files(const std::string& folder, const std::string& suffix);

}  // namespace util
