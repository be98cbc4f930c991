// Deterministic JSON: a small value tree and one writer. Object keys come out sorted,
// integers and booleans keep their JSON types, numbers never depend on the locale.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace util {

class JsonValue;
using JsonArray = std::vector<JsonValue>;
// Insertion order does not matter: write_json sorts keys (byte order) and rejects duplicates.
using JsonObject = std::vector<std::pair<std::string, JsonValue>>;

class JsonValue {
 public:
  JsonValue() = default;  // null
  JsonValue(std::nullptr_t) {}
  JsonValue(bool value) : m_value(value) {}
  JsonValue(int value) : m_value(static_cast<std::int64_t>(value)) {}
  JsonValue(std::int64_t value) : m_value(value) {}
  JsonValue(double value) : m_value(value) {}
  JsonValue(std::string value) : m_value(std::move(value)) {}
  JsonValue(const char* value) : m_value(std::string(value)) {}
  JsonValue(JsonArray value) : m_value(std::move(value)) {}
  JsonValue(JsonObject value) : m_value(std::move(value)) {}

  using Variant =
      std::variant<std::nullptr_t, bool, std::int64_t, double, std::string, JsonArray, JsonObject>;
  [[nodiscard]] const Variant& variant() const { return m_value; }

 private:
  Variant m_value = nullptr;
};

// Compact JSON text (no spaces). Strings are UTF-8 and written as is, except '"', '\\' and
// control characters, which are escaped. Throws std::invalid_argument on a non-finite
// double or a duplicate object key (programming errors).
std::string write_json(const JsonValue& value);

// The JSON string literal of `text`, quotes included.
std::string json_quote(const std::string& text);

}  // namespace util
