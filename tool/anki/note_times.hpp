// The Anki lock file: per note GUID its content hash, last-change time and first-seen time,
// per note type its hash and last-change time. It makes `mod` move only on real changes,
// so re-imports update edited notes and leave everything else (and user edits) alone.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/diagnostics.hpp"

namespace anki {

struct NoteTime {
  std::string hash;             // content hash of the note as written to the package
  std::int64_t mod = 0;         // seconds: when that content first appeared
  std::int64_t first_seen = 0;  // milliseconds: when the note first appeared (its note id)
  std::string source;           // "topic/card", informational only
};

struct NoteTypeTime {
  std::string hash;
  std::int64_t mod = 0;  // seconds
};

struct NoteTimes {
  std::unordered_map<std::string, NoteTime> notes;  // by GUID (written sorted)
  std::map<std::int64_t, NoteTypeTime> note_types;  // by note type id
};

// Parses lock text; every malformed line is an error at `path`:line:column. "" = empty lock.
NoteTimes parse_note_times(const std::string& text, const std::string& path,
                           model::Diagnostics& diagnostics);

// The lock text: a header comment, then note types by id, then notes by GUID.
std::string write_note_times(const NoteTimes& times);

// A note of the deck being built, in book order.
struct NoteStamp {
  std::string guid;
  std::string hash;
  std::string source;
};
struct NoteTypeStamp {
  std::int64_t id = 0;
  std::string hash;
};

// The lock for this build: entries whose hash is unchanged keep their times; changed ones
// get `mod` = now (and always later than before); new notes also get a first-seen time
// (ms, before now, unique, 1000 apart so that card ids note_id + ord never collide).
// Entries for notes and types that no longer exist are dropped.
NoteTimes update_note_times(const NoteTimes& previous, std::vector<NoteStamp> notes,
                            const std::vector<NoteTypeStamp>& note_types, std::int64_t now_seconds);

}  // namespace anki
