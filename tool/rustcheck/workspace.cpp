#include "rustcheck/workspace.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <system_error>

#include "rustcheck/crates.hpp"
#include "util/error.hpp"
#include "util/process.hpp"

namespace rustcheck {

namespace fs = std::filesystem;

namespace {

std::string member_dir(const std::string& edition) {
  return "ed" + edition;
}

std::string toml_string(const std::string& text) {
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      quoted += '\\';
    }
    quoted += c;
  }
  return quoted + "\"";
}

const CrateInfo* crate_by_name(std::string_view name) {
  for (const CrateInfo& crate : known_crates()) {
    if (crate.name == name) {
      return &crate;
    }
  }
  return nullptr;
}

// "…/registry/clap-4.0.32/Cargo.toml" belongs to `crate` when the folder is
// "<package>-<requirement>.…" (Debian names crate folders so): tells clap 4 from clap 2.
bool is_direct_dependency(const std::string& manifest_path, const CrateInfo& crate) {
  std::string folder = fs::path(manifest_path).parent_path().filename().string();
  std::string prefix = std::string(crate.package) + "-" + std::string(crate.requirement) + ".";
  return folder.rfind(prefix, 0) == 0;
}

bool has_kind(const JsonValue& target, std::string_view kind) {
  const JsonValue* kinds = target.get("kind");
  if (kinds == nullptr) {
    return false;
  }
  for (const JsonValue& value : kinds->array) {
    if (value.string == kind) {
      return true;
    }
  }
  return false;
}

std::string first_error_lines(const std::string& text, std::size_t max_lines) {
  std::istringstream stream(text);
  std::string line;
  std::string result;
  std::size_t taken = 0;
  bool in_error = false;
  while (std::getline(stream, line) && taken < max_lines) {
    if (line.rfind("error", 0) == 0) {
      in_error = true;
    }
    if (in_error && !line.empty()) {
      result += (result.empty() ? "" : "\n  ") + line;
      ++taken;
    }
  }
  return result.empty() ? text.substr(0, 500) : result;
}

}  // namespace

void write_if_changed(const std::string& path, const std::string& text) {
  {
    std::ifstream in(path, std::ios::binary);
    if (in) {
      std::string current((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      if (current == text) {
        return;
      }
    }
  }
  std::error_code error;
  fs::create_directories(fs::path(path).parent_path(), error);
  if (error) {
    throw util::ToolError("failed to create " + fs::path(path).parent_path().string() + ": " +
                          error.message());
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) {
    throw util::ToolError("failed to write " + path + ": " + std::strerror(errno));
  }
}

void require_crates(const std::vector<std::string>& crates, const std::string& registry_dir) {
  std::set<std::string> folders;
  std::error_code error;
  for (fs::directory_iterator it(registry_dir, error), end; !error && it != end;
       it.increment(error)) {
    folders.insert(it->path().filename().string());
  }
  std::string missing_crates;
  std::string packages;
  for (const std::string& name : crates) {
    const CrateInfo* crate = crate_by_name(name);
    if (crate == nullptr) {
      continue;
    }
    std::string prefix = std::string(crate->package) + "-" + std::string(crate->requirement) + ".";
    auto found = folders.lower_bound(prefix);
    if (found != folders.end() && found->rfind(prefix, 0) == 0) {
      continue;
    }
    missing_crates += (missing_crates.empty() ? "" : ", ") + std::string(crate->package) + " " +
                      std::string(crate->requirement);
    packages += " " + std::string(crate->debian);
  }
  if (!missing_crates.empty()) {
    throw util::ToolError("failed to find crates " + missing_crates + " in " + registry_dir +
                          ": install them with apt-get install" + packages +
                          " (the full list is .ci/rust-packages.txt)");
  }
}

void write_workspace(const std::string& dir, const std::vector<ExampleProgram>& programs,
                     const std::vector<std::string>& crates, const std::string& registry_dir) {
  std::set<std::string> editions;
  for (const ExampleProgram& program : programs) {
    editions.insert(program.edition);
  }
  if (editions.empty()) {
    editions.insert("2024");  // still build the crates, for the compile_fail examples
  }

  std::string root =
      "# Written by prepkit check --rust on every run; edits are lost.\n"
      "[workspace]\nresolver = \"2\"\nmembers = [";
  bool first = true;
  for (const std::string& edition : editions) {
    root += (first ? "" : ", ") + toml_string(member_dir(edition));
    first = false;
  }
  // No debug info and no incremental state: hundreds of small binaries link much faster.
  root += "]\n\n[profile.dev]\ndebug = 0\nincremental = false\n";
  write_if_changed(dir + "/Cargo.toml", root);

  write_if_changed(dir + "/.cargo/config.toml",
                   "# Crates come only from Debian's librust-*-dev packages, never the network.\n"
                   "[source.crates-io]\nreplace-with = \"debian-packages\"\n\n"
                   "[source.debian-packages]\ndirectory = " +
                       toml_string(registry_dir) + "\n\n[net]\noffline = true\n");
  // Resolved afresh each run, so an upgraded Debian crate never meets a stale lock.
  std::error_code ignored;
  fs::remove(dir + "/Cargo.lock", ignored);

  std::string dependencies = dependency_lines(crates);
  for (const std::string& edition : editions) {
    std::string member = dir + "/" + member_dir(edition);
    std::string manifest = "[package]\nname = \"examples-" + edition +
                           "\"\nversion = \"0.0.0\"\nedition = " + toml_string(edition) +
                           "\npublish = false\nautobins = false\nautoexamples = false\n"
                           "autotests = false\nautobenches = false\n\n[dependencies]\n" +
                           dependencies + "\n[[bin]]\nname = \"deps_" + edition +
                           "\"\npath = \"src/deps.rs\"\n";
    std::set<std::string> wanted;
    for (const ExampleProgram& program : programs) {
      if (program.edition != edition || wanted.count(program.name + ".rs") > 0) {
        continue;
      }
      wanted.insert(program.name + ".rs");
      manifest += "\n[[bin]]\nname = " + toml_string(program.name) + "\npath = \"src/bin/" +
                  program.name + ".rs\"\ntest = false\nbench = false\n";
      write_if_changed(member + "/src/bin/" + program.name + ".rs", program.source);
    }
    write_if_changed(member + "/Cargo.toml", manifest);
    write_if_changed(member + "/src/deps.rs",
                     "// Lets cargo build the crates even when no example is a binary.\n"
                     "fn main() {}\n");
    for (fs::directory_iterator it(member + "/src/bin", ignored), end; !ignored && it != end;
         it.increment(ignored)) {
      if (wanted.count(it->path().filename().string()) == 0) {
        std::error_code not_removed;
        fs::remove(it->path(), not_removed);
      }
    }
  }
  // Executables of examples that are gone would pile up in the cache: remove them.
  std::set<std::string> names;
  for (const ExampleProgram& program : programs) {
    names.insert(program.name);
  }
  for (const std::string& folder : {dir + "/target/debug", dir + "/target/debug/deps"}) {
    for (fs::directory_iterator it(folder, ignored), end; !ignored && it != end;
         it.increment(ignored)) {
      std::string name = it->path().filename().string();
      // "ex_" + 16 hex digits, then nothing, "-<cargo hash>…" or ".d".
      if (name.rfind("ex_", 0) == 0 && name.size() >= 19 && names.count(name.substr(0, 19)) == 0) {
        std::error_code not_removed;
        fs::remove(it->path(), not_removed);
      }
    }
    ignored.clear();
  }
  // Members of earlier runs whose edition no example uses now.
  for (fs::directory_iterator it(dir, ignored), end; !ignored && it != end; it.increment(ignored)) {
    std::string name = it->path().filename().string();
    if (it->is_directory() && name.rfind("ed", 0) == 0 && editions.count(name.substr(2)) == 0) {
      std::error_code not_removed;
      fs::remove_all(it->path(), not_removed);
    }
  }
}

BuildReport build_workspace(const std::string& dir, const Toolchain& toolchain, int jobs,
                            const Sandbox& sandbox) {
  util::ProcessSpec spec;
  spec.program = toolchain.cargo;
  spec.args = {"build",  "--workspace",       "--keep-going", "--offline", "--message-format=json",
               "--jobs", std::to_string(jobs)};
  spec.cwd = dir;
  spec.env_set = {{"RUSTC", toolchain.rustc}, {"CARGO_TERM_COLOR", "never"}};
  // The examples are built the same way whatever the caller's shell has set.
  spec.env_unset = {"RUSTFLAGS",
                    "CARGO_ENCODED_RUSTFLAGS",
                    "RUSTC_WRAPPER",
                    "RUSTC_WORKSPACE_WRAPPER",
                    "CARGO_TARGET_DIR",
                    "CARGO_BUILD_TARGET",
                    "CARGO_BUILD_TARGET_DIR",
                    "CARGO_BUILD_RUSTFLAGS"};
  spec.max_output = 256 * 1024 * 1024;
  util::ProcessResult result = sandbox.compile(spec, dir, dir);

  BuildReport report;
  report.deps_dir = dir + "/target/debug/deps";
  std::string dependency_failure;
  std::istringstream lines(result.out);
  std::string line;
  while (std::getline(lines, line)) {
    std::optional<JsonValue> message = parse_json(line);
    if (!message) {
      continue;
    }
    std::string reason = message->text("reason");
    const JsonValue* target = message->get("target");
    if (target == nullptr) {
      continue;
    }
    std::string name = target->text("name");
    std::string manifest = message->text("manifest_path");
    // Path packages are the workspace's members; every crate comes from the registry.
    bool ours = message->text("package_id").find("path+file://") != std::string::npos;
    if (reason == "compiler-message") {
      const JsonValue* diagnostic = message->get("message");
      CompilerError error;
      if (diagnostic == nullptr || !read_compiler_error(*diagnostic, error)) {
        continue;
      }
      if (ours && has_kind(*target, "bin")) {
        report.errors[name].push_back(std::move(error));
      } else if (dependency_failure.empty()) {
        dependency_failure = "crate " + name + ": " + summarize(error);
      }
    } else if (reason == "compiler-artifact") {
      if (ours && has_kind(*target, "bin")) {
        report.executables[name] = message->text("executable");
        continue;
      }
      const CrateInfo* crate = crate_by_name(name);
      const JsonValue* files = message->get("filenames");
      if (crate == nullptr || files == nullptr || !is_direct_dependency(manifest, *crate)) {
        continue;
      }
      for (const JsonValue& file : files->array) {
        if (file.string.size() > 5 && file.string.substr(file.string.size() - 5) == ".rlib") {
          report.libraries[name] = file.string;
        }
      }
    }
  }
  if (!dependency_failure.empty()) {
    throw util::ToolError("failed to build the examples' " + dependency_failure);
  }
  if (result.exit_code != 0 && report.errors.empty()) {
    throw util::ToolError("failed to build the Rust examples with cargo (" +
                          util::describe_status(result) + "): " + first_error_lines(result.err, 4));
  }
  return report;
}

}  // namespace rustcheck
