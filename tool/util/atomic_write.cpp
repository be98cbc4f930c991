#include "util/atomic_write.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "util/error.hpp"
#include "util/files.hpp"

namespace util {
namespace {

std::string reason() {
  return std::strerror(errno);
}

constexpr std::string_view temporary_marker = ".tmp-";
constexpr std::string_view backup_suffix = ".old";
constexpr std::size_t random_letters = 6;  // mkstemp's XXXXXX

// Writes bytes to a new temporary file beside `path`; returns the temporary's name. The
// name carries this process's id: remove_leftovers tells a killed writer's files by it.
std::string write_temporary(const std::string& path, std::string_view bytes) {
  std::filesystem::path target(path);
  std::string pattern =
      (target.parent_path() / ("." + target.filename().string() + std::string(temporary_marker) +
                               std::to_string(::getpid()) + "-" + std::string(random_letters, 'X')))
          .string();
  int fd = mkstemp(pattern.data());
  if (fd < 0) {
    throw ToolError("failed to create a temporary file for " + path + ": " + reason());
  }
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      std::string why = reason();
      ::close(fd);
      std::remove(pattern.c_str());
      throw ToolError("failed to write " + path + ": " + why);
    }
    done += static_cast<std::size_t>(n);
  }
  // Temporary files from mkstemp are 0600; outputs should be readable like any file.
  if (::fchmod(fd, 0644) != 0 || ::fsync(fd) != 0 || ::close(fd) != 0) {
    std::string why = reason();
    std::remove(pattern.c_str());
    throw ToolError("failed to write " + path + ": " + why);
  }
  return pattern;
}

// A file about to be replaced, and how to put it back if a later rename fails.
struct Replacement {
  std::string temporary;  // the new content, written beside the target
  std::string target;
  std::optional<std::string> old_bytes;  // the target's content before; none = it was absent
  std::string backup;  // a hard link to the old target ("" when linking was not possible)
};

// Puts back every target that was already replaced, newest first. Best effort: the error
// that caused the rollback is the one reported.
void roll_back(const std::vector<Replacement>& replaced) {
  for (auto it = replaced.rbegin(); it != replaced.rend(); ++it) {
    if (!it->old_bytes) {
      std::remove(it->target.c_str());
    } else if (!it->backup.empty()) {
      std::rename(it->backup.c_str(), it->target.c_str());
    } else {
      try {
        std::string restored = write_temporary(it->target, *it->old_bytes);
        if (std::rename(restored.c_str(), it->target.c_str()) != 0) {
          std::remove(restored.c_str());
        }
      } catch (const ToolError&) {
        // nothing more can be done; the original error is reported
      }
    }
  }
}

// Flushes a folder's entries (the renames in it) to disk; best effort.
void sync_folder(const std::string& file) {
  std::string folder = std::filesystem::path(file).parent_path().string();
  const int fd = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

// The id of the process that made `name` if it is one of write_temporary's temporaries or
// their backups, else 0.
pid_t writer_of(std::string_view name) {
  if (name.ends_with(backup_suffix)) {
    name.remove_suffix(backup_suffix.size());
  }
  if (name.size() < random_letters + 1 || name.front() != '.') {
    return 0;
  }
  const std::string_view letters = name.substr(name.size() - random_letters);
  if (!std::all_of(letters.begin(), letters.end(),
                   [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) != 0; })) {
    return 0;
  }
  name.remove_suffix(random_letters);
  if (!name.ends_with('-')) {
    return 0;
  }
  name.remove_suffix(1);
  const std::size_t digits_start = name.find_last_not_of("0123456789") + 1;
  const std::string_view digits = name.substr(digits_start);
  name.remove_suffix(digits.size());
  if (digits.empty() || digits.size() > 9 || digits.front() == '0' ||
      !name.ends_with(temporary_marker) || name.size() <= 1 + temporary_marker.size()) {
    return 0;
  }
  return static_cast<pid_t>(std::stol(std::string(digits)));
}

bool process_is_gone(pid_t pid) {
  return pid != ::getpid() && ::kill(pid, 0) != 0 && errno == ESRCH;
}

}  // namespace

std::vector<std::string> remove_leftovers(const std::string& folder) {
  std::vector<std::string> removed;
  if (folder.empty()) {
    return removed;
  }
  std::error_code code;
  std::filesystem::directory_iterator entries(folder, code);
  for (; !code && entries != std::filesystem::directory_iterator(); entries.increment(code)) {
    const pid_t writer = writer_of(entries->path().filename().string());
    std::error_code type_code;
    if (writer != 0 && entries->is_regular_file(type_code) && process_is_gone(writer)) {
      std::error_code remove_code;
      if (std::filesystem::remove(entries->path(), remove_code)) {
        removed.push_back(entries->path().string());
      }
    }
  }
  std::sort(removed.begin(), removed.end());
  return removed;
}

WriteResult write_atomically(const std::vector<PlannedWrite>& files,
                             const std::function<void(std::size_t)>& before_rename) {
  WriteResult result;
  std::vector<Replacement> pending;
  auto discard = [&pending] {
    for (const Replacement& replacement : pending) {
      std::remove(replacement.temporary.c_str());
    }
  };
  try {
    for (const PlannedWrite& file : files) {
      std::string error;
      std::optional<std::string> current = read_file(file.path, error);
      if (current && *current == file.bytes) {
        result.unchanged.push_back(file.path);
        continue;
      }
      std::filesystem::path folder = std::filesystem::path(file.path).parent_path();
      std::error_code code;
      if (!folder.empty() && !std::filesystem::is_directory(folder, code)) {
        std::filesystem::create_directories(folder, code);
        if (code) {
          throw ToolError("failed to create folder " + folder.string() + ": " + code.message());
        }
      }
      pending.push_back(
          {write_temporary(file.path, file.bytes), file.path, std::move(current), ""});
    }
  } catch (...) {
    discard();
    throw;
  }
  // Every rename is atomic, but a later one can still fail (a busy or read-only target):
  // then the targets already replaced are put back, so that the outputs and the lock
  // never mix two builds. A hard link keeps each old file (same folder, same file system).
  // Each folder is synced after its rename, so that the order holds after a power loss too.
  std::vector<Replacement> replaced;
  for (std::size_t i = 0; i < pending.size(); ++i) {
    Replacement& replacement = pending[i];
    try {
      if (before_rename) {
        before_rename(i);
      }
      if (replacement.old_bytes) {
        std::string backup = replacement.temporary + std::string(backup_suffix);
        if (::link(replacement.target.c_str(), backup.c_str()) == 0) {
          replacement.backup = backup;
        }
      }
      if (std::rename(replacement.temporary.c_str(), replacement.target.c_str()) != 0) {
        throw ToolError("failed to replace " + replacement.target + ": " + reason());
      }
    } catch (...) {
      for (std::size_t k = i; k < pending.size(); ++k) {
        std::remove(pending[k].temporary.c_str());
        if (!pending[k].backup.empty()) {
          std::remove(pending[k].backup.c_str());
        }
      }
      roll_back(replaced);
      throw;
    }
    sync_folder(replacement.target);
    replaced.push_back(replacement);
  }
  for (const Replacement& replacement : replaced) {
    if (!replacement.backup.empty()) {
      std::remove(replacement.backup.c_str());
    }
    result.written.push_back(replacement.target);
  }
  return result;
}

}  // namespace util
