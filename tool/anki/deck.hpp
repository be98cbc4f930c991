// The Anki renderer: Document + lock (content/anki.lock) → .apkg bytes and the new lock.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "model/diagnostics.hpp"
#include "model/document.hpp"
#include "model/layout.hpp"
#include "util/output_file.hpp"

namespace anki {

struct DeckResult {
  util::OutputFile apkg;             // "<slug>.apkg"
  std::string lock_text;             // new content of the lock file (content/anki.lock)
  std::vector<std::string> removed;  // "topic/card" of the cards that left the content now
  int note_count = 0;                // notes of the content (tombstones not counted)
  int card_count = 0;
};

// Content checks only the deck cares about (cloze without deletion, media outside the
// content folder, malformed lock file, …), reported as diagnostics with file:line:col.
// `lock_text` is the current lock file ("" when there is none), `lock_path` its name. Cards
// that left the content since the lock was written are warnings at their lock lines.
void check_deck(const model::Document& document, const std::string& lock_text,
                const std::string& lock_path, model::Diagnostics& diagnostics);

// Builds the package from the content and the lock text check_deck accepted. `now_seconds`
// is the build time (from --now / SOURCE_DATE_EPOCH / the clock); it only enters through
// notes and note types whose content changed since the lock (and the first-seen ids of new
// notes), so unchanged content gives identical bytes. Every card is in the one deck
// `book.deck`, due in book order; tags "<pack>::<area>::<topic>" say where it belongs.
// col.models holds only the note types the notes use (Basic when there are none).
// Notes whose card left the content come back as tombstones tagged "<pack>::removed".
// Precondition: check_deck reported no errors. Throws util::ToolError on library failures
// and unreadable images.
DeckResult make_deck(const model::Document& document, const model::Layout& layout,
                     const std::string& lock_text, std::int64_t now_seconds);

}  // namespace anki
