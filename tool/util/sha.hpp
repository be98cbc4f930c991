// SHA-1 and SHA-256 of byte strings (FIPS 180-4), for checksums and stable identities.
// SHA-1 is here only because Anki's note checksum (csum) is defined with it.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace util {

using Sha1Digest = std::array<std::uint8_t, 20>;
using Sha256Digest = std::array<std::uint8_t, 32>;

Sha1Digest sha1(std::string_view data);
Sha256Digest sha256(std::string_view data);

// Lower-case hexadecimal digests; sha256_hex gives the first `digits` (at most 64) digits.
std::string sha1_hex(std::string_view data);
std::string sha256_hex(std::string_view data, std::size_t digits = 64);

// Lower-case hexadecimal text of any byte sequence.
std::string to_hex(const std::uint8_t* bytes, std::size_t size);

}  // namespace util
