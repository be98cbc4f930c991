#include "text/code_fence.hpp"

#include <cctype>
#include <regex>
#include <string>
#include <vector>

#include "util/lines.hpp"

namespace text {
namespace {

std::vector<std::string> split_annotations(std::string_view info) {
  // Commas separate words, except inside the parentheses of ignore(reason).
  std::vector<std::string> words;
  std::string current;
  int depth = 0;
  for (char c : info) {
    if (c == '(') {
      ++depth;
    } else if (c == ')') {
      --depth;
    }
    if ((c == ',' || c == ' ') && depth == 0) {
      if (!current.empty()) {
        words.push_back(current);
      }
      current.clear();
      continue;
    }
    current.push_back(c);
  }
  if (!current.empty()) {
    words.push_back(current);
  }
  return words;
}

// Whether `program` contains `fn main(` as the regex \bfn\s+main\s*\( finds it; by hand,
// because std::regex took more time than the rest of Markdown parsing.
bool declares_main(std::string_view program) {
  const auto is_word = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  };
  const auto is_space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
  };
  for (std::size_t at = program.find("fn"); at != std::string_view::npos;
       at = program.find("fn", at + 1)) {
    std::size_t i = at + 2;
    if ((at > 0 && is_word(program[at - 1])) || i >= program.size() || !is_space(program[i])) {
      continue;
    }
    while (i < program.size() && is_space(program[i])) {
      ++i;
    }
    if (program.substr(i, 4) != "main") {
      continue;
    }
    i += 4;
    while (i < program.size() && is_space(program[i])) {
      ++i;
    }
    if (i < program.size() && program[i] == '(') {
      return true;
    }
  }
  return false;
}

}  // namespace

std::string apply_code_annotations(std::string_view info, model::CodeBlock& block) {
  std::vector<std::string> words = split_annotations(info);
  block.language = words.empty() ? "" : words.front();
  block.check = block.language == "rust" ? model::CodeCheck::run : model::CodeCheck::none;
  if (block.language != "rust") {
    return "";  // other languages are shown, never compiled
  }
  static const std::regex error_code_re(R"(E\d{4})");
  int modes = 0;
  for (std::size_t i = 1; i < words.size(); ++i) {
    const std::string& word = words[i];
    if (word == "compile_fail") {
      block.check = model::CodeCheck::compile_fail;
      ++modes;
    } else if (word == "no_run") {
      block.check = model::CodeCheck::no_run;
      ++modes;
    } else if (word == "should_panic") {
      block.check = model::CodeCheck::should_panic;
      ++modes;
    } else if (word == "ignore") {
      return "`ignore` needs a reason: ```rust,ignore(why it cannot be compiled)";
    } else if (word.rfind("ignore(", 0) == 0 && word.back() == ')') {
      block.check = model::CodeCheck::ignore;
      block.ignore_reason = word.substr(7, word.size() - 8);
      if (block.ignore_reason.find_first_not_of(' ') == std::string::npos) {
        return "`ignore` needs a reason: ```rust,ignore(why it cannot be compiled)";
      }
      ++modes;
    } else if (word == "edition2021" || word == "edition2024" || word == "edition2018") {
      block.edition = word.substr(7);
    } else if (std::regex_match(word, error_code_re)) {
      block.error_code = word;
    } else {
      return "unknown code block annotation '" + word +
             "' (expected compile_fail, no_run, should_panic, ignore(reason), edition2021 or "
             "an error code such as E0382)";
    }
  }
  if (modes > 1) {
    return "a code block takes only one of compile_fail, no_run, should_panic, ignore";
  }
  if (!block.error_code.empty() && block.check != model::CodeCheck::compile_fail) {
    return "an error code (" + block.error_code + ") only goes with compile_fail";
  }
  return "";
}

void prepare_rust_source(std::string_view code, model::CodeBlock& block) {
  std::string program;
  block.lines.clear();
  for (std::string_view line : util::split_lines(code)) {
    std::size_t indent = line.find_first_not_of(' ');
    std::string_view trimmed = indent == std::string_view::npos ? "" : line.substr(indent);
    if (trimmed == "#" || trimmed.rfind("# ", 0) == 0) {
      program += std::string(line.substr(0, indent)) +
                 std::string(trimmed.substr(trimmed.size() > 1 ? 2 : 1));
      program += '\n';
      continue;
    }
    if (trimmed.rfind("##", 0) == 0) {  // "##" escapes a literal leading '#'
      std::string shown = std::string(line.substr(0, indent)) + std::string(trimmed.substr(1));
      block.lines.push_back(shown);
      program += shown + '\n';
      continue;
    }
    block.lines.emplace_back(line);
    program += std::string(line) + '\n';
  }
  if (declares_main(program)) {
    block.source = "#![allow(unused)]\n" + program;
    return;
  }
  // rustdoc: crate attributes stay at the top, everything else goes into main.
  std::string attributes = "#![allow(unused)]\n";
  std::string body;
  std::string_view without_last_newline(program.data(), program.empty() ? 0 : program.size() - 1);
  for (std::string_view line : util::split_lines(without_last_newline)) {
    if (line.rfind("#![", 0) == 0) {
      attributes += std::string(line) + '\n';
    } else {
      body += std::string(line) + '\n';
    }
  }
  block.source = attributes + "fn main() {\n" + body + "}\n";
}

void prepare_plain_source(std::string_view code, model::CodeBlock& block) {
  block.lines.clear();
  for (std::string_view line : util::split_lines(code)) {
    block.lines.emplace_back(line);
  }
  block.source = code;
}

}  // namespace text
