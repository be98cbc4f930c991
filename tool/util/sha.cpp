#include "util/sha.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <memory>

#include "util/error.hpp"

// OpenSSL's libcrypto, the only user of it: a well-kept implementation, several times faster
// than a portable one (hashing note contents was a fifth of building a deck).
namespace util {

namespace {

const EVP_MD* fetch(const char* algorithm) {
  const EVP_MD* md = EVP_MD_fetch(nullptr, algorithm, nullptr);
  if (md == nullptr) {
    throw ToolError(std::string("OpenSSL has no ") + algorithm);
  }
  return md;
}

template <typename Digest>
Digest digest_with(const EVP_MD* md, std::string_view data) {
  const std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> context(EVP_MD_CTX_new(),
                                                                   &EVP_MD_CTX_free);
  Digest digest{};
  if (context == nullptr || EVP_DigestInit_ex2(context.get(), md, nullptr) != 1 ||
      EVP_DigestUpdate(context.get(), data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(context.get(), digest.data(), nullptr) != 1) {
    throw ToolError("OpenSSL could not compute a digest");
  }
  return digest;
}

}  // namespace

// The algorithms are fetched once: the one-shot SHA1()/SHA256() look them up again on every
// call, which cost more than hashing a card's text.
Sha1Digest sha1(std::string_view data) {
  static const EVP_MD* const md = fetch("SHA1");
  return digest_with<Sha1Digest>(md, data);
}

Sha256Digest sha256(std::string_view data) {
  static const EVP_MD* const md = fetch("SHA256");
  return digest_with<Sha256Digest>(md, data);
}

namespace {

// The first `count` hex digits of `bytes`, written into a string of that size.
std::string hex_digits(const std::uint8_t* bytes, std::size_t count) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string text(count, '0');
  for (std::size_t i = 0; i < count; ++i) {
    const std::uint8_t byte = bytes[i / 2];
    text[i] = digits[i % 2 == 0 ? byte >> 4U : byte & 0x0FU];
  }
  return text;
}

}  // namespace

std::string to_hex(const std::uint8_t* bytes, std::size_t size) {
  return hex_digits(bytes, size * 2);
}

std::string sha1_hex(std::string_view data) {
  const Sha1Digest digest = sha1(data);
  return to_hex(digest.data(), digest.size());
}

std::string sha256_hex(std::string_view data, std::size_t digits) {
  const Sha256Digest digest = sha256(data);
  return hex_digits(digest.data(), std::min(digits, digest.size() * 2));
}

}  // namespace util
