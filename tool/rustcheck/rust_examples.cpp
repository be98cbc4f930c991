#include "rustcheck/rust_examples.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <thread>

#include "model/walk.hpp"
#include "rustcheck/compiler_messages.hpp"
#include "rustcheck/crates.hpp"
#include "rustcheck/sandbox.hpp"
#include "rustcheck/toolchain.hpp"
#include "rustcheck/workspace.hpp"
#include "util/error.hpp"
#include "util/lines.hpp"
#include "util/parallel_map.hpp"
#include "util/process.hpp"
#include "util/sha.hpp"

namespace rustcheck {

namespace fs = std::filesystem;

namespace {

constexpr const char* k_default_edition = "2024";
constexpr std::size_t k_max_quoted = 80;
constexpr auto k_compile_timeout = std::chrono::minutes(5);

struct Example {
  const model::CodeBlock* block = nullptr;
  std::string program;  // ExampleProgram::name of its compiled program
};

// A compile_fail program, compiled alone with rustc.
struct FailingProgram {
  ExampleProgram program;
  std::vector<std::string> crates;
  util::ProcessResult result;
  std::vector<CompilerError> errors;
};

// Holds an exclusive lock on the work folder, so two checks never write it at once.
class FolderLock {
 public:
  explicit FolderLock(const std::string& dir) {
    std::string path = dir + "/.lock";
    m_fd = ::open(path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644);
    if (m_fd < 0) {
      throw util::ToolError("failed to open " + path + ": " + std::strerror(errno));
    }
    while (::flock(m_fd, LOCK_EX) != 0) {
      if (errno != EINTR) {
        ::close(m_fd);
        throw util::ToolError("failed to lock " + path + ": " + std::strerror(errno));
      }
    }
  }
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;
  ~FolderLock() { ::close(m_fd); }

 private:
  int m_fd = -1;
};

std::string edition_of(const model::CodeBlock& block) {
  return block.edition.empty() ? k_default_edition : block.edition;
}

std::string program_name(const std::string& edition, const std::string& source) {
  return "ex_" + util::sha256_hex(edition + '\n' + source).substr(0, 16);
}

std::string shorten(const std::string& text) {
  if (text.size() <= k_max_quoted) {
    return text;
  }
  std::size_t cut = k_max_quoted;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0U) == 0x80U) {
    --cut;
  }
  return text.substr(0, cut) + "…";
}

std::string without_trailing_newlines(std::string text) {
  while (!text.empty() && text.back() == '\n') {
    text.pop_back();
  }
  return text;
}

std::string first_line(const std::string& text) {
  for (const std::string& line : util::text_lines(text)) {
    if (line.find_first_not_of(" \t\r") != std::string::npos) {
      return line;
    }
  }
  return "";
}

// The message of a Rust panic from stderr ("thread 'main' panicked at src/x.rs:3:5:\nboom").
std::string panic_message(const std::string& err) {
  std::vector<std::string> lines = util::text_lines(err);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::size_t at = lines[i].find("panicked at ");
    if (at == std::string::npos) {
      continue;
    }
    if (lines[i].back() == ':' && i + 1 < lines.size()) {
      return lines[i + 1];
    }
    // Before Rust 1.73 the message followed on the same line: "panicked at 'boom', …".
    return lines[i].substr(at + 12);
  }
  return first_line(err);
}

bool panicked(const util::ProcessResult& result) {
  return result.exit_code == 101 && result.err.find("panicked at") != std::string::npos;
}

std::string quote(const std::string& text) {
  return "\"" + shorten(text) + "\"";
}

// "" when stdout matches the expected output (trailing newlines aside), else what differs.
std::string compare_output(const std::string& actual, const std::string& expected) {
  std::string got = without_trailing_newlines(actual);
  std::string want = without_trailing_newlines(expected);
  if (got == want) {
    return "";
  }
  std::vector<std::string> got_lines = util::text_lines(got);
  std::vector<std::string> want_lines = util::text_lines(want);
  std::size_t line = 0;
  while (line < got_lines.size() && line < want_lines.size() &&
         got_lines[line] == want_lines[line]) {
    ++line;
  }
  std::string got_text = line < got_lines.size() ? quote(got_lines[line]) : "no line";
  std::string want_text = line < want_lines.size() ? quote(want_lines[line]) : "no line";
  return "Rust example output differs from its ```output block at line " +
         std::to_string(line + 1) + ": got " + got_text + ", expected " + want_text;
}

std::string crate_list() {
  std::string names;
  for (const CrateInfo& crate : known_crates()) {
    names += (names.empty() ? "" : ", ") + std::string(crate.name);
  }
  return names;
}

std::string missing_crate_hint(const std::string& crate) {
  return "crate `" + crate + "` is not available to examples; they can use " + crate_list();
}

std::string more_errors(std::size_t count) {
  if (count <= 1) {
    return "";
  }
  return " (+" + std::to_string(count - 1) + " more error" + (count > 2 ? "s" : "") + ")";
}

void check_compile_errors(const std::vector<CompilerError>& errors, const model::CodeBlock& block,
                          model::Diagnostics& diagnostics) {
  if (errors.empty()) {
    diagnostics.error(block.where, "Rust example was not built (cargo reported no error for it)");
    return;
  }
  std::string hint;
  for (const CompilerError& error : errors) {
    if (std::string crate = missing_crate(error); !crate.empty()) {
      hint = missing_crate_hint(crate);
      break;
    }
  }
  if (hint.empty() && errors.front().code.size() == 5 && errors.front().code[0] == 'E') {
    hint = "if the error is the point, mark the block ```rust,compile_fail," + errors.front().code;
  }
  diagnostics.error(
      block.where,
      "Rust example does not compile: " + summarize(errors.front()) + more_errors(errors.size()),
      hint);
}

std::string size_text(std::size_t bytes) {
  return std::to_string(bytes >> 20U) + " MiB";
}

// What the confinement forbids, when the error text shows the example ran into it.
std::string confinement_hint(const std::string& err, const RunLimits& limits) {
  struct Limit {
    std::vector<const char*> signs;
    std::string hint;
  };
  const std::vector<Limit> known = {
      {{"os error 11)", "Resource temporarily unavailable"},
       "examples may run at most " + std::to_string(limits.processes) +
           " processes and threads at once"},
      {{"os error 30)", "os error 13)", "Read-only file system"},
       "examples may write only in their working folder (the current directory)"},
      {{"os error 101)", "os error 111)", "Network is unreachable", "Connection refused"},
       "examples have no network; they can reach only their own 127.0.0.1"},
  };
  for (const Limit& limit : known) {
    for (const char* sign : limit.signs) {
      if (err.find(sign) != std::string::npos) {
        return limit.hint;
      }
    }
  }
  return "";
}

void check_run(const RunOutcome& outcome, const model::CodeBlock& block, const RunLimits& limits,
               bool confined, model::Diagnostics& diagnostics) {
  const util::ProcessResult& result = outcome.result;
  if (result.timed_out) {
    auto ms = limits.wall.count();
    std::string limit =
        ms % 1000 == 0 ? std::to_string(ms / 1000) + " s" : std::to_string(ms) + " ms";
    diagnostics.error(block.where, "Rust example did not finish within " + limit,
                      "mark the block ```rust,no_run if it is not meant to end");
    return;
  }
  if (result.output_exceeded) {
    diagnostics.error(block.where, "Rust example printed more than " + size_text(limits.output) +
                                       " and was stopped");
    return;
  }
  if (outcome.left_processes) {
    diagnostics.error(block.where, "Rust example left processes running when it ended",
                      "wait for every process it starts; leftovers are killed");
    return;
  }
  if (result.signal == SIGABRT && result.err.find("memory allocation of ") != std::string::npos) {
    diagnostics.error(block.where, "Rust example ran out of memory (the limit is " +
                                       size_text(limits.memory) + "): " + first_line(result.err));
    return;
  }
  std::string hint = confined ? confinement_hint(result.err, limits) : "";
  if (block.check == model::CodeCheck::should_panic) {
    if (result.exit_code == 0) {
      diagnostics.error(block.where, "Rust example marked should_panic does not panic");
      return;
    }
    if (!panicked(result)) {
      std::string detail = first_line(result.err);
      diagnostics.error(block.where, "Rust example marked should_panic ends with " +
                                         util::describe_status(result) + " instead of a panic" +
                                         (detail.empty() ? "" : ": " + shorten(detail)));
      return;
    }
  } else if (result.exit_code != 0) {
    if (panicked(result)) {
      diagnostics.error(
          block.where, "Rust example panics: " + shorten(panic_message(result.err)),
          hint.empty() ? "if the panic is the point, mark the block ```rust,should_panic" : hint);
    } else {
      std::string detail = first_line(result.err);
      diagnostics.error(block.where,
                        "Rust example fails when run: " + util::describe_status(result) +
                            (detail.empty() ? "" : ": " + shorten(detail)),
                        hint);
    }
    return;
  }
  if (block.expected_output) {
    std::string difference = compare_output(result.out, *block.expected_output);
    if (!difference.empty()) {
      diagnostics.error(block.where, difference);
    }
  }
}

void check_compile_fail(const FailingProgram& failing, const model::CodeBlock& block,
                        model::Diagnostics& diagnostics) {
  std::string marked =
      "Rust example marked compile_fail" + (block.error_code.empty() ? "" : "," + block.error_code);
  const util::ProcessResult& result = failing.result;
  if (result.exit_code == 0) {
    diagnostics.error(block.where, marked + " compiles",
                      "make it fail with the error it is meant to show, or drop compile_fail");
    return;
  }
  if (result.exit_code != 1) {
    // rustc exits with 1 on compile errors; 101 is an internal compiler error.
    diagnostics.error(block.where, marked + ": rustc ends with " + util::describe_status(result) +
                                       ": " + shorten(first_line(result.err)));
    return;
  }
  const std::vector<CompilerError>& errors = failing.errors;
  if (errors.empty()) {
    diagnostics.error(block.where, marked + " fails without a compiler error: " +
                                       shorten(first_line(result.err)));
    return;
  }
  for (const CompilerError& error : errors) {
    std::string crate = missing_crate(error);
    bool linker = error.message.rfind("linking with", 0) == 0;
    if (!crate.empty() || linker) {
      diagnostics.error(block.where, marked + " fails for an unrelated reason: " + summarize(error),
                        crate.empty() ? "" : missing_crate_hint(crate));
      return;
    }
  }
  if (block.error_code.empty()) {
    return;
  }
  bool found = std::any_of(errors.begin(), errors.end(), [&](const CompilerError& error) {
    return error.code == block.error_code;
  });
  if (!found) {
    diagnostics.error(block.where, marked + " fails with another error: " +
                                       summarize(errors.front()) + more_errors(errors.size()));
  }
}

std::string read_whole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Compiles one compile_fail example with rustc. The outcome is cached beside the source,
// keyed by everything that decides it (rustc, arguments, source, the crates' files), so a
// later check re-runs rustc only for examples that changed.
void compile_alone(FailingProgram& failing, const std::string& work_dir, const std::string& dir,
                   const Toolchain& toolchain, const BuildReport& build, const Sandbox& sandbox) {
  const ExampleProgram& program = failing.program;
  std::string source_path = dir + "/" + program.name + ".rs";
  write_if_changed(source_path, program.source);
  util::ProcessSpec spec;
  spec.program = toolchain.rustc;
  spec.args = {"--edition",
               program.edition,
               "--crate-type",
               "bin",
               "--crate-name",
               program.name,
               "--error-format=json",
               "-C",
               "debuginfo=0",
               "-o",
               dir + "/" + program.name};
  std::string key_text = toolchain.rustc + "\n" + toolchain.description + "\n";
  if (!failing.crates.empty()) {
    spec.args.push_back("-L");
    spec.args.push_back("dependency=" + build.deps_dir);
    for (const std::string& crate : failing.crates) {
      auto library = build.libraries.find(crate);
      if (library != build.libraries.end()) {
        spec.args.push_back("--extern");
        spec.args.push_back(crate + "=" + library->second);
        std::error_code ignored;
        key_text += library->second + " " +
                    std::to_string(fs::file_size(library->second, ignored)) + " " +
                    std::to_string(
                        fs::last_write_time(library->second, ignored).time_since_epoch().count()) +
                    "\n";
      }
    }
  }
  spec.args.push_back(source_path);
  for (const std::string& arg : spec.args) {
    key_text += arg + "\n";
  }
  key_text += program.source;
  std::string key_line = "key " + util::sha256_hex(key_text) + "\n";
  std::string cache_path = dir + "/" + program.name + ".result";

  std::string cached = read_whole(cache_path);
  if (cached.rfind(key_line, 0) == 0) {
    std::size_t status_end = cached.find('\n', key_line.size());
    if (status_end != std::string::npos && cached.compare(key_line.size(), 5, "exit ") == 0) {
      failing.result.exit_code = std::atoi(cached.c_str() + key_line.size() + 5);
      failing.result.err = cached.substr(status_end + 1);
      failing.errors = parse_rustc_errors(failing.result.err);
      return;
    }
  }
  spec.cwd = dir;
  spec.env_unset = {"RUSTFLAGS", "CARGO_ENCODED_RUSTFLAGS"};
  spec.timeout = k_compile_timeout;
  failing.result = sandbox.compile(spec, work_dir, dir);
  failing.errors = parse_rustc_errors(failing.result.err);
  // Only clean outcomes are kept: a timeout or a crash is tried again next time.
  if (!failing.result.timed_out &&
      (failing.result.exit_code == 0 || failing.result.exit_code == 1)) {
    write_if_changed(cache_path, key_line + "exit " + std::to_string(failing.result.exit_code) +
                                     "\n" + failing.result.err);
  }
}

}  // namespace

std::string default_work_dir() {
  if (const char* cache = std::getenv("XDG_CACHE_HOME"); cache != nullptr && cache[0] == '/') {
    return std::string(cache) + "/prepkit/rustcheck";
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && home[0] != '\0') {
    return std::string(home) + "/.cache/prepkit/rustcheck";
  }
  return (fs::temp_directory_path() / "prepkit-rustcheck").string();
}

RustCheckSummary check_rust_examples(const model::Document& document,
                                     const RustCheckOptions& options,
                                     model::Diagnostics& diagnostics) {
  RustCheckSummary summary;
  std::vector<Example> examples;
  std::vector<ExampleProgram> binaries;  // run, no_run, should_panic: built by cargo
  std::vector<FailingProgram> failing;   // compile_fail: each compiled alone by rustc
  std::map<std::string, std::size_t> failing_index;
  std::set<std::string> binary_names;
  std::set<std::string> run_names;
  std::set<std::string> crate_set;
  for (const model::Area& area : document.areas) {
    for (const model::Topic& topic : area.topics) {
      model::for_each_code_block(topic, [&](const model::CodeBlock& block) {
        if (block.language != "rust" || block.check == model::CodeCheck::none) {
          return;
        }
        ++summary.examples;
        if (block.check == model::CodeCheck::ignore) {
          ++summary.ignored;
          return;
        }
        std::string edition = edition_of(block);
        std::string name = program_name(edition, block.source);
        examples.push_back({&block, name});
        std::vector<std::string> crates = detect_crates(block.source);
        crate_set.insert(crates.begin(), crates.end());
        if (block.check == model::CodeCheck::compile_fail) {
          ++summary.compile_fail;
          if (failing_index.count(name) == 0) {
            failing_index[name] = failing.size();
            failing.push_back({{name, edition, block.source}, crates, {}, {}});
          }
          return;
        }
        ++summary.built;
        if (binary_names.insert(name).second) {
          binaries.push_back({name, edition, block.source});
        }
        if (block.check != model::CodeCheck::no_run) {
          ++summary.ran;
          run_names.insert(name);
        }
      });
    }
  }
  if (examples.empty()) {
    return summary;
  }

  Toolchain toolchain = require_toolchain();
  std::vector<std::string> crates;
  for (const CrateInfo& crate : known_crates()) {
    if (crate_set.count(std::string(crate.name)) > 0) {
      crates.emplace_back(crate.name);
    }
  }
  require_crates(crates, options.registry_dir);

  std::string work_dir = options.work_dir.empty() ? default_work_dir() : options.work_dir;
  std::error_code error;
  fs::create_directories(work_dir, error);
  if (error) {
    throw util::ToolError("failed to create " + work_dir + ": " + error.message());
  }
  work_dir = fs::canonical(work_dir).string();
  FolderLock lock(work_dir);
  int jobs = options.jobs > 0 ? options.jobs
                              : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  auto start = std::chrono::steady_clock::now();
  auto progress = [&](const std::string& message) {
    if (options.verbose) {
      auto tenths = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - start)
                        .count() /
                    100;
      std::clog << "rustcheck: [" << tenths / 10 << "." << tenths % 10 << " s] " << message << "\n";
    }
  };
  progress(std::to_string(summary.examples) + " Rust examples: " + std::to_string(binaries.size()) +
           " programs to build, " + std::to_string(failing.size()) + " compile_fail, " +
           std::to_string(summary.ignored) + " ignored; rustc " + toolchain.version + " (" +
           toolchain.rustc + "), cargo build --jobs " + std::to_string(jobs) + " in " + work_dir);

  Sandbox sandbox = Sandbox::detect();
  if (!sandbox.problem().empty()) {
    std::cerr << "warning: Rust examples run unconfined, with resource limits only: "
              << sandbox.problem() << "\n";
  }
  write_workspace(work_dir, binaries, crates, options.registry_dir);
  fs::create_directories(work_dir + "/compile_fail", error);
  BuildReport build = build_workspace(work_dir, toolchain, jobs, sandbox);
  progress("cargo built " + std::to_string(build.executables.size()) + " programs, " +
           std::to_string(build.errors.size()) + " failed to compile");

  std::string fail_dir = work_dir + "/compile_fail";
  std::set<std::string> failing_names;
  for (const FailingProgram& program : failing) {
    failing_names.insert(program.program.name);
  }
  for (fs::directory_iterator it(fail_dir, error), end; !error && it != end; it.increment(error)) {
    if (failing_names.count(it->path().stem().string()) == 0) {
      std::error_code ignored;
      fs::remove(it->path(), ignored);
    }
  }
  error.clear();
  util::parallel_map(
      failing,
      [&](FailingProgram& program) {
        compile_alone(program, work_dir, fail_dir, toolchain, build, sandbox);
        return true;
      },
      static_cast<unsigned>(jobs));
  progress("compiled " + std::to_string(failing.size()) + " compile_fail examples");

  std::vector<std::string> to_run;
  for (const std::string& name : run_names) {
    if (build.executables.count(name) > 0) {
      to_run.push_back(name);
    }
  }
  std::string run_dir = work_dir + "/run";
  fs::remove_all(run_dir, error);
  RunLimits limits;
  limits.wall = options.run_timeout;
  const std::vector<RunOutcome> runs = util::parallel_map(
      to_run,
      [&](const std::string& name) {
        return sandbox.run(build.executables.at(name), limits, run_dir + "/" + name);
      },
      static_cast<unsigned>(jobs));
  fs::remove_all(run_dir, error);
  progress("ran " + std::to_string(to_run.size()) + " examples");

  std::map<std::string, const RunOutcome*> run_of;
  for (std::size_t i = 0; i < to_run.size(); ++i) {
    run_of[to_run[i]] = &runs[i];
  }
  for (const Example& example : examples) {
    const model::CodeBlock& block = *example.block;
    if (block.check == model::CodeCheck::compile_fail) {
      check_compile_fail(failing[failing_index.at(example.program)], block, diagnostics);
      continue;
    }
    if (build.executables.count(example.program) == 0) {
      auto errors = build.errors.find(example.program);
      check_compile_errors(
          errors == build.errors.end() ? std::vector<CompilerError>{} : errors->second, block,
          diagnostics);
      continue;
    }
    if (block.check != model::CodeCheck::no_run) {
      check_run(*run_of.at(example.program), block, limits, sandbox.problem().empty(), diagnostics);
    }
  }
  return summary;
}

}  // namespace rustcheck
