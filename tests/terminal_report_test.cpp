#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "commands/terminal_report.hpp"
#include "support.hpp"
#include "util/visible_text.hpp"

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

TEST_CASE("content echoed to the terminal shows its control characters", "[cli][escaping]") {
  // ESC, a bidi override, a C1 CSI, DEL, a bell, an isolate, a byte that is not UTF-8, an
  // overlong NUL; tabs and line breaks stay in messages but not in file names.
  CHECK(util::visible_text("a\x1b[2Jb\u202Ec\u009b1m\x7f\a\u2066\xff\xc0\x80 ok é\t\n") ==
        "a\\x1b[2Jb<U+202E>c<U+009B>1m\\x7f\\x07<U+2066>\\xff\\xc0\\x80 ok é\t\n");
  CHECK(util::visible_text("t\tn\n", false) == "t\\x09n\\x0a");
  CHECK(util::visible_text("topics/\x1b]0;x\a\n.yaml", false) == "topics/\\x1b]0;x\\x07\\x0a.yaml");
}

TEST_CASE("the terminal report shows a source line's control characters, caret under the column",
          "[cli][escaping]") {
  test_support::TempDir dir("terminal-report-controls");
  const std::string file = (dir.path() / "t.yaml").string();
  std::ofstream(file, std::ios::binary) << "id: \x1b[2J\u202Ex!\r\n";
  const std::string report =
      commands::colored_report(file + ":1:10: error: bad\nloose \x1b[2J line\n");
  const std::string gutter = "\x1b[1;34m";
  const std::string reset = "\x1b[0m";
  CHECK(report.find(gutter + " 1 | " + reset + "id: \\x1b[2J<U+202E>x!\n") != std::string::npos);
  // Column 10 is the 'x': after "id: " (4), "\x1b[2J" (7 shown) and "<U+202E>" (8).
  CHECK(report.find(gutter + "   | " + reset + std::string(4 + 7 + 8, ' ') + "\x1b[1;31m^") !=
        std::string::npos);
  CHECK(report.find("loose \\x1b[2J line\n") != std::string::npos);
}
