#include "util/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

namespace util {
namespace {

// Why a file of this type is not read, or "" for a regular file.
std::string refusal(mode_t mode) {
  if (S_ISREG(mode)) {
    return "";
  }
  if (S_ISDIR(mode)) {
    return "is a directory";
  }
  if (S_ISFIFO(mode)) {
    return "is a FIFO, not a regular file";
  }
  if (S_ISCHR(mode) || S_ISBLK(mode)) {
    return "is a device, not a regular file";
  }
  if (S_ISSOCK(mode)) {
    return "is a socket, not a regular file";
  }
  return "is not a regular file";
}

std::string too_large(std::size_t size, const InputLimit& limit) {
  return "too large (" + size_in_words(size) + "; the limit for " + limit.kind + " is " +
         size_in_words(limit.max_bytes) + ")";
}

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : m_fd(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (m_fd >= 0) {
      ::close(m_fd);
    }
  }
  [[nodiscard]] int get() const { return m_fd; }

 private:
  int m_fd;
};

}  // namespace

std::string size_in_words(std::size_t bytes) {
  if (bytes >= mebibyte) {
    return std::to_string(bytes / mebibyte) + " MB";
  }
  if (bytes >= 1024) {
    return std::to_string(bytes / 1024) + " KB";
  }
  return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
}

std::optional<std::string> read_file(const std::string& path, std::string& error,
                                     const InputLimit& limit) {
  if (path.empty()) {
    error = "the path is empty";
    return std::nullopt;
  }
  // Checked before opening (opening a device can have effects), and again on the open
  // file (the path may have changed in between).
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    error = std::strerror(errno);
    return std::nullopt;
  }
  if (error = refusal(info.st_mode); !error.empty()) {
    return std::nullopt;
  }
  const FileDescriptor file(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
  if (file.get() < 0 || ::fstat(file.get(), &info) != 0) {
    error = std::strerror(errno);
    return std::nullopt;
  }
  if (error = refusal(info.st_mode); !error.empty()) {
    return std::nullopt;
  }
  const auto size = static_cast<std::size_t>(info.st_size);
  if (size > limit.max_bytes) {
    error = too_large(size, limit);
    return std::nullopt;
  }
  // Read to the end, which may differ from `size` if the file changes meanwhile; one byte
  // over the limit is enough to refuse it. The byte after `size` is room to see the end
  // without growing the buffer (which would double what every file holds).
  std::string bytes(size + 1, '\0');
  std::size_t used = 0;
  while (true) {
    if (used == bytes.size()) {
      if (bytes.size() > limit.max_bytes) {
        error = too_large(bytes.size(), limit);
        return std::nullopt;
      }
      bytes.resize(std::min(limit.max_bytes + 1, std::max<std::size_t>(bytes.size() * 2, 4096)));
    }
    const ssize_t got = ::read(file.get(), bytes.data() + used, bytes.size() - used);
    if (got < 0 && errno == EINTR) {
      continue;
    }
    if (got < 0) {
      error = std::strerror(errno);
      return std::nullopt;
    }
    if (got == 0) {
      break;
    }
    used += static_cast<std::size_t>(got);
  }
  bytes.resize(used);
  return bytes;
}

std::vector<std::string> list_files(const std::string& folder, const std::string& suffix) {
  std::vector<std::string> names;
  std::error_code code;
  for (const auto& entry : std::filesystem::directory_iterator(folder, code)) {
    std::string name = entry.path().filename().string();
    if (entry.is_regular_file(code) && name.size() > suffix.size() &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      names.push_back(name);
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace util
