// Shared test helpers: temporary folders, running the real prepkit binary, reading files.
#pragma once

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "model/diagnostics.hpp"
#include "util/process.hpp"

namespace test_support {

namespace fs = std::filesystem;

// Called where a test finds a tool it needs missing: with the environment variable CI set
// (CI runs .ci/setup, which installs every such tool) the test fails; elsewhere it warns
// and the caller skips the check.
inline void missing_tool(const std::string& tool) {
  if (std::getenv("CI") != nullptr) {
    FAIL(tool << " is not installed (CI is set: .ci/setup installs it)");
  }
  WARN("skipped: " << tool << " is not installed");
}

// A fresh, empty folder under the system temp dir, removed when the object goes away.
class TempDir {
 public:
  explicit TempDir(const std::string& name)
      : m_path(fs::temp_directory_path() / ("prepkit-" + name + "-" + std::to_string(::getpid()))) {
    fs::remove_all(m_path);
    fs::create_directories(m_path);
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(m_path, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const fs::path& path() const { return m_path; }

 private:
  fs::path m_path;
};

inline std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Replaces the first `from` in the file with `to`; `from` must be there.
inline void replace_in_file(const fs::path& path, const std::string& from, const std::string& to) {
  std::string text = read_bytes(path);
  const std::size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  text.replace(at, from.size(), to);
  std::ofstream(path, std::ios::binary) << text;
}

// Copies a fixture project (tests/fixtures/<name>) into `target`, so builds may write
// their lock file without touching the repository.
// The names of the entries directly in `folder`, sorted.
inline std::vector<std::string> names_in(const fs::path& folder) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(folder)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

inline fs::path copy_fixture(const std::string& name, const fs::path& target) {
  fs::copy(fs::path(PREPKIT_TESTS_DIR) / "fixtures" / name, target, fs::copy_options::recursive);
  return target;
}

// Runs the prepkit binary built with the tests.
inline util::ProcessResult run_prepkit(
    const std::vector<std::string>& args,
    const std::vector<std::pair<std::string, std::string>>& env = {}) {
  util::ProcessSpec spec;
  spec.program = PREPKIT_BINARY;
  spec.args = args;
  spec.env_set = env;
  spec.env_unset = {"SOURCE_DATE_EPOCH"};
  spec.timeout = std::chrono::minutes(5);
  return util::run_process(spec);
}

// Runs a command-line tool when it is installed; `found` is false otherwise.
inline util::ProcessResult run_tool(const std::string& program,
                                    const std::vector<std::string>& args, bool& found) {
  found = !util::find_program(program).empty();
  if (!found) {
    return {};
  }
  util::ProcessSpec spec;
  spec.program = program;
  spec.args = args;
  spec.timeout = std::chrono::minutes(5);
  return util::run_process(spec);
}

// Each diagnostic as the terminal shows it ("file:line:col: error: …"), in the order a run
// reports them.
inline std::vector<std::string> formatted(const model::Diagnostics& diagnostics) {
  std::vector<std::string> messages;
  for (const model::Diagnostic& diagnostic : diagnostics.sorted()) {
    messages.push_back(model::format_diagnostic(diagnostic));
  }
  return messages;
}

}  // namespace test_support
