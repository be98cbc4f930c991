#include "util/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <map>

#include "util/error.hpp"

extern char** environ;

namespace util {

namespace {

std::string errno_text(int error) {
  return std::strerror(error);
}

// Closes a file descriptor once, when it goes out of scope.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : m_fd(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }
  [[nodiscard]] int get() const { return m_fd; }
  void reset() {
    if (m_fd >= 0) {
      ::close(m_fd);
    }
    m_fd = -1;
  }

 private:
  int m_fd = -1;
};

class SpawnAttributes {
 public:
  SpawnAttributes() {
    posix_spawnattr_init(&m_attr);
    posix_spawn_file_actions_init(&m_actions);
  }
  SpawnAttributes(const SpawnAttributes&) = delete;
  SpawnAttributes& operator=(const SpawnAttributes&) = delete;
  ~SpawnAttributes() {
    posix_spawn_file_actions_destroy(&m_actions);
    posix_spawnattr_destroy(&m_attr);
  }
  posix_spawnattr_t* attr() { return &m_attr; }
  posix_spawn_file_actions_t* actions() { return &m_actions; }

 private:
  posix_spawnattr_t m_attr{};
  posix_spawn_file_actions_t m_actions{};
};

std::vector<std::string> child_environment(const ProcessSpec& spec) {
  std::map<std::string, std::string> variables;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    std::string text = *entry;
    std::size_t equals = text.find('=');
    if (equals != std::string::npos) {
      variables[text.substr(0, equals)] = text.substr(equals + 1);
    }
  }
  for (const std::string& name : spec.env_unset) {
    variables.erase(name);
  }
  for (const auto& [name, value] : spec.env_set) {
    variables[name] = value;
  }
  std::vector<std::string> result;
  result.reserve(variables.size());
  for (const auto& [name, value] : variables) {
    result.push_back(name + "=" + value);
  }
  return result;
}

bool is_executable_file(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode) &&
         ::access(path.c_str(), X_OK) == 0;
}

using Clock = std::chrono::steady_clock;

void kill_group(pid_t pid) {
  ::kill(-pid, SIGKILL);
  ::kill(pid, SIGKILL);
}

// Reads both pipes until they close, killing the child's group at `deadline`.
void collect_output(const ProcessSpec& spec, pid_t pid, std::optional<Clock::time_point> deadline,
                    Fd& out_fd, Fd& err_fd, ProcessResult& result) {
  // After a kill, a grandchild outside the group could keep a pipe open: stop waiting then.
  std::optional<Clock::time_point> give_up;
  std::array<char, 65536> buffer{};
  while (out_fd.get() >= 0 || err_fd.get() >= 0) {
    std::array<pollfd, 2> fds{};
    fds[0] = {out_fd.get(), POLLIN, 0};
    fds[1] = {err_fd.get(), POLLIN, 0};
    int wait_ms = -1;
    auto now = Clock::now();
    if (give_up) {
      if (now >= *give_up) {
        break;
      }
      wait_ms = static_cast<int>(
          std::chrono::duration_cast<std::chrono::milliseconds>(*give_up - now).count() + 1);
    } else if (deadline) {
      if (now >= *deadline) {
        result.timed_out = true;
        kill_group(pid);
        give_up = now + std::chrono::seconds(2);
        continue;
      }
      wait_ms = static_cast<int>(
          std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - now).count() + 1);
    }
    int ready = ::poll(fds.data(), fds.size(), wait_ms);
    if (ready < 0) {
      if (errno == EINTR) {
        continue;
      }
      throw ToolError("failed to read output of " + spec.program + ": " + errno_text(errno));
    }
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) {
        continue;
      }
      Fd& fd = i == 0 ? out_fd : err_fd;
      std::string& sink = i == 0 ? result.out : result.err;
      ssize_t count = ::read(fd.get(), buffer.data(), buffer.size());
      if (count < 0 && (errno == EINTR || errno == EAGAIN)) {
        continue;
      }
      if (count <= 0) {
        fd.reset();
        continue;
      }
      std::size_t room = spec.max_output > sink.size() ? spec.max_output - sink.size() : 0;
      sink.append(buffer.data(), std::min(room, static_cast<std::size_t>(count)));
      if (spec.kill_past_max_output && static_cast<std::size_t>(count) > room && !give_up) {
        result.output_exceeded = true;
        kill_group(pid);
        give_up = Clock::now() + std::chrono::seconds(2);
      }
    }
  }
  out_fd.reset();
  err_fd.reset();
}

}  // namespace

std::string find_program(const std::string& name) {
  if (name.empty()) {
    return "";
  }
  if (name.find('/') != std::string::npos) {
    return is_executable_file(name) ? name : "";
  }
  const char* path = std::getenv("PATH");
  std::string folders = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  std::size_t start = 0;
  while (start <= folders.size()) {
    std::size_t end = folders.find(':', start);
    if (end == std::string::npos) {
      end = folders.size();
    }
    std::string folder = folders.substr(start, end - start);
    std::string candidate = (folder.empty() ? "." : folder) + "/" + name;
    if (is_executable_file(candidate)) {
      return candidate;
    }
    start = end + 1;
  }
  return "";
}

ProcessResult run_process(const ProcessSpec& spec) {
  std::string program = find_program(spec.program);
  if (program.empty()) {
    throw ToolError("failed to run " + spec.program + ": program not found");
  }
  std::vector<std::string> argv_text;
  argv_text.push_back(spec.program);
  argv_text.insert(argv_text.end(), spec.args.begin(), spec.args.end());
  std::vector<std::string> env_text = child_environment(spec);
  std::vector<char*> argv;
  for (std::string& arg : argv_text) {
    argv.push_back(arg.data());
  }
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (std::string& entry : env_text) {
    envp.push_back(entry.data());
  }
  envp.push_back(nullptr);

  std::array<int, 2> out_pipe{-1, -1};
  std::array<int, 2> err_pipe{-1, -1};
  // O_CLOEXEC: children spawned by other threads at the same time must not inherit them.
  if (::pipe2(out_pipe.data(), O_CLOEXEC) != 0) {
    throw ToolError("failed to run " + spec.program + ": " + errno_text(errno));
  }
  Fd out_read(out_pipe[0]);
  Fd out_write(out_pipe[1]);
  if (::pipe2(err_pipe.data(), O_CLOEXEC) != 0) {
    throw ToolError("failed to run " + spec.program + ": " + errno_text(errno));
  }
  Fd err_read(err_pipe[0]);
  Fd err_write(err_pipe[1]);

  SpawnAttributes spawn;
  posix_spawn_file_actions_addopen(spawn.actions(), STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(spawn.actions(), out_write.get(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(spawn.actions(), err_write.get(), STDERR_FILENO);
  if (!spec.cwd.empty()) {
    posix_spawn_file_actions_addchdir_np(spawn.actions(), spec.cwd.c_str());
  }
  short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
  if (spec.timeout) {
    // Its own process group, so a timeout kills the grandchildren too.
    flags |= POSIX_SPAWN_SETPGROUP;
    posix_spawnattr_setpgroup(spawn.attr(), 0);
  }
  posix_spawnattr_setflags(spawn.attr(), flags);
  sigset_t empty_mask;
  sigemptyset(&empty_mask);
  posix_spawnattr_setsigmask(spawn.attr(), &empty_mask);
  sigset_t defaults;
  sigemptyset(&defaults);
  for (int sig : {SIGPIPE, SIGINT, SIGTERM, SIGQUIT, SIGHUP, SIGCHLD}) {
    sigaddset(&defaults, sig);
  }
  posix_spawnattr_setsigdefault(spawn.attr(), &defaults);

  pid_t pid = 0;
  int status =
      ::posix_spawn(&pid, program.c_str(), spawn.actions(), spawn.attr(), argv.data(), envp.data());
  if (status != 0) {
    throw ToolError("failed to run " + program + ": " + errno_text(status));
  }
  out_write.reset();
  err_write.reset();

  ProcessResult result;
  std::optional<Clock::time_point> deadline;
  if (spec.timeout) {
    deadline = Clock::now() + *spec.timeout;
  }
  try {
    collect_output(spec, pid, deadline, out_read, err_read, result);
  } catch (...) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    throw;
  }
  while (true) {
    // The pipes may close before the process ends (it closed them): keep the deadline.
    bool past_deadline = deadline && !result.timed_out && Clock::now() >= *deadline;
    if (past_deadline) {
      result.timed_out = true;
      kill_group(pid);
    }
    // WNOWAIT: while the ended process is not reaped, its id still names its group.
    siginfo_t info{};
    int waited = ::waitid(P_PID, static_cast<id_t>(pid), &info,
                          WEXITED | WNOWAIT | (deadline && !result.timed_out ? WNOHANG : 0));
    if (waited == 0 && info.si_pid == pid) {
      break;
    }
    if (waited < 0 && errno != EINTR) {
      throw ToolError("failed to wait for " + program + ": " + errno_text(errno));
    }
    if (waited == 0) {
      ::usleep(1000);
    }
  }
  if (spec.timeout) {
    // What it started in its group and left running ends with it (setsid escapes this).
    ::kill(-pid, SIGKILL);
  }
  int wait_status = 0;
  while (::waitpid(pid, &wait_status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(wait_status)) {
    result.exit_code = WEXITSTATUS(wait_status);
  } else if (WIFSIGNALED(wait_status)) {
    result.signal = WTERMSIG(wait_status);
  }
  return result;
}

std::string describe_status(const ProcessResult& result) {
  if (result.timed_out) {
    return "timed out";
  }
  if (result.signal != 0) {
    const char* name = ::strsignal(result.signal);
    return "killed by signal " + std::to_string(result.signal) +
           (name != nullptr ? std::string(" (") + name + ")" : std::string());
  }
  return "exit status " + std::to_string(result.exit_code);
}

}  // namespace util
