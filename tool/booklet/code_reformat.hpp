// Rust code blocks too wide for their column, reformatted by rustfmt to the column's width so
// that they need not wrap. Keyed on the block's language, never on the pack.
#pragma once

#include <atomic>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "model/document.hpp"

namespace booklet {

// Characters a code line takes (tabs to the next multiple of four).
std::size_t code_columns(const std::string& line);

// The rustfmt a build would run now: `program` ("" = look on PATH, then in $CARGO_HOME/bin
// and ~/.cargo/bin; behind a rustup proxy, the toolchain's own rustfmt) and what identifies
// it, or empty strings when there is none. Runs nothing but, for a proxy, `rustup which`.
struct Rustfmt {
  std::string program;
  std::string identity;  // "<size> <seconds> <path>": its file's, as a build record keeps it
};
Rustfmt find_rustfmt(const std::string& program = "");

// What CodeReformatter::formatter_used() would say now of a build that recorded `recorded`.
std::string code_formatter_now(const std::string& recorded);

class CodeReformatter {
 public:
  // `cache_dir`: where formatted results are kept between builds; "" = $XDG_CACHE_HOME or
  // ~/.cache /prepkit/rustfmt. `program`: rustfmt to use; "" = look on PATH, then in
  // $CARGO_HOME/bin and ~/.cargo/bin.
  explicit CodeReformatter(std::string cache_dir = "", std::string program = "");

  // The lines of `code` to print in a column `columns` characters wide: rustfmt's version
  // when the block is Rust, a line is wider than the column and rustfmt leaves fewer lines
  // too wide; otherwise the block's own lines. Safe to call from several threads.
  [[nodiscard]] const std::vector<std::string>& fit(const model::CodeBlock& code,
                                                    std::size_t columns);

  // After the calls: a note for the build output when a block needed rustfmt and none
  // could be run, else "".
  [[nodiscard]] std::string note() const;
  // After the calls: "" when no block needed rustfmt, else the rustfmt that ran ("none"
  // when none could): what a build record must see change to build again.
  [[nodiscard]] std::string formatter_used() const;

 private:
  // rustfmt's output for `lines` at `columns`, or nullopt when it failed.
  std::optional<std::vector<std::string>> run_rustfmt(const std::vector<std::string>& lines,
                                                      const std::string& edition,
                                                      std::size_t columns) const;

  std::string m_cache_dir;
  std::string m_program;
  std::string m_identity;  // Rustfmt::identity; part of every cache key
  std::once_flag m_found;  // set once a block needed rustfmt (and it was looked for)
  std::atomic<bool> m_needed{false};
  std::atomic<bool> m_missing_needed{false};
  std::mutex m_mutex;
  std::map<std::string, std::optional<std::vector<std::string>>> m_results;
};

}  // namespace booklet
