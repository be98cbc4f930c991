// The frozen note types: ids, fields, templates, `req` as Anki computes it, CSS.
#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "anki/note_types.hpp"
#include "model/layout.hpp"

namespace {

const anki::NoteType& type_of(const std::vector<anki::NoteType>& types, anki::NoteKind kind) {
  for (const anki::NoteType& type : types) {
    if (type.kind == kind) {
      return type;
    }
  }
  throw std::runtime_error("missing note type");
}

std::vector<std::string> fields_of(const anki::NoteType& type) {
  std::vector<std::string> names;
  for (const auto& field : type.fields) {
    names.push_back(field.name);
  }
  return names;
}

const std::map<std::string, std::int64_t> legacy_ids = {
    {"basic", 1764000000101}, {"cloze", 1764000000102}, {"code", 1764000000103}};

std::vector<anki::NoteType> make_types(const model::Layout& layout) {
  return anki::make_note_types(layout, "", legacy_ids);
}

}  // namespace

TEST_CASE("each pack has its own note types: ids from the lock or the pack, names with the deck",
          "[anki]") {
  const auto types = anki::make_note_types(model::Layout{}, "Rust Interview Prep", legacy_ids);
  CHECK(types[0].name == "prepkit Basic (Rust Interview Prep)");
  CHECK(types[2].name == "prepkit Code (Rust Interview Prep)");
  CHECK(types[1].id == 1764000000102);
  const std::int64_t a = anki::default_note_type_id("pack-a", anki::NoteKind::cloze);
  CHECK(a == anki::default_note_type_id("pack-a", anki::NoteKind::cloze));
  CHECK(a != anki::default_note_type_id("pack-b", anki::NoteKind::cloze));
  CHECK(a != anki::default_note_type_id("pack-a", anki::NoteKind::basic));
  CHECK(a > 1'400'000'000'000);
  CHECK(a < 1'500'000'000'000);
  // Code cards sort by their code (most ask the same question), the others by their front.
  CHECK(types[2].sort_field == 1);
  CHECK(types[0].sort_field == 0);
  CHECK(util::write_json(anki::note_type_json(types[2], 1, 42)).find("\"sortf\":1") !=
        std::string::npos);
}

TEST_CASE("note types are frozen: ids, names, fields, templates", "[anki]") {
  const auto types = make_types(model::Layout{});
  REQUIRE(types.size() == 3);
  const auto& basic = type_of(types, anki::NoteKind::basic);
  const auto& cloze = type_of(types, anki::NoteKind::cloze);
  const auto& code = type_of(types, anki::NoteKind::code);
  CHECK(basic.id == 1764000000101);
  CHECK(cloze.id == 1764000000102);
  CHECK(code.id == 1764000000103);
  CHECK(basic.name == "prepkit Basic");
  CHECK(cloze.name == "prepkit Cloze");
  CHECK(code.name == "prepkit Code");
  CHECK(fields_of(basic) ==
        std::vector<std::string>{"Front", "Back", "Extra", "Topic", "Booklet", "Reverse"});
  CHECK(fields_of(cloze) == std::vector<std::string>{"Text", "Back Extra", "Topic", "Booklet"});
  CHECK(fields_of(code) ==
        std::vector<std::string>{"Front", "Code", "Back", "Extra", "Topic", "Booklet"});
  CHECK(basic.templates.size() == 2);
  CHECK(cloze.templates.size() == 1);
  CHECK(cloze.templates[0].qfmt.find("{{cloze:Text}}") != std::string::npos);
  // The footer has its own rule: the answer rule only stands above extra text, so a cloze
  // back without extra text shows one rule, not two.
  const std::string& cloze_back = cloze.templates[0].afmt;
  CHECK(cloze_back.find("{{#Back Extra}}<hr id=\"answer\">") != std::string::npos);
  CHECK(cloze_back.find("<hr") == cloze_back.find("{{#Back Extra}}") + 15);
  std::set<std::int64_t> ids;
  for (const auto& type : types) {
    for (const auto& field : type.fields) {
      CHECK(field.id > 0);
      CHECK(field.id < (std::int64_t{1} << 53));
      ids.insert(field.id);
    }
    for (const auto& tmpl : type.templates) {
      ids.insert(tmpl.id);
      CHECK(tmpl.afmt.find("<hr id=\"answer\">") != std::string::npos);
      CHECK(tmpl.afmt.find("{{Booklet}}") != std::string::npos);
      CHECK(tmpl.qfmt.find("<script") == std::string::npos);
      CHECK(tmpl.afmt.find("<script") == std::string::npos);
    }
  }
  CHECK(ids.size() == 6 + 4 + 6 + 4);
}

TEST_CASE("req is computed like Anki computes it", "[anki]") {
  const auto types = make_types(model::Layout{});
  const auto basic_req = anki::compute_requirements(type_of(types, anki::NoteKind::basic));
  REQUIRE(basic_req.size() == 2);
  CHECK(basic_req[0].ord == 0);
  CHECK(basic_req[0].kind == "all");
  CHECK(basic_req[0].fields == std::vector<int>{0});
  CHECK(basic_req[1].ord == 1);
  CHECK(basic_req[1].kind == "all");
  CHECK(basic_req[1].fields == std::vector<int>{1, 5});  // Back and Reverse
  const auto code_req = anki::compute_requirements(type_of(types, anki::NoteKind::code));
  REQUIRE(code_req.size() == 1);
  CHECK(code_req[0].kind == "any");
  CHECK(code_req[0].fields == std::vector<int>{0, 1});  // Front or Code
}

TEST_CASE("card ordinals: reverse opt-in, one card per cloze number", "[anki]") {
  const auto types = make_types(model::Layout{});
  const auto& basic = type_of(types, anki::NoteKind::basic);
  CHECK(anki::card_ordinals(basic, {"Q", "A", "", "T", "B", ""}) == std::vector<int>{0});
  CHECK(anki::card_ordinals(basic, {"Q", "A", "", "T", "B", "y"}) == std::vector<int>{0, 1});
  CHECK(anki::card_ordinals(basic, {"Q", "", "", "T", "B", "y"}) == std::vector<int>{0});
  const auto& cloze = type_of(types, anki::NoteKind::cloze);
  CHECK(anki::card_ordinals(cloze, {"{{c3::a}} {{c1::b::h}} {{c3::c}} {{c10::d}}", "", "", ""}) ==
        std::vector<int>{0, 2, 9});
  CHECK(anki::card_ordinals(cloze, {"no deletion {{c::x}} {{c0::y}}", "", "", ""}).empty());
}

TEST_CASE("CSS: layout colours, every highlight class, both night-mode classes, phones", "[anki]") {
  model::Layout layout;
  layout.colors.link = {1.0, 0.0, 0.0};
  const std::string css = anki::note_type_css(layout);
  CHECK(css.find("#ff0000") != std::string::npos);
  for (std::size_t i = 1; i < model::all_highlight_tags.size(); ++i) {
    const std::string name(model::highlight_tag_name(model::all_highlight_tags[i]));
    CHECK(css.find(".hl-" + name + " {") != std::string::npos);
    CHECK(css.find(".nightMode .hl-" + name + ", .night_mode .hl-" + name) != std::string::npos);
  }
  CHECK(css.find(".card.nightMode, .card.night_mode") != std::string::npos);
  CHECK(css.find("@media (max-width: 480px)") != std::string::npos);
  CHECK(css.find("white-space: pre;") != std::string::npos);
  CHECK(css.find("overflow-x: auto") != std::string::npos);
}

TEST_CASE("CSS: the layout's name and font families cannot end the comment, string or style",
          "[anki][escaping]") {
  model::Layout layout;
  layout.name = "x */ </style><script>alert(1)</script>";
  layout.fonts.sans.family = "Evil\"; } .card { color: red } /* </style>";
  const std::string css = anki::note_type_css(layout);
  CHECK(css.substr(0, css.find('\n') + 1) ==
        "/* prepkit note types: generated from layout \"x \\2a \\2f  \\3c \\2f style\\3e \\3c "
        "script\\3e alert(1)\\3c \\2f script\\3e \"; edits are overwritten by the next import. "
        "*/\n");
  CHECK(css.find("  font-family: \"Evil\\22 ; } .card { color: red } \\2f \\2a  \\3c \\2f "
                 "style\\3e \", \"Segoe UI\", ") != std::string::npos);
  // One comment, closed once; no tag anywhere.
  CHECK(css.find("*/") == css.find('\n') - 2);
  CHECK(css.find("*/", css.find('\n')) == std::string::npos);
  CHECK(css.find('<') == std::string::npos);
}

TEST_CASE("the note-type hash changes with the CSS and only then", "[anki]") {
  const auto a = make_types(model::Layout{});
  const auto b = make_types(model::Layout{});
  model::Layout restyled;
  restyled.colors.accent = {0.0, 0.5, 0.0};
  const auto c = make_types(restyled);
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(anki::note_type_hash(a[i]) == anki::note_type_hash(b[i]));
    CHECK(anki::note_type_hash(a[i]) != anki::note_type_hash(c[i]));
  }
}

TEST_CASE("note type JSON has every key with its exact type", "[anki]") {
  const auto types = make_types(model::Layout{});
  const std::string json = util::write_json(anki::note_type_json(types[0], 1700000000, 42));
  for (const char* key : {"\"id\":1764000000101",
                          "\"type\":0",
                          "\"mod\":1700000000",
                          "\"usn\":-1",
                          "\"sortf\":0",
                          "\"did\":42",
                          "\"latexsvg\":false",
                          "\"sticky\":false",
                          "\"rtl\":false",
                          "\"size\":20",
                          "\"ord\":0",
                          "\"bqfmt\":\"\"",
                          "\"did\":null",
                          "\"bsize\":0",
                          "\"tags\":[]",
                          "\"vers\":[]",
                          "\"media\":[]",
                          "\"req\":[[0,\"all\",[0]],[1,\"all\",[1,5]]]",
                          "\"name\":\"prepkit Basic\"",
                          "\"latexPre\":",
                          "\"latexPost\":",
                          "\"css\":"}) {
    CHECK(json.find(key) != std::string::npos);
  }
  const std::string cloze_json = util::write_json(anki::note_type_json(types[1], 1, 42));
  CHECK(cloze_json.find("\"type\":1") != std::string::npos);
}
