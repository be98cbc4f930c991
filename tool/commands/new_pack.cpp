#include "commands/new_pack.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <map>
#include <ostream>

#include "commands/schema.hpp"
#include "util/atomic_write.hpp"
#include "util/error.hpp"
#include "util/lines.hpp"

namespace commands {
namespace {

namespace fs = std::filesystem;

// What the starter pack shows in one language: a section's example with its output and a
// code card.
struct Example {
  std::string_view code;
  std::string_view output;
  std::string_view card_front;
  std::string_view card_code;
  std::string_view card_check;  // Rust only: the card's `check:` ("" = none)
  std::string_view card_back;
};

const std::map<std::string, Example, std::less<>>& examples() {
  static const std::map<std::string, Example, std::less<>> table = {
      {"c",
       {"#include <stdio.h>\n\nint main(void) {\n    int prices[] = {3, 4, 5};\n    int total = "
        "0;\n    for (int i = 0; i < 3; i++) {\n        total += prices[i];\n    }\n    "
        "printf(\"%d\\n\", total);\n    return 0;\n}",
        "12", "What happens when this runs?", "char *s = \"hi\";\ns[0] = 'H';", "",
        "Undefined behaviour: a string literal must not be modified. Use `char s[] = \"hi\";`."}},
      {"cpp",
       {"#include <iostream>\n#include <numeric>\n#include <vector>\n\nint main() {\n    "
        "std::vector<int> prices{3, 4, 5};\n    std::cout << std::accumulate(prices.begin(), "
        "prices.end(), 0) << '\\n';\n}",
        "12", "What is wrong here?",
        "std::vector<int> v{1, 2, 3};\nint& first = v[0];\nv.push_back(4);\nstd::cout << first;",
        "", "`push_back` may reallocate, so `first` may dangle: undefined behaviour."}},
      {"go",
       {"package main\n\nimport \"fmt\"\n\nfunc main() {\n\tprices := []int{3, 4, 5}\n\ttotal "
        ":= 0\n\tfor _, p := range prices {\n\t\ttotal += p\n\t}\n\tfmt.Println(total)\n}",
        "12", "What happens when this runs?", "var m map[string]int\nm[\"a\"] = 1", "",
        "It panics: assignment to a nil map. Create it with `make(map[string]int)` first."}},
      {"java",
       {"public class Main {\n    public static void main(String[] args) {\n        int[] "
        "prices = {3, 4, 5};\n        int total = 0;\n        for (int p : prices) {\n          "
        "  total += p;\n        }\n        System.out.println(total);\n    }\n}",
        "12", "What does this print?",
        "String a = new String(\"x\");\nString b = new String(\"x\");\nSystem.out.println(a == "
        "b);",
        "", "`false`: `==` compares references; compare strings with `equals`."}},
      {"javascript",
       {"const prices = [3, 4, 5];\nconst total = prices.reduce((sum, p) => sum + p, 0);\n"
        "console.log(total);",
        "12", "What does this print?", "console.log(0.1 + 0.2 === 0.3);", "",
        "`false`: binary floating point cannot hold 0.1 exactly."}},
      {"python",
       {"def total(prices):\n    return sum(prices)\n\n\nprint(total([3, 4, 5]))", "12",
        "What does this print?", "items = [1, 2, 3]\nprint(items[-1])", "",
        "`3`: a negative index counts from the end."}},
      {"rust",
       {"fn main() {\n    let prices = vec![3, 4, 5];\n    let total: i32 = "
        "prices.iter().sum();\n    println!(\"{total}\");\n}",
        "12", "Does this compile?", "let s = String::from(\"a\");\nlet t = s;\nprintln!(\"{s}\");",
        "compile_fail,E0382", "No: `s` was moved into `t` (E0382)."}},
      {"sh",
       {"prices=\"3 4 5\"\ntotal=0\nfor p in $prices; do\n  total=$((total + p))\ndone\necho "
        "\"$total\"",
        "12", "How many arguments does `ls` get?", "name=\"a b\"\nls $name", "",
        "Two, `a` and `b`: unquoted variables are split. Write `\"$name\"`."}},
      {"sql",
       {"SELECT name, COUNT(*) AS orders\nFROM customers\nJOIN orders USING (customer_id)\n"
        "GROUP BY name\nORDER BY orders DESC;",
        " name  | orders\n-------+--------\n Ada   |      3\n Grace |      1",
        "What does this count?", "SELECT COUNT(email) FROM users;", "",
        "The rows whose `email` is not NULL; `COUNT(*)` counts every row."}},
      {"typescript",
       {"const prices: number[] = [3, 4, 5];\nconst total: number = prices.reduce((sum, p) => "
        "sum + p, 0);\nconsole.log(total);",
        "12", "Does this compile?", "let x: unknown = \"hi\";\nconsole.log(x.length);", "",
        "No: narrow `unknown` first, e.g. `if (typeof x === \"string\")`."}},
  };
  return table;
}

// The starter's picture: two boxes joined by an arrow (240 × 120 pixels, PNG).
constexpr std::string_view diagram_png{
    "\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\xf0\x00\x00\x00"
    "\x78"
    "\x08\x02\x00\x00\x00\x43\xd4\xe8\x70\x00\x00\x01\xa7\x49\x44\x41\x54\x78\xda\xed\xda\xb1\x11"
    "\x44"
    "\x50\x14\x86\x51\xb1\x78\x8b\x78\xb1\x78\xe3\x2d\x42\xc5\xda\x90\x18\x35\x6c\x82\xc8\x18\x31"
    "\x73"
    "\x79\xf7\x7c\xf3\x57\xc0\x09\xf0\x34\x8b\x54\x51\x8d\x4b\x20\xa0\x25\xa0\x25\xa0\x25\xa0\x05"
    "\xb4"
    "\x04\xb4\x04\xb4\x04\xb4\x04\xb4\x80\x96\x80\x96\x80\x96\x80\x96\x80\x16\xd0\x12\xd0\x12\xd0"
    "\x12"
    "\xd0\x12\xd0\x02\x5a\x02\x5a\x02\x5a\x02\x5a\x02\x5a\x40\x4b\x40\x4b\x40\x4b\x40\x4b\x17\x81"
    "\xfe"
    "\x7c\x7f\xa9\x16\x75\x93\xfa\xae\x4d\xb5\x48\xd0\xc3\x34\x27\x59\x2c\xe8\xff\x38\x24\x19\xd0"
    "\x40"
    "\x03\x0d\x34\xd0\x40\x03\x0d\x34\xd0\x40\x03\x0d\x34\xd0\x40\x03\x0d\x34\xd0\x40\x03\x0d\x34"
    "\xd0"
    "\x40\x03\x0d\x34\xd0\x40\x03\x0d\x34\xd0\x40\x03\x0d\x34\xd0\x40\x03\x0d\x34\xd0\x40\x03\x0d"
    "\x34"
    "\xd0\x40\x03\x0d\x34\xd0\x40\x03\x0d\x34\xd0\x40\x03\x0d\x34\xd0\x40\x03\x0d\x34\xd0\x40\x03"
    "\x0d"
    "\x34\xd0\x40\x03\x7d\x5d\xa5\x14\xa0\x81\xae\x0a\xf4\xc9\x34\xd0\x40\xbf\x1e\xf4\xd1\x34\xd0"
    "\x40"
    "\xd7\x00\x7a\x37\x0d\x34\xd0\xb7\x80\x2e\x11\x01\x0d\x74\x55\xa0\xb7\x80\x06\x1a\x68\xa0\x81"
    "\xf6"
    "\xc8\x01\xb4\x97\x42\x2f\x85\x40\x03\xed\xb3\x1d\xd0\x0e\x56\x80\x06\xda\xd1\x37\xd0\x40\xfb"
    "\x39"
    "\x09\x68\xa0\x81\x06\x1a\x68\xa0\x81\x06\x1a\x68\xa0\x81\x06\x1a\x68\xa0\x81\x06\x1a\x68\xa0"
    "\x81"
    "\x06\x1a\x68\xa0\x81\x06\x1a\x68\xa0\x81\x06\x1a\x68\xa0\x81\x06\x1a\x68\xa0\x81\x06\x1a\x68"
    "\xa0"
    "\x81\x06\x1a\x68\xa0\x81\x06\x1a\x68\xa0\x81\x06\x1a\x68\xa0\x81\x06\x1a\x68\xa0\x81\x06\x1a"
    "\x68"
    "\xa0\x81\x06\x1a\x68\xa0\x43\x40\xa7\x5a\x20\xe8\x54\x0b\x03\x2d\x3d\x2d\xa0\x05\xb4\x04\xb4"
    "\x04"
    "\xb4\x04\xb4\x80\x96\x80\x96\x80\x96\x80\x96\x80\x16\xd0\x12\xd0\x12\xd0\x12\xd0\x12\xd0\x02"
    "\x5a"
    "\x02\x5a\x02\x5a\x02\x5a\x02\x5a\x40\x4b\x40\x4b\x40\x4b\x40\x4b\x40\x0b\x68\x09\x68\x09\x68"
    "\x09"
    "\x68\xe9\xd0\x0a\xd4\x5f\xff\xb8\xbc\x51\x37\xc4\x00\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60"
    "\x82",
    480};

std::string indented(std::string_view text, std::string_view indent) {
  std::string out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    const std::string_view line = text.substr(start, end - start);
    out += line.empty() ? std::string("\n") : std::string(indent) + std::string(line) + "\n";
    start = end + 1;
  }
  return out;
}

std::string replaced(std::string text, const std::map<std::string, std::string>& values) {
  for (const auto& [name, value] : values) {
    const std::string marker = "@" + name + "@";
    for (std::size_t at = text.find(marker); at != std::string::npos;
         at = text.find(marker, at + value.size())) {
      text.replace(at, marker.size(), value);
    }
  }
  return text;
}

// `yaml` with the comments that follow a value ("slug: x   # …") starting in one column, two
// spaces after the longest of those values: filled-in placeholders change their lengths.
std::string align_comments(const std::string& yaml) {
  std::vector<std::string_view> lines = util::split_lines(yaml);
  std::vector<std::size_t> value_ends(lines.size(), 0);
  std::size_t column = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::size_t comment = lines[i].find(" #");
    if (comment != std::string_view::npos && lines[i].find(": ") < comment) {
      value_ends[i] = lines[i].find_last_not_of(' ', comment) + 1;
      column = std::max(column, value_ends[i] + 2);
    }
  }
  std::string aligned;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (value_ends[i] == 0) {
      aligned += lines[i];
    } else {
      const std::string_view comment = lines[i].substr(lines[i].find(" #") + 1);
      aligned += std::string(lines[i].substr(0, value_ends[i])) +
                 std::string(column - value_ends[i], ' ') + std::string(comment);
    }
    aligned += i + 1 < lines.size() ? "\n" : "";
  }
  return aligned;
}

// A folder name as a book slug: "My SQL pack" → "my-sql-pack".
std::string slug_of(const std::string& name) {
  std::string slug;
  for (const char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
      slug += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!slug.empty() && slug.back() != '-') {
      slug += '-';
    }
  }
  while (!slug.empty() && slug.back() == '-') {
    slug.pop_back();
  }
  return slug.empty() ? "my-pack" : slug;
}

std::string today() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[16];
  std::strftime(text, sizeof text, "%Y-%m-%d", &utc);
  return text;
}

constexpr std::string_view book_yaml =
    R"(# The book: its title, outputs and the order of its topics.
# yaml-language-server: $schema=../schema/book.json
title: @TITLE@
subtitle: A starter pack made by prepkit new
author: You
version: "0.1"
date: "@DATE@"
slug: @SLUG@                 # out/@SLUG@.pdf and out/@SLUG@.apkg
deck: @TITLE@                # the Anki deck
layout: mine                 # layouts/mine.yaml (it extends the built-in a4)
code_language: @LANG@        # code cards without `lang:` are @LANG@
description: |
  Read a topic, answer its questions aloud, then review the deck daily.
areas:
  - id: basics
    title: Basics
    description: Where to start.
    topics: [first-steps, next-steps]   # files in topics/, in book order
)";

constexpr std::string_view first_topic_yaml =
    R"(# yaml-language-server: $schema=../../schema/topic.json
id: first-steps
title: First steps
summary: |
  What a topic looks like: sections with Markdown, code, a picture and a cross
  reference, then key points, pitfalls, questions and the cards for Anki.
sections:
  - id: example
    title: An example
    terms: [example, output]
    body: |
      A section is Markdown: *emphasis*, **bold**, `inline code` and lists.

      - a bullet
      - another bullet

      A code block names its language; an `output` block may follow it:

      ```@LANG@
@CODE@      ```
      ```output
@OUTPUT@      ```

      An image stands alone in its paragraph, and its alt text is the caption:

      ![Two boxes joined by an arrow](images/diagram.png)

      Cross references print the page they point to: see
      [practice](#next-steps/practice). Links to the web stay links:
      [CommonMark](https://commonmark.org).
key_points:
  - Every section, card and question has an id that never changes.
pitfalls:
  - title: Renaming an id
    body: Anki matches notes by id; a renamed card becomes a new note.
questions:
  - id: why-ids
    question: Why do ids have to stay stable?
    answer: |
      Anki updates a note in place only when its id is unchanged.
cards:
  - id: what-is-a-section
    kind: basic
    section: example
    front: What is a section written in?
    back: Markdown.
    reverse: false
    tags: [writing]
  - id: spaced-repetition
    kind: cloze
    section: example
    text: "{{c1::Spaced repetition}} shows a card just before you would forget it."
    extra: That is why the deck is reviewed daily.
  - id: code-card
    kind: code
    section: example
    front: @CARD_FRONT@
    code: |
@CARD_CODE@@CARD_CHECK@    back: @CARD_BACK@
)";

constexpr std::string_view second_topic_yaml =
    R"(# yaml-language-server: $schema=../../schema/topic.json
id: next-steps
title: Next steps
summary: |
  How to grow this pack into your own. Back to [first steps](#first-steps).
sections:
  - id: practice
    title: Practice
    body: |
      1. Edit a topic in `content/topics/`.
      2. Run `prepkit check` to see every problem with its line and column.
      3. Run `prepkit build` and print the booklet.

      > Add a topic file, then list it in `book.yaml`.
key_points:
  - "`prepkit check` writes nothing; `prepkit build` writes the PDF and the deck."
cards:
  - id: check-first
    kind: basic
    section: practice
    front: Which command validates a pack without writing anything?
    back: "`prepkit check`"
    reverse: true
)";

constexpr std::string_view layout_yaml =
    R"(# Your layout: it starts from the built-in a4 and lists only what differs.
# yaml-language-server: $schema=../schema/layout.json
extends: a4
name: mine
colors:
  heading: "#134e4a"
  accent: "#0f766e"
)";

}  // namespace

std::vector<std::string> starter_languages() {
  std::vector<std::string> names;
  for (const auto& [name, example] : examples()) {
    names.push_back(name);
  }
  return names;
}

std::vector<StarterFile> starter_pack(const std::string& folder_name, const std::string& language) {
  const Example& example = examples().at(language);
  const std::string slug = slug_of(folder_name);
  std::string title = slug;
  std::replace(title.begin(), title.end(), '-', ' ');
  title[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(title[0])));
  const std::map<std::string, std::string> values = {
      {"TITLE", title},
      {"SLUG", slug},
      {"DATE", today()},
      {"LANG", language},
      {"CODE", indented(example.code, "      ")},
      {"OUTPUT", indented(example.output, "      ")},
      {"CARD_FRONT", std::string(example.card_front)},
      {"CARD_CODE", indented(example.card_code, "      ")},
      {"CARD_CHECK", example.card_check.empty()
                         ? std::string()
                         : "    check: " + std::string(example.card_check) + "\n"},
      {"CARD_BACK", std::string(example.card_back)},
  };
  // Scalars that start with a backquote or contain ": " must be quoted in YAML.
  std::map<std::string, std::string> quoted = values;
  for (const char* key : {"CARD_FRONT", "CARD_BACK"}) {
    std::string text = "\"";
    for (const char c : values.at(key)) {
      text += c == '"' || c == '\\' ? std::string("\\") + c : std::string(1, c);
    }
    quoted[key] = text + "\"";
  }
  return {
      {"content/book.yaml", align_comments(replaced(std::string(book_yaml), values))},
      {"content/topics/first-steps.yaml", replaced(std::string(first_topic_yaml), quoted)},
      {"content/topics/next-steps.yaml", replaced(std::string(second_topic_yaml), values)},
      {"content/images/diagram.png", std::string(diagram_png)},
      {"layouts/mine.yaml", replaced(std::string(layout_yaml), values)},
      {"schema/book.json", schema_json("book")},
      {"schema/topic.json", schema_json("topic")},
      {"schema/layout.json", schema_json("layout")},
      {".gitignore", "out/\n"},
  };
}

int new_pack(const std::string& folder, const std::string& language, const Verbosity& verbosity,
             std::ostream& out, std::ostream& err) {
  if (examples().count(language) == 0) {
    std::string names;
    for (const std::string& name : starter_languages()) {
      names += (names.empty() ? "" : ", ") + name;
    }
    err << "error: no starter examples for language '" << language << "'\n  hint: use one of "
        << names << "; any language works in a pack, set `lang:` or `code_language:` after\n";
    return 2;
  }
  std::error_code code;
  if (fs::exists(folder, code) && !fs::is_empty(folder, code)) {
    err << "error: " << folder << " already exists and is not empty\n"
        << "  hint: name a new folder; prepkit new never overwrites files\n";
    return 2;
  }
  const std::string name = fs::path(folder).lexically_normal().filename().string();
  const std::vector<StarterFile> files =
      starter_pack(name.empty() || name == "." ? "my-pack" : name, language);
  try {
    std::vector<util::PlannedWrite> writes;
    for (const StarterFile& file : files) {
      const fs::path path = fs::path(folder) / file.path;
      fs::create_directories(path.parent_path());
      writes.push_back({path.string(), file.bytes});
    }
    util::write_atomically(writes);
  } catch (const std::exception& error) {
    err << "error: cannot write the starter pack into " << folder << ": " << error.what() << "\n";
    return 3;
  }
  if (verbosity.verbose) {
    for (const StarterFile& file : files) {
      out << (fs::path(folder) / file.path).string() << "\n";
    }
  }
  if (!verbosity.quiet) {
    out << "created " << folder << ": a starter pack (" << language
        << " examples); next: prepkit check " << folder << " && prepkit build " << folder << "\n";
  }
  return 0;
}

}  // namespace commands
