// Examples are untrusted code: their compilation (build scripts, proc macros) and their runs
// go through bubblewrap (bwrap) — no network, a read-only file system, a private process
// tree that ends with them — and util-linux's prlimit (CPU, memory, processes, file size).
// Without a usable bwrap, runs get the limits only and Sandbox::problem() says why.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "util/process.hpp"

namespace rustcheck {

// What one example run may use.
struct RunLimits {
  std::chrono::milliseconds wall{10000};
  std::size_t memory = std::size_t{512} << 20U;  // RLIMIT_DATA: heap and private mappings
  int processes = 256;                           // processes and threads at once
  std::size_t output = std::size_t{1} << 20U;    // per stream, then it is killed
  std::size_t folder = std::size_t{64} << 20U;   // its private working folder (a tmpfs)
};

struct RunOutcome {
  util::ProcessResult result;   // exit status and captured output of the example
  bool left_processes = false;  // it ended while processes it started still ran
};

class Sandbox {
 public:
  // Tries bwrap once with the options runs use; a failure becomes problem().
  static Sandbox detect();

  // "" when compilations and runs are confined, else why they are not.
  [[nodiscard]] const std::string& problem() const { return m_problem; }

  // Runs a compiler command (cargo, rustc) that may read `work_dir` and write only below
  // `writable_dir` (inside it or the same).
  [[nodiscard]] util::ProcessResult compile(util::ProcessSpec spec, const std::string& work_dir,
                                            const std::string& writable_dir) const;

  // Runs the example program `executable` confined and limited; `fallback_dir` is its working
  // folder when there is no bwrap (created, and removed afterwards).
  [[nodiscard]] RunOutcome run(const std::string& executable, const RunLimits& limits,
                               const std::string& fallback_dir) const;

 private:
  std::string m_bwrap;    // full path, "" when unusable
  std::string m_prlimit;  // full path of util-linux's prlimit
  std::string m_setpriv;  // full path of util-linux's setpriv (used when running as root)
  std::string m_problem;
};

}  // namespace rustcheck
