#include "util/json_writer.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>
#include <system_error>

namespace util {
namespace {

void write_value(const JsonValue& value, std::string& out);

void write_number(double number, std::string& out) {
  if (!std::isfinite(number)) {
    throw std::invalid_argument("JSON cannot represent a non-finite number");
  }
  // std::to_chars is locale-independent and gives the shortest text that reads back exactly.
  char buffer[64];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, number);
  if (error != std::errc{}) {
    throw std::invalid_argument("cannot format a JSON number");
  }
  out.append(buffer, end);
}

void write_integer(std::int64_t number, std::string& out) {
  char buffer[32];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, number);
  (void)error;  // 32 bytes always hold an int64
  out.append(buffer, end);
}

void write_string(const std::string& text, std::string& out) {
  static constexpr char digits[] = "0123456789abcdef";
  out += '"';
  for (const char ch : text) {
    const auto byte = static_cast<unsigned char>(ch);
    switch (ch) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (byte < 0x20 || byte == 0x7F) {
          out += "\\u00";
          out += digits[byte >> 4U];
          out += digits[byte & 0x0FU];
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

void write_object(const JsonObject& object, std::string& out) {
  std::vector<const std::pair<std::string, JsonValue>*> members;
  members.reserve(object.size());
  for (const auto& member : object) {
    members.push_back(&member);
  }
  std::sort(members.begin(), members.end(),
            [](const auto* a, const auto* b) { return a->first < b->first; });
  out += '{';
  for (std::size_t i = 0; i < members.size(); ++i) {
    if (i > 0) {
      if (members[i - 1]->first == members[i]->first) {
        throw std::invalid_argument("duplicate JSON object key \"" + members[i]->first + "\"");
      }
      out += ',';
    }
    write_string(members[i]->first, out);
    out += ':';
    write_value(members[i]->second, out);
  }
  out += '}';
}

void write_value(const JsonValue& value, std::string& out) {
  std::visit(
      [&out](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::nullptr_t>) {
          out += "null";
        } else if constexpr (std::is_same_v<T, bool>) {
          out += v ? "true" : "false";
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          write_integer(v, out);
        } else if constexpr (std::is_same_v<T, double>) {
          write_number(v, out);
        } else if constexpr (std::is_same_v<T, std::string>) {
          write_string(v, out);
        } else if constexpr (std::is_same_v<T, JsonArray>) {
          out += '[';
          for (std::size_t i = 0; i < v.size(); ++i) {
            if (i > 0) {
              out += ',';
            }
            write_value(v[i], out);
          }
          out += ']';
        } else {
          write_object(v, out);
        }
      },
      value.variant());
}

}  // namespace

std::string write_json(const JsonValue& value) {
  std::string out;
  write_value(value, out);
  return out;
}

std::string json_quote(const std::string& text) {
  std::string out;
  write_string(text, out);
  return out;
}

}  // namespace util
