// The commands a new user meets first: `new` (a starter that checks and builds as it is),
// the positional pack folder, did-you-mean for commands and options, -q/-v everywhere, a
// missing content folder reported as such, and `schema`.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "anki_fixture.hpp"
#include "support.hpp"

namespace fs = std::filesystem;
using test_support::read_bytes;
using test_support::run_prepkit;

TEST_CASE("prepkit new writes a starter that checks and builds from its own folder", "[e2e][new]") {
  test_support::TempDir dir("new-starter");
  const fs::path pack = dir.path() / "sql-pack";
  util::ProcessResult made = run_prepkit({"new", pack.string(), "--lang", "sql"});
  INFO(made.err);
  REQUIRE(made.exit_code == 0);
  CHECK(made.out == "created " + pack.string() +
                        ": a starter pack (sql examples); next: " + "prepkit check " +
                        pack.string() + " && prepkit build " + pack.string() + "\n");
  CHECK(test_support::names_in(pack) ==
        std::vector<std::string>{".gitignore", "content", "layouts", "schema"});
  CHECK(test_support::names_in(pack / "content") ==
        std::vector<std::string>{"book.yaml", "images", "topics"});

  // The comments after book.yaml's values start in one column, whatever the pack's name.
  std::set<std::size_t> comment_columns;
  std::istringstream book(read_bytes(pack / "content/book.yaml"));
  for (std::string line; std::getline(book, line);) {
    const std::size_t comment = line.find(" #");
    if (comment != std::string::npos && line.find(": ") < comment) {
      comment_columns.insert(comment);
    }
  }
  CHECK(comment_columns.size() == 1);

  util::ProcessResult check = run_prepkit({"check", pack.string()});
  INFO(check.err);
  CHECK(check.exit_code == 0);
  CHECK(check.err.empty());
  CHECK(check.out == "ok: " + (pack / "content").string() + ": 2 topics, 4 cards; layout mine\n");

  util::ProcessResult build = run_prepkit({"build", pack.string(), "--now", "1767225600"});
  INFO(build.err);
  REQUIRE(build.exit_code == 0);
  CHECK(fs::exists(pack / "out/sql-pack.pdf"));
  REQUIRE(fs::exists(pack / "out/sql-pack.apkg"));

  // The code card is SQL on the Anki card too.
  const auto entries = anki_fixture::unzip(read_bytes(pack / "out/sql-pack.apkg"));
  const anki_fixture::ZipEntry* collection = anki_fixture::find_entry(entries, "collection.anki2");
  REQUIRE(collection != nullptr);
  anki_fixture::Database db(collection->bytes);
  const auto rows = db.query("select flds from notes where flds like '%COUNT%'");
  REQUIRE(rows.size() == 1);
  INFO(rows[0][0]);
  CHECK(rows[0][0].find("<code class=\"lang-sql\"><span class=\"ln\"><span class=\"ind\"></span>"
                        "<span class=\"tx\"><span class=\"hl-keyword\">SELECT</span>") !=
        std::string::npos);

  // The conventions page speaks of outputs but not of compiler error codes.
  bool found = false;
  util::ProcessResult text =
      test_support::run_tool("pdftotext", {(pack / "out/sql-pack.pdf").string(), "-"}, found);
  if (found) {
    CHECK(text.out.find("follows it under") != std::string::npos);
    CHECK(text.out.find("error code") == std::string::npos);
    CHECK(text.out.find("does not compile") == std::string::npos);
  }
}

TEST_CASE("every starter language checks cleanly", "[e2e][new]") {
  test_support::TempDir dir("new-languages");
  for (const char* language :
       {"c", "cpp", "go", "java", "javascript", "python", "rust", "sh", "sql", "typescript"}) {
    INFO(language);
    const fs::path pack = dir.path() / language;
    REQUIRE(run_prepkit({"new", pack.string(), "--lang", language, "-q"}).exit_code == 0);
    util::ProcessResult check = run_prepkit({"check", "-q", pack.string()});
    INFO(check.err);
    CHECK(check.exit_code == 0);
    CHECK(check.out.empty());
    const std::string book = read_bytes(pack / "content/book.yaml");
    CHECK(book.find("code_language: " + std::string(language)) != std::string::npos);
  }
}

TEST_CASE("prepkit new refuses a folder with files and an unknown language", "[e2e][new]") {
  test_support::TempDir dir("new-refuses");
  std::ofstream(dir.path() / "keep.txt") << "mine\n";
  util::ProcessResult full = run_prepkit({"new", dir.path().string()});
  CHECK(full.exit_code == 2);
  CHECK(full.err == "error: " + dir.path().string() +
                        " already exists and is not empty\n  hint: name a new folder; prepkit "
                        "new never overwrites files\n");
  CHECK(read_bytes(dir.path() / "keep.txt") == "mine\n");
  util::ProcessResult language =
      run_prepkit({"new", (dir.path() / "x").string(), "--lang", "cobol"});
  CHECK(language.exit_code == 2);
  CHECK(language.err ==
        "error: no starter examples for language 'cobol'\n  hint: use one of c, cpp, go, java, "
        "javascript, python, rust, sh, sql, typescript; any language works in a pack, set "
        "`lang:` or `code_language:` after\n");
  CHECK_FALSE(fs::exists(dir.path() / "x"));
}

TEST_CASE("mistyped commands and options get a did-you-mean", "[e2e][cli]") {
  util::ProcessResult command = run_prepkit({"biuld"});
  CHECK(command.exit_code == 2);
  CHECK(command.err ==
        "error: unknown command 'biuld'\n  hint: did you mean 'build'?\nRun 'prepkit --help' "
        "for more information.\n");
  util::ProcessResult option = run_prepkit({"check", "--layuot", "a4"});
  CHECK(option.exit_code == 2);
  CHECK(option.err ==
        "error: unknown option '--layuot' for 'check'\n  hint: did you mean '--layout'?\nRun "
        "'prepkit check --help' for more information.\n");
  CHECK(run_prepkit({"build", "-q", "-v"}).exit_code == 2);
  // CLI11's own reports read the same way.
  util::ProcessResult value = run_prepkit({"build", "--only", "docx"});
  CHECK(value.exit_code == 2);
  CHECK(value.err ==
        "error: --only: docx not in {pdf,apkg}\nRun 'prepkit build --help' for more "
        "information.\n");
  util::ProcessResult bare = run_prepkit({});
  CHECK(bare.exit_code == 2);
  CHECK(bare.err ==
        "error: a subcommand is required\nRun 'prepkit --help' for more information.\n");
  util::ProcessResult help = run_prepkit({"check", "--help"});
  CHECK(help.out.find("--content DIR") != std::string::npos);
  CHECK(help.out.find("--layout NAME|FILE") != std::string::npos);
  CHECK(help.out.find("-q,--quiet") != std::string::npos);
  CHECK(help.out.find("-v,--verbose") != std::string::npos);
  CHECK(help.out.find("TEXT") == std::string::npos);
}

TEST_CASE("a missing content folder is reported first, as such", "[e2e][cli]") {
  for (const char* command : {"check", "build"}) {
    util::ProcessResult result = run_prepkit({command, "--content", "/nonexistent/nope"});
    CHECK(result.exit_code == 1);
    CHECK(result.err ==
          "/nonexistent/nope: error: content folder not found\n  hint: a pack folder holds "
          "content/book.yaml and content/topics/; `prepkit new DIR` makes one\n");
  }
}

TEST_CASE("a pack folder may be given by position; -v names the folders", "[e2e][cli]") {
  test_support::TempDir dir("pack-position");
  test_support::copy_fixture("basic", dir.path() / "project");
  util::ProcessResult verbose = run_prepkit({"check", "-v", (dir.path() / "project").string()});
  INFO(verbose.err);
  CHECK(verbose.exit_code == 0);
  CHECK(verbose.err == "content: " + (dir.path() / "project/content").string() + "\n");
  // A folder holding book.yaml is the content folder itself.
  util::ProcessResult content = run_prepkit({"check", (dir.path() / "project/content").string()});
  CHECK(content.exit_code == 0);
  CHECK(content.out.rfind("ok: " + (dir.path() / "project/content").string() + ": 2 topics", 0) ==
        0);
}

TEST_CASE("prepkit schema prints one schema or writes all three", "[e2e][cli]") {
  util::ProcessResult book = run_prepkit({"schema", "book"});
  CHECK(book.exit_code == 0);
  CHECK(book.out.find("\"$schema\":\"https://json-schema.org/draft/2020-12/schema\"") !=
        std::string::npos);
  CHECK(book.out.find("\"code_language\"") != std::string::npos);
  util::ProcessResult none = run_prepkit({"schema"});
  CHECK(none.exit_code == 2);
  CHECK(none.err ==
        "error: name the schema to print (book, topic or layout), or write all three with --out "
        "DIR\n");
  test_support::TempDir dir("schema-out");
  util::ProcessResult all = run_prepkit({"schema", "-v", "--out", dir.path().string()});
  CHECK(all.exit_code == 0);
  const std::string folder = dir.path().string();
  CHECK(all.out == folder + "/book.json\n" + folder + "/layout.json\n" + folder +
                       "/topic.json\nwrote the schemas of book, topic and layout files into " +
                       folder + "\n");
  CHECK(read_bytes(dir.path() / "topic.json").find("\"lang\"") != std::string::npos);
  util::ProcessResult made = run_prepkit({"new", "-v", (dir.path() / "p").string()});
  CHECK(made.out.rfind(folder + "/p/content/book.yaml\n", 0) == 0);
}
