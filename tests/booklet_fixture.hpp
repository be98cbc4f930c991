// Test helpers for the booklet renderer: a fixed-width TextMeasure, a small hand-built
// Document that exercises every block type, and golden-file comparison.
#pragma once

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "model/document.hpp"
#include "pdf/text_measure.hpp"
#include "typeset/faces.hpp"
#include "typeset/line_breaking.hpp"
#include "util/utf8.hpp"

namespace booklet_fixture {

// Every character is half an em wide; characters of the faces in `mono` 0.6 em.
class FixedWidthMeasure final : public pdf::TextMeasure {
 public:
  explicit FixedWidthMeasure(std::set<int> mono = {}) : m_mono(std::move(mono)) {}
  [[nodiscard]] double width(int face, std::string_view text, double size) const override {
    const double em = m_mono.count(face) != 0 ? 0.6 : 0.5;
    return static_cast<double>(util::decode_all(text).size()) * em * size;
  }

 private:
  std::set<int> m_mono;
};

// The faces of the default layout, all characters covered, and the measure that knows
// which of them are monospaced.
inline std::set<int> mono_faces(const typeset::FaceTable& faces) {
  std::set<int> mono;
  for (typeset::Role role : {typeset::Role::mono, typeset::Role::mono_bold,
                             typeset::Role::mono_italic, typeset::Role::mono_bold_italic}) {
    mono.insert(faces.primary(role));
  }
  return mono;
}

// The text of a line: pieces joined, one space wherever there is a gap between them.
inline std::string line_text(const typeset::Line& line) {
  std::string text;
  double end = 0;
  for (const typeset::PlacedPiece& placed : line.pieces) {
    if (!text.empty() && placed.x > end + 0.01) {
      text += ' ';
    }
    text += placed.piece.text;
    end = placed.x + placed.piece.width;
  }
  return text;
}

inline std::vector<std::string> texts(const std::vector<typeset::Line>& lines) {
  std::vector<std::string> out;
  for (const typeset::Line& line : lines) {
    out.push_back(line_text(line));
  }
  return out;
}

inline model::Inline run(std::string text, unsigned style = model::style_plain,
                         std::string link = {}) {
  model::Inline inline_run;
  inline_run.text = std::move(text);
  inline_run.style = style;
  inline_run.link = std::move(link);
  return inline_run;
}

inline model::Block paragraph(model::Inlines inlines, int line = 1) {
  model::Block block;
  block.node = model::Paragraph{std::move(inlines)};
  block.where = {"topics/sample.yaml", line, 1};
  return block;
}

inline model::Block code(std::vector<std::string> lines, std::string language = "rust",
                         model::CodeCheck check = model::CodeCheck::run,
                         std::string error_code = {}) {
  model::CodeBlock block;
  block.language = std::move(language);
  block.check = check;
  block.error_code = std::move(error_code);
  block.lines = std::move(lines);
  model::Block wrapper;
  wrapper.node = std::move(block);
  return wrapper;
}

inline model::Block output(std::vector<std::string> lines) {
  model::Block block;
  block.node = model::OutputBlock{std::move(lines)};
  return block;
}

inline model::Block bullets(std::vector<std::string> items) {
  model::List list;
  for (std::string& item : items) {
    list.items.push_back(model::ListItem{{paragraph({run(std::move(item))})}});
  }
  model::Block block;
  block.node = std::move(list);
  return block;
}

// Repeats `sentence` to make a paragraph of about `words` words.
inline std::string prose(int words, const std::string& sentence =
                                        "Ownership rules decide when a value is dropped and "
                                        "who may change it. ") {
  std::string text;
  int count = 0;
  std::istringstream in(sentence);
  std::vector<std::string> pieces;
  for (std::string word; in >> word;) {
    pieces.push_back(word);
  }
  while (count < words) {
    text += (text.empty() ? "" : " ") + pieces[static_cast<std::size_t>(count) % pieces.size()];
    ++count;
  }
  return text;
}

// A small book: two parts, three topics, every block type, cross references, terms.
inline model::Document sample_document() {
  model::Document document;
  document.book.title = "Sample Prep";
  document.book.subtitle = "A booklet for tests";
  document.book.author = "The test suite";
  document.book.version = "1.0";
  document.book.date = "2026-01-02";
  document.book.slug = "sample";
  document.book.description = {paragraph({run("Read a topic.")}),
                               paragraph({run("Then answer its questions aloud.")})};
  document.book.where = {"book.yaml", 1, 1};
  document.content_dir = std::string(PREPKIT_TESTS_DIR) + "/fixtures/booklet";

  model::Topic ownership;
  ownership.id = "ownership";
  ownership.title = "Ownership and moves";
  ownership.number = 1;
  ownership.area = "core";
  ownership.where = {"topics/ownership.yaml", 1, 1};
  ownership.summary = {
      paragraph({run("Every value has one owner; see "),
                 run("Borrowing", model::style_plain, "#borrowing"), run(" for references.")})};
  model::Section rules;
  rules.id = "rules";
  rules.title = "The three rules";
  rules.number = 1;
  rules.terms = {"ownership", "drop"};
  rules.where = {"topics/ownership.yaml", 5, 5};
  rules.body = {
      paragraph({run(prose(90)), run(" Use "), run("String::from", model::style_code),
                 run(" to allocate, and read "),
                 run("the Book", model::style_plain, "https://doc.rust-lang.org/book/"), run(".")}),
      bullets({"Each value has an owner.", "There is one owner at a time.",
               "When the owner goes out of scope, the value is dropped."}),
      code({"fn main() {", "    let s = String::from(\"hi\");", "    let t = s; // move",
            "    println!(\"{t}\");", "}"}),
      output({"hi"}),
  };
  model::Section moves;
  moves.id = "moves";
  moves.title = "Moves and `Copy`";
  moves.number = 2;
  moves.terms = {"Copy", "and_then"};
  moves.where = {"topics/ownership.yaml", 20, 5};
  std::vector<std::string> long_code;
  for (int i = 0; i < 16; ++i) {
    long_code.push_back(i % 5 == 4 ? ""
                                   : "    let value_" + std::to_string(i) + " = compute(" +
                                         std::to_string(i) + ");");
  }
  long_code.push_back(
      "    let very_long_line = some_function_with_a_long_name(first_argument, second_argument, "
      "third_argument, fourth_argument);");
  moves.body = {
      paragraph({run(prose(160))}),
      code(long_code),
      code({"let a = vec![1];", "let b = a;", "println!(\"{a:?}\");"}, "rust",
           model::CodeCheck::compile_fail, "E0382"),
      paragraph({run("The rules for "), run("references", model::style_italic, "#borrowing/shared"),
                 run(" come next.")}),
  };
  ownership.sections = {rules, moves};
  ownership.key_points = {{run("A move transfers ownership.")},
                          {run("Copy types are duplicated.")},
                          {run("Drop runs at the end of scope.")}};
  model::Pitfall pitfall;
  pitfall.title = "Using a value after a move";
  pitfall.body = {
      paragraph({run("E0382 \u201Cborrow of moved value\u201D \u2014 the source "
                     "is gone \u2192 clone it or borrow \u2264 once.")})};
  ownership.pitfalls = {pitfall};
  model::Question question;
  question.id = "move-vs-copy";
  question.question = {paragraph({run("What is the difference between a move and a copy?")})};
  question.answer = {paragraph({run(prose(70))}),
                     paragraph({run("Write "), run("&'a mut T", model::style_code),
                                run(" for a unique borrow.")})};
  ownership.questions = {question, question};

  model::Topic borrowing;
  borrowing.id = "borrowing";
  borrowing.title = "Borrowing";
  borrowing.number = 2;
  borrowing.area = "core";
  borrowing.where = {"topics/borrowing.yaml", 1, 1};
  model::Section shared;
  shared.id = "shared";
  shared.title = "Shared references";
  shared.number = 1;
  shared.terms = {"borrow", "ownership"};
  shared.body = {paragraph({run(prose(120,
                                      "A shared reference lets many readers look at a "
                                      "value while nobody changes it. "))}),
                 paragraph({run("Back to "),
                            run("the rules", model::style_plain, "#ownership/rules"), run(".")})};
  model::List nested;
  nested.items.push_back(model::ListItem{
      {paragraph({run("Outer item with a list:")}), bullets({"inner one", "inner two"})}});
  nested.items.push_back(model::ListItem{{paragraph({run("Second outer item.")})}});
  model::Block nested_block;
  nested_block.node = std::move(nested);
  model::Block quote;
  quote.node =
      model::Quote{{paragraph({run("Shared XOR mutable: many readers or one "
                                   "writer, never both.")})}};
  model::Image picture;
  picture.path = "images/diagram.png";
  picture.alt = "Two readers, no writer.";
  model::Block image;
  image.node = picture;
  shared.body.push_back(nested_block);
  shared.body.push_back(quote);
  shared.body.push_back(image);
  borrowing.sections = {shared};

  model::Topic threads;
  threads.id = "threads";
  threads.title = "Threads";
  threads.number = 3;
  threads.area = "systems";
  model::Section spawn;
  spawn.id = "spawn";
  spawn.title = "Spawning";
  spawn.number = 1;
  spawn.terms = {"thread::spawn", "Send"};
  spawn.body = {paragraph({run(prose(60))})};
  threads.sections = {spawn};

  model::Area core;
  core.id = "core";
  core.title = "Core language";
  core.number = 1;
  core.description = "Ownership and borrowing.";
  core.topics = {ownership, borrowing};
  model::Area systems;
  systems.id = "systems";
  systems.title = "Systems";
  systems.number = 2;
  systems.description = "Threads.";
  systems.topics = {threads};
  document.areas = {core, systems};
  return document;
}

// Compares `actual` with tests/golden/<name>; with UPDATE_GOLDENS=1 rewrites the file.
inline void check_golden(const std::string& name, const std::string& actual) {
  const std::filesystem::path path = std::filesystem::path(PREPKIT_TESTS_DIR) / "golden" / name;
  const char* update = std::getenv("UPDATE_GOLDENS");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream(path, std::ios::binary) << actual;
    WARN("updated " << path.string());
    return;
  }
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());  // missing golden: run with UPDATE_GOLDENS=1 and review the diff
  const std::string expected((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
  if (expected != actual) {
    const auto actual_path = std::filesystem::temp_directory_path() / (name + ".actual");
    std::ofstream(actual_path, std::ios::binary) << actual;
    FAIL("golden " << path.string() << " differs; actual written to " << actual_path.string()
                   << " (diff them; UPDATE_GOLDENS=1 accepts)");
  }
}

}  // namespace booklet_fixture
