#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "commands/terminal_report.hpp"
#include "support.hpp"

TEST_CASE("terminal diagnostics show the source line with a caret, in colour", "[cli]") {
  test_support::TempDir dir("terminal-report");
  const std::string file = (dir.path() / "t.yaml").string();
  std::ofstream(file) << "id: t\ntitle: “Quoted” x\n";
  const std::string plain = file + ":2:17: error: something is wrong\n  hint: fix it\n" +
                            "warning: no location\n1 error; nothing was written\n";
  const std::string bold = "\x1b[1m";
  const std::string red = "\x1b[1;31m";
  const std::string reset = "\x1b[0m";
  const std::string gutter = "\x1b[1;34m";
  CHECK(commands::colored_report(plain) ==
        bold + file + ":2:17: " + reset + red + "error:" + reset + bold + " something is wrong" +
            reset + "\n" +                                      // the message
            gutter + " 2 | " + reset + "title: “Quoted” x\n" +  // the line
            gutter + "   | " + reset + std::string(16, ' ') + red + "^" + reset + "\n" +
            "  \x1b[1;36mhint:" + reset + " fix it\n" + bold + reset + "\x1b[1;33mwarning:" +
            reset + bold + " no location" + reset + "\n" + "1 error; nothing was written\n");
}
