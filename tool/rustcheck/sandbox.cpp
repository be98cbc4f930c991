#include "rustcheck/sandbox.hpp"

#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace rustcheck {

namespace fs = std::filesystem;

namespace {

constexpr const char* k_left_running = "prepkit: the example left processes running\n";

// Runs the example; when it succeeds, fails if anything it started still runs (the PID namespace
// kills those when this shell, its process 2, ends). Zombies are not counted.
constexpr const char* k_watch_script = R"sh("$@"
status=$?
if [ $status != 0 ]; then exit $status; fi
for entry in /proc/[0-9]*; do
  pid=${entry#/proc/}
  if [ "$pid" = 1 ] || [ "$pid" = $$ ]; then continue; fi
  state=
  read -r state < "$entry/stat" 2>/dev/null
  case $state in ""|*") Z "*) continue ;; esac
  printf '%s' "$PREPKIT_LEFT_RUNNING" >&2
  exit 125
done
)sh";

bool running_as_root() {
  return ::geteuid() == 0;
}

// The user an example runs as when prepkit runs as root: one no account has, different for
// each example and each check, since the process limit counts every process of a user
// (nobody's budget would be shared by all examples on the machine).
std::string unprivileged_id(const std::string& executable) {
  const std::size_t spread =
      std::hash<std::string>{}(executable + "/" + std::to_string(::getpid()));
  return std::to_string(1'000'000 + spread % 1'000'000'000);
}

std::vector<std::string> namespace_options() {
  std::vector<std::string> options = {"--die-with-parent",   "--new-session", "--unshare-pid",
                                      "--unshare-net",       "--unshare-ipc", "--unshare-uts",
                                      "--unshare-cgroup-try"};
  if (!running_as_root()) {
    // Unprivileged bwrap needs a user namespace; root's bwrap drops its capabilities instead.
    options.emplace_back("--unshare-user");
  }
  for (const char* option : {"--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"}) {
    options.emplace_back(option);
  }
  return options;
}

// Outside a user namespace RLIMIT_NPROC counts all the user's processes (and root is exempt),
// so only a confined run gets the process limit.
std::vector<std::string> limit_options(const std::string& prlimit, const RunLimits& limits,
                                       bool confined) {
  auto seconds = std::chrono::ceil<std::chrono::seconds>(limits.wall).count() + 1;
  std::vector<std::string> options = {prlimit,
                                      "--cpu=" + std::to_string(seconds),
                                      "--data=" + std::to_string(limits.memory),
                                      "--fsize=" + std::to_string(limits.folder),
                                      "--nofile=256",
                                      "--core=0"};
  if (confined) {
    options.push_back("--nproc=" + std::to_string(limits.processes));
  }
  options.emplace_back("--");
  return options;
}

void append(std::vector<std::string>& to, const std::vector<std::string>& more) {
  to.insert(to.end(), more.begin(), more.end());
}

}  // namespace

Sandbox Sandbox::detect() {
  Sandbox sandbox;
  sandbox.m_prlimit = util::find_program("prlimit");
  sandbox.m_setpriv = util::find_program("setpriv");
  std::string bwrap = util::find_program("bwrap");
  if (sandbox.m_prlimit.empty() || (running_as_root() && sandbox.m_setpriv.empty())) {
    sandbox.m_problem = "util-linux's prlimit and setpriv are not on PATH";
    return sandbox;
  }
  if (bwrap.empty()) {
    sandbox.m_problem = "bubblewrap (bwrap) is not installed";
    return sandbox;
  }
  sandbox.m_bwrap = bwrap;
  std::string probe = util::find_program("true");
  RunOutcome outcome = sandbox.run(probe.empty() ? "/bin/true" : probe, RunLimits{}, "");
  if (outcome.result.exit_code != 0) {
    std::string reason = outcome.result.err.substr(0, outcome.result.err.find('\n'));
    sandbox.m_problem = "bwrap does not work here (" +
                        (reason.empty() ? util::describe_status(outcome.result) : reason) + ")";
    sandbox.m_bwrap.clear();
  }
  return sandbox;
}

util::ProcessResult Sandbox::compile(util::ProcessSpec spec, const std::string& work_dir,
                                     const std::string& writable_dir) const {
  if (m_bwrap.empty()) {
    return util::run_process(spec);
  }
  std::string program = util::find_program(spec.program);
  std::vector<std::string> args = namespace_options();
  // Bound after the private /tmp, so a work folder below /tmp stays visible.
  append(args, {"--tmpfs", "/tmp", "--ro-bind", work_dir, work_dir, "--bind", writable_dir,
                writable_dir, "--chdir", spec.cwd.empty() ? writable_dir : spec.cwd, "--",
                program.empty() ? spec.program : program});
  append(args, spec.args);
  spec.program = m_bwrap;
  spec.args = std::move(args);
  return util::run_process(spec);
}

RunOutcome Sandbox::run(const std::string& executable, const RunLimits& limits,
                        const std::string& fallback_dir) const {
  util::ProcessSpec spec;
  spec.env_set = {{"RUST_BACKTRACE", "0"}};
  spec.timeout = limits.wall;
  spec.max_output = limits.output;
  spec.kill_past_max_output = true;
  RunOutcome outcome;
  if (m_bwrap.empty()) {
    std::error_code ignored;
    fs::create_directories(fallback_dir, ignored);
    spec.cwd = fallback_dir;
    if (m_prlimit.empty()) {
      spec.program = executable;
    } else {
      spec.program = m_prlimit;
      spec.args = limit_options(m_prlimit, limits, false);
      spec.args.erase(spec.args.begin());
      spec.args.push_back(executable);
    }
    outcome.result = util::run_process(spec);
    fs::remove_all(fallback_dir, ignored);
    return outcome;
  }

  std::vector<std::string> args = namespace_options();
  // The working folder is a size-limited tmpfs: nothing of the run is left on disk. /run is
  // replaced too, hiding the host's sockets there.
  append(args, {"--tmpfs", "/run", "--size", std::to_string(limits.folder), "--perms", "1777",
                "--tmpfs", "/tmp"});
  const char* home = std::getenv("HOME");
  std::error_code error;
  if (!running_as_root() && home != nullptr && home[0] == '/' && std::string(home) != "/" &&
      fs::is_directory(home, error)) {
    append(args, {"--tmpfs", home});  // the user's files are no business of an example
  }
  append(args, {"--ro-bind", executable, "/run/example", "--chdir", "/tmp"});
  // A clean environment: the user's variables (tokens among them) are not the example's.
  args.emplace_back("--clearenv");
  for (const auto& [name, value] :
       std::vector<std::pair<std::string, std::string>>{{"PATH", "/usr/local/bin:/usr/bin:/bin"},
                                                        {"HOME", "/tmp"},
                                                        {"TMPDIR", "/tmp"},
                                                        {"LANG", "C.UTF-8"},
                                                        {"RUST_BACKTRACE", "0"},
                                                        {"PREPKIT_LEFT_RUNNING", k_left_running}}) {
    append(args, {"--setenv", name, value});
  }
  if (running_as_root()) {
    // Root is exempt from the process limit: the example runs as a user of its own, with no
    // capabilities.
    const std::string id = unprivileged_id(executable);
    append(args,
           {"--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--", m_setpriv, "--reuid=" + id,
            "--regid=" + id, "--clear-groups", "--inh-caps=-all", "--bounding-set=-all"});
  }
  args.emplace_back("--");
  append(args, limit_options(m_prlimit, limits, true));
  append(args, {"/bin/sh", "-c", k_watch_script, "sh", "/run/example"});
  spec.program = m_bwrap;
  spec.args = std::move(args);
  outcome.result = util::run_process(spec);

  util::ProcessResult& result = outcome.result;
  std::string marker = k_left_running;
  if (result.exit_code == 125 && result.err.size() >= marker.size() &&
      result.err.compare(result.err.size() - marker.size(), marker.size(), marker) == 0) {
    outcome.left_processes = true;
    result.err.resize(result.err.size() - marker.size());
  } else if (result.exit_code > 128 && result.exit_code < 128 + NSIG) {
    // bwrap and the shell report a signal as 128 + its number.
    result.signal = result.exit_code - 128;
    result.exit_code = -1;
  }
  return outcome;
}

}  // namespace rustcheck
