// Running another program (compilers, example binaries) with captured output and a timeout.
// The only place that spawns processes; knows nothing about what it runs.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace util {

struct ProcessSpec {
  std::string program;            // a path, or a name looked up on PATH
  std::vector<std::string> args;  // without argv[0]
  std::string cwd;                // "" = the current directory
  // Changes to the inherited environment: set (name, value) and unset (name).
  std::vector<std::pair<std::string, std::string>> env_set;
  std::vector<std::string> env_unset;
  // Killed (with its whole process group) when it runs longer; none = wait forever.
  std::optional<std::chrono::milliseconds> timeout;
  // Captured bytes beyond this per stream are read and dropped, so a chatty child never blocks.
  std::size_t max_output = 4 * 1024 * 1024;
  // Kill the process (and its group) as soon as a stream goes past max_output.
  bool kill_past_max_output = false;
};

struct ProcessResult {
  int exit_code = -1;            // exit status when the process exited normally, else -1
  int signal = 0;                // the signal that ended it, 0 if it exited
  bool timed_out = false;        // killed because it ran past ProcessSpec::timeout
  bool output_exceeded = false;  // killed because it printed more than max_output
  std::string out;               // captured stdout
  std::string err;               // captured stderr
};

// Runs `spec` with stdin from /dev/null and waits for it. With a timeout, processes left in
// its group when it ends are killed too. Throws ToolError when the
// program cannot be started (not found, not executable, no pipes).
ProcessResult run_process(const ProcessSpec& spec);

// The full path of `name` found in the PATH folders (or `name` itself when it contains a
// slash and is executable); "" when there is none.
std::string find_program(const std::string& name);

// "exit status 1", "killed by signal 9", "timed out": for messages.
std::string describe_status(const ProcessResult& result);

}  // namespace util
