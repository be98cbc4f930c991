// The Anki lock file (content/anki.lock): the pack's identity (tag root, note-type ids) and,
// per note, its GUID, the place its card was last seen, its content hash and its times. It
// makes `mod` move only on real changes, keeps a card's GUID when the card moves or its
// topic or the slug is renamed, and remembers the cards that left the content.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/diagnostics.hpp"

namespace anki {

// The build time (--now, SOURCE_DATE_EPOCH, the clock) lies from 1980-01-01 (the earliest
// time a ZIP file such as the .apkg records, and what Nix shells set SOURCE_DATE_EPOCH to)
// to 9999-12-31, in seconds since 1970: new note ids, (build time - 1 s) in ms counting
// down, then stay positive, and every id and time fits a JavaScript number exactly.
inline constexpr std::int64_t min_build_seconds = 315'532'800;
inline constexpr std::int64_t max_build_seconds = 253'402'300'799;
// Times in the lock: seconds from 1970 to the latest build time.
inline constexpr std::int64_t max_lock_seconds = max_build_seconds;
// Note and note-type ids in the lock: milliseconds, positive, up to the latest build time.
inline constexpr std::int64_t min_note_id = 1;
inline constexpr std::int64_t max_note_id = max_build_seconds * 1000 + 999;

struct NoteTime {
  std::string hash;             // content hash of the note as written ("" once removed)
  std::int64_t mod = 0;         // seconds: when that content (or the removal) first appeared
                                // (-1: unknown, the lock's was out of range)
  std::int64_t first_seen = 0;  // milliseconds: when the note first appeared (its note id;
                                // 0: none yet, or the lock's was out of range)
  std::string kind;             // note type: "basic", "cloze" or "code" ("" in a format-1 lock)
  std::string source;           // "topic/card" where the card was last seen
  bool removed = false;         // the card left the content; the deck carries a tombstone
  int line = 0;                 // line of the lock it was read from (0: not read)
};

struct NoteTypeTime {
  std::int64_t id = 0;
  std::string hash;
  std::int64_t mod = 0;  // seconds (-1: unknown, the lock's was out of range)
};

struct NoteTimes {
  std::string pack;                                 // tag root, fixed at the first build
  std::unordered_map<std::string, NoteTime> notes;  // by GUID (written sorted)
  std::map<std::string, NoteTypeTime> note_types;   // by kind
};

// Parses lock text; every malformed line is an error at `path`:line:column. "" = empty lock.
// Format-1 locks (before per-pack note types) are read too: their note types have the ids
// every pack used then, their notes no kind. Note ids and times out of range (written by
// earlier versions that took --now 0 or a negative time) are read as unknown, with one
// warning: the next build gives those notes new ones.
NoteTimes parse_note_times(const std::string& text, const std::string& path,
                           model::Diagnostics& diagnostics);

// The lock text: a header comment, the pack, note types by kind, then notes by GUID.
std::string write_note_times(const NoteTimes& times);

// A note of the deck being built, in book order.
struct NoteStamp {
  std::string guid;
  std::string hash;
  std::string kind;
  std::string source;
};
struct NoteTypeStamp {
  std::string kind;
  std::int64_t id = 0;
  std::string hash;
};

// The lock for this build (`now_seconds` from min_build_seconds to max_build_seconds):
// entries whose hash is unchanged keep their times; changed ones, and those whose time is
// unknown, get `mod` = now (and always later than before); new notes, and those whose id
// is unknown or taken by another, also get a first-seen time
// (ms, before now, unique, 1000 apart so that card ids note_id + ord never collide).
// Notes of the previous lock that are not in `notes` stay as removed entries; a note that
// is removed now gets `mod` = now, so that its tombstone updates the user's note.
NoteTimes update_note_times(const NoteTimes& previous, const std::string& pack,
                            std::vector<NoteStamp> notes,
                            const std::vector<NoteTypeStamp>& note_types, std::int64_t now_seconds);

}  // namespace anki
