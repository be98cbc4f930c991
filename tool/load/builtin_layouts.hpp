// The shipped layouts (layouts/*.yaml), compiled into the binary by
// cmake/embed_layouts.cmake, so that every pack can name them (`--layout letter`,
// `extends: letter`) without a layouts/ folder of its own.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace load {

struct BuiltinLayout {
  std::string_view name;  // "letter"
  std::string_view yaml;  // the file's text
};

// Every built-in layout, sorted by name.
std::span<const BuiltinLayout> builtin_layouts();

// The pseudo path naming a built-in layout in diagnostics and build records:
// "<built-in>/letter.yaml".
inline constexpr std::string_view builtin_folder = "<built-in>";
std::string builtin_layout_path(std::string_view name);

// The text of the built-in layout at `path` (a builtin_layout_path), else nullopt.
std::optional<std::string_view> builtin_layout_text(std::string_view path);

}  // namespace load
