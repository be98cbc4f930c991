// The validated study pack: plain data produced by load/, read by every renderer.
// No library headers here; every element remembers where in the YAML it came from.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace model {

// 1-based line and column in a source file; line 0 means "the whole file".
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;
};

// Style flags of an inline run; they combine (bold | italic).
enum InlineStyle : unsigned {
  style_plain = 0,
  style_bold = 1U << 0U,
  style_italic = 1U << 1U,
  style_code = 1U << 2U,  // inline code: monospace, never hyphenated
};

// A flat run of text with one style. Line breaking and HTML both want flat runs.
struct Inline {
  enum class Kind : std::uint8_t { text, soft_break, line_break };
  std::string text;  // UTF-8, already unescaped (no Markdown, no HTML entities)
  // Link target: an external URL ("https://…"), or a cross reference inside the book:
  // "#topic-id" or "#topic-id/section-id" (resolved to a page number by the renderers).
  std::string link;
  std::string cloze_hint;  // hint text of the cloze deletion, "" if none
  unsigned style = style_plain;
  // Cloze deletion number (1, 2, …) this run belongs to; 0 = not part of a deletion.
  int cloze = 0;
  Kind kind = Kind::text;
};
using Inlines = std::vector<Inline>;

// How the Rust example checker treats a code block (rustdoc's annotations).
enum class CodeCheck {
  none,          // not Rust (e.g. "text", "toml", "console"): never compiled
  run,           // ```rust: must compile and run, exit 0 (output compared if given)
  compile_fail,  // ```rust,compile_fail[,E0382]: must fail to compile [with that code]
  no_run,        // ```rust,no_run: must compile, is not run
  should_panic,  // ```rust,should_panic: must compile and panic when run
  ignore,        // ```rust,ignore(reason): not compiled; the reason is required
};

struct CodeBlock {
  std::string language;  // "rust", "toml", "text", …; "" when none given
  CodeCheck check = CodeCheck::none;
  std::string error_code;     // for compile_fail: "E0382" or ""
  std::string ignore_reason;  // for ignore
  std::string edition;        // "2021"/"2024" from an `edition2021` annotation; "" = default
  // Lines shown to readers (rustdoc-style hidden "# " lines removed), no trailing newline.
  std::vector<std::string> lines;
  // The full program the checker compiles (hidden lines included).
  std::string source;
  // Expected stdout of a `run` block: the ```output block right after it, if any.
  std::optional<std::string> expected_output;
  SourceLocation where;  // line of the opening fence
};

struct Block;
struct ListItem {
  std::vector<Block> blocks;
};
struct List {
  bool ordered = false;
  int start = 1;
  bool tight = true;
  std::vector<ListItem> items;
};
struct Paragraph {
  Inlines inlines;
};
// Output block shown after a run example ("Output:" box); also in expected_output.
struct OutputBlock {
  std::vector<std::string> lines;
};
struct Image {
  std::string path;  // relative to the content folder, checked to stay inside it
  std::string alt;
  SourceLocation where;
};
struct Quote {
  std::vector<Block> blocks;
};

struct Block {
  std::variant<Paragraph, CodeBlock, List, OutputBlock, Image, Quote> node;
  SourceLocation where;
};
// A Markdown field after parsing: a sequence of blocks.
using Body = std::vector<Block>;

// Titles (topic, section, pitfall, part) are plain text that may quote code in backticks
// ("The `?` operator"): the booklet sets the quoted parts in the code face.
struct Section {
  std::string id;  // unique within the topic
  std::string title;
  int number = 0;  // 1-based within its topic ("2.3" = topic 2, section 3)
  Body body;
  std::vector<std::string> terms;  // index terms: the index points at this section
  SourceLocation where;
};

struct Pitfall {
  std::string title;  // short, plain text (code in backticks)
  Body body;
  SourceLocation where;
};

struct Question {
  std::string id;  // unique within the topic
  Body question;
  Body answer;
  SourceLocation where;
};

enum class CardKind {
  basic,  // front / back; `reverse: true` adds the back→front card
  cloze,  // text with {{c1::…}} deletions; optional extra
  code,   // a question about a Rust snippet: front + code + back
};

struct Card {
  std::string id;  // unique within the topic; with the topic id it is the Anki identity
  CardKind kind = CardKind::basic;
  Body front;  // basic, code
  Body back;   // basic, code
  bool reverse = false;
  Body text;                      // cloze: inlines carry cloze numbers
  Body extra;                     // cloze: shown on the back
  std::optional<CodeBlock> code;  // code
  std::string section;            // optional section id this card reviews (for "Booklet §2.3")
  std::vector<std::string> tags;  // content tags as written
  SourceLocation where;
};

struct Topic {
  std::string id;  // unique in the book; part of every anchor and Anki GUID
  std::string title;
  int number = 0;    // 1-based through the whole book
  std::string area;  // id of the Area it belongs to
  Body summary;
  std::vector<Section> sections;
  std::vector<Inlines> key_points;
  std::vector<Pitfall> pitfalls;
  std::vector<Question> questions;
  std::vector<Card> cards;
  SourceLocation where;
};

struct Area {
  std::string id;
  std::string title;
  int number = 0;             // 1-based: "Part I", "Part II", …
  std::string description;    // plain text, used for the part page and the Anki deck
  std::vector<Topic> topics;  // in book order
  SourceLocation where;
};

struct Book {
  std::string title;
  std::string subtitle;
  std::string author;
  std::string version;
  std::string date;           // as written, e.g. "2026-11-24"
  std::string slug;           // output file names: out/<slug>.pdf, out/<slug>.apkg
  std::string deck;           // Anki root deck name
  std::string layout;         // default layout name or path ("" = layouts/default.yaml)
  std::string code_language;  // language of code cards without `lang:` ("" = plain text)
  Body description;           // "How to use this booklet" (Markdown); also the deck's
  std::string questions_title = "Interview questions";  // heading of a topic's questions
  // Words the booklet never hyphenates (crate and tool names that look like English words).
  std::vector<std::string> keep_whole;
  SourceLocation where;
};

struct Document {
  Book book;
  std::vector<Area> areas;  // in book order; each holds its topics
  std::string content_dir;  // folder the content came from (for images)
};

// A title without the backticks that quote code in it, for outputs that have no code face
// (deck fields, PDF outline). A title with an unpaired backtick keeps it as a character.
inline std::string plain_title(std::string title) {
  std::size_t ticks = 0;
  for (char c : title) {
    ticks += c == '`' ? 1 : 0;
  }
  if (ticks % 2 == 0) {
    std::erase(title, '`');
  }
  return title;
}

// Anchor names shared by the booklet (destinations) and the deck (page references).
inline std::string topic_anchor(const std::string& topic_id) {
  return "topic/" + topic_id;
}
inline std::string section_anchor(const std::string& topic_id, const std::string& section_id) {
  return "section/" + topic_id + "/" + section_id;
}

}  // namespace model
