#include "cli.hpp"

#include <CLI/CLI.hpp>

#include <cstdlib>
#include <sstream>

namespace prepkit {
namespace {

void add_common(CLI::App& command, Options& options) {
  command.add_option("--content", options.content_dir, "Content folder with book.yaml and topics/")
      ->capture_default_str();
  command.add_option("--layout", options.layout,
                     "Layout name in layouts/ (a4, letter, …) or path to a layout YAML file "
                     "(default: the book's layout, else default)");
}

}  // namespace

ParsedOptions parse_options(int argc, const char* const* argv) {
  Options options;
  CLI::App app{"prepkit: turns a YAML study pack into a typeset PDF booklet and an Anki deck",
               "prepkit"};
  app.set_version_flag("--version", std::string("prepkit ") + PREPKIT_VERSION);
  app.require_subcommand(1);
  app.footer(
      "Exit codes: 0 ok, 1 content or layout errors, 2 usage error, 3 environment error "
      "(I/O, missing font, library failure).");

  CLI::App* build = app.add_subcommand("build", "Generate the outputs into the output folder");
  add_common(*build, options);
  build->add_option("--out", options.out_dir, "Output folder")->capture_default_str();
  std::vector<std::string> only;
  build->add_option("--only", only, "Only this output (repeatable)")
      ->check(CLI::IsMember({"pdf", "apkg"}));
  build->add_flag("-q,--quiet", options.quiet, "Print nothing on success");
  build->add_flag("--timings", options.timings, "Print the time each stage took");
  std::int64_t now = 0;
  CLI::Option* now_option =
      build->add_option("--now", now,
                        "Build time in seconds since 1970 for changed Anki notes (default: "
                        "SOURCE_DATE_EPOCH, else the clock)");

  CLI::App* check = app.add_subcommand("check", "Load and validate everything; write nothing");
  add_common(*check, options);
  check->add_flag("--rust", options.rust,
                  "Also compile and run every Rust example with the machine's rustc/cargo");

  ParsedOptions parsed;
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    std::ostringstream out;
    std::ostringstream err;
    parsed.exit_code = app.exit(error, out, err);
    parsed.message = out.str() + err.str();
    if (parsed.exit_code != 0) {
      parsed.exit_code = exit_usage;
    }
    return parsed;
  }
  options.command = check->parsed() ? Command::check : Command::build;
  options.only.insert(only.begin(), only.end());
  if (now_option->count() > 0) {
    options.now = now;
  } else if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH");
             epoch != nullptr && *epoch != '\0') {
    char* end = nullptr;
    long long value = std::strtoll(epoch, &end, 10);
    if (*end != '\0' || value < 0) {
      parsed.exit_code = exit_usage;
      parsed.message = "error: SOURCE_DATE_EPOCH must be a number of seconds, not '" +
                       std::string(epoch) + "'\n";
      return parsed;
    }
    options.now = value;
  }
  parsed.options = options;
  return parsed;
}

}  // namespace prepkit
