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

bool parse_count(std::string_view text, std::int64_t& value) {
  if (text.empty() || text.size() > 18 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
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

// The hash and mod columns (the second and third values) that both kinds of line have.
template <typename Report>
bool read_hash_and_mod(const std::vector<Token>& tokens, std::string& hash, std::int64_t& mod,
                       const Report& error) {
  if (!is_hash(tokens[2].text)) {
    error(tokens[2], "hash '" + std::string(tokens[2].text) + "' is not lower-case hex");
    return false;
  }
  hash = std::string(tokens[2].text);
  if (!parse_count(tokens[3].text, mod)) {
    error(tokens[3], "mod '" + std::string(tokens[3].text) + "' is not a number of seconds");
    return false;
  }
  return true;
}

}  // namespace

NoteTimes parse_note_times(const std::string& text, const std::string& path,
                           model::Diagnostics& diagnostics) {
  NoteTimes times;
  times.notes.reserve(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')));
  std::string_view rest(text);
  int line_number = 0;
  std::vector<Token> tokens;
  while (!rest.empty()) {
    ++line_number;
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
    const Token& kind = tokens.front();
    if (kind.text == "notetype") {
      if (tokens.size() != 4) {
        error(kind, "a notetype line needs 3 values (id, hash, mod), found " +
                        std::to_string(tokens.size() - 1));
        continue;
      }
      std::int64_t id = 0;
      NoteTypeTime entry;
      if (!parse_count(tokens[1].text, id)) {
        error(tokens[1], "note type id '" + std::string(tokens[1].text) + "' is not a number");
        continue;
      }
      if (!read_hash_and_mod(tokens, entry.hash, entry.mod, error)) {
        continue;
      }
      if (!times.note_types.emplace(id, entry).second) {
        error(tokens[1], "note type " + std::to_string(id) + " is listed twice");
      }
    } else if (kind.text == "note") {
      if (tokens.size() < 5) {
        error(kind, "a note line needs at least 4 values (guid, hash, mod, first-seen), found " +
                        std::to_string(tokens.size() - 1));
        continue;
      }
      NoteTime entry;
      if (!is_guid(tokens[1].text)) {
        error(tokens[1], "GUID '" + std::string(tokens[1].text) + "' is not printable ASCII");
        continue;
      }
      if (!read_hash_and_mod(tokens, entry.hash, entry.mod, error)) {
        continue;
      }
      if (!parse_count(tokens[4].text, entry.first_seen)) {
        error(tokens[4],
              "first-seen '" + std::string(tokens[4].text) + "' is not a number of milliseconds");
        continue;
      }
      if (tokens.size() > 5) {
        const auto start = static_cast<std::size_t>(tokens[5].column - 1);
        entry.source = std::string(line.substr(start));
      }
      if (!times.notes.emplace(std::string(tokens[1].text), entry).second) {
        error(tokens[1], "note " + std::string(tokens[1].text) + " is listed twice");
      }
    } else {
      error(kind, "unknown entry '" + std::string(kind.text) + "' (expected note or notetype)");
    }
  }
  return times;
}

std::string write_note_times(const NoteTimes& times) {
  std::string text =
      "# prepkit Anki lock: when each note and note type last changed. Written by\n"
      "# `prepkit build`; commit it with the content, do not edit it by hand.\n"
      "# notetype <id> <hash> <mod-seconds>\n"
      "# note <guid> <hash> <mod-seconds> <first-seen-ms> <topic/card>\n";
  for (const auto& [id, entry] : times.note_types) {
    text += "notetype " + std::to_string(id) + " " + entry.hash + " " + std::to_string(entry.mod) +
            "\n";
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
    text.append("note ").append(guid).append(" ").append(entry.hash).append(" ");
    text.append(std::to_string(entry.mod)).append(" ").append(std::to_string(entry.first_seen));
    if (!entry.source.empty()) {
      text.append(" ").append(entry.source);
    }
    text += '\n';
  }
  return text;
}

NoteTimes update_note_times(const NoteTimes& previous, std::vector<NoteStamp> notes,
                            const std::vector<NoteTypeStamp>& note_types,
                            std::int64_t now_seconds) {
  NoteTimes next;
  for (const NoteTypeStamp& stamp : note_types) {
    NoteTypeTime entry{stamp.hash, now_seconds};
    const auto found = previous.note_types.find(stamp.id);
    if (found != previous.note_types.end()) {
      entry.mod = found->second.hash == stamp.hash ? found->second.mod
                                                   : std::max(now_seconds, found->second.mod + 1);
    }
    next.note_types[stamp.id] = entry;
  }

  std::set<std::int64_t> used_ids;
  std::vector<NoteTime*> needing_id;
  next.notes.reserve(notes.size());
  for (NoteStamp& stamp : notes) {
    const auto found = previous.notes.find(stamp.guid);
    NoteTime& entry = next.notes[std::move(stamp.guid)];
    entry = {std::move(stamp.hash), now_seconds, 0, std::move(stamp.source)};
    if (found != previous.notes.end()) {
      const NoteTime& old = found->second;
      entry.mod = old.hash == entry.hash ? old.mod : std::max(now_seconds, old.mod + 1);
      if (old.first_seen > 0 && used_ids.insert(old.first_seen).second) {
        entry.first_seen = old.first_seen;
      }
    }
    if (entry.first_seen == 0) {
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
