// Which note (GUID) each card of the content is: the lock's note for the card's place
// (topic/card); else a note of the lock whose card id matches and whose place left the
// content (the card moved to another topic); else a new GUID. Notes of the lock that no
// card claims are the cards that left the content.
#pragma once

#include <string>
#include <vector>

#include "anki/note_times.hpp"

namespace anki {

struct CardPlace {
  std::string topic_id;
  std::string card_id;
};

struct LeftCard {
  std::string guid;
  std::string source;  // "topic/card" as the lock has it
  int line = 0;        // its line in the lock
};

struct CardIdentities {
  std::vector<std::string> guids;  // one per card, in the order given
  std::vector<LeftCard> left;      // notes of the lock no card claims (not already removed)
};

// "topic/card": where a card is, as the lock records it.
std::string card_source(const CardPlace& place);

// `cards` in book order; `slug` seeds the GUIDs of new cards. Deterministic.
CardIdentities resolve_card_identities(const NoteTimes& lock, const std::vector<CardPlace>& cards,
                                       const std::string& slug);

}  // namespace anki
