// The crates Rust examples may use, how each is declared to cargo, which Debian package
// ships it, and which of them an example's source refers to.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace rustcheck {

struct CrateInfo {
  std::string_view name;         // as written in Rust paths: "async_std"
  std::string_view package;      // cargo package: "async-std"
  std::string_view requirement;  // cargo version requirement matching Debian 12: "1"
  std::string_view features;     // TOML array of features, "" for the defaults only
  std::string_view debian;       // apt package that ships it: "librust-async-std-dev"
};

// Every supported crate, in a fixed order (the order of Cargo.toml's dependencies).
const std::vector<CrateInfo>& known_crates();

// Names (CrateInfo::name) of the known crates `source` refers to through `use name`,
// `name::…`, `#[name::…]` or `extern crate name`, in known_crates() order.
std::vector<std::string> detect_crates(std::string_view source);

// The `[dependencies]` lines for `crates` (CrateInfo::name values).
std::string dependency_lines(const std::vector<std::string>& crates);

}  // namespace rustcheck
