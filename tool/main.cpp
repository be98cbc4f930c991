// prepkit entry point: parse the command line, run the command, return its exit code.
#include <exception>
#include <iostream>
#include <new>
#include <sstream>

#include "build.hpp"
#include "cli.hpp"
#include "commands/new_pack.hpp"
#include "commands/pack_folder.hpp"
#include "commands/schema.hpp"
#include "commands/terminal_report.hpp"
#include "commands/watch.hpp"

namespace {

// build and check, with diagnostics coloured and shown with their source line on a
// terminal.
int run_pipeline(const prepkit::Options& options) {
  if (int status = commands::check_pack_folders(options, std::cerr); status != 0) {
    return status;
  }
  if (!commands::stderr_wants_color()) {
    return prepkit::run(options, std::cout, std::cerr);
  }
  std::ostringstream err;
  const int status = prepkit::run(options, std::cout, err);
  std::cerr << commands::colored_report(err.str());
  return status;
}

int run_command(int argc, char** argv) {
  prepkit::ParsedOptions parsed = prepkit::parse_options(argc, argv);
  if (!parsed.options) {
    (parsed.exit_code == 0 ? std::cout : std::cerr) << parsed.message;
    return parsed.exit_code;
  }
  const prepkit::Options& options = *parsed.options;
  switch (options.command) {
    case prepkit::Command::new_pack:
      return commands::new_pack(options.new_folder, options.new_language,
                                {options.quiet, options.verbose}, std::cout, std::cerr);
    case prepkit::Command::schema:
      return commands::print_schema(options.schema_name, options.schema_out, options.quiet,
                                    options.verbose, std::cout, std::cerr);
    case prepkit::Command::watch:
      if (int status = commands::check_pack_folders(options, std::cerr); status != 0) {
        return status;
      }
      return commands::watch(options, std::cout, std::cerr);
    case prepkit::Command::build:
    case prepkit::Command::check:
      break;
  }
  return run_pipeline(options);
}

}  // namespace

// Running out of memory or a failure inside a library is an error like any other: a
// message and the environment exit code, never an abort. Outputs are only renamed into place at the
// end of a build, so none is written.
int main(int argc, char** argv) {
  try {
    return run_command(argc, argv);
  } catch (const std::bad_alloc&) {
    std::cerr << "error: out of memory; nothing was written\n"
                 "  hint: the content is too large for the memory available\n";
  } catch (const std::exception& error) {
    std::cerr << "error: internal failure (" << error.what() << "); nothing was written\n";
  }
  return prepkit::exit_environment;
}
