// The only SQLite and libzip user: a finished collection (rows + JSON blobs + media) →
// the bytes of a legacy .apkg (collection.anki2 with schema 11, `media` map, 0, 1, …).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace anki {

struct NoteRow {
  std::int64_t id = 0;  // ms-style
  std::string guid;
  std::int64_t note_type_id = 0;
  std::int64_t mod = 0;  // seconds
  std::string tags;      // " a b " or ""
  std::string fields;    // joined by U+001F
  std::string sort_field;
  std::uint32_t checksum = 0;
};

struct CardRow {
  std::int64_t id = 0;  // ms-style
  std::int64_t note_id = 0;
  std::int64_t deck_id = 0;
  int ord = 0;
  std::int64_t mod = 0;  // seconds
  std::int64_t due = 0;  // new-card position
};

struct MediaFile {
  std::string name;  // flat file name referenced by the fields
  std::string bytes;
};

// Everything that goes into the package, in the order it is written.
struct Collection {
  std::int64_t created_seconds = 0;  // col.crt
  std::int64_t modified_ms = 0;      // col.mod
  std::int64_t schema_ms = 0;        // col.scm
  std::string conf_json;
  std::string models_json;
  std::string decks_json;
  std::string dconf_json;
  std::vector<NoteRow> notes;
  std::vector<CardRow> cards;
  std::vector<MediaFile> media;
};

// The .apkg: collection.anki2 (the SQLite database, schema 11, all tables and indexes), then
// `media` (always present, "{}" when empty), then the numbered media entries; fixed entry
// times, deflate. Identical input gives identical bytes. Throws util::ToolError on failure.
// The rows are freed once they are in the database, before it is compressed.
std::string write_apkg(Collection collection);

}  // namespace anki
