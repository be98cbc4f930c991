// Finding a rustc and cargo new enough for the examples (edition 2024 needs Rust 1.85).
#pragma once

#include <optional>
#include <string>

namespace rustcheck {

struct Toolchain {
  std::string rustc;        // full path
  std::string cargo;        // full path
  std::string version;      // "1.95.0"
  std::string description;  // rustc --version: "rustc 1.95.0 (59807616e 2026-04-14)"
};

// Looks on PATH, then in $CARGO_HOME/bin and ~/.cargo/bin (rustup's place), for a rustc of
// at least 1.85 with a cargo beside it. Returns nullopt with `problem` saying what was found.
std::optional<Toolchain> find_toolchain(std::string& problem);

// find_toolchain, or a util::ToolError naming what to install.
Toolchain require_toolchain();

}  // namespace rustcheck
