#include "anki/deck.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <utility>

#include "anki/apkg_writer.hpp"
#include "anki/card_html.hpp"
#include "anki/card_identity.hpp"
#include "anki/deck_config.hpp"
#include "anki/note_times.hpp"
#include "anki/note_types.hpp"
#include "util/error.hpp"
#include "util/json_writer.hpp"
#include "util/sha.hpp"

namespace anki {
namespace {

constexpr std::int64_t collection_modified_ms = collection_created_seconds * 1000;
constexpr int max_cloze_number = 499;  // modern Anki ignores higher ordinals
constexpr const char* field_separator = "\x1f";

std::uint64_t hash64(const std::string& key) {
  const util::Sha256Digest digest = util::sha256(key);
  std::uint64_t value = 0;
  for (int i = 0; i < 8; ++i) {
    value = (value << 8U) | digest[static_cast<std::size_t>(i)];
  }
  return value;
}

// Deck ids in 2014–2017 millisecond range: never 1, never in the future, stable per key.
std::int64_t deck_id_for(const std::string& key) {
  return 1'400'000'000'000 +
         static_cast<std::int64_t>(hash64("prepkit-deck\x1f" + key) % 100'000'000'000ULL);
}

// A deck name component: "::" would nest, so it becomes " / "; ends trimmed.
std::string deck_component(const std::string& title) {
  std::string text;
  for (std::size_t i = 0; i < title.size(); ++i) {
    if (title.compare(i, 2, "::") == 0) {
      text += " / ";
      ++i;
    } else if (static_cast<unsigned char>(title[i]) < 0x20 || title[i] == '"') {
      text += ' ';
    } else {
      text += title[i];
    }
  }
  const auto first = text.find_first_not_of(" :");
  if (first == std::string::npos) {
    return "blank";
  }
  const auto last = text.find_last_not_of(" :");
  return text.substr(first, last - first + 1);
}

// Tags carry no spaces and no accidental hierarchy: anything but [a-z0-9_.-] and non-ASCII
// letters becomes '-', ASCII is lower-cased.
std::string tag_slug(const std::string& text) {
  std::string slug;
  for (const char ch : text) {
    const auto byte = static_cast<unsigned char>(ch);
    if (byte >= 0x80 || std::isalnum(byte) != 0 || ch == '_' || ch == '.') {
      slug += static_cast<char>(byte < 0x80 ? std::tolower(byte) : byte);
    } else if (slug.empty() || slug.back() != '-') {
      slug += '-';
    }
  }
  const auto first = slug.find_first_not_of('-');
  if (first == std::string::npos) {
    return {};
  }
  return slug.substr(first, slug.find_last_not_of('-') - first + 1);
}

const model::Section* find_section(const model::Topic& topic, const std::string& id) {
  for (const model::Section& section : topic.sections) {
    if (section.id == id) {
      return &section;
    }
  }
  return nullptr;
}

// Where the card's material is explained, as the Booklet field shows it after the topic:
// the section's title. Titles name what the booklet's contents and bookmarks list, and
// they do not change when pages move (a page number would update every note then).
std::string section_reference(const model::Topic& topic, const model::Card& card) {
  const model::Section* section = find_section(topic, card.section);
  return section == nullptr ? std::string() : escape_field_text(model::plain_title(section->title));
}

// The tag root: the lock's, else (first build) the slug's; a renamed slug keeps the tags.
std::string pack_of(const NoteTimes& lock, const model::Book& book) {
  return lock.pack.empty() ? tag_slug(book.slug) : lock.pack;
}

// The places of the content's cards, in book order.
std::vector<CardPlace> card_places(const model::Document& document) {
  std::vector<CardPlace> places;
  for (const model::Area& area : document.areas) {
    for (const model::Topic& topic : area.topics) {
      for (const model::Card& card : topic.cards) {
        places.push_back({topic.id, card.id});
      }
    }
  }
  return places;
}

// Calls `visit` for every block of a body, nested ones included.
void for_each_block(const model::Body& body,
                    const std::function<void(const model::Block&)>& visit) {
  for (const model::Block& block : body) {
    visit(block);
    if (const auto* list = std::get_if<model::List>(&block.node)) {
      for (const model::ListItem& item : list->items) {
        for_each_block(item.blocks, visit);
      }
    } else if (const auto* quote = std::get_if<model::Quote>(&block.node)) {
      for_each_block(quote->blocks, visit);
    }
  }
}

// The bodies of a card that become note fields.
std::vector<const model::Body*> card_bodies(const model::Card& card) {
  return {&card.front, &card.back, &card.text, &card.extra};
}

struct ClozeScan {
  std::set<int> numbers;
  const model::Inline* first = nullptr;
};

void scan_cloze(const model::Body& body, ClozeScan& scan) {
  for_each_block(body, [&scan](const model::Block& block) {
    if (const auto* paragraph = std::get_if<model::Paragraph>(&block.node)) {
      for (const model::Inline& run : paragraph->inlines) {
        if (run.cloze != 0) {
          scan.numbers.insert(run.cloze);
          if (scan.first == nullptr) {
            scan.first = &run;
          }
        }
      }
    }
  });
}

std::filesystem::path content_root(const model::Document& document) {
  return document.content_dir.empty() ? std::filesystem::path(".")
                                      : std::filesystem::path(document.content_dir);
}

std::filesystem::path content_path(const model::Document& document, const std::string& path) {
  return content_root(document) / path;
}

// True when `path` (relative to the content folder) stays inside it, symlinks resolved.
bool inside_content(const model::Document& document, const std::string& path) {
  if (path.empty() || std::filesystem::path(path).is_absolute()) {
    return false;
  }
  std::error_code error;
  const std::filesystem::path root =
      std::filesystem::weakly_canonical(content_root(document), error);
  if (error) {
    return false;
  }
  const std::filesystem::path full =
      std::filesystem::weakly_canonical(content_path(document, path), error);
  if (error) {
    return false;
  }
  const auto [root_end, full_it] =
      std::mismatch(root.begin(), root.end(), full.begin(), full.end());
  return root_end == root.end() && full_it != full.end();
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw util::ToolError("failed to read image " + path.string() + ": " + std::strerror(errno));
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) {
    throw util::ToolError("failed to read image " + path.string() + ": read error");
  }
  return bytes.str();
}

// A flat, collision-free media name: sanitised stem + content hash + extension.
std::string media_name(const std::string& path, const std::string& bytes) {
  const std::filesystem::path file(path);
  std::string stem;
  for (const char ch : file.stem().string()) {
    const auto byte = static_cast<unsigned char>(ch);
    stem += (byte < 0x80 && (std::isalnum(byte) != 0 || ch == '-' || ch == '_')) ? ch : '-';
  }
  if (stem.size() > 60) {
    stem.resize(60);
  }
  std::string extension;
  for (const char ch : file.extension().string()) {
    if (std::isalnum(static_cast<unsigned char>(ch)) != 0) {
      extension += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    }
  }
  if (extension.size() > 10) {
    extension.resize(10);
  }
  std::string name = (stem.empty() ? "image" : stem) + "-" + util::sha256_hex(bytes, 10);
  return extension.empty() ? name : name + "." + extension;
}

// One note as it will be written, before times are known.
struct NoteDraft {
  const NoteType* type = nullptr;
  std::string guid;
  std::string source;  // "topic/card"
  std::vector<std::string> fields;
  std::string tags;
  std::string hash;
};

class DeckBuilder {
 public:
  DeckBuilder(const model::Document& document, const model::Layout& layout,
              const std::string& lock_text)
      : m_document(document) {
    model::Diagnostics ignored;  // check_deck reported them
    m_previous = parse_note_times(lock_text, "anki.lock", ignored);
    m_pack = pack_of(m_previous, m_document.book);
    std::map<std::string, std::int64_t> ids;
    for (const NoteKind kind : {NoteKind::basic, NoteKind::cloze, NoteKind::code}) {
      const auto found = m_previous.note_types.find(note_kind_name(kind));
      ids[note_kind_name(kind)] = found != m_previous.note_types.end()
                                      ? found->second.id
                                      : default_note_type_id(m_pack, kind);
    }
    m_types = make_note_types(layout, deck_component(m_document.book.deck), ids);
  }

  DeckResult build(std::int64_t now_seconds) {
    DeckResult result;
    collect_media();
    const CardIdentities identities =
        resolve_card_identities(m_previous, card_places(m_document), m_document.book.slug);
    build_decks_and_notes(identities.guids);
    for (const LeftCard& left : identities.left) {
      result.removed.push_back(left.source);
    }
    const std::string apkg_name = m_document.book.slug + ".apkg";
    const std::string deck_label = deck_component(m_document.book.deck);

    std::vector<NoteStamp> note_stamps;
    note_stamps.reserve(m_notes.size());
    for (NoteDraft& note : m_notes) {
      note_stamps.push_back({note.guid, std::move(note.hash), note_kind_name(note.type->kind),
                             std::move(note.source)});
    }
    std::vector<NoteTypeStamp> type_stamps;
    for (const NoteType& type : m_types) {
      type_stamps.push_back({note_kind_name(type.kind), type.id, note_type_hash(type)});
    }
    NoteTimes times =
        update_note_times(m_previous, m_pack, std::move(note_stamps), type_stamps, now_seconds);
    m_previous = {};
    append_tombstones(times, deck_label);

    // The deck carries only the note types its notes (tombstones included) use; the lock
    // keeps all three ids and times, so a type that comes later is the one it always was.
    // A deck without notes keeps Basic: Anki's integrity check adds a note type to a
    // collection that has none, and col.conf's curModel names one.
    std::vector<const NoteType*> carried;
    for (const NoteType& type : m_types) {
      if (std::any_of(m_notes.begin(), m_notes.end(),
                      [&type](const NoteDraft& note) { return note.type == &type; })) {
        carried.push_back(&type);
      }
    }
    if (carried.empty()) {
      carried.push_back(&m_types.front());
    }

    Collection collection;
    collection.created_seconds = collection_created_seconds;
    collection.modified_ms = collection_modified_ms;
    collection.schema_ms = collection_modified_ms;
    std::int64_t newest_mod = collection_created_seconds;
    std::set<std::int64_t> card_ids;
    std::int64_t due = 0;
    std::map<const NoteType*, std::vector<Requirement>> requirements_by_type;
    collection.notes.reserve(m_notes.size());
    for (NoteDraft& note : m_notes) {
      const NoteTime& time = times.notes.at(note.guid);
      newest_mod = std::max(newest_mod, time.mod);
      NoteRow& row = collection.notes.emplace_back();
      row.id = time.first_seen;
      row.guid = std::move(note.guid);
      row.note_type_id = note.type->id;
      row.mod = time.mod;
      row.tags = std::move(note.tags);
      row.fields = join_fields(note.fields);
      row.sort_field =
          strip_html_media(note.fields[static_cast<std::size_t>(note.type->sort_field)]);
      row.checksum =
          checksum(note.type->sort_field == 0 ? row.sort_field : strip_html_media(note.fields[0]));
      auto requirements = requirements_by_type.find(note.type);
      if (requirements == requirements_by_type.end()) {
        requirements =
            requirements_by_type
                .emplace(note.type, note.type->is_cloze() ? std::vector<Requirement>()
                                                          : compute_requirements(*note.type))
                .first;
      }
      // One deck, due in book order: studying it gives the book's order (see README).
      for (const int ord : card_ordinals(*note.type, requirements->second, note.fields)) {
        CardRow card;
        card.id = row.id + ord;
        while (!card_ids.insert(card.id).second) {
          ++card.id;  // only with a hand-edited lock: ids closer than 1000 ms
        }
        card.note_id = row.id;
        card.deck_id = m_deck_id;
        card.ord = ord;
        card.mod = time.mod;
        card.due = ++due;
        collection.cards.push_back(card);
      }
      note.fields = {};  // in the row now: the drafts shrink as the rows grow
    }
    result.note_count = static_cast<int>(m_notes.size() - m_tombstones);
    m_notes = {};  // the rows hold all of it now

    util::JsonObject models;
    for (const NoteType* type : carried) {
      models.emplace_back(
          std::to_string(type->id),
          note_type_json(*type, times.note_types.at(note_kind_name(type->kind)).mod, m_deck_id));
    }
    util::JsonObject decks;
    decks.emplace_back("1", deck_json({1, "Default", ""}, collection_created_seconds, 0));
    for (const DeckEntry& deck : m_decks) {
      decks.emplace_back(std::to_string(deck.id), deck_json(deck, newest_mod, -1));
    }
    const util::JsonObject conf{
        {"activeDecks", util::JsonArray{1}},
        {"addToCur", true},
        {"collapseTime", 1200},
        {"curDeck", 1},
        {"curModel", carried.front()->id},
        {"dueCounts", true},
        {"estTimes", true},
        {"newBury", true},
        {"newSpread", 0},
        {"nextPos", due + 1},
        {"sortBackwards", false},
        {"sortType", "noteFld"},
        {"timeLim", 0},
    };
    collection.conf_json = util::write_json(conf);
    collection.models_json = util::write_json(models);
    collection.decks_json = util::write_json(decks);
    collection.dconf_json = util::write_json(default_options_json());
    collection.media = std::move(m_media);

    result.card_count = static_cast<int>(collection.cards.size() - m_tombstones);  // one each
    result.apkg.name = apkg_name;
    result.lock_text = write_note_times(times);
    times = {};  // the rows and the lock text hold all of it now
    result.apkg.bytes = write_apkg(std::move(collection));
    result.apkg.summary = std::to_string(result.note_count) + " notes, " +
                          std::to_string(result.card_count) + " cards";
    if (m_tombstones > 0) {
      result.apkg.summary +=
          ", " + std::to_string(m_tombstones) + " tagged " + m_pack + "::removed";
    }
    return result;
  }

 private:
  // The note's fields as Anki stores them: one string, separated by U+001F.
  static std::string join_fields(const std::vector<std::string>& fields) {
    std::size_t size = fields.size();
    for (const std::string& field : fields) {
      size += field.size();
    }
    std::string joined;
    joined.reserve(size);
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) {
        joined += field_separator;
      }
      joined += fields[i];
    }
    return joined;
  }

  static std::uint32_t checksum(const std::string& stripped_first_field) {
    const util::Sha1Digest digest = util::sha1(stripped_first_field);
    return (static_cast<std::uint32_t>(digest[0]) << 24U) |
           (static_cast<std::uint32_t>(digest[1]) << 16U) |
           (static_cast<std::uint32_t>(digest[2]) << 8U) | static_cast<std::uint32_t>(digest[3]);
  }

  // Every image a card shows, in book order, under one flat name per distinct content.
  void collect_media() {
    std::set<std::string> packed;
    for (const model::Area& area : m_document.areas) {
      for (const model::Topic& topic : area.topics) {
        for (const model::Card& card : topic.cards) {
          for (const model::Body* body : card_bodies(card)) {
            for_each_block(*body, [&](const model::Block& block) {
              const auto* image = std::get_if<model::Image>(&block.node);
              if (image == nullptr || m_media_names.contains(image->path)) {
                return;
              }
              std::string bytes = read_file(content_path(m_document, image->path));
              const std::string name = media_name(image->path, bytes);
              m_media_names[image->path] = name;
              if (packed.insert(name).second) {
                m_media.push_back({name, std::move(bytes)});
              }
            });
          }
        }
      }
    }
  }

  void build_decks_and_notes(const std::vector<std::string>& guids) {
    const model::Book& book = m_document.book;
    // The root may itself nest ("Programming::Rust"): every ancestor gets an entry.
    std::string root;
    std::string root_key;
    std::vector<std::string> parts;
    for (std::size_t start = 0;;) {
      const std::size_t separator = book.deck.find("::", start);
      parts.push_back(book.deck.substr(start, separator - start));
      if (separator == std::string::npos) {
        break;
      }
      start = separator + 2;
    }
    for (std::size_t i = 0; i < parts.size(); ++i) {
      root += (i > 0 ? "::" : "") + deck_component(parts[i]);
      root_key += "\x1f" + parts[i];
      std::string description;
      if (i + 1 == parts.size()) {
        description = escape_field_text(book.subtitle.empty() ? book.title : book.subtitle);
        if (!book.description.empty()) {
          description += "<br><br>" + body_html(book.description, HtmlContext{nullptr});
        }
      }
      m_decks.push_back({deck_id_for(book.slug + "\x1f" + "root" + root_key), root, description});
    }
    m_deck_id = m_decks.back().id;

    const HtmlContext field_context{&m_media_names};
    std::size_t index = 0;
    for (const model::Area& area : m_document.areas) {
      for (const model::Topic& topic : area.topics) {
        // Where the card belongs: ids, not titles, so that retitling changes no tag.
        const std::string place_tag = m_pack + "::" + tag_slug(area.id) + "::" + tag_slug(topic.id);
        const std::string topic_title = escape_field_text(model::plain_title(topic.title));
        for (const model::Card& card : topic.cards) {
          NoteDraft note = make_note(topic, topic_title, card, field_context);
          note.guid = guids[index++];
          std::set<std::string> tags = {place_tag};
          for (const std::string& tag : card.tags) {
            if (std::string slug = tag_slug(tag); !slug.empty()) {
              tags.insert(std::move(slug));
            }
          }
          for (const std::string& tag : tags) {
            note.tags += " " + tag;
          }
          note.tags += " ";
          std::string hashed = std::to_string(note.type->id) + "\x1e" + note.tags;
          for (const std::string& field : note.fields) {
            hashed += '\x1e';
            hashed += field;
          }
          note.hash = util::sha256_hex(hashed, 16);
          m_notes.push_back(std::move(note));
        }
      }
    }
  }

  // `topic_title` is the topic's title as field text.
  NoteDraft make_note(const model::Topic& topic, const std::string& topic_title,
                      const model::Card& card, const HtmlContext& context) {
    NoteDraft note;
    note.source = card_source({topic.id, card.id});
    const std::string reference = section_reference(topic, card);
    const std::string extra = body_html(card.extra, context);
    switch (card.kind) {
      case model::CardKind::basic:
        note.type = &m_types[0];
        note.fields = {body_html(card.front, context),
                       body_html(card.back, context),
                       extra,
                       topic_title,
                       reference,
                       card.reverse ? "y" : ""};
        break;
      case model::CardKind::cloze:
        note.type = &m_types[1];
        note.fields = {cloze_html(card.text, context), extra, topic_title, reference};
        break;
      case model::CardKind::code:
        note.type = &m_types[2];
        note.fields = {body_html(card.front, context),
                       card.code ? code_block_html(*card.code) : std::string(),
                       body_html(card.back, context),
                       extra,
                       topic_title,
                       reference};
        break;
    }
    return note;
  }

  // A note for every card that left the content (its GUID, note type and id, its fields
  // saying so, one tag), so that importing tags exactly those notes for deletion. Their
  // mod is the time they left: imported once, they are not updated again.
  void append_tombstones(const NoteTimes& times, const std::string& deck_label) {
    std::vector<std::pair<std::int64_t, std::string>> removed;
    for (const auto& [guid, entry] : times.notes) {
      if (entry.removed && !entry.kind.empty()) {
        removed.emplace_back(entry.first_seen, guid);
      }
    }
    std::sort(removed.begin(), removed.end());
    const std::string tag = m_pack + "::removed";
    for (const auto& [first_seen, guid] : removed) {
      const NoteTime& entry = times.notes.at(guid);
      const std::string said = "Removed from " + escape_field_text(deck_label) + " (" +
                               escape_field_text(entry.source) + ")";
      const std::string how = "Delete it: Browse, search <code>tag:" + escape_field_text(tag) +
                              "</code>, select all, Delete.";
      NoteDraft note;
      note.guid = guid;
      note.tags = " " + tag + " ";
      if (entry.kind == "cloze") {
        note.type = &m_types[1];
        note.fields = {"{{c1::" + said + "}}", how, "", ""};
      } else {
        note.type = &m_types[entry.kind == "code" ? 2 : 0];
        note.fields = std::vector<std::string>(note.type->fields.size());
        note.fields[0] = said;
        note.fields[note.type->kind == NoteKind::code ? 2 : 1] = how;
      }
      m_notes.push_back(std::move(note));
      ++m_tombstones;
    }
  }

  const model::Document& m_document;
  NoteTimes m_previous;  // the lock as it was
  std::string m_pack;
  std::vector<NoteType> m_types;
  std::map<std::string, std::string> m_media_names;
  std::vector<MediaFile> m_media;
  std::vector<DeckEntry> m_decks;
  std::int64_t m_deck_id = 0;  // the deck every card is in
  std::vector<NoteDraft> m_notes;
  std::size_t m_tombstones = 0;
};

}  // namespace

namespace {

// Whether a card side shows nothing in Anki. A first paragraph with visible text settles it
// at once (every text run is printed, escaped), and so does an image (the deck shows it,
// with or without alt text); anything else is rendered and stripped as Anki does.
bool blank_side(const model::Body& body) {
  if (const auto* first =
          body.empty() ? nullptr : std::get_if<model::Paragraph>(&body.front().node)) {
    for (const model::Inline& run : first->inlines) {
      if (run.kind == model::Inline::Kind::text &&
          std::any_of(run.text.begin(), run.text.end(),
                      [](char ch) { return std::isspace(static_cast<unsigned char>(ch)) == 0; })) {
        return false;
      }
    }
  }
  bool image = false;
  for_each_block(body, [&image](const model::Block& block) {
    image = image || std::holds_alternative<model::Image>(block.node);
  });
  return !image && is_blank_field(body_html(body, HtmlContext{nullptr}));
}

// A warning at its lock line for every card that left the content since the lock was
// written. When its topic has a new card, that may be the same card renamed: the hint
// gives the lock edit that keeps its note.
void report_left_cards(const model::Document& document, const NoteTimes& lock,
                       const std::string& lock_path, model::Diagnostics& diagnostics) {
  const std::vector<CardPlace> places = card_places(document);
  const CardIdentities identities = resolve_card_identities(lock, places, document.book.slug);
  const std::string tag = pack_of(lock, document.book) + "::removed";
  for (const LeftCard& left : identities.left) {
    const std::string topic = left.source.substr(0, left.source.rfind('/'));
    std::string renamed;
    for (std::size_t i = 0; i < places.size(); ++i) {
      if (places[i].topic_id == topic && !lock.notes.contains(identities.guids[i])) {
        renamed = card_source(places[i]);
        break;
      }
    }
    std::string hint = "the new deck tags its note " + tag +
                       "; after importing, delete what Anki's browser finds with tag:" + tag;
    if (!renamed.empty()) {
      // Valid in the lock as read and in the one this build writes (which adds a line for
      // the new card and keeps the old one as removed).
      hint = "if '" + renamed + "' is this card renamed, rename it back, or keep its note: in " +
             lock_path + " delete the line ending in ' " + renamed + "' (if there is one), " +
             "change ' " + left.source + "' to ' " + renamed + "' and build again; otherwise " +
             hint;
    }
    diagnostics.warning({lock_path, left.line, 1},
                        "card '" + left.source + "' left the content since the lock was written",
                        hint);
  }
}

}  // namespace

void check_deck(const model::Document& document, const std::string& lock_text,
                const std::string& lock_path, model::Diagnostics& diagnostics) {
  const NoteTimes lock = parse_note_times(lock_text, lock_path, diagnostics);
  report_left_cards(document, lock, lock_path, diagnostics);

  const model::Book& book = document.book;
  if (deck_component(book.deck) == "blank") {
    diagnostics.error(book.where, "the book has no Anki deck name",
                      "add `deck: <name>` to book.yaml");
  } else if (deck_component(book.deck.substr(0, book.deck.find("::"))) == "Default") {
    diagnostics.error(book.where, "the Anki deck must not be called 'Default'",
                      "Anki's built-in deck has that name; cards would mix with the user's");
  }

  std::set<std::string> sources;
  std::set<std::string> images_checked;
  std::map<std::string, std::pair<std::string, model::SourceLocation>> first_fields;
  for (const model::Area& area : document.areas) {
    for (const model::Topic& topic : area.topics) {
      for (const model::Card& card : topic.cards) {
        // Anki shows notes of one type whose first fields, without markup, are the same as
        // duplicates.
        const model::Body& first = card.kind == model::CardKind::cloze ? card.text : card.front;
        if (card.kind != model::CardKind::code && !blank_side(first)) {
          // As the note's first field is made (make_note): a cloze keeps its {{c1::…}}.
          const std::string html = strip_html_media(card.kind == model::CardKind::cloze
                                                        ? cloze_html(first, HtmlContext{nullptr})
                                                        : body_html(first, HtmlContext{nullptr}));
          const auto [earlier, fresh] =
              first_fields.emplace(std::to_string(static_cast<int>(card.kind)) + "\n" + html,
                                   std::pair{topic.id + "/" + card.id, card.where});
          if (!fresh) {
            diagnostics.warning(
                card.where,
                "card '" + topic.id + "/" + card.id + "' asks what card '" + earlier->second.first +
                    "' asks",
                "Anki shows the two notes as duplicates; merge them or tell them apart (" +
                    model::location_text(earlier->second.second) + ")");
          }
        }
        if (!sources.insert(card_source({topic.id, card.id})).second) {
          diagnostics.error(card.where,
                            "card id '" + card.id + "' is used twice in topic '" + topic.id + "'",
                            "card ids name the Anki note; give each card its own id");
        }
        if (!card.section.empty() && find_section(topic, card.section) == nullptr) {
          diagnostics.error(card.where, "card '" + card.id + "' names section '" + card.section +
                                            "', which topic '" + topic.id + "' does not have");
        }
        ClozeScan text_scan;
        scan_cloze(card.text, text_scan);
        ClozeScan other_scan;
        scan_cloze(card.front, other_scan);
        scan_cloze(card.back, other_scan);
        scan_cloze(card.extra, other_scan);
        if (!other_scan.numbers.empty()) {
          diagnostics.error(card.where,
                            "card '" + card.id +
                                "' has a cloze deletion outside the text of a cloze "
                                "card",
                            "only `text` of a `kind: cloze` card can hold {{c1::…}}");
        }
        switch (card.kind) {
          case model::CardKind::cloze:
            if (text_scan.numbers.empty()) {
              diagnostics.error(card.where, "cloze card '" + card.id + "' has no deletion",
                                "mark the answer as {{c1::answer}} in `text`");
            } else if (*text_scan.numbers.rbegin() > max_cloze_number ||
                       *text_scan.numbers.begin() < 1) {
              diagnostics.error(card.where, "cloze card '" + card.id +
                                                "' uses a deletion number outside 1.." +
                                                std::to_string(max_cloze_number));
            }
            break;
          case model::CardKind::basic:
          case model::CardKind::code:
            if (!text_scan.numbers.empty()) {
              diagnostics.error(
                  card.where, "card '" + card.id + "' has cloze deletions but is not a cloze card",
                  "use `kind: cloze`");
            }
            const bool blank_front = blank_side(card.front);
            if (blank_front && card.kind == model::CardKind::basic) {
              diagnostics.error(card.where, "card '" + card.id + "' has an empty front",
                                "Anki makes no card from an empty front");
            }
            if (card.kind == model::CardKind::code && (!card.code || card.code->lines.empty()) &&
                blank_front) {
              diagnostics.error(card.where, "code card '" + card.id + "' has no front and no code");
            }
            if (blank_side(card.back)) {
              if (card.reverse) {
                diagnostics.error(card.where,
                                  "card '" + card.id + "' asks for a reverse card but has no back");
              } else {
                diagnostics.warning(card.where, "card '" + card.id + "' has an empty back");
              }
            }
            break;
        }
        for (const std::string& tag : card.tags) {
          if (tag_slug(tag).empty()) {
            diagnostics.warning(card.where, "tag '" + tag +
                                                "' has no letters or digits; it is "
                                                "left out of the Anki deck");
          }
        }
        for (const model::Body* body : card_bodies(card)) {
          for_each_block(*body, [&](const model::Block& block) {
            const auto* image = std::get_if<model::Image>(&block.node);
            if (image == nullptr || !images_checked.insert(image->path).second) {
              return;
            }
            const model::SourceLocation& where =
                image->where.file.empty() ? card.where : image->where;
            if (!inside_content(document, image->path)) {
              diagnostics.error(where, "image '" + image->path + "' is outside the content folder",
                                "put images under content/images/ and use a relative path");
              return;
            }
            std::error_code error;
            if (!std::filesystem::is_regular_file(content_path(document, image->path), error)) {
              diagnostics.error(where, "image '" + image->path + "' does not exist");
            }
          });
        }
      }
    }
  }
}

DeckResult make_deck(const model::Document& document, const model::Layout& layout,
                     const std::string& lock_text, std::int64_t now_seconds) {
  return DeckBuilder(document, layout, lock_text).build(now_seconds);
}

}  // namespace anki
