// Fuzzes the Anki lock parser (anki::parse_note_times). The input is a lock file. Checks:
// every diagnostic names the lock and a line and column inside it; a lock read without
// errors writes back to text that reads again without errors to the same lock; and the
// next build's lock (every note kept, one edited, one new) has only note ids and times
// that are positive and exact in JavaScript, however odd the values it started from.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "anki/note_times.hpp"
#include "fuzz/fuzz_support.hpp"
#include "model/diagnostics.hpp"

namespace fuzz_lock_check {

inline void require_sane_times(const anki::NoteTimes& times) {
  for (const auto& [guid, note] : times.notes) {
    fuzz::require(note.first_seen >= anki::min_note_id && note.first_seen <= anki::max_note_id,
                  "a note id out of range after an update");
    fuzz::require(note.mod >= 0 && note.mod <= anki::max_lock_seconds,
                  "a note mod out of range after an update");
  }
  for (const auto& [kind, type] : times.note_types) {
    fuzz::require(type.id >= anki::min_note_id && type.id <= anki::max_note_id,
                  "a note type id out of range after an update");
    fuzz::require(type.mod >= 0 && type.mod <= anki::max_lock_seconds,
                  "a note type mod out of range after an update");
  }
}

}  // namespace fuzz_lock_check

PREPKIT_FUZZ_TARGET(fuzz_lock) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const std::string path = "content/anki.lock";
  const auto lines = static_cast<int>(std::count(text.begin(), text.end(), '\n')) + 1;
  model::Diagnostics diagnostics;
  const anki::NoteTimes times = anki::parse_note_times(text, path, diagnostics);
  for (const model::Diagnostic& diagnostic : diagnostics.all()) {
    fuzz::require(!diagnostic.message.empty(), "an empty diagnostic");
    fuzz::require(diagnostic.where.file == path, "a diagnostic that does not name the lock");
    fuzz::require(diagnostic.where.line >= 1 && diagnostic.where.line <= lines,
                  "a diagnostic outside the lock's lines");
    fuzz::require(diagnostic.where.column >= 1, "a diagnostic without a column");
    (void)model::format_diagnostic(diagnostic);
  }
  if (diagnostics.has_errors()) {
    return 0;
  }
  const std::string written = anki::write_note_times(times);
  model::Diagnostics again;
  const anki::NoteTimes reread = anki::parse_note_times(written, path, again);
  fuzz::require(!again.has_errors(), "a lock it wrote does not read again");
  fuzz::require(anki::write_note_times(reread) == written, "the lock does not round-trip");

  // The next build at the earliest and the latest build time: every note stays (one of
  // them edited), a new one comes, the note types stay.
  std::vector<anki::NoteStamp> notes;
  for (const auto& [guid, note] : times.notes) {
    const bool edit = notes.empty();
    notes.push_back({guid, edit ? note.hash + "0" : note.hash,
                     note.kind.empty() ? "basic" : note.kind, note.source});
  }
  notes.push_back({"fuzz-new-note", "ab", "basic", "fuzz/new"});
  std::vector<anki::NoteTypeStamp> types;
  for (const auto& [kind, type] : times.note_types) {
    types.push_back({kind, type.id, type.hash});
  }
  for (const std::int64_t now : {anki::min_build_seconds, anki::max_build_seconds}) {
    const anki::NoteTimes next = anki::update_note_times(times, "fuzz", notes, types, now);
    fuzz_lock_check::require_sane_times(next);
    model::Diagnostics next_diagnostics;
    (void)anki::parse_note_times(anki::write_note_times(next), path, next_diagnostics);
    fuzz::require(!next_diagnostics.has_errors(), "the next build's lock does not read");
  }
  return 0;
}
