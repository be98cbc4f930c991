// prepkit entry point: parse the command line, run the pipeline, return its exit code.
#include <iostream>

#include "build.hpp"
#include "cli.hpp"

int main(int argc, char** argv) {
  prepkit::ParsedOptions parsed = prepkit::parse_options(argc, argv);
  if (!parsed.options) {
    (parsed.exit_code == 0 ? std::cout : std::cerr) << parsed.message;
    return parsed.exit_code;
  }
  return prepkit::run(*parsed.options, std::cout, std::cerr);
}
