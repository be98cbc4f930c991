// SHA-1 / SHA-256 against the published FIPS 180 test vectors and padding boundaries.
#include <catch2/catch.hpp>

#include <string>

#include "util/sha.hpp"

TEST_CASE("SHA-1 matches the FIPS 180 test vectors", "[util][anki]") {
  CHECK(util::sha1_hex("abc") == "a9993e364706816aba3e25717850c26c9cd0d89d");
  CHECK(util::sha1_hex("") == "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  CHECK(util::sha1_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
  CHECK(util::sha1_hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnop"
                       "jklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu") ==
        "a49b2446a02c645bf419f995b67091253a04a259");
  CHECK(util::sha1_hex(std::string(1000000, 'a')) == "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

TEST_CASE("SHA-256 matches the FIPS 180 test vectors", "[util][anki]") {
  CHECK(util::sha256_hex("abc") ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(util::sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(util::sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(util::sha256_hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmn"
                         "opjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu") ==
        "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  CHECK(util::sha256_hex(std::string(1000000, 'a')) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("SHA padding boundaries and UTF-8 input", "[util][anki]") {
  // 55 bytes fit one block with the length; 56 and 64 need a second block.
  CHECK(util::sha1_hex(std::string(55, 'a')) == "c1c8bbdc22796e28c0e15163d20899b65621d65a");
  CHECK(util::sha1_hex(std::string(56, 'a')) == "c2db330f6083854c99d4b5bfb6e8f29f201be699");
  CHECK(util::sha1_hex(std::string(64, 'a')) == "0098ba824b5c16427bd7a1122a5a442a25ec644d");
  CHECK(util::sha256_hex(std::string(55, 'a')) ==
        "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
  CHECK(util::sha256_hex(std::string(56, 'a')) ==
        "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
  CHECK(util::sha256_hex(std::string(64, 'a')) ==
        "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
  CHECK(util::sha1_hex("Booklet §1.2") == "0172f4dc9ca47fe19cb5d69d0aac3838f495f5a1");
  CHECK(util::sha256_hex("Booklet §1.2") ==
        "a0f759da52670f87e703ec9c2be63ee43ede224b8d158dddb58a5280363516ce");
}

TEST_CASE("SHA-256 prefixes of a digest", "[util][anki]") {
  CHECK(util::sha256_hex("abc", 16) == "ba7816bf8f01cfea");
  CHECK(util::sha256_hex("abc", 9) == "ba7816bf8");
  CHECK(util::sha256_hex("abc", 0).empty());
  CHECK(util::sha256_hex("abc", 100) == util::sha256_hex("abc"));
}
