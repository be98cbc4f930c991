// The collection's deck list and deck options as Anki stores them (JSON in the col table).
#pragma once

#include <cstdint>
#include <string>

#include "util/json_writer.hpp"

namespace anki {

// Fixed collection times: the collection is a container; only notes carry real times.
constexpr std::int64_t collection_created_seconds = 1735689600;  // 2025-01-01

struct DeckEntry {
  std::int64_t id = 0;
  std::string name;
  std::string description;
};

// One deck of the `decks` JSON, changed at `mod` (seconds) with update number `usn`.
util::JsonValue deck_json(const DeckEntry& deck, std::int64_t mod, int usn);

// The `dconf` JSON: the one "Default" options group, Anki's own defaults.
util::JsonValue default_options_json();

}  // namespace anki
