// The no-change rebuild: the build record, the input fingerprint and the real binary
// skipping (or not skipping) a build.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "build_record.hpp"
#include "support.hpp"
#include "util/fingerprint.hpp"

using test_support::copy_fixture;
using test_support::read_bytes;
using test_support::run_prepkit;
using test_support::TempDir;

namespace {

namespace fs = std::filesystem;

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

std::string fingerprint_of_tree(const fs::path& folder, const std::string& skip = {}) {
  util::Fingerprint fingerprint;
  fingerprint.add_tree(folder.string(), skip);
  return fingerprint.hex();
}

// The fixture project and a build of it into out/ with the shipped default layout.
struct Project {
  TempDir dir{"record"};
  fs::path content;
  fs::path out;

  Project() {
    copy_fixture("basic", dir.path() / "project");
    content = dir.path() / "project/content";
    out = dir.path() / "out";
  }
  [[nodiscard]] util::ProcessResult build(const std::vector<std::string>& extra = {}) const {
    std::vector<std::string> args = {
        "build",      "--content",  content.string(),
        "--out",      out.string(), "--now",
        "1767225600", "--layout",   PREPKIT_SOURCE_DIR "/layouts/default.yaml",
        "--timings"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_prepkit(args);
  }
  [[nodiscard]] fs::file_time_type time_of(const std::string& name) const {
    return fs::last_write_time(out / name);
  }
};

bool rendered(const util::ProcessResult& result) {
  return result.err.find("timing: layout ") != std::string::npos;
}

}  // namespace

TEST_CASE("a build record survives formatting and parsing, escapes included", "[build]") {
  prepkit::BuildRecord record;
  record.fingerprint = "0123456789abcdef0123456789abcdef";
  record.layout_file = "layouts/my\tlayout.yaml";
  record.code_formatter = "4530936 1776100000000000000 /root/.cargo/bin/rustfmt";
  record.outputs.push_back({"out/a b.pdf", 2012825, 1795485782211068435, "213 pages"});
  record.outputs.push_back({"out/deck.apkg", 90181, -5, "414 notes, 452 cards"});
  record.warnings.push_back("topics/a.yaml:3:5: warning: card 'x' has an empty back\n  hint: \\o/");
  std::optional<prepkit::BuildRecord> parsed =
      prepkit::parse_record(prepkit::format_record(record));
  REQUIRE(parsed);
  CHECK(parsed->fingerprint == record.fingerprint);
  CHECK(parsed->layout_file == record.layout_file);
  CHECK(parsed->code_formatter == record.code_formatter);
  REQUIRE(parsed->outputs.size() == 2);
  CHECK(parsed->outputs[0].path == "out/a b.pdf");
  CHECK(parsed->outputs[0].size == 2012825);
  CHECK(parsed->outputs[0].mtime_ns == 1795485782211068435);
  CHECK(parsed->outputs[1].summary == "414 notes, 452 cards");
  CHECK(parsed->outputs[1].mtime_ns == -5);
  CHECK(parsed->warnings == record.warnings);

  CHECK_FALSE(prepkit::parse_record(""));
  CHECK_FALSE(prepkit::parse_record("prepkit build record 0\nfingerprint\tab\n"));
  CHECK_FALSE(
      prepkit::parse_record("prepkit build record 1\nfingerprint\tab\noutput\tx\t1\ta\tb\n"));
  CHECK_FALSE(prepkit::parse_record("prepkit build record 1\nfingerprint\tab\n"));  // no output
}

TEST_CASE("the fingerprint follows file bytes, names and labels, not file times", "[build]") {
  TempDir dir("fingerprint");
  fs::create_directories(dir.path() / "tree/sub");
  write_text(dir.path() / "tree/a.yaml", "title: A\n");
  write_text(dir.path() / "tree/sub/b.yaml", "title: B\n");
  write_text(dir.path() / "tree/anki.lock", "lock 1\n");
  const std::string before = fingerprint_of_tree(dir.path() / "tree");
  CHECK(fingerprint_of_tree(dir.path() / "tree") == before);
  CHECK(before.size() == 32);

  fs::last_write_time(dir.path() / "tree/a.yaml", fs::file_time_type::clock::now());
  CHECK(fingerprint_of_tree(dir.path() / "tree") == before);  // same bytes, new time

  write_text(dir.path() / "tree/sub/b.yaml", "title: C\n");
  const std::string changed = fingerprint_of_tree(dir.path() / "tree");
  CHECK(changed != before);
  fs::rename(dir.path() / "tree/sub/b.yaml", dir.path() / "tree/sub/c.yaml");
  CHECK(fingerprint_of_tree(dir.path() / "tree") != changed);  // same bytes, new name

  const std::string without_lock = fingerprint_of_tree(dir.path() / "tree", "anki.lock");
  write_text(dir.path() / "tree/anki.lock", "lock 2\n");
  CHECK(fingerprint_of_tree(dir.path() / "tree", "anki.lock") == without_lock);
  CHECK(fingerprint_of_tree(dir.path() / "tree") !=
        fingerprint_of_tree(dir.path() / "tree", "a.yaml"));

  util::Fingerprint ab_c;
  ab_c.add("ab", "c");
  util::Fingerprint a_bc;
  a_bc.add("a", "bc");
  CHECK(ab_c.hex() != a_bc.hex());
  util::Fingerprint missing;
  missing.add_tree((dir.path() / "nowhere").string());
  CHECK(missing.hex() != util::Fingerprint().hex());
}

TEST_CASE("a rebuild with nothing changed renders nothing and touches no file", "[build][e2e]") {
  Project project;
  util::ProcessResult first = project.build();
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  REQUIRE(rendered(first));
  REQUIRE(fs::exists(project.out / ".prepkit-build"));
  const auto pdf_time = project.time_of("fixture-book.pdf");
  const auto apkg_time = project.time_of("fixture-book.apkg");
  const auto lock_time = fs::last_write_time(project.content / "anki.lock");
  const std::string pdf = read_bytes(project.out / "fixture-book.pdf");

  util::ProcessResult second = project.build();
  INFO(second.err);
  REQUIRE(second.exit_code == 0);
  CHECK_FALSE(rendered(second));
  CHECK(second.err.find("timing: up-to-date-check ") != std::string::npos);
  CHECK(second.out.find("fixture-book.pdf: ") != std::string::npos);
  CHECK(second.out.find(" pages, ") != std::string::npos);
  CHECK(second.out.find("fixture-book.apkg: 4 notes, 6 cards, ") != std::string::npos);
  CHECK(second.out.find("(unchanged)") != std::string::npos);
  CHECK(project.time_of("fixture-book.pdf") == pdf_time);
  CHECK(project.time_of("fixture-book.apkg") == apkg_time);
  CHECK(fs::last_write_time(project.content / "anki.lock") == lock_time);

  SECTION("an edited topic is rebuilt") {
    fs::path topic = project.content / "topics/alpha.yaml";
    std::string text = read_bytes(topic);
    write_text(topic, text.replace(text.find("First section"), 13, "Second section"));
    util::ProcessResult third = project.build();
    INFO(third.err);
    CHECK(third.exit_code == 0);
    CHECK(rendered(third));
    CHECK(read_bytes(project.out / "fixture-book.pdf") != pdf);
  }
  SECTION("a deleted output is written again") {
    fs::remove(project.out / "fixture-book.apkg");
    util::ProcessResult third = project.build();
    CHECK(rendered(third));
    CHECK(fs::exists(project.out / "fixture-book.apkg"));
  }
  SECTION("a touched output is checked by a full build, and left alone when still right") {
    const auto later = pdf_time + std::chrono::seconds(5);
    fs::last_write_time(project.out / "fixture-book.pdf", later);
    util::ProcessResult third = project.build();
    CHECK(rendered(third));
    CHECK(project.time_of("fixture-book.pdf") == later);
    CHECK(read_bytes(project.out / "fixture-book.pdf") == pdf);
    CHECK_FALSE(rendered(project.build()));  // recorded again with the new time
  }
  SECTION("other options are another build") {
    CHECK(rendered(project.build({"--only", "pdf"})));
  }
  SECTION("an edited lock file is an input") {
    std::ofstream(project.content / "anki.lock", std::ios::app) << "# edited by hand\n";
    CHECK(rendered(project.build()));
  }
}

TEST_CASE("a rebuild after rustfmt came or went renders wide code again", "[build][e2e]") {
  // Wide Rust wraps without rustfmt (the booklet says so); once rustfmt is installed, the
  // same sources make another booklet, so "nothing changed" must not hold.
  Project project;
  const fs::path topic = project.content / "topics/alpha.yaml";
  std::string text = read_bytes(topic);
  const std::string wide =
      "          let s = String::from(\"hi\"); let t = s.clone(); let u = "
      "t.len() + s.len() + t.capacity() + s.capacity() + 1;\n";
  text.insert(text.find("          println!(\"{s}\");"), wide);
  write_text(topic, text);
  const fs::path tools = project.dir.path() / "tools";
  fs::create_directories(tools);
  const std::vector<std::pair<std::string, std::string>> env = {
      {"PATH", tools.string() + ":/usr/bin:/bin"},
      {"HOME", project.dir.path().string()},
      {"CARGO_HOME", (project.dir.path() / "no-cargo").string()},
      {"XDG_CACHE_HOME", (project.dir.path() / "cache").string()}};
  const auto build = [&] {
    std::vector<std::string> args = {"build",      "--content",          project.content.string(),
                                     "--out",      project.out.string(), "--now",
                                     "1767225600", "--timings"};
    return run_prepkit(args, env);
  };
  util::ProcessResult first = build();
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  CHECK(first.out.find("rustfmt not found") != std::string::npos);
  CHECK(read_bytes(project.out / ".prepkit-build").find("\nrustfmt\tnone\n") != std::string::npos);
  CHECK_FALSE(rendered(build()));  // still none: nothing to do

  // A rustfmt that fails to format is enough to differ.
  const fs::path fake = tools / "rustfmt";
  write_text(fake,
             "#!/bin/sh\n[ \"$1\" = --version ] && echo 'rustfmt 0.0.1-test' && exit 0\nexit 1\n");
  fs::permissions(fake, fs::perms::owner_all);
  util::ProcessResult second = build();
  INFO(second.err);
  CHECK(rendered(second));
  CHECK(read_bytes(project.out / ".prepkit-build").find(" " + fake.string() + "\n") !=
        std::string::npos);
  CHECK_FALSE(rendered(build()));
  // Another rustfmt in its place (an update) is another build.
  fs::last_write_time(fake, fs::last_write_time(fake) - std::chrono::hours(1));
  CHECK(rendered(build()));
  CHECK_FALSE(rendered(build()));

  // A pack whose code fits never asks for rustfmt, and its record names none.
  write_text(topic, read_bytes(topic).replace(read_bytes(topic).find(wide), wide.size(), ""));
  CHECK(rendered(build()));
  CHECK(read_bytes(project.out / ".prepkit-build").find("\nrustfmt\t") == std::string::npos);
}
