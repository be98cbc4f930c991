#include "util/atomic_write.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "util/error.hpp"
#include "util/files.hpp"

namespace util {
namespace {

std::string reason() {
  return std::strerror(errno);
}

// Writes bytes to a new temporary file beside `path`; returns the temporary's name.
std::string write_temporary(const std::string& path, const std::string& bytes) {
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

}  // namespace

WriteResult write_atomically(const std::vector<PlannedWrite>& files,
                             const std::function<void()>& before_rename) {
  WriteResult result;
  std::vector<std::pair<std::string, std::string>> pending;  // temporary → target
  auto discard = [&pending] {
    for (const auto& [temporary, target] : pending) {
      std::remove(temporary.c_str());
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
      pending.emplace_back(write_temporary(file.path, file.bytes), file.path);
    }
    if (before_rename) {
      before_rename();
    }
  } catch (...) {
    discard();
    throw;
  }
  for (std::size_t i = 0; i < pending.size(); ++i) {
    if (std::rename(pending[i].first.c_str(), pending[i].second.c_str()) != 0) {
      std::string why = reason();
      for (std::size_t k = i; k < pending.size(); ++k) {
        std::remove(pending[k].first.c_str());
      }
      throw ToolError("failed to replace " + pending[i].second + ": " + why);
    }
    result.written.push_back(pending[i].second);
  }
  return result;
}

}  // namespace util
