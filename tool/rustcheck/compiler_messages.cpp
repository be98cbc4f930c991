#include "rustcheck/compiler_messages.hpp"

#include <array>

namespace rustcheck {

namespace {

constexpr std::size_t k_max_line_text = 60;
constexpr std::size_t k_max_message = 160;

std::string trim(std::string_view text) {
  std::size_t start = text.find_first_not_of(" \t");
  if (start == std::string_view::npos) {
    return "";
  }
  std::size_t end = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(start, end - start + 1));
}

// Cuts `text` to at most `limit` bytes at a UTF-8 boundary, marking the cut with "…".
std::string shorten(std::string text, std::size_t limit) {
  if (text.size() <= limit) {
    return text;
  }
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0U) == 0x80U) {
    --cut;
  }
  return text.substr(0, cut) + "…";
}

std::string primary_line_text(const JsonValue& diagnostic) {
  const JsonValue* spans = diagnostic.get("spans");
  if (spans == nullptr) {
    return "";
  }
  for (const JsonValue& span : spans->array) {
    const JsonValue* primary = span.get("is_primary");
    if (primary == nullptr || !primary->boolean) {
      continue;
    }
    const JsonValue* lines = span.get("text");
    if (lines != nullptr && !lines->array.empty()) {
      return trim(lines->array.front().text("text"));
    }
  }
  return "";
}

}  // namespace

bool read_compiler_error(const JsonValue& diagnostic, CompilerError& error) {
  if (diagnostic.text("level") != "error") {
    return false;
  }
  std::string message = diagnostic.text("message");
  if (message.rfind("aborting due to", 0) == 0) {
    return false;
  }
  error = CompilerError{};
  error.message = message;
  if (const JsonValue* code = diagnostic.get("code"); code != nullptr) {
    error.code = code->text("code");
  }
  error.line_text = primary_line_text(diagnostic);
  error.rendered = diagnostic.text("rendered");
  return true;
}

std::vector<CompilerError> parse_rustc_errors(std::string_view output) {
  std::vector<CompilerError> errors;
  std::size_t start = 0;
  while (start < output.size()) {
    std::size_t end = output.find('\n', start);
    if (end == std::string_view::npos) {
      end = output.size();
    }
    std::string_view line = output.substr(start, end - start);
    start = end + 1;
    if (line.empty() || line.front() != '{') {
      continue;
    }
    std::optional<JsonValue> value = parse_json(line);
    CompilerError error;
    if (value && read_compiler_error(*value, error)) {
      errors.push_back(std::move(error));
    }
  }
  return errors;
}

std::string summarize(const CompilerError& error) {
  bool has_error_code = error.code.size() == 5 && error.code[0] == 'E';
  std::string text = has_error_code ? "error[" + error.code + "]: " : "error: ";
  text += shorten(error.message, k_max_message);
  if (!error.line_text.empty()) {
    text += ", at `" + shorten(error.line_text, k_max_line_text) + "`";
  }
  return text;
}

std::string missing_crate(const CompilerError& error) {
  static const std::array<std::string_view, 3> markers = {
      "unlinked crate `", "can't find crate for `", "missing a crate named `"};
  const std::string& text = error.rendered.empty() ? error.message : error.rendered;
  for (std::string_view marker : markers) {
    std::size_t pos = text.find(marker);
    while (pos != std::string::npos) {
      std::size_t start = pos + marker.size();
      std::size_t end = text.find('`', start);
      if (end == std::string::npos) {
        break;
      }
      std::string name = text.substr(start, end - start);
      if (name != "std" && name != "core" && name != "alloc") {
        return name;
      }
      pos = text.find(marker, end);
    }
  }
  return "";
}

}  // namespace rustcheck
