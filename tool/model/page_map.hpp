// Where things landed in the laid-out booklet; produced by booklet/, read by anki/.
#pragma once

#include <map>
#include <string>

namespace model {

// anchor (see topic_anchor / section_anchor) → printed page number of the body (1-based).
struct PageMap {
  std::map<std::string, int> page_of_anchor;

  // Printed page number of an anchor, or 0 when it is unknown.
  [[nodiscard]] int page_of(const std::string& anchor) const {
    auto found = page_of_anchor.find(anchor);
    return found == page_of_anchor.end() ? 0 : found->second;
  }
};

}  // namespace model
