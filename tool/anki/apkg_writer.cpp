#include "anki/apkg_writer.hpp"

#include <sqlite3.h>
#include <zip.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>

#include "util/deflate.hpp"
#include "util/error.hpp"
#include "util/json_writer.hpp"

namespace anki {
namespace {

// Anki 2.1's own schema (anki/storage.py): 5 tables, 7 indexes, declared types as Anki has.
constexpr const char* tables_sql = R"sql(
create table col (
    id integer primary key, crt integer not null, mod integer not null, scm integer not null,
    ver integer not null, dty integer not null, usn integer not null, ls integer not null,
    conf text not null, models text not null, decks text not null, dconf text not null,
    tags text not null);
create table notes (
    id integer primary key, guid text not null, mid integer not null, mod integer not null,
    usn integer not null, tags text not null, flds text not null, sfld integer not null,
    csum integer not null, flags integer not null, data text not null);
create table cards (
    id integer primary key, nid integer not null, did integer not null, ord integer not null,
    mod integer not null, usn integer not null, type integer not null, queue integer not null,
    due integer not null, ivl integer not null, factor integer not null, reps integer not null,
    lapses integer not null, left integer not null, odue integer not null, odid integer not null,
    flags integer not null, data text not null);
create table revlog (
    id integer primary key, cid integer not null, usn integer not null, ease integer not null,
    ivl integer not null, lastIvl integer not null, factor integer not null,
    time integer not null, type integer not null);
create table graves (usn integer not null, oid integer not null, type integer not null);
)sql";
// Built after the rows are in: one sorted pass instead of a B-tree insert per row.
constexpr const char* indexes_sql = R"sql(
create index ix_notes_usn on notes (usn);
create index ix_cards_usn on cards (usn);
create index ix_revlog_usn on revlog (usn);
create index ix_cards_nid on cards (nid);
create index ix_cards_sched on cards (did, queue, due);
create index ix_revlog_cid on revlog (cid);
create index ix_notes_csum on notes (csum);
)sql";

constexpr int schema_version = 11;

// 2020-01-01 00:00:00 as an MS-DOS date/time: set directly, so no time zone is involved.
constexpr zip_uint16_t dos_date = ((2020 - 1980) << 9) | (1 << 5) | 1;
constexpr zip_uint16_t dos_time = 0;

class Database {
 public:
  // On the memdb VFS the database file is one buffer, which file_bytes() hands out as it is.
  // One thread uses the connection: no mutex around every call.
  Database() {
    constexpr int flags =
        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2("file:collection.anki2?vfs=memdb", &m_db, flags, nullptr) != SQLITE_OK) {
      const std::string reason = m_db != nullptr ? sqlite3_errmsg(m_db) : "out of memory";
      sqlite3_close(m_db);
      throw util::ToolError("failed to create the Anki collection database: " + reason);
    }
  }
  ~Database() { sqlite3_close(m_db); }
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  void exec(const char* sql) {
    char* message = nullptr;
    if (sqlite3_exec(m_db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
      const std::string reason = message != nullptr ? message : sqlite3_errmsg(m_db);
      sqlite3_free(message);
      throw util::ToolError("failed to build the Anki collection database: " + reason);
    }
  }

  // The memdb VFS keeps the file in one buffer that doubles as it fills: a collection just
  // past a power of two would take twice its size, after copies of every smaller one.
  // Starting from a buffer of the expected size makes it one allocation.
  void reserve(std::size_t bytes) {
    auto* buffer = static_cast<unsigned char*>(sqlite3_malloc64(bytes));
    constexpr unsigned flags = SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE;
    if (buffer == nullptr ||
        sqlite3_deserialize(m_db, "main", buffer, 0, static_cast<sqlite3_int64>(bytes), flags) !=
            SQLITE_OK) {
      fail("reserve memory");  // (a failed deserialize has freed the buffer)
    }
  }

  [[nodiscard]] sqlite3* handle() const { return m_db; }

  // The database file, no copy made: valid while the database is open and unchanged.
  std::string_view file_bytes() const {
    sqlite3_int64 size = 0;
    const unsigned char* data = sqlite3_serialize(m_db, "main", &size, SQLITE_SERIALIZE_NOCOPY);
    if (data == nullptr) {
      fail("serialise the database");
    }
    return {reinterpret_cast<const char*>(data), static_cast<std::size_t>(size)};
  }

  [[noreturn]] void fail(const std::string& what) const {
    throw util::ToolError("failed to " + what +
                          " in the Anki collection database: " + sqlite3_errmsg(m_db));
  }

 private:
  sqlite3* m_db = nullptr;
};

class Statement {
 public:
  Statement(Database& db, const char* sql) : m_db(db) {
    if (sqlite3_prepare_v2(db.handle(), sql, -1, &m_statement, nullptr) != SQLITE_OK) {
      db.fail("prepare a statement");
    }
  }
  ~Statement() { sqlite3_finalize(m_statement); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, std::int64_t value) {
    check(sqlite3_bind_int64(m_statement, index, value));
    return *this;
  }
  // The caller keeps `value` alive until run().
  Statement& bind(int index, const std::string& value) {
    check(sqlite3_bind_text(m_statement, index, value.data(), static_cast<int>(value.size()),
                            SQLITE_STATIC));
    return *this;
  }
  void run() {
    if (sqlite3_step(m_statement) != SQLITE_DONE) {
      m_db.fail("insert a row");
    }
    sqlite3_reset(m_statement);  // bindings stay: every row binds all parameters again
  }

 private:
  void check(int status) {
    if (status != SQLITE_OK) {
      m_db.fail("bind a value");
    }
  }
  Database& m_db;
  sqlite3_stmt* m_statement = nullptr;
};

// A zip entry's data deflated before the archive is written, with what libzip needs to copy
// it as it is (size, CRC) instead of compressing it again with zlib at five times the cost.
struct DeflatedEntry {
  std::string deflated;  // raw deflate data
  std::uint64_t size = 0;
  std::uint32_t crc = 0;
  std::size_t read_offset = 0;
  zip_error_t error{};
};

// The zip_source_function callback serving a DeflatedEntry.
zip_int64_t serve_deflated(void* user_data, void* data, zip_uint64_t length,
                           zip_source_cmd_t command) {
  auto& entry = *static_cast<DeflatedEntry*>(user_data);
  switch (command) {
    case ZIP_SOURCE_OPEN:
      entry.read_offset = 0;
      return 0;
    case ZIP_SOURCE_READ: {
      const std::size_t count =
          std::min<std::size_t>(length, entry.deflated.size() - entry.read_offset);
      std::memcpy(data, entry.deflated.data() + entry.read_offset, count);
      entry.read_offset += count;
      return static_cast<zip_int64_t>(count);
    }
    case ZIP_SOURCE_CLOSE:
    case ZIP_SOURCE_FREE:
      return 0;
    case ZIP_SOURCE_STAT: {
      auto* stat = static_cast<zip_stat_t*>(data);
      zip_stat_init(stat);
      stat->valid = ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD | ZIP_STAT_CRC;
      stat->size = entry.size;
      stat->comp_size = entry.deflated.size();
      stat->comp_method = ZIP_CM_DEFLATE;
      stat->crc = entry.crc;
      return sizeof(*stat);
    }
    case ZIP_SOURCE_GET_FILE_ATTRIBUTES: {
      // Deflate option bits "fast", as zip and libzip mark their fastest levels.
      auto* attributes = static_cast<zip_file_attributes_t*>(data);
      attributes->valid |= ZIP_FILE_ATTRIBUTES_GENERAL_PURPOSE_BIT_FLAGS;
      attributes->general_purpose_bit_mask = 0x0006;
      attributes->general_purpose_bit_flags = 0x0004;
      return sizeof(*attributes);
    }
    case ZIP_SOURCE_ERROR:
      return zip_error_to_data(&entry.error, data, length);
    case ZIP_SOURCE_SUPPORTS:
      return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE,
                                            ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE,
                                            ZIP_SOURCE_GET_FILE_ATTRIBUTES, -1);
    default:
      zip_error_set(&entry.error, ZIP_ER_OPNOTSUPP, 0);
      return -1;
  }
}

// Owns a zip archive that lives in memory; gives up its bytes after close.
class ZipBuilder {
 public:
  ZipBuilder() {
    zip_error_init(&m_error);
    m_source = zip_source_buffer_create(nullptr, 0, 0, &m_error);
    if (m_source == nullptr) {
      fail("create the zip buffer");
    }
    m_archive = zip_open_from_source(m_source, ZIP_TRUNCATE, &m_error);
    if (m_archive == nullptr) {
      zip_source_free(m_source);
      m_source = nullptr;
      fail("open the zip buffer");
    }
    zip_source_keep(m_source);  // survives zip_close, which writes into it
  }
  ~ZipBuilder() {
    if (m_archive != nullptr) {
      zip_discard(m_archive);
    }
    if (m_source != nullptr) {
      zip_source_free(m_source);
    }
    zip_error_fini(&m_error);
  }
  ZipBuilder(const ZipBuilder&) = delete;
  ZipBuilder& operator=(const ZipBuilder&) = delete;

  // Deflates `bytes` now; the archive keeps only the deflated data.
  void add(const std::string& name, std::string_view bytes) {
    std::optional<std::string> deflated = util::deflate_fastest(bytes, util::DeflateFormat::raw);
    if (!deflated) {
      throw util::ToolError("failed to compress " + name + " for the Anki package");
    }
    DeflatedEntry& entry = *m_entries.emplace_back(std::make_unique<DeflatedEntry>());
    entry.deflated = std::move(*deflated);
    entry.size = bytes.size();
    entry.crc = util::crc32(bytes);
    zip_source_t* data = zip_source_function(m_archive, serve_deflated, &entry);
    if (data == nullptr) {
      fail_archive("add " + name);
    }
    const zip_int64_t index = zip_file_add(m_archive, name.c_str(), data, ZIP_FL_ENC_UTF_8);
    if (index < 0) {
      zip_source_free(data);
      fail_archive("add " + name);
    }
    const auto added = static_cast<zip_uint64_t>(index);
    if (zip_file_set_dostime(m_archive, added, dos_time, dos_date, 0) != 0 ||
        zip_file_set_external_attributes(m_archive, added, 0, ZIP_OPSYS_UNIX,
                                         static_cast<zip_uint32_t>(0100644) << 16U) != 0) {
      fail_archive("set the entry attributes of " + name);
    }
  }

  std::string finish() {
    if (zip_close(m_archive) != 0) {
      fail_archive("write the archive");
    }
    m_archive = nullptr;
    m_entries.clear();
    std::string bytes;
    zip_stat_t stat;
    zip_stat_init(&stat);
    if (zip_source_stat(m_source, &stat) != 0 || (stat.valid & ZIP_STAT_SIZE) == 0 ||
        zip_source_open(m_source) != 0) {
      fail_source("read back the archive");
    }
    bytes.resize(stat.size);
    const zip_int64_t read = zip_source_read(m_source, bytes.data(), stat.size);
    zip_source_close(m_source);
    if (read < 0 || static_cast<zip_uint64_t>(read) != stat.size) {
      fail_source("read back the archive");
    }
    return bytes;
  }

 private:
  [[noreturn]] void fail(const std::string& what) {
    throw util::ToolError("failed to " + what + ": " + zip_error_strerror(&m_error));
  }
  [[noreturn]] void fail_archive(const std::string& what) {
    throw util::ToolError("failed to " + what + " in the Anki package: " + zip_strerror(m_archive));
  }
  [[noreturn]] void fail_source(const std::string& what) {
    throw util::ToolError("failed to " + what + ": " +
                          zip_error_strerror(zip_source_error(m_source)));
  }

  zip_error_t m_error{};
  zip_source_t* m_source = nullptr;
  zip_t* m_archive = nullptr;
  std::vector<std::unique_ptr<DeflatedEntry>> m_entries;  // read by zip_close
};

// Rows in ascending id order fill the tables' B-trees by appending: full pages, no splits.
template <typename Row>
std::vector<std::reference_wrapper<const Row>> in_id_order(const std::vector<Row>& rows) {
  std::vector<std::reference_wrapper<const Row>> sorted(rows.begin(), rows.end());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const Row& a, const Row& b) { return a.id < b.id; });
  return sorted;
}

// What the database file of `collection` will take, a little over (fitted on packs of
// 400 to 10,000 notes: the text, then per note and per card their integers and index
// entries, and the schema).
std::size_t expected_file_size(const Collection& collection) {
  std::size_t text = collection.conf_json.size() + collection.models_json.size() +
                     collection.decks_json.size() + collection.dconf_json.size();
  for (const NoteRow& row : collection.notes) {
    text += row.guid.size() + row.tags.size() + row.fields.size() + row.sort_field.size();
  }
  return text + text / 8 + collection.notes.size() * 160 + collection.cards.size() * 128 +
         64 * 1024;
}

// Fills `db` with the collection: the tables, the rows, then the indexes.
void fill_database(Database& db, const Collection& collection) {
  db.reserve(expected_file_size(collection));
  db.exec(tables_sql);
  db.exec("begin");
  {
    Statement col(db, "insert into col values (1, ?1, ?2, ?3, ?4, 0, 0, 0, ?5, ?6, ?7, ?8, '{}')");
    col.bind(1, collection.created_seconds)
        .bind(2, collection.modified_ms)
        .bind(3, collection.schema_ms)
        .bind(4, std::int64_t{schema_version})
        .bind(5, collection.conf_json)
        .bind(6, collection.models_json)
        .bind(7, collection.decks_json)
        .bind(8, collection.dconf_json)
        .run();
  }
  {
    Statement note(db, "insert into notes values (?1, ?2, ?3, ?4, -1, ?5, ?6, ?7, ?8, 0, '')");
    for (const NoteRow& row : in_id_order(collection.notes)) {
      note.bind(1, row.id)
          .bind(2, row.guid)
          .bind(3, row.note_type_id)
          .bind(4, row.mod)
          .bind(5, row.tags)
          .bind(6, row.fields)
          .bind(7, row.sort_field)
          .bind(8, std::int64_t{row.checksum})
          .run();
    }
  }
  {
    Statement card(db,
                   "insert into cards values (?1, ?2, ?3, ?4, ?5, -1, 0, 0, ?6, 0, 0, 0, 0, 0, 0, "
                   "0, 0, '')");
    for (const CardRow& row : in_id_order(collection.cards)) {
      card.bind(1, row.id)
          .bind(2, row.note_id)
          .bind(3, row.deck_id)
          .bind(4, std::int64_t{row.ord})
          .bind(5, row.mod)
          .bind(6, row.due)
          .run();
    }
  }
  db.exec(indexes_sql);
  db.exec("commit");
}

}  // namespace

std::string write_apkg(Collection collection) {
  auto database = std::make_unique<Database>();
  fill_database(*database, collection);
  collection.notes = {};  // in the database now
  collection.cards = {};
  util::JsonObject media_map;
  for (std::size_t i = 0; i < collection.media.size(); ++i) {
    media_map.emplace_back(std::to_string(i), collection.media[i].name);
  }
  const std::string media_json = util::write_json(util::JsonValue(std::move(media_map)));

  ZipBuilder zip;
  zip.add("collection.anki2", database->file_bytes());
  database.reset();  // only the deflated copy is kept
  zip.add("media", media_json);
  for (std::size_t i = 0; i < collection.media.size(); ++i) {
    zip.add(std::to_string(i), collection.media[i].bytes);
  }
  return zip.finish();
}

}  // namespace anki
