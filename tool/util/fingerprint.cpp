#include "util/fingerprint.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <vector>

#include "util/files.hpp"

namespace util {
namespace {

constexpr std::uint64_t multiplier_a = 0x9E3779B97F4A7C15ULL;
constexpr std::uint64_t multiplier_b = 0xC2B2AE3D27D4EB4FULL;

std::uint64_t finish(std::uint64_t h) {
  // MurmurHash3's 64-bit finaliser: every input bit affects every output bit.
  h ^= h >> 33U;
  h *= 0xFF51AFD7ED558CCDULL;
  h ^= h >> 33U;
  h *= 0xC4CEB9FE1A85EC53ULL;
  h ^= h >> 33U;
  return h;
}

std::string size_text(std::uint64_t value) {
  return std::to_string(value);
}

}  // namespace

void Fingerprint::mix(std::string_view bytes) {
  // Eight bytes at a time: hashing must cost far less than rebuilding a large pack.
  std::size_t i = 0;
  for (; i + 8 <= bytes.size(); i += 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, bytes.data() + i, 8);
    m_a = ((m_a ^ word) * multiplier_a);
    m_a ^= m_a >> 29U;
    m_b = ((m_b + word) * multiplier_b);
    m_b ^= m_b >> 31U;
  }
  std::uint64_t tail = 0;
  if (i < bytes.size()) {
    std::memcpy(&tail, bytes.data() + i, bytes.size() - i);
  }
  tail ^= static_cast<std::uint64_t>(bytes.size() - i) << 56U;
  m_a = ((m_a ^ tail) * multiplier_a);
  m_a ^= m_a >> 29U;
  m_b = ((m_b + tail) * multiplier_b);
  m_b ^= m_b >> 31U;
  m_length += bytes.size();
}

void Fingerprint::add(std::string_view label, std::string_view value) {
  mix(label);
  mix(size_text(value.size()));
  mix(value);
}

void Fingerprint::add_file(const std::string& path) {
  std::string error;
  std::optional<std::string> bytes = read_file(path, error);
  add("file", path);
  add(bytes ? "bytes" : "missing", bytes ? *bytes : std::string_view());
}

void Fingerprint::add_file_stat(const std::string& path) {
  struct stat info {};
  add("stat", path);
  if (::stat(path.c_str(), &info) != 0) {
    add("missing", "");
    return;
  }
  char text[96];
  std::snprintf(text, sizeof text, "%lld %lld.%09ld", static_cast<long long>(info.st_size),
                static_cast<long long>(info.st_mtim.tv_sec), info.st_mtim.tv_nsec);
  add("size-time", text);
}

void Fingerprint::add_tree(const std::string& folder, const std::string& skip) {
  namespace fs = std::filesystem;
  std::error_code code;
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(folder, code);
       !code && it != fs::recursive_directory_iterator(); it.increment(code)) {
    if (it->is_regular_file(code)) {
      files.push_back(it->path());
    }
  }
  add("tree", folder);
  if (code && files.empty()) {
    add("missing", "");
    return;
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& file : files) {
    const std::string relative = file.lexically_relative(folder).generic_string();
    if (relative == skip) {
      continue;
    }
    add("entry", relative);
    std::string error;
    std::optional<std::string> bytes = read_file(file.string(), error);
    add(bytes ? "bytes" : "unreadable", bytes ? *bytes : std::string_view());
  }
}

std::string Fingerprint::hex() const {
  char text[40];
  std::snprintf(text, sizeof text, "%016llx%016llx",
                static_cast<unsigned long long>(finish(m_a ^ m_length)),
                static_cast<unsigned long long>(finish(m_b + m_length)));
  return text;
}

}  // namespace util
