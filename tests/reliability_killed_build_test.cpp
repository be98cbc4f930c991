// A build killed while it writes its outputs: the writer leaves only temporaries and
// backups that remove_leftovers recognises (never a running writer's), the deck lands before
// the lock, and the next build removes the leftovers and ends with a consistent set.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/inotify.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "support.hpp"
#include "util/atomic_write.hpp"
#include "util/process.hpp"

namespace fs = std::filesystem;
using test_support::copy_fixture;
using test_support::names_in;
using test_support::read_bytes;
using test_support::replace_in_file;
using test_support::TempDir;

namespace {

// Runs write_atomically in a child process that kills itself (SIGKILL, nothing cleaned up)
// just before rename number `step`; waits for it.
void write_and_die_before(std::size_t step, const std::vector<util::PlannedWrite>& files) {
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    util::write_atomically(files, [step](std::size_t renamed) {
      if (renamed == step) {
        ::raise(SIGKILL);
      }
    });
    ::_exit(0);  // not reached when the step exists
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  REQUIRE(WIFSIGNALED(status));
  REQUIRE(WTERMSIG(status) == SIGKILL);
}

// A process id that no process has: a child that has exited and been reaped.
pid_t gone_process() {
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ::_exit(0);
  }
  REQUIRE(::waitpid(child, nullptr, 0) == child);
  return child;
}

void plant(const fs::path& path) {
  std::ofstream(path, std::ios::binary) << "left";
}

// The outputs of a build: every file of `out` but the build record, and the lock.
std::map<std::string, std::string> output_set(const fs::path& out, const fs::path& lock) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::directory_iterator(out)) {
    const std::string name = entry.path().filename().string();
    if (name != ".prepkit-build") {
      files[name] = read_bytes(entry.path());
    }
  }
  files["anki.lock"] = read_bytes(lock);
  return files;
}

void build_ok(const fs::path& project) {
  const util::ProcessResult result =
      test_support::run_prepkit({"build", "-q", "--content", (project / "content").string(),
                                 "--out", (project / "out").string(), "--now", "1767225600",
                                 "--layout", PREPKIT_SOURCE_DIR "/layouts/default.yaml"});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  REQUIRE(result.err.empty());
}

}  // namespace

TEST_CASE(
    "a writer killed before any rename or between renames leaves only what "
    "remove_leftovers removes",
    "[util][atomic][reliability]") {
  for (const std::size_t step : {std::size_t{0}, std::size_t{1}, std::size_t{2}}) {
    TempDir dir("atomic-kill-" + std::to_string(step));
    const fs::path a = dir.path() / "a.pdf";
    const fs::path b = dir.path() / "b.apkg";
    const fs::path c = dir.path() / "c.lock";
    util::write_atomically({{a.string(), "old a"}, {b.string(), "old b"}, {c.string(), "old c"}});
    write_and_die_before(step,
                         {{a.string(), "new a"}, {b.string(), "new b"}, {c.string(), "new c"}});
    INFO("killed before rename " << step);

    // The files renamed before the kill are new, the others old: in the order given.
    CHECK(read_bytes(a) == (step > 0 ? "new a" : "old a"));
    CHECK(read_bytes(b) == (step > 1 ? "new b" : "old b"));
    CHECK(read_bytes(c) == "old c");
    // A temporary for each file not yet renamed, a backup of each old file replaced.
    const std::size_t leftovers = (3 - step) + step;
    CHECK(names_in(dir.path()).size() == 3 + leftovers);

    const std::vector<std::string> removed = util::remove_leftovers(dir.path().string());
    CHECK(removed.size() == leftovers);
    CHECK(names_in(dir.path()) == std::vector<std::string>{"a.pdf", "b.apkg", "c.lock"});
    CHECK(read_bytes(c) == "old c");
  }
}

TEST_CASE("remove_leftovers removes only a gone writer's temporaries and backups",
          "[util][atomic][reliability]") {
  TempDir dir("atomic-leftovers");
  const std::string gone = std::to_string(gone_process());
  const std::string alive = std::to_string(::getppid());  // whoever runs the tests
  const std::string self = std::to_string(::getpid());
  for (const std::string& name : std::vector<std::string>{
           ".deck.apkg.tmp-" + gone + "-aB3xYz",        // a gone writer's temporary
           ".deck.apkg.tmp-" + gone + "-aB3xYz.old",    // and its backup
           ".deck.apkg.tmp-" + alive + "-Q1w2E3",       // a running writer's temporary
           ".deck.apkg.tmp-" + self + "-Q1w2E3.old",    // this process's own backup
           ".deck.apkg.tmp-Q1w2E3",                     // no process id: not ours to judge
           "deck.apkg.tmp-" + gone + "-aB3xYz",         // not hidden
           ".deck.apkg.tmp-" + gone + "-aB3xY",         // five letters
           ".deck.apkg.tmp-" + gone + "-aB3xYz.older",  // another suffix
           ".tmp-" + gone + "-aB3xYz",                  // no file name
           "deck.apkg",
       }) {
    plant(dir.path() / name);
  }
  fs::create_directories(dir.path() / (".book.pdf.tmp-" + gone + "-folder"));  // not a file

  const std::vector<std::string> removed = util::remove_leftovers(dir.path().string());
  CHECK(removed == std::vector<std::string>{
                       (dir.path() / (".deck.apkg.tmp-" + gone + "-aB3xYz")).string(),
                       (dir.path() / (".deck.apkg.tmp-" + gone + "-aB3xYz.old")).string(),
                   });
  CHECK(names_in(dir.path()).size() == 9);
  CHECK(util::remove_leftovers((dir.path() / "missing").string()).empty());
}

TEST_CASE("the next build cleans up after a build killed at any step of writing its outputs",
          "[reliability][e2e]") {
  TempDir dir("reliability-killed-build");
  const fs::path project = dir.path() / "project";
  copy_fixture("basic", project);
  build_ok(project);
  const fs::path lock = project / "content/anki.lock";
  const std::map<std::string, std::string> old_set = output_set(project / "out", lock);

  // The set the edited content gives, built in a copy: what every killed build must end with.
  const fs::path scratch = dir.path() / "scratch";
  fs::copy(project, scratch, fs::copy_options::recursive);
  for (const fs::path& root : {project, scratch}) {
    replace_in_file(root / "content/topics/alpha.yaml", "Why *alpha* matters",
                    "Why *alpha* really matters");
    replace_in_file(root / "content/topics/beta.yaml", "back: Beta back",
                    "back: Beta back, changed");
  }
  build_ok(scratch);
  const std::map<std::string, std::string> new_set =
      output_set(scratch / "out", scratch / "content/anki.lock");
  REQUIRE(new_set.size() == old_set.size());

  // The writes of that build in the build's order: the booklets, the deck, the lock.
  std::vector<util::PlannedWrite> writes;
  std::string deck_name;
  for (const auto& [name, bytes] : new_set) {
    if (name.ends_with(".apkg")) {
      deck_name = name;
    } else if (name != "anki.lock" && bytes != old_set.at(name)) {
      writes.push_back({(project / "out" / name).string(), bytes});
    }
  }
  REQUIRE_FALSE(deck_name.empty());
  REQUIRE(new_set.at(deck_name) != old_set.at(deck_name));
  REQUIRE(new_set.at("anki.lock") != old_set.at("anki.lock"));
  writes.push_back({(project / "out" / deck_name).string(), new_set.at(deck_name)});
  writes.push_back({lock.string(), new_set.at("anki.lock")});

  const std::vector<std::string> out_names = names_in(scratch / "out");
  const std::vector<std::string> content_names = names_in(scratch / "content");
  for (std::size_t step = 0; step < writes.size(); ++step) {
    INFO("killed before rename " << step << " of " << writes.size());
    // The old outputs and lock, as the first build left them.
    for (const auto& [name, bytes] : old_set) {
      std::ofstream(name == "anki.lock" ? lock : project / "out" / name, std::ios::binary) << bytes;
    }
    write_and_die_before(step, writes);
    const std::map<std::string, std::string> mixed = output_set(project / "out", lock);
    // A reader never finds the lock ahead of the deck.
    if (mixed.at("anki.lock") == new_set.at("anki.lock")) {
      CHECK(mixed.at(deck_name) == new_set.at(deck_name));
    }
    CHECK(names_in(project / "out").size() + names_in(project / "content").size() >
          out_names.size() + content_names.size());  // leftovers

    build_ok(project);
    CHECK(names_in(project / "out") == out_names);
    CHECK(names_in(project / "content") == content_names);
    const bool consistent = output_set(project / "out", lock) == new_set;  // (megabytes)
    CHECK(consistent);
  }

  // An up-to-date build, which writes nothing, removes them too.
  const std::string gone = std::to_string(gone_process());
  plant(project / "out" / (".fixture-book.pdf.tmp-" + gone + "-aB3xYz"));
  plant(project / "content" / (".anki.lock.tmp-" + gone + "-aB3xYz.old"));
  build_ok(project);
  CHECK(names_in(project / "out") == out_names);
  CHECK(names_in(project / "content") == content_names);
}

TEST_CASE("a build renames its booklets into place first, then the deck, then the lock",
          "[reliability][e2e]") {
  TempDir dir("reliability-rename-order");
  const fs::path project = dir.path() / "project";
  copy_fixture("basic", project);
  build_ok(project);
  replace_in_file(project / "content/topics/alpha.yaml", "Why *alpha* matters",
                  "Why *alpha* really matters");
  replace_in_file(project / "content/topics/beta.yaml", "back: Beta back",
                  "back: Beta back, changed");

  // One inotify queue for both folders keeps the renames in the order they happened.
  const int queue = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  REQUIRE(queue >= 0);
  REQUIRE(::inotify_add_watch(queue, (project / "out").c_str(), IN_MOVED_TO) >= 0);
  REQUIRE(::inotify_add_watch(queue, (project / "content").c_str(), IN_MOVED_TO) >= 0);
  build_ok(project);
  std::vector<std::string> renamed;
  alignas(inotify_event) char buffer[65536];
  for (ssize_t size; (size = ::read(queue, buffer, sizeof buffer)) > 0;) {
    for (ssize_t at = 0; at < size;) {
      const auto* event = reinterpret_cast<const inotify_event*>(buffer + at);
      if (event->len > 0) {
        renamed.emplace_back(event->name);
      }
      at += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
    }
  }
  ::close(queue);

  std::string order;
  for (const std::string& name : renamed) {
    order += name + " ";
  }
  INFO(order);
  REQUIRE(renamed.size() >= 4);  // the booklet, its print products, the deck, the lock, record
  CHECK(renamed[renamed.size() - 1] == ".prepkit-build");  // only once all are in place
  CHECK(renamed[renamed.size() - 2] == "anki.lock");
  CHECK(renamed[renamed.size() - 3] == "fixture-book.apkg");
  for (std::size_t i = 0; i + 3 < renamed.size(); ++i) {
    CHECK(renamed[i].ends_with(".pdf"));
  }
}
