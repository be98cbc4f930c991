#include "util/atomic_write.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

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

// Writes bytes to a new temporary file beside `path`; returns the temporary's name.
std::string write_temporary(const std::string& path, std::string_view bytes) {
  std::filesystem::path target(path);
  std::string pattern =
      (target.parent_path() / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
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

}  // namespace

WriteResult write_atomically(const std::vector<PlannedWrite>& files,
                             const std::function<void()>& before_rename) {
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
    if (before_rename) {
      before_rename();
    }
  } catch (...) {
    discard();
    throw;
  }
  // Every rename is atomic, but a later one can still fail (a busy or read-only target):
  // then the targets already replaced are put back, so that the outputs and the lock
  // never mix two builds. A hard link keeps each old file (same folder, same file system).
  std::vector<Replacement> replaced;
  for (std::size_t i = 0; i < pending.size(); ++i) {
    Replacement& replacement = pending[i];
    if (replacement.old_bytes) {
      std::string backup = replacement.temporary + ".old";
      if (::link(replacement.target.c_str(), backup.c_str()) == 0) {
        replacement.backup = backup;
      }
    }
    if (std::rename(replacement.temporary.c_str(), replacement.target.c_str()) != 0) {
      std::string why = reason();
      for (std::size_t k = i; k < pending.size(); ++k) {
        std::remove(pending[k].temporary.c_str());
        if (!pending[k].backup.empty()) {
          std::remove(pending[k].backup.c_str());
        }
      }
      roll_back(replaced);
      throw ToolError("failed to replace " + replacement.target + ": " + why);
    }
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
