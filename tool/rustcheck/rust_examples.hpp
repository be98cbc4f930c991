// `prepkit check --rust`: compiles (and runs) every Rust example of a Document with the
// machine's rustc/cargo against Debian's packaged crates; failures become Diagnostics.
#pragma once

#include <chrono>
#include <string>

#include "model/diagnostics.hpp"
#include "model/document.hpp"

namespace rustcheck {

struct RustCheckOptions {
  // The cargo workspace the examples are written to; its target/ folder is the build
  // cache that makes later runs fast. "" = default_work_dir().
  std::string work_dir;
  int jobs = 0;          // compilers and examples run at once; 0 = number of cores
  bool verbose = false;  // progress on std::clog
  std::chrono::milliseconds run_timeout{10000};            // per run of one example
  std::string registry_dir = "/usr/share/cargo/registry";  // Debian's librust-*-dev crates
};

struct RustCheckSummary {
  int examples = 0;      // Rust code blocks found (every annotation)
  int built = 0;         // run, no_run and should_panic examples
  int ran = 0;           // run and should_panic examples
  int compile_fail = 0;  // compile_fail examples
  int ignored = 0;       // ignore(reason) examples
};

// $XDG_CACHE_HOME/prepkit/rustcheck, else ~/.cache/prepkit/rustcheck.
std::string default_work_dir();

// Checks every Rust example (code blocks in any Body and code cards' snippets) as its
// annotation says: `run` builds and runs it (stdout compared with the ```output block),
// `no_run` builds it, `should_panic` runs it and expects a panic, `compile_fail` compiles it
// alone and expects rustc's error (with the given code), `ignore` skips it. Every failure is
// an error at the example's fence line. Throws util::ToolError when the toolchain or a
// crate package is missing, or when the crates themselves fail to build.
RustCheckSummary check_rust_examples(const model::Document& document,
                                     const RustCheckOptions& options,
                                     model::Diagnostics& diagnostics);

}  // namespace rustcheck
