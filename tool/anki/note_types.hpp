// The frozen Anki note types (prepkit Basic, Cloze, Code): fields, templates, `req`, and
// the stylesheet generated from the layout's colours. Changing a field or template list
// changes the schema in users' collections: make a new type. Each pack has its own three
// types (ids kept in the lock), so that two packs in one collection never restyle each other.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "model/layout.hpp"
#include "util/json_writer.hpp"

namespace anki {

enum class NoteKind { basic, cloze, code };

struct FieldDef {
  std::string name;
  std::int64_t id = 0;  // stable; modern Anki matches fields by it
};

struct TemplateDef {
  std::string name;
  std::int64_t id = 0;  // stable; modern Anki matches templates by it
  std::string qfmt;
  std::string afmt;
};

// Which fields a standard template needs to give a card (Anki's `req` entry).
struct Requirement {
  int ord = 0;
  std::string kind;  // "all", "any" or "none"
  std::vector<int> fields;
};

struct NoteType {
  NoteKind kind = NoteKind::basic;
  std::int64_t id = 0;
  std::string name;
  std::vector<FieldDef> fields;
  std::vector<TemplateDef> templates;
  std::string css;
  int sort_field = 0;  // the field Anki's browser sorts and shows

  [[nodiscard]] bool is_cloze() const { return kind == NoteKind::cloze; }
};

// "basic", "cloze" or "code": the kind's name in the lock.
const char* note_kind_name(NoteKind kind);

// The id a pack's note type of `kind` gets at its first build (then kept in the lock).
std::int64_t default_note_type_id(const std::string& pack, NoteKind kind);

// The three note types in fixed order (basic, cloze, code), styled from `layout`, with the
// ids in `ids` (by kind name) and "prepkit Basic (<pack_label>)" names.
std::vector<NoteType> make_note_types(const model::Layout& layout, const std::string& pack_label,
                                      const std::map<std::string, std::int64_t>& ids);

// The stylesheet shared by all three types: layout colours, night mode, phone sizes.
std::string note_type_css(const model::Layout& layout);

// Anki's `req` for every template of a standard type, computed the way Anki computes it:
// render the front with every field set, then with one field blanked at a time.
std::vector<Requirement> compute_requirements(const NoteType& type);

// The template ordinals Anki generates cards for, given a note's field values (HTML):
// `req` for standard types, one per distinct {{cN::…}} (ord N-1) for cloze types.
std::vector<int> card_ordinals(const NoteType& type, const std::vector<std::string>& fields);
// Same, with `requirements` = compute_requirements(type) computed once by the caller: it
// renders every template, which per note was a quarter of the time of building a deck.
std::vector<int> card_ordinals(const NoteType& type, const std::vector<Requirement>& requirements,
                               const std::vector<std::string>& fields);

// Hash of everything that users see change when the type changes (names, templates, CSS):
// its note-time entry advances `mod` only when this changes.
std::string note_type_hash(const NoteType& type);

// The note type as a col.models value (every key old and new Anki read, exact JSON types).
util::JsonValue note_type_json(const NoteType& type, std::int64_t mod_seconds,
                               std::int64_t deck_id);

}  // namespace anki
