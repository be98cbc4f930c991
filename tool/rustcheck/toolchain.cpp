#include "rustcheck/toolchain.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "util/error.hpp"
#include "util/process.hpp"

namespace rustcheck {

namespace {

constexpr int k_min_major = 1;
constexpr int k_min_minor = 85;

// "rustc 1.95.0 (59807616e 2026-04-14)" → "1.95.0"; "" when the text is not like that.
std::string parse_version(const std::string& text) {
  const std::string prefix = "rustc ";
  if (text.rfind(prefix, 0) != 0) {
    return "";
  }
  std::size_t end = text.find_first_of(" \n", prefix.size());
  return text.substr(prefix.size(), end == std::string::npos ? end : end - prefix.size());
}

bool new_enough(const std::string& version) {
  int major = 0;
  int minor = 0;
  if (std::sscanf(version.c_str(), "%d.%d", &major, &minor) != 2) {
    return false;
  }
  return major > k_min_major || (major == k_min_major && minor >= k_min_minor);
}

std::string folder_of(const std::string& path) {
  std::size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

}  // namespace

std::optional<Toolchain> find_toolchain(std::string& problem) {
  std::vector<std::string> candidates;
  if (std::string on_path = util::find_program("rustc"); !on_path.empty()) {
    candidates.push_back(on_path);
  }
  if (const char* cargo_home = std::getenv("CARGO_HOME"); cargo_home != nullptr && *cargo_home) {
    candidates.push_back(std::string(cargo_home) + "/bin/rustc");
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && *home) {
    candidates.push_back(std::string(home) + "/.cargo/bin/rustc");
  }
  problem = "no rustc on PATH or in ~/.cargo/bin";
  for (const std::string& candidate : candidates) {
    if (util::find_program(candidate).empty()) {
      continue;
    }
    util::ProcessSpec spec;
    spec.program = candidate;
    spec.args = {"--version"};
    spec.timeout = std::chrono::seconds(60);
    util::ProcessResult result = util::run_process(spec);
    std::string version = parse_version(result.out);
    if (result.exit_code != 0 || version.empty()) {
      problem = candidate + " --version failed (" + util::describe_status(result) + ")";
      continue;
    }
    if (!new_enough(version)) {
      problem = candidate + " is Rust " + version + ", too old for edition 2024";
      continue;
    }
    std::string cargo = folder_of(candidate) + "/cargo";
    if (util::find_program(cargo).empty()) {
      cargo = util::find_program("cargo");
    }
    if (cargo.empty()) {
      problem = "found " + candidate + " but no cargo beside it or on PATH";
      continue;
    }
    std::string description = result.out.substr(0, result.out.find('\n'));
    return Toolchain{candidate, cargo, version, description};
  }
  return std::nullopt;
}

Toolchain require_toolchain() {
  std::string problem;
  std::optional<Toolchain> toolchain = find_toolchain(problem);
  if (!toolchain) {
    throw util::ToolError("failed to find a Rust toolchain: " + problem + "; install Rust " +
                          std::to_string(k_min_major) + "." + std::to_string(k_min_minor) +
                          " or newer (rustc and cargo) with rustup, and the crates in "
                          ".ci/rust-packages.txt with apt-get");
  }
  return *toolchain;
}

}  // namespace rustcheck
