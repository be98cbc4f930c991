#include "util/visible_text.hpp"

#include <cstdio>

#include "util/utf8.hpp"

namespace util {
namespace {

// Code points that move the cursor, start terminal sequences or reorder the text shown.
bool is_hidden(char32_t code, bool keep_lines) {
  if (code < 0x20) {
    return !(keep_lines && (code == '\n' || code == '\t'));
  }
  return code == 0x7F || (code >= 0x80 && code < 0xA0) || code == 0x061C || code == 0x200E ||
         code == 0x200F || (code >= 0x202A && code <= 0x202E) || (code >= 0x2066 && code <= 0x2069);
}

void append_bytes(std::string& out, std::string_view bytes) {
  for (const char ch : bytes) {
    char escape[8];
    std::snprintf(escape, sizeof escape, "\\x%02x", static_cast<unsigned char>(ch));
    out += escape;
  }
}

}  // namespace

std::string visible_text(std::string_view text, bool keep_lines) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t pos = 0; pos < text.size();) {
    if (text[pos] >= 0x20 && text[pos] < 0x7F) {
      out += text[pos++];
      continue;
    }
    const std::size_t start = pos;
    const char32_t code = decode_utf8(text, pos);
    const std::string_view bytes = text.substr(start, pos - start);
    // Invalid, overlong or surrogate sequences (UTF-8 decodes them all the same way).
    const bool well_formed = to_utf8(code) == bytes && !(code >= 0xD800 && code < 0xE000);
    if (!well_formed || (bytes.size() == 1 && is_hidden(code, keep_lines))) {
      append_bytes(out, bytes);
    } else if (is_hidden(code, keep_lines)) {
      char name[16];
      std::snprintf(name, sizeof name, "<U+%04X>", static_cast<unsigned>(code));
      out += name;
    } else {
      out += bytes;
    }
  }
  return out;
}

}  // namespace util
