// The cargo workspace that holds the examples as binaries (one package per edition, one bin
// per example) so the crates compile once: writing it, building it, reading cargo's report.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "rustcheck/compiler_messages.hpp"
#include "rustcheck/sandbox.hpp"
#include "rustcheck/toolchain.hpp"

namespace rustcheck {

struct ExampleProgram {
  std::string name;     // "ex_<hash>": bin target and file name
  std::string edition;  // "2021", "2024", …
  std::string source;   // the complete program
};

struct BuildReport {
  std::map<std::string, std::string> executables;            // bin name → path
  std::map<std::string, std::vector<CompilerError>> errors;  // bin name → its errors
  std::map<std::string, std::string> libraries;  // crate name (tokio) → its .rlib, for --extern
  std::string deps_dir;                          // target/debug/deps, for -L dependency=
};

// Throws util::ToolError naming the apt packages when a crate is not in `registry_dir`.
void require_crates(const std::vector<std::string>& crates, const std::string& registry_dir);

// (Re)writes the workspace in `dir` for `programs` with `crates` as dependencies of every
// package. Unchanged files keep their time stamps so cargo rebuilds only what changed;
// bins of earlier runs are removed.
void write_workspace(const std::string& dir, const std::vector<ExampleProgram>& programs,
                     const std::vector<std::string>& crates, const std::string& registry_dir);

// Runs `cargo build --keep-going` on the workspace (in `sandbox`: build scripts and proc
// macros are untrusted code too): every example that compiles gets an
// executable, every one that does not gets its errors. Throws util::ToolError when cargo
// fails for any other reason (a crate that does not build, a resolution failure).
BuildReport build_workspace(const std::string& dir, const Toolchain& toolchain, int jobs,
                            const Sandbox& sandbox);

// Writes `text` to `path` unless it already holds exactly that (creates parent folders).
void write_if_changed(const std::string& path, const std::string& text);

}  // namespace rustcheck
