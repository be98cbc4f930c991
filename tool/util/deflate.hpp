// Deflate compression (RFC 1951/1950) and CRC-32 for the Anki package's entries and the
// PDF's content streams, by libdeflate at its fastest level.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace util {

enum class DeflateFormat {
  raw,   // bare deflate data, as a zip entry stores it
  zlib,  // with zlib's header and Adler-32, as a PDF FlateDecode stream holds it
};

// `data` compressed at libdeflate's fastest level: about twice as fast as zlib's fastest,
// and a little smaller. nullopt when libdeflate fails (out of memory).
std::optional<std::string> deflate_fastest(std::string_view data, DeflateFormat format);

// The CRC-32 of zip and gzip (ISO 3309).
std::uint32_t crc32(std::string_view data);

}  // namespace util
