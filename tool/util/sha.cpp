#include "util/sha.hpp"

#include <openssl/sha.h>

// OpenSSL's libcrypto, the only user of it: a well-kept implementation, several times faster
// than a portable one (hashing note contents was a fifth of building a deck).
namespace util {

Sha1Digest sha1(std::string_view data) {
  Sha1Digest digest{};
  SHA1(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest.data());
  return digest;
}

Sha256Digest sha256(std::string_view data) {
  Sha256Digest digest{};
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest.data());
  return digest;
}

std::string to_hex(const std::uint8_t* bytes, std::size_t size) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string text;
  text.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    text += digits[bytes[i] >> 4U];
    text += digits[bytes[i] & 0x0FU];
  }
  return text;
}

std::string sha1_hex(std::string_view data) {
  const Sha1Digest digest = sha1(data);
  return to_hex(digest.data(), digest.size());
}

std::string sha256_hex(std::string_view data) {
  const Sha256Digest digest = sha256(data);
  return to_hex(digest.data(), digest.size());
}

}  // namespace util
