// The sample deck as a readable dump (decks, note types, notes with their fields and
// cards, media), compared with tests/golden/anki_sample_deck.txt. A change to what users
// import shows up here as a diff to review; UPDATE_GOLDENS=1 accepts it.
#include <catch2/catch.hpp>

#include <sstream>

#include "anki/deck.hpp"
#include "anki_fixture.hpp"
#include "booklet_fixture.hpp"
#include "model/layout.hpp"

namespace {

constexpr std::int64_t build_time = 1764000000;

// One value per line; newlines inside a value are shown as "⏎" so that the dump stays
// one line per item.
std::string one_line(const std::string& text) {
  std::string out;
  for (const char ch : text) {
    if (ch == '\n') {
      out += "\u23ce";
    } else {
      out += ch;
    }
  }
  return out;
}

std::string dump_deck(const anki_fixture::Database& db) {
  std::ostringstream out;
  for (const auto& row : db.query("select value ->> 'name', key, value ->> 'desc' from col, "
                                  "json_each(col.decks) order by 1")) {
    out << "deck \"" << row[0] << "\" id " << row[1] << "\n  desc " << one_line(row[2]) << "\n";
  }
  for (const auto& type :
       db.query("select value ->> 'name', key, value ->> 'type', value ->> 'sortf', value ->> "
                "'mod', value ->> 'css' from col, json_each(col.models) order by 1")) {
    out << "notetype \"" << type[0] << "\" id " << type[1] << " type " << type[2] << " sortf "
        << type[3] << " mod " << type[4] << "\n";
    const std::string path = "'$.\"" + type[1] + "\"";
    for (const auto& field :
         db.query("select value ->> 'name', value ->> 'id' from col, json_each(col.models, " +
                  path + ".flds')")) {
      out << "  field \"" << field[0] << "\" id " << field[1] << "\n";
    }
    for (const auto& tmpl :
         db.query("select value ->> 'name', value ->> 'qfmt', value ->> 'afmt' from col, "
                  "json_each(col.models, " +
                  path + ".tmpls')")) {
      out << "  template \"" << tmpl[0] << "\"\n    front " << one_line(tmpl[1]) << "\n    back  "
          << one_line(tmpl[2]) << "\n";
    }
    std::istringstream css(type[5]);
    for (std::string line; std::getline(css, line);) {
      out << "  css " << line << "\n";
    }
  }
  const auto names = db.query(
      "select m.key, f.value ->> 'ord', f.value ->> 'name' from col, json_each(col.models) m, "
      "json_each(m.value -> 'flds') f");
  for (const auto& note : db.query("select n.guid, n.id, n.mid, n.mod, n.tags, n.flds, n.sfld "
                                   "from notes n order by (select min(due) from cards c where "
                                   "c.nid = n.id)")) {
    out << "note " << note[0] << " id " << note[1] << " mod " << note[3] << "\n  tags \"" << note[4]
        << "\"\n  sort " << one_line(note[6]) << "\n";
    std::size_t start = 0;
    for (int ord = 0;; ++ord) {
      const std::size_t end = note[5].find('\x1f', start);
      std::string name;
      for (const auto& row : names) {
        if (row[0] == note[2] && row[1] == std::to_string(ord)) {
          name = row[2];
        }
      }
      out << "  " << name << ": " << one_line(note[5].substr(start, end - start)) << "\n";
      if (end == std::string::npos) {
        break;
      }
      start = end + 1;
    }
    for (const auto& card : db.query("select c.ord, c.due, c.id, (select value ->> 'name' from "
                                     "col, json_each(col.decks) where key = c.did) from cards c "
                                     "where c.nid = " +
                                     note[1] + " order by c.ord")) {
      out << "  card ord " << card[0] << " due " << card[1] << " id " << card[2] << " deck \""
          << card[3] << "\"\n";
    }
  }
  return out.str();
}

}  // namespace

TEST_CASE("the sample deck matches its golden dump", "[anki][golden]") {
  anki_fixture::TempDir dir;
  dir.write("images/vec layout.png", anki_fixture::diagram_png());
  const model::Document document = anki_fixture::sample_document(dir.path());
  const anki::DeckResult deck = anki::make_deck(document, model::Layout{}, "", build_time);
  const auto entries = anki_fixture::unzip(deck.apkg.bytes);
  const auto* collection = anki_fixture::find_entry(entries, "collection.anki2");
  REQUIRE(collection != nullptr);
  std::string dump = dump_deck(anki_fixture::Database(collection->bytes));
  for (const auto& entry : entries) {
    if (entry.name != "collection.anki2") {
      dump += "zip " + entry.name + " " + std::to_string(entry.bytes.size()) + " bytes\n";
    }
  }
  booklet_fixture::check_golden("anki_sample_deck.txt", dump);
}
