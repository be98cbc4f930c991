// A small JSON reader for the machine-readable messages of cargo and rustc
// (--message-format=json, --error-format=json): one value per line.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rustcheck {

struct JsonValue {
  enum class Kind { null, boolean, number, string, array, object };
  Kind kind = Kind::null;
  bool boolean = false;
  double number = 0;
  std::string string;
  std::vector<JsonValue> array;
  std::vector<std::pair<std::string, JsonValue>> object;  // in document order

  // The member `key` of an object, or nullptr (also when this is not an object).
  [[nodiscard]] const JsonValue* get(std::string_view key) const;
  // The string member `key`, or "" when it is missing or not a string.
  [[nodiscard]] std::string text(std::string_view key) const;
};

// Parses one complete JSON text; nullopt when it is not valid JSON.
std::optional<JsonValue> parse_json(std::string_view text);

}  // namespace rustcheck
