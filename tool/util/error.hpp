// The one exception type: environment failures (I/O, missing font, library error).
// Content problems are Diagnostics, never exceptions. Caught only in main.
#pragma once

#include <stdexcept>
#include <string>

namespace util {

class ToolError : public std::runtime_error {
 public:
  explicit ToolError(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace util
