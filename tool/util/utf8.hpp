// UTF-8 decoding and encoding (font coverage, per-character fallback, JSON escapes).
// Invalid bytes decode to U+FFFD so that callers never loop forever on bad input.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace util {

inline constexpr char32_t replacement_character = 0xFFFD;

// Decodes the code point starting at `pos` and advances `pos` past it.
inline char32_t decode_utf8(std::string_view text, std::size_t& pos) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(pos);
  if (lead < 0x80) {
    ++pos;
    return lead;
  }
  std::size_t length = 0;
  char32_t code = 0;
  if ((lead & 0xE0U) == 0xC0U) {
    length = 2;
    code = lead & 0x1FU;
  } else if ((lead & 0xF0U) == 0xE0U) {
    length = 3;
    code = lead & 0x0FU;
  } else if ((lead & 0xF8U) == 0xF0U) {
    length = 4;
    code = lead & 0x07U;
  } else {
    ++pos;
    return replacement_character;
  }
  if (pos + length > text.size()) {
    ++pos;
    return replacement_character;
  }
  for (std::size_t i = 1; i < length; ++i) {
    const unsigned char next = byte(pos + i);
    if ((next & 0xC0U) != 0x80U) {
      ++pos;
      return replacement_character;
    }
    code = (code << 6U) | (next & 0x3FU);
  }
  pos += length;
  return code;
}

inline void append_utf8(std::string& out, char32_t code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0U | (code >> 6U));
    out += static_cast<char>(0x80U | (code & 0x3FU));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0U | (code >> 12U));
    out += static_cast<char>(0x80U | ((code >> 6U) & 0x3FU));
    out += static_cast<char>(0x80U | (code & 0x3FU));
  } else {
    out += static_cast<char>(0xF0U | (code >> 18U));
    out += static_cast<char>(0x80U | ((code >> 12U) & 0x3FU));
    out += static_cast<char>(0x80U | ((code >> 6U) & 0x3FU));
    out += static_cast<char>(0x80U | (code & 0x3FU));
  }
}

inline std::string to_utf8(char32_t code) {
  std::string out;
  append_utf8(out, code);
  return out;
}

inline std::u32string decode_all(std::string_view text) {
  std::u32string out;
  for (std::size_t pos = 0; pos < text.size();) {
    out += decode_utf8(text, pos);
  }
  return out;
}

}  // namespace util
