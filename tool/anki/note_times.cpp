#include "anki/note_times.hpp"

#include <algorithm>
#include <charconv>
#include <set>
#include <string_view>

namespace anki {
namespace {

constexpr std::int64_t id_spacing_ms = 1000;

struct Token {
  std::string_view text;
  int column = 0;  // 1-based
};

// The tokens of `line` into `tokens` (reused from line to line: no allocation per line).
void split_tokens(std::string_view line, std::vector<Token>& tokens) {
  tokens.clear();
  std::size_t pos = 0;
  while (pos < line.size()) {
    while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t')) {
      ++pos;
    }
    if (pos >= line.size()) {
      break;
    }
    const std::size_t start = pos;
    while (pos < line.size() && line[pos] != ' ' && line[pos] != '\t') {
      ++pos;
    }
    tokens.push_back({line.substr(start, pos - start), static_cast<int>(start) + 1});
  }
}

// A whole number in int64 (a minus sign allowed: earlier versions wrote negative times).
bool parse_integer(std::string_view text, std::int64_t& value) {
  const std::string_view digits = text.starts_with('-') ? text.substr(1) : text;
  if (digits.empty() ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc{} && end == text.data() + text.size();
}

bool is_hash(std::string_view text) {
  return !text.empty() && text.size() <= 64 && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  });
}

bool is_guid(std::string_view text) {
  return !text.empty() && text.size() <= 64 &&
         std::all_of(text.begin(), text.end(), [](char c) { return c > ' ' && c < 0x7F; });
}

bool is_kind(std::string_view text) {
  return text == "basic" || text == "cloze" || text == "code";
}

// The note-type ids every pack had in a format-1 lock, before note types were per pack.
std::string legacy_kind(std::int64_t id) {
  switch (id) {
    case 1764000000101:
      return "basic";
    case 1764000000102:
      return "cloze";
    case 1764000000103:
      return "code";
    default:
      return {};
  }
}

// Values out of range are read as `unknown`, and counted; text that is not a whole number
// is an error.
class RangeRepair {
 public:
  template <typename Report>
  bool read(const Token& token, const char* what, const char* unit, std::int64_t low,
            std::int64_t high, std::int64_t unknown, std::int64_t& value, const Report& error) {
    if (!parse_integer(token.text, value)) {
      error(token,
            std::string(what) + " '" + std::string(token.text) + "' is not a number of " + unit);
      return false;
    }
    if (value < low || value > high) {
      value = unknown;
      if (m_count++ == 0) {
        m_first = token;
        m_first_line = line;
      }
    }
    return true;
  }
  [[nodiscard]] int count() const { return m_count; }
  [[nodiscard]] const Token& first() const { return m_first; }
  [[nodiscard]] int first_line() const { return m_first_line; }

  int line = 0;  // the line being read

 private:
  int m_count = 0;
  Token m_first;
  int m_first_line = 0;
};

// The hash and mod columns that notes and note types have.
template <typename Report>
bool read_hash_and_mod(const Token& hash_token, const Token& mod_token, std::string& hash,
                       std::int64_t& mod, RangeRepair& repair, const Report& error) {
  if (!is_hash(hash_token.text)) {
    error(hash_token, "hash '" + std::string(hash_token.text) + "' is not lower-case hex");
    return false;
  }
  hash = std::string(hash_token.text);
  return repair.read(mod_token, "mod", "seconds", 0, max_lock_seconds, -1, mod, error);
}

}  // namespace

NoteTimes parse_note_times(const std::string& text, const std::string& path,
                           model::Diagnostics& diagnostics) {
  NoteTimes times;
  times.notes.reserve(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')));
  std::string_view rest(text);
  int line_number = 0;
  RangeRepair repair;
  std::vector<Token> tokens;
  while (!rest.empty()) {
    ++line_number;
    repair.line = line_number;
    const std::size_t newline = rest.find('\n');
    std::string_view line = rest.substr(0, newline);
    rest = newline == std::string_view::npos ? std::string_view() : rest.substr(newline + 1);
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    split_tokens(line, tokens);
    if (tokens.empty() || tokens.front().text.starts_with("#")) {
      continue;
    }
    auto error = [&](const Token& token, const std::string& message) {
      diagnostics.error({path, line_number, token.column}, message,
                        "the lock is written by `prepkit build`; restore it from version "
                        "control or delete the line");
    };
    auto read_kind = [&](const Token& token, std::string& kind) {
      if (token.text == "-") {  // a format-1 note that left the content: kind unknown
        kind.clear();
        return true;
      }
      if (!is_kind(token.text)) {
        error(token, "note type '" + std::string(token.text) + "' is not basic, cloze or code");
        return false;
      }
      kind = std::string(token.text);
      return true;
    };
    auto read_first_seen = [&](const Token& token, std::int64_t& first_seen) {
      return repair.read(token, "first-seen", "milliseconds", min_note_id, max_note_id, 0,
                         first_seen, error);
    };
    auto add_note = [&](const Token& guid, NoteTime entry) {
      entry.line = line_number;
      if (!times.notes.emplace(std::string(guid.text), std::move(entry)).second) {
        error(guid, "note " + std::string(guid.text) + " is listed twice");
      }
    };
    const Token& kind = tokens.front();
    if (kind.text == "pack") {
      if (tokens.size() != 2 || !is_guid(tokens[1].text)) {
        error(kind, "a pack line needs 1 value without spaces (the tag root)");
        continue;
      }
      if (!times.pack.empty()) {
        error(kind, "the pack is listed twice");
      }
      times.pack = std::string(tokens[1].text);
    } else if (kind.text == "notetype") {
      // Format 1: notetype <id> <hash> <mod>; format 2: notetype <kind> <id> <hash> <mod>.
      const bool legacy = tokens.size() == 4;
      if (tokens.size() != 5 && !legacy) {
        error(kind, "a notetype line needs 4 values (kind, id, hash, mod), found " +
                        std::to_string(tokens.size() - 1));
        continue;
      }
      std::string type_kind;
      const Token& id_token = tokens[legacy ? 1 : 2];
      NoteTypeTime entry;
      if (!parse_integer(id_token.text, entry.id) || entry.id < min_note_id ||
          entry.id > max_note_id) {
        error(id_token, "note type id '" + std::string(id_token.text) +
                            "' is not a number from 1 to " + std::to_string(max_note_id));
        continue;
      }
      if (legacy) {
        type_kind = legacy_kind(entry.id);
        if (type_kind.empty()) {
          error(id_token, "note type id " + std::to_string(entry.id) + " has no kind");
          continue;
        }
      } else if (!read_kind(tokens[1], type_kind)) {
        continue;
      }
      const std::size_t at = legacy ? 2 : 3;
      if (!read_hash_and_mod(tokens[at], tokens[at + 1], entry.hash, entry.mod, repair, error)) {
        continue;
      }
      if (!times.note_types.emplace(type_kind, entry).second) {
        error(kind, "note type " + type_kind + " is listed twice");
      }
    } else if (kind.text == "note") {
      // Format 1: note <guid> <hash> <mod> <first-seen> [<source>];
      // format 2: note <guid> <hash> <mod> <first-seen> <kind> <source>.
      if (tokens.size() < 5 || tokens.size() > 7) {
        error(kind,
              "a note line needs 6 values (guid, hash, mod, first-seen, kind, source), found " +
                  std::to_string(tokens.size() - 1));
        continue;
      }
      NoteTime entry;
      if (!is_guid(tokens[1].text)) {
        error(tokens[1], "GUID '" + std::string(tokens[1].text) + "' is not printable ASCII");
        continue;
      }
      if (!read_hash_and_mod(tokens[2], tokens[3], entry.hash, entry.mod, repair, error) ||
          !read_first_seen(tokens[4], entry.first_seen)) {
        continue;
      }
      if (tokens.size() == 7 && !read_kind(tokens[5], entry.kind)) {
        continue;
      }
      if (tokens.size() > 5) {
        entry.source = std::string(tokens.back().text);
      }
      add_note(tokens[1], std::move(entry));
    } else if (kind.text == "removed") {
      if (tokens.size() != 6) {
        error(kind, "a removed line needs 5 values (guid, mod, first-seen, kind, source), found " +
                        std::to_string(tokens.size() - 1));
        continue;
      }
      NoteTime entry;
      entry.removed = true;
      if (!is_guid(tokens[1].text)) {
        error(tokens[1], "GUID '" + std::string(tokens[1].text) + "' is not printable ASCII");
        continue;
      }
      if (!repair.read(tokens[2], "mod", "seconds", 0, max_lock_seconds, -1, entry.mod, error)) {
        continue;
      }
      if (!read_first_seen(tokens[3], entry.first_seen) || !read_kind(tokens[4], entry.kind)) {
        continue;
      }
      entry.source = std::string(tokens[5].text);
      add_note(tokens[1], std::move(entry));
    } else {
      error(kind, "unknown entry '" + std::string(kind.text) +
                      "' (expected pack, notetype, note or removed)");
    }
  }
  if (repair.count() > 0) {
    diagnostics.warning(
        {path, repair.first_line(), repair.first().column},
        std::to_string(repair.count()) +
            (repair.count() == 1 ? " note id or time is" : " note ids or times are") +
            " out of range (written by a build with --now 0 or a wrong clock); "
            "building gives those notes new ones",
        "ids are milliseconds and times seconds, from 1970 to 9999");
  }
  return times;
}

std::string write_note_times(const NoteTimes& times) {
  std::string text =
      "# prepkit Anki lock (format 2): the pack's tag root and note types, and per note its\n"
      "# GUID, where its card was last seen and when it changed. Written by `prepkit build`;\n"
      "# commit it with the content. Only the <topic/card> of a note may be edited by hand.\n"
      "# pack <tag-root>\n"
      "# notetype <kind> <id> <hash> <mod-seconds>\n"
      "# note <guid> <hash> <mod-seconds> <first-seen-ms> <kind> <topic/card>\n"
      "# removed <guid> <mod-seconds> <first-seen-ms> <kind> <topic/card>\n";
  if (!times.pack.empty()) {
    text += "pack " + times.pack + "\n";
  }
  for (const auto& [kind, entry] : times.note_types) {
    text += "notetype " + kind + " " + std::to_string(entry.id) + " " + entry.hash + " " +
            std::to_string(entry.mod) + "\n";
  }
  std::vector<const std::pair<const std::string, NoteTime>*> sorted;
  sorted.reserve(times.notes.size());
  for (const auto& note : times.notes) {
    sorted.push_back(&note);
  }
  std::sort(sorted.begin(), sorted.end(),
            [](const auto* a, const auto* b) { return a->first < b->first; });
  // One append per value: at 10,000 notes, temporaries per line cost more than the sort.
  for (const auto* note : sorted) {
    const auto& [guid, entry] = *note;
    if (entry.removed) {
      text.append("removed ").append(guid).append(" ");
    } else {
      text.append("note ").append(guid).append(" ").append(entry.hash).append(" ");
    }
    text.append(std::to_string(entry.mod)).append(" ").append(std::to_string(entry.first_seen));
    text.append(" ").append(entry.kind.empty() ? "-" : entry.kind);
    text.append(" ").append(entry.source.empty() ? "-" : entry.source);
    text += '\n';
  }
  return text;
}

// The time an entry gets for a change now: `now`, and always later than the lock's time
// (unless that is at the end of the range already).
std::int64_t changed_mod(std::int64_t previous_mod, std::int64_t now_seconds) {
  return std::min(std::max(now_seconds, previous_mod + 1), max_lock_seconds);
}

NoteTimes update_note_times(const NoteTimes& previous, const std::string& pack,
                            std::vector<NoteStamp> notes,
                            const std::vector<NoteTypeStamp>& note_types,
                            std::int64_t now_seconds) {
  NoteTimes next;
  next.pack = pack;
  for (const NoteTypeStamp& stamp : note_types) {
    NoteTypeTime entry{stamp.id, stamp.hash, now_seconds};
    const auto found = previous.note_types.find(stamp.kind);
    if (found != previous.note_types.end() && found->second.id == stamp.id) {
      const NoteTypeTime& old = found->second;
      entry.mod =
          old.hash == stamp.hash && old.mod >= 0 ? old.mod : changed_mod(old.mod, now_seconds);
    }
    next.note_types[stamp.kind] = entry;
  }

  std::set<std::int64_t> used_ids;
  std::vector<NoteTime*> needing_id;
  next.notes.reserve(notes.size());
  for (NoteStamp& stamp : notes) {
    const auto found = previous.notes.find(stamp.guid);
    NoteTime& entry = next.notes[std::move(stamp.guid)];
    entry.hash = std::move(stamp.hash);
    entry.mod = now_seconds;
    entry.kind = std::move(stamp.kind);
    entry.source = std::move(stamp.source);
    if (found != previous.notes.end()) {
      const NoteTime& old = found->second;
      entry.mod = old.hash == entry.hash && !old.removed && old.mod >= 0
                      ? old.mod
                      : changed_mod(old.mod, now_seconds);
      if (old.first_seen > 0 && used_ids.insert(old.first_seen).second) {
        entry.first_seen = old.first_seen;
      }
    }
    if (entry.first_seen == 0) {
      needing_id.push_back(&entry);
    }
  }
  // Notes whose card left the content stay, as removed entries: their ids stay taken.
  for (const auto& [guid, old] : previous.notes) {
    if (next.notes.contains(guid)) {
      continue;
    }
    NoteTime& entry = next.notes[guid];
    entry = old;
    entry.line = 0;
    if (!old.removed || old.mod < 0) {
      entry.removed = true;
      entry.hash.clear();
      entry.mod = changed_mod(old.mod, now_seconds);
    }
    if (old.first_seen <= 0 || !used_ids.insert(old.first_seen).second) {
      entry.first_seen = 0;
      needing_id.push_back(&entry);
    }
  }

  // New notes: the latest free whole seconds before now, handed out in book order; card
  // ids (note id + ord) then stay in the past too.
  auto is_free = [&used_ids](std::int64_t id) {
    const auto near = used_ids.lower_bound(id - id_spacing_ms + 1);
    return near == used_ids.end() || *near >= id + id_spacing_ms;
  };
  std::vector<std::int64_t> fresh;
  for (std::int64_t candidate = (now_seconds - 1) * 1000; fresh.size() < needing_id.size();
       candidate -= id_spacing_ms) {
    if (is_free(candidate)) {
      fresh.push_back(candidate);
    }
  }
  std::reverse(fresh.begin(), fresh.end());
  for (std::size_t i = 0; i < needing_id.size(); ++i) {
    needing_id[i]->first_seen = fresh[i];
  }
  return next;
}

}  // namespace anki
