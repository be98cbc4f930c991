#include "rustcheck/crates.hpp"

namespace rustcheck {

namespace {

bool is_ident_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// The identifier that ends right before `pos` (after skipping white space), or "".
std::string_view word_before(std::string_view source, std::size_t pos) {
  while (pos > 0 &&
         (source[pos - 1] == ' ' || source[pos - 1] == '\t' || source[pos - 1] == '\n')) {
    --pos;
  }
  std::size_t end = pos;
  while (pos > 0 && is_ident_char(source[pos - 1])) {
    --pos;
  }
  return source.substr(pos, end - pos);
}

// Is this occurrence of a crate name at `pos` (length `size`) a path to that crate?
bool is_crate_reference(std::string_view source, std::size_t pos, std::size_t size) {
  std::size_t end = pos + size;
  if (end < source.size() && is_ident_char(source[end])) {
    return false;
  }
  if (pos > 0) {
    char before = source[pos - 1];
    if (is_ident_char(before)) {
      return false;
    }
    if (before == ':') {
      // Only a leading `::name` is the crate; `a::name` is a module inside something else.
      if (pos < 2 || source[pos - 2] != ':') {
        return false;
      }
      if (pos >= 3 &&
          (is_ident_char(source[pos - 3]) || source[pos - 3] == '>' || source[pos - 3] == ':')) {
        return false;
      }
    }
  }
  if (source.substr(end, 2) == "::") {
    return true;
  }
  std::string_view previous = word_before(source, pos);
  return previous == "use" || previous == "crate";
}

}  // namespace

const std::vector<CrateInfo>& known_crates() {
  // Versions are the ones Debian 12 ships; features are what the examples are written for.
  static const std::vector<CrateInfo> crates = {
      {"tokio", "tokio", "1", R"(["full"])", "librust-tokio-dev"},
      {"serde", "serde", "1", R"(["derive"])", "librust-serde+serde-derive-dev"},
      {"serde_json", "serde_json", "1", "", "librust-serde-json-dev"},
      {"clap", "clap", "4", R"(["derive"])", "librust-clap-dev"},
      {"thiserror", "thiserror", "1", "", "librust-thiserror-dev"},
      {"anyhow", "anyhow", "1", "", "librust-anyhow-dev"},
      {"futures", "futures", "0.3", "", "librust-futures-dev"},
      {"rayon", "rayon", "1", "", "librust-rayon-dev"},
      {"crossbeam", "crossbeam", "0.8", "", "librust-crossbeam-dev"},
      {"hyper", "hyper", "0.14", R"(["full"])", "librust-hyper-dev"},
      {"reqwest", "reqwest", "0.11", R"(["blocking", "json"])", "librust-reqwest-dev"},
      {"async_std", "async-std", "1", R"(["attributes"])", "librust-async-std-dev"},
      {"structopt", "structopt", "0.3", "", "librust-structopt-dev"},
      {"libc", "libc", "0.2", "", "librust-libc-dev"},
  };
  return crates;
}

std::vector<std::string> detect_crates(std::string_view source) {
  std::vector<std::string> found;
  for (const CrateInfo& crate : known_crates()) {
    std::size_t pos = source.find(crate.name);
    while (pos != std::string_view::npos) {
      if (is_crate_reference(source, pos, crate.name.size())) {
        found.emplace_back(crate.name);
        break;
      }
      pos = source.find(crate.name, pos + 1);
    }
  }
  return found;
}

std::string dependency_lines(const std::vector<std::string>& crates) {
  std::string text;
  for (const CrateInfo& crate : known_crates()) {
    bool wanted = false;
    for (const std::string& name : crates) {
      wanted = wanted || name == crate.name;
    }
    if (!wanted) {
      continue;
    }
    text +=
        std::string(crate.package) + " = { version = \"" + std::string(crate.requirement) + "\"";
    if (!crate.features.empty()) {
      text += ", features = " + std::string(crate.features);
    }
    text += " }\n";
  }
  return text;
}

}  // namespace rustcheck
