// The Anki renderer: Document + page map + note-time lock → .apkg bytes and the new lock.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "anki/note_times.hpp"
#include "model/diagnostics.hpp"
#include "model/document.hpp"
#include "model/layout.hpp"
#include "model/page_map.hpp"
#include "util/output_file.hpp"

namespace anki {

struct DeckResult {
  util::OutputFile apkg;  // "<slug>.apkg"
  std::string lock_text;  // new content of the lock file (content/anki.lock)
  int note_count = 0;
  int card_count = 0;
};

// Content checks only the deck cares about (cloze without deletion, media outside the
// content folder, malformed lock file, …), reported as diagnostics with file:line:col.
// `lock_text` is the current lock file ("" when there is none), `lock_path` its name.
// Returns the lock as parsed, for make_deck.
NoteTimes check_deck(const model::Document& document, const std::string& lock_text,
                     const std::string& lock_path, model::Diagnostics& diagnostics);

// Builds the package. `previous` is the lock as check_deck parsed it (freed once used).
// `now_seconds` is the build time (from --now / SOURCE_DATE_EPOCH / the clock); it only enters
// through notes and note types whose content changed since the lock (and the first-seen ids of new
// notes), so unchanged content gives identical bytes. Decks are "<deck>::<area>::<topic>", without
// numbers: Anki matches decks by name. Precondition: check_deck reported no errors. Throws
// util::ToolError on library failures and unreadable images.
// The document is shared: the deck lets go of it once its notes are drawn, before the
// package is written, so that the last of the renderers to finish with it frees it.
DeckResult make_deck(std::shared_ptr<const model::Document> document, const model::Layout& layout,
                     const model::PageMap& page_map, NoteTimes previous, std::int64_t now_seconds);

}  // namespace anki
