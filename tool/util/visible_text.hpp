// Text from content made safe to print on a terminal.
#pragma once

#include <string>
#include <string_view>

namespace util {

// `text` with control characters (C0 but line breaks and tabs when `keep_lines`, DEL) and
// bytes that are not UTF-8 shown as "\x1b", C1 controls and bidirectional overrides,
// isolates and marks as "<U+202E>"; all else stays as it is.
std::string visible_text(std::string_view text, bool keep_lines = true);

}  // namespace util
