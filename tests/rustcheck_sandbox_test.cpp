// `check --rust` runs untrusted code: the hostile pack (tests/fixtures/hostile-rust) tries to
// write outside its folder, leave a daemon, allocate 2 GB, start 500 processes, print 100 MB
// and reach a listener of this test. Each must fail with its message and leave no trace.
// Needs bubblewrap (the confined mode); skipped with a warning without it or without Rust.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "load/load_content.hpp"
#include "model/diagnostics.hpp"
#include "rustcheck/rust_examples.hpp"
#include "rustcheck/sandbox.hpp"
#include "rustcheck/toolchain.hpp"
#include "support.hpp"
#include "util/process.hpp"

namespace fs = std::filesystem;

namespace {

constexpr int k_listener_port = 47811;  // the port the network example connects to

// A TCP listener on 127.0.0.1 that never accepts by itself.
class Listener {
 public:
  Listener() {
    m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int yes = 1;
    ::setsockopt(m_fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(k_listener_port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    m_listening = ::bind(m_fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
                  ::listen(m_fd, 8) == 0;
  }
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;
  ~Listener() { ::close(m_fd); }
  [[nodiscard]] bool listening() const { return m_listening; }
  // True when a connection is waiting (the listener is non-blocking).
  [[nodiscard]] bool was_reached() const {
    int connection = ::accept(m_fd, nullptr, nullptr);
    if (connection >= 0) {
      ::close(connection);
      return true;
    }
    return false;
  }

 private:
  int m_fd = -1;
  bool m_listening = false;
};

// Processes whose command line mentions `text`.
int processes_mentioning(const std::string& text) {
  int count = 0;
  std::error_code error;
  for (fs::directory_iterator it("/proc", error), end; !error && it != end; it.increment(error)) {
    std::ifstream in(it->path() / "cmdline", std::ios::binary);
    std::string line((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (line.find(text) != std::string::npos) {
      ++count;
    }
  }
  return count;
}

}  // namespace

TEST_CASE("check --rust stops hostile examples and leaves no trace", "[rustcheck]") {
  std::string problem;
  if (!rustcheck::find_toolchain(problem)) {
    test_support::missing_tool("a Rust toolchain (" + problem + ")");
    return;
  }
  rustcheck::Sandbox sandbox = rustcheck::Sandbox::detect();
  if (!sandbox.problem().empty()) {
    test_support::missing_tool("a confined sandbox for Rust examples (" + sandbox.problem() + ")");
    return;
  }
  const std::vector<std::string> markers = {
      "/tmp/prepkit-escape-marker", "/var/tmp/prepkit-escape-marker", "/tmp/prepkit-daemon-marker"};
  for (const std::string& marker : markers) {
    fs::remove(marker);
  }
  Listener listener;
  REQUIRE(listener.listening());
  ::setenv("PREPKIT_TEST_SECRET", "leaked", 1);

  std::string pack = std::string(PREPKIT_TESTS_DIR) + "/fixtures/hostile-rust/content";
  model::Diagnostics load_diagnostics;
  model::Document document = load::load_content(pack, load_diagnostics);
  REQUIRE_FALSE(load_diagnostics.has_errors());
  rustcheck::RustCheckOptions options;
  // Its own cache: sharing the default one would drop the content's programs from it.
  options.work_dir = rustcheck::default_work_dir() + "-hostile";
  model::Diagnostics diagnostics;
  rustcheck::RustCheckSummary summary =
      rustcheck::check_rust_examples(document, options, diagnostics);
  ::unsetenv("PREPKIT_TEST_SECRET");
  CHECK(summary.ran == 7);

  std::vector<std::string> messages = test_support::formatted(diagnostics);
  const std::string file = pack + "/topics/hostile.yaml";
  CHECK(messages ==
        std::vector<std::string>{
            file + ":7:7: error: Rust example panics: Read-only file system (os error 30)\n"
                   "  hint: examples may write only in their working folder (the current "
                   "directory)",
            file + ":19:7: error: Rust example left processes running when it ended\n"
                   "  hint: wait for every process it starts; leftovers are killed",
            file + ":31:7: error: Rust example ran out of memory (the limit is 512 MiB): memory "
                   "allocation of 2147483648 bytes failed",
            file + ":40:7: error: Rust example panics: Resource temporarily unavailable (os error "
                   "11)\n"
                   "  hint: examples may run at most 256 processes and threads at once",
            file + ":52:7: error: Rust example printed more than 1 MiB and was stopped",
            file + ":66:7: error: Rust example panics: Connection refused (os error 111)\n"
                   "  hint: examples have no network; they can reach only their own 127.0.0.1",
        });

  // No trace: nothing written outside, no process left, no connection, no run folder.
  for (const std::string& marker : markers) {
    CHECK_FALSE(fs::exists(marker));
  }
  CHECK(processes_mentioning("prepkit-daemon-marker") == 0);
  // The whole command line "sleep 30" (NUL-separated and -ended): not, say, "sleep 300".
  CHECK(processes_mentioning(std::string("sleep\0"
                                         "30\0",
                                         9)) == 0);
  CHECK_FALSE(listener.was_reached());
  CHECK_FALSE(fs::exists(options.work_dir + "/run"));
}
