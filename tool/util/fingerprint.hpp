// A digest of a build's inputs (files, folders, values), to tell cheaply and reliably
// whether anything changed since the last build. Not cryptographic: it guards against
// accidents, not attackers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace util {

class Fingerprint {
 public:
  // Adds a labelled value; labels keep "ab"+"c" apart from "a"+"bc".
  void add(std::string_view label, std::string_view value);
  // Adds the path and the bytes of a file; a missing or unreadable one adds a marker.
  void add_file(const std::string& path);
  // Adds the path, size and modification time of a file (for large system files: fonts,
  // dictionaries, the prepkit binary itself).
  void add_file_stat(const std::string& path);
  // Adds every regular file below `folder` (recursively, in path order) with its path
  // relative to the folder and its bytes, except the file at relative path `skip`; a
  // missing folder adds a marker.
  void add_tree(const std::string& folder, const std::string& skip = {});

  // 32 hexadecimal digits over everything added so far.
  [[nodiscard]] std::string hex() const;

 private:
  void mix(std::string_view bytes);
  std::uint64_t m_a = 0x243F6A8885A308D3ULL;  // two differently seeded lanes: 128 bits
  std::uint64_t m_b = 0x13198A2E03707344ULL;
  std::uint64_t m_length = 0;
};

}  // namespace util
