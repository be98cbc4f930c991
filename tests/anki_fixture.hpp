// Test helpers for the Anki renderer: small Documents built in C++, and readers that
// unzip an .apkg (libzip) and query its collection (SQLite), independent of tool/anki/.
#pragma once

#include <sqlite3.h>
#include <zip.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "model/document.hpp"

namespace anki_fixture {

inline model::Inline run(std::string text, unsigned style = model::style_plain,
                         std::string link = {}, int cloze = 0, std::string hint = {}) {
  model::Inline inline_run;
  inline_run.text = std::move(text);
  inline_run.style = style;
  inline_run.link = std::move(link);
  inline_run.cloze = cloze;
  inline_run.cloze_hint = std::move(hint);
  return inline_run;
}

inline model::Inline cloze(int number, std::string text, unsigned style = model::style_plain,
                           std::string hint = {}) {
  return run(std::move(text), style, {}, number, std::move(hint));
}

inline model::Block paragraph_block(model::Inlines inlines) {
  model::Block block;
  block.node = model::Paragraph{std::move(inlines)};
  return block;
}

inline model::Body paragraph(model::Inlines inlines) {
  return {paragraph_block(std::move(inlines))};
}

inline model::Body text(std::string plain) {
  return paragraph({run(std::move(plain))});
}

inline model::CodeBlock rust_code(std::vector<std::string> lines) {
  model::CodeBlock code;
  code.language = "rust";
  code.check = model::CodeCheck::run;
  code.lines = std::move(lines);
  return code;
}

inline model::Block code_block(model::CodeBlock code) {
  model::Block block;
  block.node = std::move(code);
  return block;
}

inline model::Block image_block(std::string path, std::string alt) {
  model::Block block;
  model::Image image;
  image.path = std::move(path);
  image.alt = std::move(alt);
  block.node = image;
  return block;
}

inline model::Card basic_card(std::string id, std::string front, std::string back,
                              bool reverse = false) {
  model::Card card;
  card.id = std::move(id);
  card.kind = model::CardKind::basic;
  card.front = text(std::move(front));
  card.back = text(std::move(back));
  card.reverse = reverse;
  card.where = {"topics/test.yaml", 10, 5};
  return card;
}

// A temporary folder removed when the object goes away.
class TempDir {
 public:
  TempDir() {
    std::random_device device;
    m_path = std::filesystem::temp_directory_path() /
             ("prepkit-anki-test-" + std::to_string(device()) + std::to_string(device()));
    std::filesystem::create_directories(m_path);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(m_path, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return m_path; }
  void write(const std::string& relative, const std::string& bytes) const {
    const std::filesystem::path file = m_path / relative;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << bytes;
  }

 private:
  std::filesystem::path m_path;
};

inline const std::string& diagram_png() {
  static const std::string bytes("\x89PNG\r\n\x1a\nfake-image-bytes", 24);
  return bytes;
}

// Two areas, three topics (one without cards), every card kind and the tricky content:
// Rust paths in deletions, "}}" in code, Vec<T> and &mut in prose, an image, a reverse card.
inline model::Document sample_document(const std::filesystem::path& content_dir) {
  model::Document document;
  document.content_dir = content_dir.string();
  document.book.title = "Test Book";
  document.book.subtitle = "Ownership & friends";
  document.book.slug = "test-book";
  document.book.deck = "Test Deck";
  document.book.version = "1.0";
  document.book.description = text("Read, then review.");
  document.book.where = {"book.yaml", 1, 1};

  model::Topic ownership;
  ownership.id = "ownership";
  ownership.title = "Ownership and moves";
  ownership.number = 1;
  ownership.area = "core";
  ownership.summary = text("Every value has one owner.");
  model::Section rules;
  rules.id = "rules";
  rules.title = "The rules";
  rules.number = 2;
  ownership.sections.push_back(rules);

  model::Card owners =
      basic_card("owner-count", "How many owners does a value have?", "Exactly one.", true);
  owners.section = "rules";
  owners.tags = {"moves", "Borrow Checker", "std::mem"};
  ownership.cards.push_back(owners);

  model::Card escaping;
  escaping.id = "escaping";
  escaping.kind = model::CardKind::basic;
  escaping.front =
      paragraph({run("What does "), run("fn f(v: &mut Vec<T>)", model::style_code),
                 run(" take? See "), run("moves", model::style_plain, "#ownership"), run(" and "),
                 run("the docs", model::style_plain, "https://doc.rust-lang.org/")});
  escaping.back =
      text("A unique borrow of a Vec<T> & nothing else; {{not a field}} [sound:x] \\(x\\)");
  escaping.where = {"topics/ownership.yaml", 30, 5};
  ownership.cards.push_back(escaping);

  model::Card swap;
  swap.id = "swap-cloze";
  swap.kind = model::CardKind::cloze;
  swap.text = paragraph(
      {run("Use "), cloze(1, "std::mem::swap", model::style_code), run(" to exchange two values; "),
       cloze(2, "format!(\"{{}}\")", model::style_code, "a macro"), run(" prints braces.")});
  model::Body extra = text("Both are in the standard library.");
  swap.extra = extra;
  swap.where = {"topics/ownership.yaml", 40, 5};
  ownership.cards.push_back(swap);

  model::Card code_card;
  code_card.id = "use-after-move";
  code_card.kind = model::CardKind::code;
  code_card.front = text("Does this compile?");
  code_card.code = rust_code(
      {"let s = String::from(\"a\");", "let t = s;", "println!(\"{s}}}\"); // }} closes nothing"});
  code_card.back = text("No: E0382, s was moved into t.");
  code_card.section = "rules";
  code_card.where = {"topics/ownership.yaml", 50, 5};
  ownership.cards.push_back(code_card);

  model::Topic empty_topic;
  empty_topic.id = "no-cards";
  empty_topic.title = "A topic without cards";
  empty_topic.number = 2;
  empty_topic.area = "core";

  model::Area core;
  core.id = "core";
  core.title = "Core language";
  core.number = 1;
  core.description = "Ownership <and> borrowing.";
  core.topics = {ownership, empty_topic};

  model::Topic collections;
  collections.id = "collections";
  collections.title = "std::collections";
  collections.number = 3;
  collections.area = "data";
  collections.summary = text("Vec, HashMap and friends.");
  model::Card picture = basic_card("layout", "What does a Vec look like in memory?", "");
  picture.back = {paragraph_block({run("Pointer, capacity, length:")}),
                  image_block("images/vec layout.png", "Vec layout")};
  picture.tags = {"memory"};
  collections.cards.push_back(picture);

  model::Area data;
  data.id = "data";
  data.title = "Data structures";
  data.number = 2;
  data.description = "Collections.";
  data.topics = {collections};

  document.areas = {core, data};
  return document;
}

// The entries of a zip archive held in memory, in archive order.
struct ZipEntry {
  std::string name;
  std::string bytes;
  zip_uint16_t compression = 0;
  time_t mtime = 0;
};

inline std::vector<ZipEntry> unzip(const std::string& archive_bytes) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source =
      zip_source_buffer_create(archive_bytes.data(), archive_bytes.size(), 0, &error);
  if (source == nullptr) {
    throw std::runtime_error("zip_source_buffer_create failed");
  }
  zip_t* archive = zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error);
  if (archive == nullptr) {
    zip_source_free(source);
    throw std::runtime_error(std::string("not a zip archive: ") + zip_error_strerror(&error));
  }
  std::vector<ZipEntry> entries;
  const zip_int64_t count = zip_get_num_entries(archive, 0);
  for (zip_int64_t i = 0; i < count; ++i) {
    zip_stat_t stat;
    zip_stat_index(archive, static_cast<zip_uint64_t>(i), 0, &stat);
    ZipEntry entry;
    entry.name = stat.name;
    entry.compression = stat.comp_method;
    entry.mtime = stat.mtime;
    entry.bytes.resize(stat.size);
    zip_file_t* file = zip_fopen_index(archive, static_cast<zip_uint64_t>(i), 0);
    if (file == nullptr ||
        zip_fread(file, entry.bytes.data(), stat.size) != static_cast<zip_int64_t>(stat.size)) {
      throw std::runtime_error("cannot read zip entry " + entry.name);
    }
    zip_fclose(file);
    entries.push_back(std::move(entry));
  }
  zip_close(archive);
  return entries;
}

inline const ZipEntry* find_entry(const std::vector<ZipEntry>& entries, const std::string& name) {
  for (const ZipEntry& entry : entries) {
    if (entry.name == name) {
      return &entry;
    }
  }
  return nullptr;
}

// A read-only SQLite database loaded from bytes; query() returns rows of text columns
// (NULL as "NULL").
class Database {
 public:
  explicit Database(const std::string& bytes) {
    if (sqlite3_open(":memory:", &m_db) != SQLITE_OK) {
      throw std::runtime_error("sqlite3_open failed");
    }
    auto* copy = static_cast<unsigned char*>(sqlite3_malloc64(bytes.size()));
    std::copy(bytes.begin(), bytes.end(), copy);
    if (sqlite3_deserialize(m_db, "main", copy, static_cast<sqlite3_int64>(bytes.size()),
                            static_cast<sqlite3_int64>(bytes.size()),
                            SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY) !=
        SQLITE_OK) {
      throw std::runtime_error(std::string("sqlite3_deserialize: ") + sqlite3_errmsg(m_db));
    }
  }
  ~Database() { sqlite3_close(m_db); }
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  std::vector<std::vector<std::string>> query(const std::string& sql) const {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(m_db, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
      throw std::runtime_error("bad query " + sql + ": " + sqlite3_errmsg(m_db));
    }
    std::vector<std::vector<std::string>> rows;
    int status = 0;
    while ((status = sqlite3_step(statement)) == SQLITE_ROW) {
      std::vector<std::string> row;
      for (int column = 0; column < sqlite3_column_count(statement); ++column) {
        const unsigned char* value = sqlite3_column_text(statement, column);
        row.emplace_back(
            value == nullptr
                ? std::string("NULL")
                : std::string(reinterpret_cast<const char*>(value),
                              static_cast<std::size_t>(sqlite3_column_bytes(statement, column))));
      }
      rows.push_back(std::move(row));
    }
    sqlite3_finalize(statement);
    if (status != SQLITE_DONE) {
      throw std::runtime_error("query failed: " + sql);
    }
    return rows;
  }

  // The single value of a one-row, one-column query.
  std::string value(const std::string& sql) const {
    const auto rows = query(sql);
    if (rows.size() != 1 || rows[0].size() != 1) {
      throw std::runtime_error("expected one value from " + sql + ", got " +
                               std::to_string(rows.size()) + " rows");
    }
    return rows[0][0];
  }

 private:
  sqlite3* m_db = nullptr;
};

}  // namespace anki_fixture
