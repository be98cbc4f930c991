// The whole deck: build .apkg bytes from a small Document, unzip them, open the collection
// with SQLite and check what Anki reads (structure, JSON key types, cards, identity, times).
#include <catch2/catch.hpp>

#include <set>

#include "anki/card_html.hpp"
#include "anki/deck.hpp"
#include "anki_fixture.hpp"
#include "model/layout.hpp"
#include "support.hpp"
#include "util/sha.hpp"

using anki_fixture::Database;
using anki_fixture::find_entry;
using anki_fixture::unzip;

namespace {

constexpr std::int64_t build_time = 1764000000;  // 2025-11-24
constexpr std::int64_t later_time = 1764500000;

struct Built {
  anki::DeckResult result;
  std::vector<anki_fixture::ZipEntry> entries;
  std::string database;
};

Built build(const model::Document& document, const std::string& lock = "",
            std::int64_t now = build_time, const model::Layout& layout = model::Layout{}) {
  Built built;
  model::Diagnostics lock_problems;
  anki::check_deck(document, lock, "anki.lock", lock_problems);
  REQUIRE_FALSE(lock_problems.has_errors());
  built.result = anki::make_deck(document, layout, lock, now);
  built.entries = unzip(built.result.apkg.bytes);
  const auto* collection = find_entry(built.entries, "collection.anki2");
  REQUIRE(collection != nullptr);
  built.database = collection->bytes;
  return built;
}

std::map<std::string, std::string> notes_by_source(const Database& db, const std::string& column) {
  // guid → column, with the guid computed independently from the stable ids.
  std::map<std::string, std::string> values;
  for (const auto& row : db.query("select guid, " + column + " from notes")) {
    values[row[0]] = row[1];
  }
  return values;
}

// The id of the pack's note type of `kind` ("basic", "cloze", "code") as the lock has it.
std::string type_id(const std::string& lock, const std::string& kind) {
  const std::size_t at = lock.find("\nnotetype " + kind + " ");
  REQUIRE(at != std::string::npos);
  const std::size_t start = at + 11 + kind.size();
  return lock.substr(start, lock.find(' ', start) - start);
}

// The note type ids the deck carries (the keys of col.models).
std::set<std::string> carried_types(const Database& db) {
  std::set<std::string> ids;
  for (const auto& row : db.query("select key from col, json_each(col.models)")) {
    ids.insert(row[0]);
  }
  return ids;
}

std::string guid_of(const std::string& topic, const std::string& card) {
  return util::sha256_hex("prepkit-note\x1ftest-book\x1f" + topic + "\x1f" + card).substr(0, 16);
}

}  // namespace

TEST_CASE("the package has collection.anki2, media and the numbered media files", "[anki]") {
  anki_fixture::TempDir dir;
  dir.write("images/vec layout.png", anki_fixture::diagram_png());
  const Built built = build(anki_fixture::sample_document(dir.path()));
  REQUIRE(built.entries.size() == 3);
  CHECK(built.entries[0].name == "collection.anki2");
  CHECK(built.entries[1].name == "media");
  CHECK(built.entries[2].name == "0");
  CHECK(built.entries[2].bytes == anki_fixture::diagram_png());
  const std::string name =
      "vec-layout-" + util::sha256_hex(anki_fixture::diagram_png()).substr(0, 10) + ".png";
  CHECK(built.entries[1].bytes == "{\"0\":\"" + name + "\"}");
  CHECK(built.result.apkg.name == "test-book.apkg");
  CHECK(built.result.apkg.summary == "5 notes, 7 cards");
  CHECK(built.database.starts_with(std::string("SQLite format 3\0", 16)));

  Database db(built.database);
  CHECK(db.value("select count() from notes where flds like '%<img src=\"" + name + "\"%'") == "1");
}

TEST_CASE("a deck without images still has a `media` entry", "[anki]") {
  anki_fixture::TempDir dir;
  model::Document document = anki_fixture::sample_document(dir.path());
  document.areas.pop_back();
  const Built built = build(document);
  REQUIRE(built.entries.size() == 2);
  CHECK(built.entries[1].name == "media");
  CHECK(built.entries[1].bytes == "{}");
}

TEST_CASE("the collection has Anki's schema 11 and passes SQLite's integrity check", "[anki]") {
  anki_fixture::TempDir dir;
  dir.write("images/vec layout.png", anki_fixture::diagram_png());
  const Built built = build(anki_fixture::sample_document(dir.path()));
  Database db(built.database);
  CHECK(db.value("pragma integrity_check") == "ok");
  CHECK(db.value("select group_concat(name, ',') from (select name from sqlite_master where "
                 "type = 'table' order by name)") == "cards,col,graves,notes,revlog");
  CHECK(db.value("select group_concat(name, ',') from (select name from sqlite_master where "
                 "type = 'index' and name like 'ix_%' order by name)") ==
        "ix_cards_nid,ix_cards_sched,ix_cards_usn,ix_notes_csum,ix_notes_usn,ix_revlog_cid,"
        "ix_revlog_usn");
  CHECK(db.value("select count() from col") == "1");
  CHECK(db.value("select ver from col") == "11");
  CHECK(db.value("select id || ' ' || dty || ' ' || usn || ' ' || ls || ' ' || tags from col") ==
        "1 0 0 0 {}");
  CHECK(db.value("select crt < 2000000000 and mod > 1000000000000 and scm = mod from col") == "1");
  CHECK(db.value("select count() from revlog") == "0");
  CHECK(db.value("select count() from graves") == "0");
}

TEST_CASE("col JSON blobs have every required key with its exact JSON type", "[anki]") {
  anki_fixture::TempDir dir;
  dir.write("images/vec layout.png", anki_fixture::diagram_png());
  const Built built = build(anki_fixture::sample_document(dir.path()));
  Database db(built.database);
  auto type_of = [&db](const std::string& column, const std::string& path) {
    return db.value("select coalesce(json_type(" + column + ", '" + path +
                    "'), 'missing') from col");
  };
  // conf
  for (const auto& [key, type] :
       std::vector<std::pair<std::string, std::string>>{{"activeDecks", "array"},
                                                        {"addToCur", "true"},
                                                        {"collapseTime", "integer"},
                                                        {"curDeck", "integer"},
                                                        {"curModel", "integer"},
                                                        {"dueCounts", "true"},
                                                        {"estTimes", "true"},
                                                        {"newBury", "true"},
                                                        {"newSpread", "integer"},
                                                        {"nextPos", "integer"},
                                                        {"sortBackwards", "false"},
                                                        {"sortType", "text"},
                                                        {"timeLim", "integer"}}) {
    INFO("conf." << key);
    CHECK(type_of("conf", "$." + key) == type);
  }
  CHECK(db.value("select json_extract(conf, '$.nextPos') from col") == "8");

  // models
  const auto model_ids = db.query("select key from col, json_each(col.models)");
  REQUIRE(model_ids.size() == 3);
  for (const auto& row : model_ids) {
    const std::string m = "$.\"" + row[0] + "\"";
    for (const auto& [key, type] :
         std::vector<std::pair<std::string, std::string>>{{"id", "integer"},
                                                          {"name", "text"},
                                                          {"type", "integer"},
                                                          {"mod", "integer"},
                                                          {"usn", "integer"},
                                                          {"sortf", "integer"},
                                                          {"did", "integer"},
                                                          {"css", "text"},
                                                          {"latexPre", "text"},
                                                          {"latexPost", "text"},
                                                          {"latexsvg", "false"},
                                                          {"tags", "array"},
                                                          {"vers", "array"},
                                                          {"flds", "array"},
                                                          {"tmpls", "array"}}) {
      INFO("model " << row[0] << " key " << key);
      CHECK(type_of("models", m + "." + key) == type);
    }
    CHECK(db.value("select json_extract(models, '" + m + ".id') = " + row[0] + " from col") == "1");
    const int fields =
        std::stoi(db.value("select json_array_length(models, '" + m + ".flds') from col"));
    for (int f = 0; f < fields; ++f) {
      const std::string field = m + ".flds[" + std::to_string(f) + "]";
      for (const auto& [key, type] :
           std::vector<std::pair<std::string, std::string>>{{"name", "text"},
                                                            {"ord", "integer"},
                                                            {"sticky", "false"},
                                                            {"rtl", "false"},
                                                            {"font", "text"},
                                                            {"size", "integer"},
                                                            {"media", "array"},
                                                            {"id", "integer"}}) {
        INFO(field << " key " << key);
        CHECK(type_of("models", field + "." + key) == type);
      }
      CHECK(db.value("select json_extract(models, '" + field + ".ord') from col") ==
            std::to_string(f));
    }
    const int templates =
        std::stoi(db.value("select json_array_length(models, '" + m + ".tmpls') from col"));
    for (int t = 0; t < templates; ++t) {
      const std::string tmpl = m + ".tmpls[" + std::to_string(t) + "]";
      for (const auto& [key, type] :
           std::vector<std::pair<std::string, std::string>>{{"name", "text"},
                                                            {"ord", "integer"},
                                                            {"qfmt", "text"},
                                                            {"afmt", "text"},
                                                            {"bqfmt", "text"},
                                                            {"bafmt", "text"},
                                                            {"did", "null"},
                                                            {"bfont", "text"},
                                                            {"bsize", "integer"},
                                                            {"id", "integer"}}) {
        INFO(tmpl << " key " << key);
        CHECK(type_of("models", tmpl + "." + key) == type);
      }
    }
    const std::string model_type =
        db.value("select json_extract(models, '" + m + ".type') from col");
    CHECK(type_of("models", m + ".req") == (model_type == "0" ? "array" : "missing"));
  }

  // decks
  const auto deck_ids = db.query("select key from col, json_each(col.decks)");
  CHECK(deck_ids.size() == 2);  // Default and the root
  for (const auto& row : deck_ids) {
    const std::string d = "$.\"" + row[0] + "\"";
    for (const auto& [key, type] :
         std::vector<std::pair<std::string, std::string>>{{"id", "integer"},
                                                          {"name", "text"},
                                                          {"mod", "integer"},
                                                          {"usn", "integer"},
                                                          {"collapsed", "false"},
                                                          {"browserCollapsed", "false"},
                                                          {"dyn", "integer"},
                                                          {"conf", "integer"},
                                                          {"desc", "text"},
                                                          {"extendNew", "integer"},
                                                          {"extendRev", "integer"},
                                                          {"lrnToday", "array"},
                                                          {"revToday", "array"},
                                                          {"newToday", "array"},
                                                          {"timeToday", "array"}}) {
      INFO("deck " << row[0] << " key " << key);
      CHECK(type_of("decks", d + "." + key) == type);
    }
  }
  CHECK(db.value("select json_extract(decks, '$.\"1\".name') from col") == "Default");

  // dconf
  for (const auto& [key, type] :
       std::vector<std::pair<std::string, std::string>>{{"id", "integer"},
                                                        {"name", "text"},
                                                        {"mod", "integer"},
                                                        {"usn", "integer"},
                                                        {"maxTaken", "integer"},
                                                        {"autoplay", "true"},
                                                        {"replayq", "true"},
                                                        {"timer", "integer"},
                                                        {"dyn", "false"},
                                                        {"new", "object"},
                                                        {"rev", "object"},
                                                        {"lapse", "object"},
                                                        {"new.delays", "array"},
                                                        {"rev.ease4", "real"},
                                                        {"rev.fuzz", "real"},
                                                        {"lapse.leechFails", "integer"}}) {
    INFO("dconf." << key);
    CHECK(type_of("dconf", "$.\"1\"." + key) == type);
  }
}

TEST_CASE("every note has as many fields as its type, and exactly Anki's cards", "[anki]") {
  anki_fixture::TempDir dir;
  dir.write("images/vec layout.png", anki_fixture::diagram_png());
  const Built built = build(anki_fixture::sample_document(dir.path()));
  Database db(built.database);
  const auto notes = db.query(
      "select n.guid, n.flds, json_array_length(c.models, '$.\"' || n.mid || '\".flds'), "
      "(select group_concat(ord, ',') from (select ord from cards where nid = n.id order by ord)) "
      "from notes n, col c");
  REQUIRE(notes.size() == 5);
  std::map<std::string, std::string> cards_by_guid;
  for (const auto& row : notes) {
    const std::size_t separators =
        static_cast<std::size_t>(std::count(row[1].begin(), row[1].end(), '\x1f'));
    CHECK(separators + 1 == static_cast<std::size_t>(std::stoi(row[2])));
    cards_by_guid[row[0]] = row[3];
  }
  CHECK(cards_by_guid.at(guid_of("ownership", "owner-count")) == "0,1");  // reverse: true
  CHECK(cards_by_guid.at(guid_of("ownership", "escaping")) == "0");
  CHECK(cards_by_guid.at(guid_of("ownership", "swap-cloze")) == "0,1");  // c1, c2
  CHECK(cards_by_guid.at(guid_of("ownership", "use-after-move")) == "0");
  CHECK(cards_by_guid.at(guid_of("collections", "layout")) == "0");

  CHECK(db.value("select count(distinct id) from cards") == "7");
  CHECK(
      db.value("select count() from cards where type != 0 or queue != 0 or usn != -1 or ivl != 0 "
               "or factor != 0 or reps != 0 or lapses != 0 or left != 0 or odue != 0 or odid != 0 "
               "or flags != 0 or data != ''") == "0");
  CHECK(db.value("select count() from notes where usn != -1 or flags != 0 or data != ''") == "0");
  // sfld as Anki computes it from the stripped sort field (the code, for code notes: most
  // of them ask the same question), csum from the stripped first field.
  const std::string code_type = type_id(built.result.lock_text, "code");
  for (const auto& row : db.query("select flds, sfld, csum, mid from notes")) {
    const std::string first = row[0].substr(0, row[0].find('\x1f'));
    const std::string stripped = anki::strip_html_media(first);
    if (row[3] == code_type) {
      const std::size_t start = row[0].find('\x1f') + 1;
      CHECK(row[1] ==
            anki::strip_html_media(row[0].substr(start, row[0].find('\x1f', start) - start)));
      CHECK(row[1].starts_with("let s = String::from"));
    } else {
      CHECK(row[1] == stripped);
    }
    CHECK(row[2] == std::to_string(std::stoul(util::sha1_hex(stripped).substr(0, 8), nullptr, 16)));
  }
}

TEST_CASE("cards are due in book order; ids are ms-style, unique and in the past", "[anki]") {
  anki_fixture::TempDir dir;
  dir.write("images/vec layout.png", anki_fixture::diagram_png());
  const Built built = build(anki_fixture::sample_document(dir.path()));
  Database db(built.database);
  const auto cards = db.query(
      "select c.due, n.guid, c.ord, c.id, n.id from cards c join notes n "
      "on n.id = c.nid order by c.due");
  REQUIRE(cards.size() == 7);
  const std::vector<std::pair<std::string, std::string>> expected = {
      {guid_of("ownership", "owner-count"), "0"}, {guid_of("ownership", "owner-count"), "1"},
      {guid_of("ownership", "escaping"), "0"},    {guid_of("ownership", "swap-cloze"), "0"},
      {guid_of("ownership", "swap-cloze"), "1"},  {guid_of("ownership", "use-after-move"), "0"},
      {guid_of("collections", "layout"), "0"}};
  for (std::size_t i = 0; i < cards.size(); ++i) {
    CHECK(cards[i][0] == std::to_string(i + 1));
    CHECK(cards[i][1] == expected[i].first);
    CHECK(cards[i][2] == expected[i].second);
    const std::int64_t card_id = std::stoll(cards[i][3]);
    const std::int64_t note_id = std::stoll(cards[i][4]);
    CHECK(card_id == note_id + std::stoi(cards[i][2]));
    CHECK(card_id < build_time * 1000);
    CHECK(note_id > (build_time - 86400) * 1000);
  }
  CHECK(db.value("select count(distinct id) from notes") == "5");
  CHECK(db.value("select count() from notes where mod != " + std::to_string(build_time)) == "0");
}

TEST_CASE("decks: every card in the one root deck; nested roots get their parents", "[anki]") {
  anki_fixture::TempDir dir;
  dir.write("images/vec layout.png", anki_fixture::diagram_png());
  model::Document document = anki_fixture::sample_document(dir.path());
  const Built built = build(document);
  Database db(built.database);
  const auto rows = db.query(
      "select value ->> 'name', value ->> 'id', value ->> 'desc' from col, "
      "json_each(col.decks) order by 1");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0][0] == "Default");
  CHECK(rows[1][0] == "Test Deck");
  CHECK(rows[1][1] != "1");
  CHECK(std::stoll(rows[1][1]) < build_time * 1000);
  CHECK(rows[1][2] == "Ownership &amp; friends<br><br>Read, then review.");
  CHECK(db.value("select count(distinct did) from cards") == "1");
  CHECK(db.value("select did from cards limit 1") == rows[1][1]);
  CHECK(db.value("select json_extract(models, '$.\"" + type_id(built.result.lock_text, "basic") +
                 "\".did') from col") == rows[1][1]);

  document.book.deck = "Programming::Rust";
  Database nested(build(document).database);
  CHECK(nested.value("select group_concat(name, '|') from (select value ->> 'name' as name from "
                     "col, json_each(col.decks) order by 1)") ==
        "Default|Programming|Programming::Rust");
  CHECK(nested.value("select count(distinct did) from cards") == "1");
}

TEST_CASE("tags: where the card belongs (pack::area::topic) and sanitised content tags", "[anki]") {
  anki_fixture::TempDir dir;
  dir.write("images/vec layout.png", anki_fixture::diagram_png());
  const Built built = build(anki_fixture::sample_document(dir.path()));
  Database db(built.database);
  const auto tags = notes_by_source(db, "tags");
  CHECK(tags.at(guid_of("ownership", "owner-count")) ==
        " borrow-checker moves std-mem test-book::core::ownership ");
  CHECK(tags.at(guid_of("collections", "layout")) == " memory test-book::data::collections ");
}

TEST_CASE("fields: escaped prose, cloze-safe text, highlighted code, section reference", "[anki]") {
  anki_fixture::TempDir dir;
  dir.write("images/vec layout.png", anki_fixture::diagram_png());
  const Built built = build(anki_fixture::sample_document(dir.path()));
  Database db(built.database);
  const auto fields = notes_by_source(db, "flds");
  auto split = [](const std::string& joined) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (std::size_t at = joined.find('\x1f'); at != std::string::npos;
         start = at + 1, at = joined.find('\x1f', start)) {
      parts.push_back(joined.substr(start, at - start));
    }
    parts.push_back(joined.substr(start));
    return parts;
  };
  const auto basic = split(fields.at(guid_of("ownership", "owner-count")));
  CHECK(basic == std::vector<std::string>{"How many owners does a value have?", "Exactly one.", "",
                                          "Ownership and moves", "The rules", "y"});
  const auto escaping = split(fields.at(guid_of("ownership", "escaping")));
  CHECK(escaping[0] ==
        "What does <code>fn f(v: &amp;mut Vec&lt;T&gt;)</code> take? See <span "
        "class=\"xref\">moves</span> and <a href=\"https://doc.rust-lang.org/\">the docs</a>");
  CHECK(escaping[1] ==
        "A unique borrow of a Vec&lt;T&gt; &amp; nothing else; &#123;&#123;not a "
        "field&#125;&#125; &#91;sound:x] &#92;(x&#92;)");
  CHECK(escaping[3] == "Ownership and moves");
  CHECK(escaping[4].empty());  // no section: the topic alone says where
  const auto cloze = split(fields.at(guid_of("ownership", "swap-cloze")));
  REQUIRE(cloze.size() == 4);
  const std::string colon = "<span class=\"cz\">:</span>";
  const std::string open = "<span class=\"cz\">&#123;</span>";
  const std::string close = "<span class=\"cz\">&#125;</span>";
  CHECK(cloze[0] == "Use {{c1::<code>std" + colon + colon + "mem" + colon + colon +
                        "swap</code>}} to exchange two values; {{c2::<code>format!(&quot;" + open +
                        open + close + close + "&quot;)</code>::a macro}} prints braces.");
  CHECK(cloze[1] == "Both are in the standard library.");
  const auto code = split(fields.at(guid_of("ownership", "use-after-move")));
  REQUIRE(code.size() == 6);
  CHECK(
      code[1].starts_with("<pre><code class=\"lang-rust\"><span class=\"ln\"><span "
                          "class=\"ind\"></span><span class=\"tx\"><span "
                          "class=\"hl-keyword\">let</span>"));
  CHECK(code[1].find('}') == std::string::npos);
  CHECK(code[5] == "The rules");
}

TEST_CASE("identical input gives identical bytes", "[anki]") {
  anki_fixture::TempDir dir;
  dir.write("images/vec layout.png", anki_fixture::diagram_png());
  const model::Document document = anki_fixture::sample_document(dir.path());
  const Built a = build(document);
  const Built b = build(document);
  CHECK(a.result.apkg.bytes == b.result.apkg.bytes);
  CHECK(a.result.lock_text == b.result.lock_text);
  // With the lock of the first build, a later build of the same content is identical too:
  // time enters only through changed notes.
  const Built c = build(document, a.result.lock_text, later_time);
  CHECK(c.result.apkg.bytes == a.result.apkg.bytes);
  CHECK(c.result.lock_text == a.result.lock_text);
}

TEST_CASE("GUIDs depend on stable ids only, not on content", "[anki]") {
  anki_fixture::TempDir dir;
  dir.write("images/vec layout.png", anki_fixture::diagram_png());
  model::Document document = anki_fixture::sample_document(dir.path());
  const Built before = build(document);
  document.areas[0].topics[0].cards[0].front = anki_fixture::text("Completely new wording");
  document.areas[0].topics[0].title = "Renamed topic";
  const Built after = build(document, before.result.lock_text, later_time);
  Database db_before(before.database);
  Database db_after(after.database);
  CHECK(
      db_before.value(
          "select group_concat(guid, ',') from (select guid from notes order by guid)") ==
      db_after.value("select group_concat(guid, ',') from (select guid from notes order by guid)"));
  // Another book with the same text gets other GUIDs (no collisions across decks).
  document.book.slug = "other-book";
  const Built other = build(document);
  Database db_other(other.database);
  CHECK(db_other.value("select count() from notes where guid in ('" +
                       guid_of("ownership", "owner-count") + "', '" +
                       guid_of("collections", "layout") + "')") == "0");
}

TEST_CASE("mod moves only for edited and new notes; the lock round-trips", "[anki]") {
  anki_fixture::TempDir dir;
  dir.write("images/vec layout.png", anki_fixture::diagram_png());
  model::Document document = anki_fixture::sample_document(dir.path());
  const Built first = build(document);

  // Edit one card, add one card.
  document.areas[0].topics[0].cards[1].back = anki_fixture::text("Edited answer.");
  document.areas[1].topics[0].cards.push_back(
      anki_fixture::basic_card("new-card", "A new question?", "A new answer."));
  const Built second = build(document, first.result.lock_text, later_time);
  Database db1(first.database);
  Database db2(second.database);
  const auto mod1 = notes_by_source(db1, "mod");
  const auto mod2 = notes_by_source(db2, "mod");
  const auto id1 = notes_by_source(db1, "id");
  const auto id2 = notes_by_source(db2, "id");
  REQUIRE(mod2.size() == mod1.size() + 1);
  for (const auto& [guid, mod] : mod2) {
    INFO(guid);
    if (guid == guid_of("ownership", "escaping") || guid == guid_of("collections", "new-card")) {
      CHECK(mod == std::to_string(later_time));
    } else {
      CHECK(mod == mod1.at(guid));
    }
    if (id1.contains(guid)) {
      CHECK(id2.at(guid) == id1.at(guid));  // note ids (first seen) never change
    }
  }
  const std::int64_t new_id = std::stoll(id2.at(guid_of("collections", "new-card")));
  CHECK(new_id < later_time * 1000);
  CHECK(new_id > build_time * 1000);
  // The new card is last in book order.
  CHECK(db2.value("select n.guid from cards c join notes n on n.id = c.nid order by c.due desc "
                  "limit 1") == guid_of("collections", "new-card"));
  // Cards of unchanged notes keep their mod too.
  CHECK(
      db2.value("select mod from cards where nid = " + id2.at(guid_of("ownership", "owner-count")) +
                " limit 1") == std::to_string(build_time));
  // Note types did not change.
  const std::string basic_mod = "select json_extract(models, '$.\"" +
                                type_id(first.result.lock_text, "basic") + "\".mod') from col";
  CHECK(db1.value(basic_mod) == db2.value(basic_mod));
  // A third build from the second lock changes nothing.
  const Built third = build(document, second.result.lock_text, later_time + 999);
  CHECK(third.result.apkg.bytes == second.result.apkg.bytes);
}

TEST_CASE("restyling moves the note types' mod, not the notes'", "[anki]") {
  anki_fixture::TempDir dir;
  dir.write("images/vec layout.png", anki_fixture::diagram_png());
  const model::Document document = anki_fixture::sample_document(dir.path());
  const Built first = build(document);
  model::Layout restyled;
  restyled.colors.accent = {0.1, 0.5, 0.1};
  const Built second = build(document, first.result.lock_text, later_time, restyled);
  Database db1(first.database);
  Database db2(second.database);
  for (const char* kind : {"basic", "cloze", "code"}) {
    const std::string path = "'$.\"" + type_id(first.result.lock_text, kind) + "\".mod'";
    CHECK(db1.value("select json_extract(models, " + path + ") from col") ==
          std::to_string(build_time));
    CHECK(db2.value("select json_extract(models, " + path + ") from col") ==
          std::to_string(later_time));
  }
  CHECK(db2.value("select max(mod) from notes") == std::to_string(build_time));
}

TEST_CASE("the deck carries only the note types its notes use, the lock all three", "[anki]") {
  anki_fixture::TempDir dir;
  dir.write("images/vec layout.png", anki_fixture::diagram_png());
  const model::Document with_code = anki_fixture::sample_document(dir.path());
  model::Document without_code = with_code;
  std::erase_if(without_code.areas[0].topics[0].cards,
                [](const model::Card& card) { return card.kind == model::CardKind::code; });
  const Built first = build(without_code);
  const std::string& lock = first.result.lock_text;
  const std::string code_id = type_id(lock, "code");
  Database db1(first.database);
  CHECK(carried_types(db1) ==
        std::set<std::string>{type_id(lock, "basic"), type_id(lock, "cloze")});
  CHECK(db1.value("select json_extract(conf, '$.curModel') from col") == type_id(lock, "basic"));

  // The first code card brings the Code type exactly as a deck that always had it.
  const Built always = build(with_code);
  const Built second = build(with_code, lock, later_time);
  CHECK(type_id(always.result.lock_text, "code") == code_id);
  CHECK(type_id(second.result.lock_text, "code") == code_id);
  const std::string code_json = "select json_extract(models, '$.\"" + code_id + "\"') from col";
  const std::string always_code = Database(always.database).value(code_json);
  CHECK(always_code.find("\"mod\":" + std::to_string(build_time)) != std::string::npos);
  CHECK(Database(second.database).value(code_json) == always_code);

  // Removed again: its tombstone is a Code note, so the type stays.
  const Built third = build(without_code, second.result.lock_text, later_time + 100);
  Database db3(third.database);
  CHECK(db3.value(code_json) == always_code);
  CHECK(db3.value("select count() from notes where mid = " + code_id) == "1");

  // Restyled while absent: the lock moves the Code type's mod, so the style comes with it.
  model::Layout restyled;
  restyled.colors.accent = {0.1, 0.5, 0.1};
  const Built restyled_build = build(without_code, lock, later_time, restyled);
  const std::string code_line = "\nnotetype code " + code_id + " ";
  const std::size_t at = restyled_build.result.lock_text.find(code_line);
  REQUIRE(at != std::string::npos);
  const std::string line = restyled_build.result.lock_text.substr(
      at + 1, restyled_build.result.lock_text.find('\n', at + 1) - at - 1);
  CHECK(line.ends_with(" " + std::to_string(later_time)));

  // A cloze-only deck names its Cloze type as the current one; a deck without notes keeps
  // Basic (a collection without note types fails Anki's integrity check).
  model::Document cloze_only = without_code;
  model::Document no_cards = without_code;
  for (std::size_t a = 0; a < cloze_only.areas.size(); ++a) {
    for (std::size_t t = 0; t < cloze_only.areas[a].topics.size(); ++t) {
      std::erase_if(cloze_only.areas[a].topics[t].cards,
                    [](const model::Card& card) { return card.kind != model::CardKind::cloze; });
      no_cards.areas[a].topics[t].cards.clear();
    }
  }
  Database cloze_db(build(cloze_only).database);
  CHECK(carried_types(cloze_db) == std::set<std::string>{type_id(lock, "cloze")});
  CHECK(cloze_db.value("select json_extract(conf, '$.curModel') from col") ==
        type_id(lock, "cloze"));
  const Built empty = build(no_cards);
  CHECK(carried_types(Database(empty.database)) == std::set<std::string>{type_id(lock, "basic")});
  CHECK(empty.result.lock_text.find("\nnotetype code " + code_id + " ") != std::string::npos);
}

TEST_CASE("a card keeps its note when it moves, its topic is renamed or the slug changes",
          "[anki]") {
  anki_fixture::TempDir dir;
  dir.write("images/vec layout.png", anki_fixture::diagram_png());
  model::Document document = anki_fixture::sample_document(dir.path());
  const Built first = build(document);
  Database db1(first.database);
  const std::string guids =
      "select group_concat(guid, ',') from (select guid from notes order by guid)";
  // Move "owner-count" from ownership to collections, rename topic and slug.
  model::Topic& ownership = document.areas[0].topics[0];
  model::Card moved = ownership.cards[0];
  moved.section.clear();
  ownership.cards.erase(ownership.cards.begin());
  document.areas[1].topics[0].cards.push_back(moved);
  ownership.title = "Owning things";
  document.book.slug = "renamed-book";
  const Built second = build(document, first.result.lock_text, later_time);
  Database db2(second.database);
  CHECK(db2.value(guids) == db1.value(guids));
  CHECK(second.result.removed.empty());
  // The moved note is tagged where it is now, under the pack's first tag root.
  CHECK(db2.value("select tags from notes where guid = '" + guid_of("ownership", "owner-count") +
                  "'") == " borrow-checker moves std-mem test-book::data::collections ");
  CHECK(second.result.lock_text.find(" collections/owner-count\n") != std::string::npos);
  // Note types keep their ids too.
  CHECK(type_id(second.result.lock_text, "cloze") == type_id(first.result.lock_text, "cloze"));
  // Without the lock, the new slug is another pack: other GUIDs and other note types.
  const Built other = build(document);
  CHECK(Database(other.database).value(guids) != db1.value(guids));
  CHECK(type_id(other.result.lock_text, "cloze") != type_id(first.result.lock_text, "cloze"));
}

TEST_CASE("a removed card is reported and comes back as a tombstone; a renamed one gets the fix",
          "[anki]") {
  anki_fixture::TempDir dir;
  dir.write("images/vec layout.png", anki_fixture::diagram_png());
  model::Document document = anki_fixture::sample_document(dir.path());
  const Built first = build(document);
  model::Topic& ownership = document.areas[0].topics[0];
  ownership.cards.erase(ownership.cards.begin() + 2);  // swap-cloze
  ownership.cards[0].id = "owners";                    // renamed: owner-count
  model::Diagnostics diagnostics;
  anki::check_deck(document, first.result.lock_text, "content/anki.lock", diagnostics);
  std::vector<std::string> messages = test_support::formatted(diagnostics);
  REQUIRE(messages.size() == 2);
  const std::size_t line_owner = static_cast<std::size_t>(
      std::count(first.result.lock_text.begin(),
                 first.result.lock_text.begin() +
                     static_cast<long>(first.result.lock_text.find(" ownership/owner-count")),
                 '\n') +
      1);
  CHECK(messages[0].find("content/anki.lock:") == 0);
  const std::string owner_message =
      messages[0].find("owner-count") != std::string::npos ? messages[0] : messages[1];
  CHECK(owner_message ==
        "content/anki.lock:" + std::to_string(line_owner) +
            ":1: warning: card 'ownership/owner-count' left the content since the lock was "
            "written\n  hint: if 'ownership/owners' is this card renamed, rename it back, or keep "
            "its note: in content/anki.lock delete the line ending in ' ownership/owners' (if "
            "there is one), change ' ownership/owner-count' to ' ownership/owners' and build "
            "again; otherwise the new deck tags its note test-book::removed; after importing, "
            "delete what Anki's browser finds with tag:test-book::removed");

  const Built second = build(document, first.result.lock_text, later_time);
  CHECK(std::set<std::string>(second.result.removed.begin(), second.result.removed.end()) ==
        std::set<std::string>{"ownership/owner-count", "ownership/swap-cloze"});
  Database db(second.database);
  // Tombstones: same GUID and note type, tagged, mod = the build that saw them leave.
  const auto tombstones = db.query(
      "select guid, mid, mod, flds from notes where tags = ' test-book::removed ' order by guid");
  REQUIRE(tombstones.size() == 2);
  Database db1(first.database);
  for (const auto& row : tombstones) {
    CHECK(row[1] == db1.value("select mid from notes where guid = '" + row[0] + "'"));
    CHECK(row[2] == std::to_string(later_time));
  }
  CHECK(db.value("select flds from notes where guid = '" + guid_of("ownership", "swap-cloze") + "'")
            .starts_with("{{c1::Removed from Test Deck (ownership/swap-cloze)}}"));
  CHECK(second.result.apkg.summary == "4 notes, 5 cards, 2 tagged test-book::removed");
  // Only the new note and the tombstones are newer than the first build.
  CHECK(db.value("select count() from notes where mod > " + std::to_string(build_time)) == "3");
  // A later build keeps the tombstones as they are and reports nothing again.
  model::Diagnostics later;
  anki::check_deck(document, second.result.lock_text, "content/anki.lock", later);
  CHECK(later.all().empty());
  const Built third = build(document, second.result.lock_text, later_time + 100);
  CHECK(third.result.apkg.bytes == second.result.apkg.bytes);
  CHECK(third.result.removed.empty());
}

TEST_CASE("check_deck warns of two cards that ask the same, which Anki calls duplicates",
          "[anki]") {
  anki_fixture::TempDir dir;
  dir.write("images/vec layout.png", anki_fixture::diagram_png());
  model::Document document = anki_fixture::sample_document(dir.path());
  model::Topic& topic = document.areas[0].topics[0];
  model::Card first = anki_fixture::basic_card("first", "", "A");
  first.front = anki_fixture::paragraph({anki_fixture::run("What is "),
                                         anki_fixture::run("moved", model::style_italic),
                                         anki_fixture::run("?")});
  first.where = {"topics/ownership.yaml", 60, 5};
  model::Card again = anki_fixture::basic_card("again", "What is moved?", "B");  // Anki: the same
  again.where = {"topics/ownership.yaml", 70, 5};
  model::Card other = anki_fixture::basic_card("other", "What is copied?", "C");
  model::Card cloze = anki_fixture::basic_card("cloze", "", "");
  cloze.kind = model::CardKind::cloze;
  cloze.text =
      anki_fixture::paragraph({anki_fixture::run("What is "), anki_fixture::cloze(1, "moved")});
  cloze.where = {"topics/ownership.yaml", 75, 5};
  model::Card cloze_again = cloze;
  cloze_again.id = "cloze-again";
  cloze_again.where = {"topics/ownership.yaml", 80, 5};
  // The same sentence with another deletion is another note to Anki.
  model::Card cloze_other = cloze;
  cloze_other.id = "cloze-other";
  cloze_other.text =
      anki_fixture::paragraph({anki_fixture::cloze(1, "What is "), anki_fixture::run("moved")});
  topic.cards.insert(topic.cards.end(), {first, again, other, cloze, cloze_again, cloze_other});
  model::Diagnostics diagnostics;
  anki::check_deck(document, "", "content/anki.lock", diagnostics);
  std::vector<std::string> messages = test_support::formatted(diagnostics);
  CHECK(messages ==
        std::vector<std::string>{
            "topics/ownership.yaml:70:5: warning: card 'ownership/again' asks what card "
            "'ownership/first' asks\n  hint: Anki shows the two notes as duplicates; merge them or "
            "tell them apart "
            "(topics/ownership.yaml:60:5)",
            "topics/ownership.yaml:80:5: warning: card 'ownership/cloze-again' asks what card "
            "'ownership/cloze' asks\n  hint: Anki shows the two notes as duplicates; merge them "
            "or tell them apart (topics/ownership.yaml:75:5)"});
}

TEST_CASE("check_deck reports deck-only content problems with locations", "[anki]") {
  anki_fixture::TempDir dir;
  dir.write("images/vec layout.png", anki_fixture::diagram_png());
  model::Document document = anki_fixture::sample_document(dir.path());
  {
    model::Diagnostics diagnostics;
    anki::check_deck(document, "", "content/anki.lock", diagnostics);
    CHECK(diagnostics.all().empty());
  }
  model::Topic& topic = document.areas[0].topics[0];
  model::Card no_deletion;
  no_deletion.id = "plain-cloze";
  no_deletion.kind = model::CardKind::cloze;
  no_deletion.text = anki_fixture::text("Nothing hidden.");
  no_deletion.where = {"topics/ownership.yaml", 60, 5};
  topic.cards.push_back(no_deletion);
  model::Card outside = anki_fixture::basic_card("escape", "Q", "A");
  outside.back = {anki_fixture::image_block("../secret.png", "x")};
  outside.where = {"topics/ownership.yaml", 70, 5};
  topic.cards.push_back(outside);
  model::Card missing = anki_fixture::basic_card("missing", "Q2", "A");
  missing.back = {anki_fixture::image_block("images/none.png", "x")};
  missing.back[0].where = {"topics/ownership.yaml", 81, 9};
  std::get<model::Image>(missing.back[0].node).where = {"topics/ownership.yaml", 81, 9};
  missing.where = {"topics/ownership.yaml", 80, 5};
  topic.cards.push_back(missing);
  model::Card empty_front = anki_fixture::basic_card("empty", "", "A");
  empty_front.where = {"topics/ownership.yaml", 90, 5};
  topic.cards.push_back(empty_front);
  model::Card spaces_front = anki_fixture::basic_card("spaces", " \t ", "A");
  spaces_front.where = {"topics/ownership.yaml", 92, 5};
  topic.cards.push_back(spaces_front);
  model::Card picture_front = anki_fixture::basic_card("picture", "", "A");
  picture_front.front = {anki_fixture::image_block("images/vec layout.png", "")};
  picture_front.where = {"topics/ownership.yaml", 93, 5};
  topic.cards.push_back(picture_front);  // a picture without alt text is still a front
  model::Card bad_section = anki_fixture::basic_card("bad-section", "Q3", "A");
  bad_section.section = "nope";
  bad_section.where = {"topics/ownership.yaml", 95, 5};
  topic.cards.push_back(bad_section);

  model::Diagnostics diagnostics;
  anki::check_deck(document, "note x\n", "content/anki.lock", diagnostics);
  std::vector<std::string> messages;
  for (const auto& diagnostic : diagnostics.sorted()) {
    messages.push_back(model::format_diagnostic(diagnostic)
                           .substr(0, model::format_diagnostic(diagnostic).find('\n')));
  }
  CHECK(messages ==
        std::vector<std::string>{
            "content/anki.lock:1:1: error: a note line needs 6 values (guid, hash, mod, "
            "first-seen, kind, source), found 1",
            "topics/ownership.yaml:60:5: error: cloze card 'plain-cloze' has no deletion",
            "topics/ownership.yaml:70:5: error: image '../secret.png' is outside the "
            "content folder",
            "topics/ownership.yaml:81:9: error: image 'images/none.png' does not exist",
            "topics/ownership.yaml:90:5: error: card 'empty' has an empty front",
            "topics/ownership.yaml:92:5: error: card 'spaces' has an empty front",
            "topics/ownership.yaml:95:5: error: card 'bad-section' names section "
            "'nope', which topic 'ownership' does not have",
        });
}
