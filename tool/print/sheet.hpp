// The sheets the print products are printed on.
#pragma once

#include <string>

#include "util/error.hpp"

namespace print {

struct SheetSize {
  double width = 0;  // points
  double height = 0;
};

// `sheet` ("A4" or "Letter", as the layout loader allows) upright. Throws util::ToolError
// "failed to <task>: unknown sheet …" for any other name.
inline SheetSize portrait_sheet(const std::string& sheet, const std::string& task) {
  if (sheet == "Letter") {
    return {612.0, 792.0};
  }
  if (sheet == "A4") {
    return {595.28, 841.89};
  }
  throw util::ToolError("failed to " + task + ": unknown sheet \"" + sheet +
                        "\" (use A4 or Letter)");
}

}  // namespace print
