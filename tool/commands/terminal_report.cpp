#include "commands/terminal_report.hpp"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <vector>

#include "util/visible_text.hpp"

namespace commands {
namespace {

constexpr const char* bold = "\x1b[1m";
constexpr const char* red = "\x1b[1;31m";
constexpr const char* yellow = "\x1b[1;33m";
constexpr const char* cyan = "\x1b[1;36m";
constexpr const char* blue = "\x1b[1;34m";
constexpr const char* reset = "\x1b[0m";

// Line `number` (1-based) of `file`, read once per file; "" when there is none.
class SourceLines {
 public:
  std::string line(const std::string& file, std::size_t number) {
    auto [lines, fresh] = m_files.try_emplace(file);
    if (fresh) {
      std::ifstream in(file, std::ios::binary);
      for (std::string text; lines->second.size() < max_lines && std::getline(in, text);) {
        if (!text.empty() && text.back() == '\r') {
          text.pop_back();  // a CRLF line end
        }
        lines->second.push_back(text.size() > max_width ? text.substr(0, max_width) : text);
      }
    }
    return number >= 1 && number <= lines->second.size() ? lines->second[number - 1] : "";
  }

 private:
  static constexpr std::size_t max_lines = 200000;
  static constexpr std::size_t max_width = 400;
  std::map<std::string, std::vector<std::string>> m_files;
};

// The caret's indentation under `column` (1-based, counted in characters) of `line`, as
// visible_text shows the line.
std::string caret_indent(const std::string& line, std::size_t column) {
  std::size_t end = 0;
  for (std::size_t characters = 0; end < line.size() && characters + 1 < column; ++characters) {
    do {
      ++end;
    } while (end < line.size() && (static_cast<unsigned char>(line[end]) & 0xC0U) == 0x80U);
  }
  std::string indent;
  for (const char ch : util::visible_text(line.substr(0, end))) {
    if ((static_cast<unsigned char>(ch) & 0xC0U) != 0x80U) {  // not a UTF-8 continuation byte
      indent += ch == '\t' ? '\t' : ' ';
    }
  }
  return indent;
}

}  // namespace

bool stderr_wants_color() {
  const char* no_color = std::getenv("NO_COLOR");
  return (no_color == nullptr || *no_color == '\0') && ::isatty(STDERR_FILENO) == 1;
}

std::string colored_report(const std::string& plain) {
  static const std::regex located(R"(^(.*?):(\d+):(\d+): (error|warning): (.*)$)");
  static const std::regex unlocated(R"(^(.*?: )?(error|warning): (.*)$)");
  SourceLines sources;
  std::istringstream in(plain);
  std::string out;
  for (std::string line; std::getline(in, line);) {
    line = util::visible_text(line);  // what the pipeline wrote may quote content
    std::smatch match;
    if (line.rfind("  hint: ", 0) == 0) {
      out += std::string("  ") + cyan + "hint:" + reset + line.substr(7) + "\n";
      continue;
    }
    if (std::regex_match(line, match, located)) {
      const bool error = match[4] == "error";
      out += std::string(bold) + match[1].str() + ":" + match[2].str() + ":" + match[3].str() +
             ": " + reset + (error ? red : yellow) + match[4].str() + ":" + reset + bold + " " +
             match[5].str() + reset + "\n";
      const std::size_t number = std::stoul(match[2].str());
      const std::string source = sources.line(match[1].str(), number);
      if (!source.empty()) {
        const std::string gutter = std::to_string(number);
        out += std::string(blue) + " " + gutter + " | " + reset + util::visible_text(source) +
               "\n" + blue + " " + std::string(gutter.size(), ' ') + " | " + reset +
               caret_indent(source, std::stoul(match[3].str())) + (error ? red : yellow) + "^" +
               reset + "\n";
      }
    } else if (std::regex_match(line, match, unlocated)) {
      const bool error = match[2] == "error";
      out += std::string(bold) + match[1].str() + reset + (error ? red : yellow) + match[2].str() +
             ":" + reset + bold + " " + match[3].str() + reset + "\n";
    } else {
      out += line + "\n";
    }
  }
  return out;
}

}  // namespace commands
