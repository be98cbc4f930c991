// util::deflate_fastest and util::crc32 checked against zlib, an independent implementation:
// inflating the output must give the input back, and the CRC must equal zlib's.
#include <zlib.h>

#include <catch2/catch.hpp>

#include <string>

#include "util/deflate.hpp"

namespace {

// Inflates `deflated` with zlib: window bits -15 read bare deflate data, 15 a zlib stream.
std::string inflate_with_zlib(const std::string& deflated, int window_bits,
                              std::size_t expected_size) {
  z_stream stream{};
  REQUIRE(inflateInit2(&stream, window_bits) == Z_OK);
  std::string out(expected_size + 1, '\0');  // one spare byte: more output than expected shows
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(deflated.data()));
  stream.avail_in = static_cast<uInt>(deflated.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int status = inflate(&stream, Z_FINISH);
  inflateEnd(&stream);
  CHECK(status == Z_STREAM_END);
  CHECK(stream.avail_in == 0);  // nothing after the end of the stream
  out.resize(stream.total_out);
  return out;
}

std::string sample_text() {
  std::string text;
  for (int i = 0; i < 20000; ++i) {
    text += "note " + std::to_string(i * 7919 % 10007) + "\x1f<b>field</b> text\n";
  }
  return text;
}

}  // namespace

TEST_CASE("Raw deflate data inflates back to the input", "[util][anki]") {
  for (const std::string& input : {std::string(), std::string("{}"), sample_text()}) {
    const auto deflated = util::deflate_fastest(input, util::DeflateFormat::raw);
    REQUIRE(deflated.has_value());
    CHECK(inflate_with_zlib(*deflated, -15, input.size()) == input);
  }
  const std::string text = sample_text();
  CHECK(util::deflate_fastest(text, util::DeflateFormat::raw)->size() < text.size() / 4);
}

TEST_CASE("zlib-format deflate inflates back to the input", "[util][pdf]") {
  const std::string text = sample_text();
  const auto deflated = util::deflate_fastest(text, util::DeflateFormat::zlib);
  REQUIRE(deflated.has_value());
  CHECK(inflate_with_zlib(*deflated, 15, text.size()) == text);
  // A raw stream is no zlib stream: the header is what tells them apart.
  CHECK(*deflated != *util::deflate_fastest(text, util::DeflateFormat::raw));
}

TEST_CASE("CRC-32 equals zlib's and the check value of the standard", "[util][anki]") {
  CHECK(util::crc32("123456789") == 0xCBF43926U);
  CHECK(util::crc32("") == 0U);
  const std::string text = sample_text();
  CHECK(util::crc32(text) ==
        ::crc32(0, reinterpret_cast<const Bytef*>(text.data()), static_cast<uInt>(text.size())));
}
