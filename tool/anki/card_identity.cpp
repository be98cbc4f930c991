#include "anki/card_identity.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "util/sha.hpp"

namespace anki {
namespace {

std::string card_id_of(const std::string& source) {
  const std::size_t slash = source.rfind('/');
  return slash == std::string::npos ? source : source.substr(slash + 1);
}

}  // namespace

std::string card_source(const CardPlace& place) {
  return place.topic_id + "/" + place.card_id;
}

CardIdentities resolve_card_identities(const NoteTimes& lock, const std::vector<CardPlace>& cards,
                                       const std::string& slug) {
  // The lock's notes by place, live ones before removed ones, and in GUID order, so that
  // the result does not depend on the hash map's order.
  std::vector<std::pair<std::string, const NoteTime*>> entries;
  entries.reserve(lock.notes.size());
  for (const auto& [guid, entry] : lock.notes) {
    entries.emplace_back(guid, &entry);
  }
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    return std::make_pair(a.second->removed, a.first) < std::make_pair(b.second->removed, b.first);
  });
  std::map<std::string, std::string> guid_of_source;
  for (const auto& [guid, entry] : entries) {
    guid_of_source.emplace(entry->source, guid);
  }

  CardIdentities result;
  result.guids.resize(cards.size());
  std::set<std::string> claimed;
  for (std::size_t i = 0; i < cards.size(); ++i) {
    const auto found = guid_of_source.find(card_source(cards[i]));
    if (found != guid_of_source.end() && claimed.insert(found->second).second) {
      result.guids[i] = found->second;
    }
  }
  // A card id that is new in its place and left exactly one other place: the card moved.
  std::map<std::string, std::vector<std::size_t>> unplaced_by_id;
  for (std::size_t i = 0; i < cards.size(); ++i) {
    if (result.guids[i].empty()) {
      unplaced_by_id[cards[i].card_id].push_back(i);
    }
  }
  std::map<std::string, std::vector<std::string>> left_by_id;
  for (const auto& [guid, entry] : entries) {
    if (!entry->removed && !claimed.contains(guid)) {
      left_by_id[card_id_of(entry->source)].push_back(guid);
    }
  }
  for (const auto& [card_id, indexes] : unplaced_by_id) {
    const auto left = left_by_id.find(card_id);
    if (indexes.size() == 1 && left != left_by_id.end() && left->second.size() == 1) {
      result.guids[indexes.front()] = left->second.front();
      claimed.insert(left->second.front());
    }
  }
  // New cards: a GUID from where they first appear, unless a note of the lock has it.
  for (std::size_t i = 0; i < cards.size(); ++i) {
    if (!result.guids[i].empty()) {
      continue;
    }
    std::string key =
        "prepkit-note\x1f" + slug + "\x1f" + cards[i].topic_id + "\x1f" + cards[i].card_id;
    std::string guid = util::sha256_hex(key, 16);
    while (lock.notes.contains(guid) || !claimed.insert(guid).second) {
      key += "\x1f";
      guid = util::sha256_hex(key, 16);
    }
    result.guids[i] = guid;
  }
  for (const auto& [guid, entry] : entries) {
    if (!entry->removed && !claimed.contains(guid)) {
      result.left.push_back({guid, entry->source, entry->line});
    }
  }
  std::sort(result.left.begin(), result.left.end(),
            [](const LeftCard& a, const LeftCard& b) { return a.line < b.line; });
  return result;
}

}  // namespace anki
