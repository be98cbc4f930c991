// Running programs: captured output, exit status, signals, timeouts, cwd and environment.
#include <catch2/catch.hpp>

#include <signal.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>

#include "util/error.hpp"
#include "util/process.hpp"

namespace {

util::ProcessResult shell(const std::string& script) {
  util::ProcessSpec spec;
  spec.program = "sh";
  spec.args = {"-c", script};
  return util::run_process(spec);
}

}  // namespace

TEST_CASE("run_process captures stdout, stderr and the exit status", "[util][process]") {
  util::ProcessResult result = shell("echo out; echo err >&2; printf tail; exit 3");
  CHECK(result.out == "out\ntail");
  CHECK(result.err == "err\n");
  CHECK(result.exit_code == 3);
  CHECK(result.signal == 0);
  CHECK_FALSE(result.timed_out);
  CHECK(util::describe_status(result) == "exit status 3");
}

TEST_CASE("run_process passes arguments verbatim and gives stdin /dev/null", "[util][process]") {
  util::ProcessSpec spec;
  spec.program = "sh";
  spec.args = {"-c", "printf '%s|' \"$@\"; cat", "sh", "a b", "", "$HOME", "'q'"};
  util::ProcessResult result = util::run_process(spec);
  CHECK(result.out == "a b||$HOME|'q'|");
  CHECK(result.exit_code == 0);
}

TEST_CASE("run_process reports the signal that ended the child", "[util][process]") {
  util::ProcessResult result = shell("kill -9 $$");
  CHECK(result.exit_code == -1);
  CHECK(result.signal == 9);
  CHECK(util::describe_status(result).rfind("killed by signal 9", 0) == 0);
}

TEST_CASE("run_process kills a child and its children at the timeout", "[util][process]") {
  util::ProcessSpec spec;
  spec.program = "sh";
  // The grandchild `sleep` holds the pipes open: it must die with the group.
  spec.args = {"-c", "echo started; sleep 30; echo never"};
  spec.timeout = std::chrono::milliseconds(300);
  auto start = std::chrono::steady_clock::now();
  util::ProcessResult result = util::run_process(spec);
  auto elapsed = std::chrono::steady_clock::now() - start;
  CHECK(result.timed_out);
  CHECK(result.out == "started\n");
  CHECK(util::describe_status(result) == "timed out");
  CHECK(elapsed < std::chrono::seconds(10));
}

TEST_CASE("run_process keeps the timeout when the child closed its pipes", "[util][process]") {
  util::ProcessSpec spec;
  spec.program = "sh";
  spec.args = {"-c", "exec >&- 2>&-; sleep 30"};
  spec.timeout = std::chrono::milliseconds(300);
  auto start = std::chrono::steady_clock::now();
  util::ProcessResult result = util::run_process(spec);
  CHECK(result.timed_out);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
}

TEST_CASE("run_process runs in cwd with the environment changes", "[util][process]") {
  std::string dir = std::filesystem::temp_directory_path().string();
  ::setenv("PREPKIT_PROCESS_TEST_UNSET", "present", 1);
  util::ProcessSpec spec;
  spec.program = "sh";
  spec.args = {"-c", "pwd; echo \"$PREPKIT_A|${PREPKIT_PROCESS_TEST_UNSET-unset}\""};
  spec.cwd = dir;
  spec.env_set = {{"PREPKIT_A", "x=y"}};
  spec.env_unset = {"PREPKIT_PROCESS_TEST_UNSET"};
  util::ProcessResult result = util::run_process(spec);
  ::unsetenv("PREPKIT_PROCESS_TEST_UNSET");
  CHECK(result.out == std::filesystem::canonical(dir).string() + "\nx=y|unset\n");
}

TEST_CASE("run_process caps captured output but drains the pipe", "[util][process]") {
  util::ProcessSpec spec;
  spec.program = "sh";
  spec.args = {"-c", "yes | head -c 1000000; echo done >&2"};
  spec.max_output = 1000;
  util::ProcessResult result = util::run_process(spec);
  CHECK(result.out.size() == 1000);
  CHECK(result.err == "done\n");
  CHECK(result.exit_code == 0);
}

TEST_CASE("run_process stops a child that prints past the cap when asked", "[util][process]") {
  util::ProcessSpec spec;
  spec.program = "yes";
  spec.max_output = 1000;
  spec.kill_past_max_output = true;
  spec.timeout = std::chrono::seconds(60);
  util::ProcessResult result = util::run_process(spec);
  CHECK(result.output_exceeded);
  CHECK(result.out.size() == 1000);
  CHECK(result.signal == SIGKILL);
  CHECK_FALSE(result.timed_out);
}

TEST_CASE("run_process kills what a child left running in its group", "[util][process]") {
  util::ProcessSpec spec;
  spec.program = "sh";
  spec.args = {"-c", "sleep 30 >/dev/null 2>&1 & echo $!"};
  spec.timeout = std::chrono::seconds(60);
  util::ProcessResult result = util::run_process(spec);
  CHECK(result.exit_code == 0);
  // Gone, a zombie waiting for init, or about to die: SIGKILL (bit 9) pending for it.
  std::string pid = result.out.substr(0, result.out.find('\n'));
  std::ifstream status("/proc/" + pid + "/status");
  std::string line;
  std::string state;
  std::uint64_t pending = 0;
  while (std::getline(status, line)) {
    if (line.rfind("State:", 0) == 0) {
      state = line;
    } else if (line.rfind("ShdPnd:", 0) == 0) {
      pending = std::stoull(line.substr(7), nullptr, 16);
    }
  }
  INFO(pid << " " << state);
  CHECK((state.empty() || state.find("zombie") != std::string::npos ||
         (pending & (std::uint64_t{1} << (SIGKILL - 1))) != 0));
}

TEST_CASE("run_process throws ToolError for a program that does not exist", "[util][process]") {
  util::ProcessSpec spec;
  spec.program = "prepkit-no-such-program";
  try {
    util::run_process(spec);
    FAIL("no exception");
  } catch (const util::ToolError& error) {
    CHECK(std::string(error.what()) == "failed to run prepkit-no-such-program: program not found");
  }
  CHECK(util::find_program("prepkit-no-such-program").empty());
  CHECK(util::find_program("sh").find("/sh") != std::string::npos);
}
