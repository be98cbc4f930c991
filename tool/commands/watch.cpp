#include "commands/watch.hpp"

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <ostream>
#include <sstream>

#include "build.hpp"
#include "commands/terminal_report.hpp"

namespace commands {
namespace {

namespace fs = std::filesystem;

constexpr std::uint32_t watched_events =
    IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_DELETE_SELF;

// One inotify instance watching folders (and the folders inside them, as they appear).
class FolderWatch {
 public:
  FolderWatch() : m_fd(::inotify_init1(IN_CLOEXEC)) {}
  ~FolderWatch() {
    if (m_fd >= 0) {
      ::close(m_fd);
    }
  }
  FolderWatch(const FolderWatch&) = delete;
  FolderWatch& operator=(const FolderWatch&) = delete;

  [[nodiscard]] bool ok() const { return m_fd >= 0; }

  void add_tree(const fs::path& folder) {
    std::error_code code;
    if (!fs::is_directory(folder, code)) {
      return;
    }
    add(folder);
    for (auto it = fs::recursive_directory_iterator(folder, code);
         !code && it != fs::recursive_directory_iterator(); it.increment(code)) {
      if (it->is_directory(code)) {
        add(it->path());
      }
    }
  }

  // Waits for a change to a file other than `ignored` (the lock file the build writes),
  // then for the burst of events an editor's save makes to end. False on failure.
  bool wait_for_change(const fs::path& ignored) {
    bool changed = false;
    while (!changed) {
      if (!read_events(-1, ignored, changed)) {
        return false;
      }
    }
    for (bool more = true; more;) {  // settle: until no event comes for 50 ms
      more = read_events(50, ignored, changed);
    }
    return true;
  }

 private:
  void add(const fs::path& folder) {
    const int wd = ::inotify_add_watch(m_fd, folder.c_str(), watched_events);
    if (wd >= 0) {
      m_folders[wd] = folder;
    }
  }

  // Reads the events available within `timeout_ms`; `changed` is set when one concerns a
  // file other than `ignored`. False when nothing came or reading failed.
  bool read_events(int timeout_ms, const fs::path& ignored, bool& changed) {
    pollfd poll_fd{m_fd, POLLIN, 0};
    if (::poll(&poll_fd, 1, timeout_ms) <= 0) {
      return false;
    }
    alignas(inotify_event) std::array<char, 16384> buffer{};
    const ssize_t size = ::read(m_fd, buffer.data(), buffer.size());
    if (size <= 0) {
      return false;
    }
    for (ssize_t at = 0; at < size;) {
      const auto* event = reinterpret_cast<const inotify_event*>(buffer.data() + at);
      at += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
      const auto folder = m_folders.find(event->wd);
      if (folder == m_folders.end()) {
        continue;
      }
      const fs::path path = event->len > 0 ? folder->second / event->name : folder->second;
      if ((event->mask & IN_ISDIR) != 0 && (event->mask & (IN_CREATE | IN_MOVED_TO)) != 0) {
        add_tree(path);
      }
      const std::string name = path.filename().string();
      const bool editor_file = name.empty() || name.front() == '.' || name.back() == '~' ||
                               name.ends_with(".swp") || name.ends_with(".tmp");
      if (path.lexically_normal() != ignored.lexically_normal() && !editor_file) {
        changed = true;
      }
    }
    return true;
  }

  int m_fd;
  std::map<int, fs::path> m_folders;
};

int build_once(const prepkit::Options& options, std::ostream& out, std::ostream& err) {
  if (!stderr_wants_color()) {
    return prepkit::run(options, out, err);
  }
  std::ostringstream plain;
  const int status = prepkit::run(options, out, plain);
  err << colored_report(plain.str());
  return status;
}

}  // namespace

int watch(const prepkit::Options& options, std::ostream& out, std::ostream& err) {
  prepkit::Options build = options;
  build.command = prepkit::Command::build;
  FolderWatch folders;
  if (!folders.ok()) {
    err << "error: cannot watch files (inotify): " << std::strerror(errno) << "\n";
    return prepkit::exit_environment;
  }
  const fs::path content(options.content_dir);
  folders.add_tree(content);
  folders.add_tree(content.lexically_normal().parent_path() / "layouts");
  const fs::path lock = content / "anki.lock";
  for (;;) {
    const int status = build_once(build, out, err);
    if (status == prepkit::exit_environment && !fs::is_directory(content)) {
      return status;
    }
    if (!options.quiet) {
      out << (status == prepkit::exit_ok ? "watching" : "watching (the last good outputs stay)")
          << " " << options.content_dir << " for changes; Ctrl-C stops\n";
    }
    out.flush();
    err.flush();
    if (!folders.wait_for_change(lock)) {
      err << "error: watching " << options.content_dir << " failed\n";
      return prepkit::exit_environment;
    }
  }
}

}  // namespace commands
