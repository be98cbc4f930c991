// Command-line options and their parsing (the only CLI11 user).
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace prepkit {

enum class Command { build, check, new_pack, schema, watch };

struct Options {
  Command command = Command::build;
  std::string content_dir = "content";
  std::string layout;  // name or path; "" = the book's layout, else "default"
  std::string out_dir = "out";
  std::set<std::string> only;  // "pdf", "apkg"; empty = every output
  bool quiet = false;
  bool verbose = false;
  bool timings = false;
  bool rust = false;                    // check: also compile and run every Rust example
  std::optional<std::int64_t> now;      // build time in seconds (--now, SOURCE_DATE_EPOCH)
  std::string new_folder;               // new: the folder to create
  std::string new_language = "python";  // new: the language of the starter's examples
  std::string schema_name;              // schema: "book", "topic" or "layout"
  std::string schema_out;               // schema: write all three into this folder
  bool color = false;  // diagnostics with colour, source line and caret (a terminal)
};

// Exit codes, as documented in the README.
enum ExitCode : int {
  exit_ok = 0,
  exit_content_error = 1,
  exit_usage = 2,
  exit_environment = 3,
};

struct ParsedOptions {
  std::optional<Options> options;  // empty: exit with `exit_code` after printing `message`
  int exit_code = exit_ok;
  std::string message;  // help, version or usage error text
};

ParsedOptions parse_options(int argc, const char* const* argv);

}  // namespace prepkit
