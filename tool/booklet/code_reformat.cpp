#include "booklet/code_reformat.hpp"

#include <stdlib.h>  // mkdtemp

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "util/atomic_write.hpp"
#include "util/error.hpp"
#include "util/files.hpp"
#include "util/lines.hpp"
#include "util/process.hpp"
#include "util/sha.hpp"
#include "util/utf8.hpp"

namespace fs = std::filesystem;

namespace booklet {
namespace {

// Statements and expressions are not items: such a snippet is formatted as a function body.
constexpr std::string_view body_open = "fn __prepkit_snippet() {";
constexpr std::size_t body_indent = 4;

std::string join_lines(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) {
    text += line + "\n";
  }
  return text;
}

std::size_t too_wide(const std::vector<std::string>& lines, std::size_t columns) {
  return static_cast<std::size_t>(std::count_if(
      lines.begin(), lines.end(), [&](const auto& line) { return code_columns(line) > columns; }));
}

// Comments that point at a column of the line above ("// ^ error") would point elsewhere
// once the code moves.
bool has_column_markers(const std::vector<std::string>& lines) {
  for (const std::string& line : lines) {
    const std::size_t comment = line.find("//");
    if (comment == std::string::npos) {
      continue;
    }
    const std::size_t text = line.find_first_not_of(" /~", comment);
    if (text != std::string::npos && (line[text] == '^' || line[text] == '|')) {
      return true;
    }
  }
  return false;
}

std::string default_cache_dir() {
  if (const char* cache = std::getenv("XDG_CACHE_HOME"); cache != nullptr && cache[0] == '/') {
    return std::string(cache) + "/prepkit/rustfmt";
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && home[0] != '\0') {
    return std::string(home) + "/.cache/prepkit/rustfmt";
  }
  return "";  // no cache between builds
}

// A private folder for one rustfmt run, removed when it goes out of scope.
class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = (fs::temp_directory_path() / "prepkit-rustfmt-XXXXXX").string();
    if (mkdtemp(pattern.data()) != nullptr) {
      m_path = pattern;
    }
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  ~ScratchDir() {
    if (!m_path.empty()) {
      std::error_code ignored;
      fs::remove_all(m_path, ignored);
    }
  }
  [[nodiscard]] const std::string& path() const { return m_path; }

 private:
  std::string m_path;
};

bool write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  return static_cast<bool>(out);
}

// How a build record and the cache name a rustfmt: its file's size, time and path, so that
// checking it runs nothing (a rustup proxy takes longer to start than a whole no-change
// build). Updating a toolchain rewrites its rustfmt, which changes the size or time.
std::string formatter_identity(const std::string& program) {
  if (program.empty()) {
    return "none";
  }
  std::error_code error;
  const auto size = fs::file_size(program, error);
  const auto time = fs::last_write_time(program, error);
  if (error) {
    return "gone " + program;
  }
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(
      std::chrono::file_clock::to_sys(time).time_since_epoch());
  return std::to_string(size) + " " + std::to_string(seconds.count()) + " " + program;
}

// The rustup executable behind `program` when it is one of rustup's proxies (a link to
// rustup, symbolic or hard), else "".
std::string rustup_behind(const std::string& program) {
  std::error_code error;
  const fs::path target = fs::canonical(program, error);
  if (!error && target.filename() == "rustup") {
    return target.string();
  }
  const fs::path sibling = fs::path(program).parent_path() / "rustup";
  return fs::equivalent(program, sibling, error) && !error ? sibling.string() : "";
}

// The rustfmt a rustup proxy runs, asked where rustfmt will run (run_rustfmt: rustup picks
// the toolchain by folder); "" when the toolchain has none.
std::string rustfmt_behind_proxy(const std::string& rustup) {
  util::ProcessSpec spec;
  spec.program = rustup;
  spec.args = {"which", "rustfmt"};
  spec.cwd = fs::temp_directory_path().string();
  spec.timeout = std::chrono::seconds(60);
  const util::ProcessResult result = util::run_process(spec);
  const std::string path = result.out.substr(0, result.out.find('\n'));
  std::error_code error;
  return result.exit_code == 0 && fs::is_regular_file(path, error) ? path : "";
}

}  // namespace

std::size_t code_columns(const std::string& line) {
  std::size_t column = 0;
  for (std::size_t pos = 0; pos < line.size();) {
    column = util::decode_utf8(line, pos) == '\t' ? column + 4 - column % 4 : column + 1;
  }
  return column;
}

CodeReformatter::CodeReformatter(std::string cache_dir, std::string program)
    : m_cache_dir(cache_dir.empty() ? default_cache_dir() : std::move(cache_dir)),
      m_program(std::move(program)) {}

Rustfmt find_rustfmt(const std::string& program) {
  std::vector<std::string> candidates;
  if (!program.empty()) {
    candidates.push_back(program);
  } else {
    candidates.push_back("rustfmt");
    if (const char* cargo_home = std::getenv("CARGO_HOME"); cargo_home != nullptr && *cargo_home) {
      candidates.push_back(std::string(cargo_home) + "/bin/rustfmt");
    }
    if (const char* home = std::getenv("HOME"); home != nullptr && *home) {
      candidates.push_back(std::string(home) + "/.cargo/bin/rustfmt");
    }
  }
  for (const std::string& candidate : candidates) {
    std::string found = util::find_program(candidate);
    if (const std::string rustup = found.empty() ? "" : rustup_behind(found); !rustup.empty()) {
      found = rustfmt_behind_proxy(rustup);
    }
    if (!found.empty()) {
      return {found, formatter_identity(found)};
    }
  }
  return {};
}

std::optional<std::vector<std::string>> CodeReformatter::run_rustfmt(
    const std::vector<std::string>& lines, const std::string& edition, std::size_t columns) const {
  ScratchDir dir;
  if (dir.path().empty()) {
    return std::nullopt;
  }
  const std::string file = dir.path() + "/snippet.rs";
  const std::string config = dir.path() + "/rustfmt.toml";  // empty: no rustfmt.toml found around
  const auto format = [&](const std::string& source,
                          std::size_t width) -> std::optional<std::vector<std::string>> {
    if (!write_text(file, source) || !write_text(config, "")) {
      return std::nullopt;
    }
    util::ProcessSpec spec;
    spec.program = m_program;
    spec.cwd = dir.path();
    spec.args = {"--edition",
                 edition,
                 "--config-path",
                 config,
                 "--config",
                 "max_width=" + std::to_string(width) +
                     ",reorder_imports=false,reorder_modules=false,style_edition=" + edition,
                 file};
    spec.timeout = std::chrono::seconds(30);
    const util::ProcessResult result = util::run_process(spec);
    if (result.exit_code != 0) {
      return std::nullopt;
    }
    std::string error;
    const std::optional<std::string> formatted = util::read_file(file, error);
    if (!formatted) {
      return std::nullopt;
    }
    return util::text_lines(*formatted);
  };

  if (auto items = format(join_lines(lines), columns)) {
    return items;
  }
  std::string body = std::string(body_open) + "\n";
  for (const std::string& line : lines) {
    body += (line.empty() ? "" : std::string(body_indent, ' ') + line) + "\n";
  }
  body += "}\n";
  std::optional<std::vector<std::string>> wrapped = format(body, columns + body_indent);
  if (!wrapped || wrapped->size() < 2 || wrapped->front() != body_open || wrapped->back() != "}") {
    return std::nullopt;
  }
  std::vector<std::string> inner;
  for (std::size_t i = 1; i + 1 < wrapped->size(); ++i) {
    const std::string& line = (*wrapped)[i];
    if (line.empty()) {
      inner.emplace_back();
    } else if (line.compare(0, body_indent, std::string(body_indent, ' ')) == 0) {
      inner.push_back(line.substr(body_indent));
    } else {
      return std::nullopt;  // something left the body's indentation: not a body
    }
  }
  return inner;
}

const std::vector<std::string>& CodeReformatter::fit(const model::CodeBlock& code,
                                                     std::size_t columns) {
  const bool rust = code.language == "rust";
  if (!rust || columns == 0 || too_wide(code.lines, columns) == 0 ||
      has_column_markers(code.lines)) {
    return code.lines;
  }
  m_needed = true;
  std::call_once(m_found, [this] {
    const Rustfmt found = find_rustfmt(m_program);
    m_program = found.program;
    m_identity = found.identity;
  });
  if (m_program.empty()) {
    m_missing_needed = true;
    return code.lines;
  }
  const std::string edition = code.edition.empty() ? "2024" : code.edition;
  std::string key = "prepkit rustfmt 2\n" + m_identity + "\nedition " + edition + "\ncolumns " +
                    std::to_string(columns) + "\n" + join_lines(code.lines);
  {
    const std::lock_guard lock(m_mutex);
    if (auto found = m_results.find(key); found != m_results.end()) {
      return found->second ? *found->second : code.lines;
    }
  }

  std::optional<std::vector<std::string>> result;
  const std::string cache_file =
      m_cache_dir.empty() ? "" : m_cache_dir + "/" + util::sha256_hex(key, 32);
  std::string error;
  const std::optional<std::string> cached =
      cache_file.empty() ? std::nullopt : util::read_file(cache_file, error);
  if (cached && cached->rfind("ok\n", 0) == 0) {
    result = util::text_lines(cached->substr(3));
  } else if (cached && *cached == "failed\n") {
    result = std::nullopt;
  } else {
    result = run_rustfmt(code.lines, edition, columns);
    // rustfmt's version of the block, only when it leaves fewer lines too wide.
    if (result && too_wide(*result, columns) >= too_wide(code.lines, columns)) {
      result = std::nullopt;
    }
    if (!cache_file.empty()) {
      const std::string text = result ? "ok\n" + join_lines(*result) : "failed\n";
      try {
        fs::create_directories(m_cache_dir);
        util::write_atomically({{cache_file, text}});
      } catch (const std::exception&) {
        // a cache that cannot be written only makes the next build slower
      }
    }
  }
  const std::lock_guard lock(m_mutex);
  const auto& stored = m_results.emplace(std::move(key), std::move(result)).first->second;
  return stored ? *stored : code.lines;
}

std::string code_formatter_now(const std::string& recorded) {
  if (recorded == "none") {  // wide code wrapped: is there a rustfmt now?
    return formatter_identity(find_rustfmt().program);
  }
  const std::size_t size_end = recorded.find(' ');
  const std::size_t time_end = recorded.find(' ', size_end + 1);
  return time_end == std::string::npos ? "none" : formatter_identity(recorded.substr(time_end + 1));
}

std::string CodeReformatter::formatter_used() const {
  return m_needed ? formatter_identity(m_program) : "";
}

std::string CodeReformatter::note() const {
  return m_missing_needed ? "rustfmt not found (PATH, ~/.cargo/bin): wide Rust code wraps" : "";
}

}  // namespace booklet
