// Flashcard sheets: mirrored backs, text fitting, cloze blanks.
#include <algorithm>
#include <map>
#include <set>

#include <catch2/catch.hpp>

#include "booklet_fixture.hpp"
#include "print/flashcards.hpp"

namespace {

model::Body words(const std::string& text) {
  return {booklet_fixture::paragraph({booklet_fixture::run(text)})};
}

model::Document deck_of(std::vector<model::Card> cards) {
  model::Document document;
  document.book.title = "T";
  document.book.slug = "t";
  model::Area area;
  model::Topic topic;
  topic.id = "topic";
  topic.title = "Topic";
  topic.number = 1;
  topic.cards = std::move(cards);
  area.topics.push_back(std::move(topic));
  document.areas.push_back(std::move(area));
  return document;
}

model::Card basic(const std::string& id, const std::string& front, const std::string& back) {
  model::Card card;
  card.id = id;
  card.front = words(front);
  card.back = words(back);
  return card;
}

model::Card code_card(const std::string& id, const std::string& front,
                      std::vector<std::string> lines, const std::string& back) {
  model::Card card;
  card.id = id;
  card.kind = model::CardKind::code;
  card.front = words(front);
  model::CodeBlock code;
  code.language = "text";
  code.lines = std::move(lines);
  card.code = code;
  card.back = words(back);
  return card;
}

struct Fixture {
  model::Layout layout;
  typeset::FaceTable faces = typeset::fake_faces(layout.fonts);
  booklet_fixture::FixedWidthMeasure measure{booklet_fixture::mono_faces(faces)};
  print::FlashcardResult make(const model::Document& document) {
    return print::make_flashcards(document, layout, faces, measure, {});
  }
};

const pdf::TextRun* find_run(const pdf::Page& page, const std::string& text) {
  for (const pdf::Item& item : page.items) {
    if (const auto* run = std::get_if<pdf::TextRun>(&item); run && run->text == text) {
      return run;
    }
  }
  return nullptr;
}

}  // namespace

TEST_CASE("card slots mirror columns on the back", "[print]") {
  CHECK(print::card_slot(0, false) == print::CardSlot{0, 0});
  CHECK(print::card_slot(0, true) == print::CardSlot{0, 1});
  CHECK(print::card_slot(3, false) == print::CardSlot{1, 1});
  CHECK(print::card_slot(3, true) == print::CardSlot{1, 0});
  CHECK(print::card_slot(7, true) == print::CardSlot{3, 0});
}

TEST_CASE("backs sit behind their fronts after a long-edge flip", "[print]") {
  std::vector<model::Card> cards;
  for (int i = 1; i <= 9; ++i) {
    cards.push_back(
        basic("c" + std::to_string(i), "Q" + std::to_string(i), "A" + std::to_string(i)));
  }
  Fixture fixture;
  const print::FlashcardResult result = fixture.make(deck_of(cards));
  REQUIRE(result.sheet_count == 2);
  REQUIRE(result.pages.pages.size() == 4);
  const double width = result.pages.pages[0].width;
  CHECK(width == Approx(595.28));
  const double card_width = 88 * 72 / 25.4;
  const double inset = 4 * 72 / 25.4;
  for (int i = 1; i <= 8; ++i) {
    const pdf::TextRun* front = find_run(result.pages.pages[0], "Q" + std::to_string(i));
    const pdf::TextRun* back = find_run(result.pages.pages[1], "A" + std::to_string(i));
    REQUIRE(front != nullptr);
    REQUIRE(back != nullptr);
    // Front in column c, back in column 1 - c: the cells mirror around the sheet's centre.
    CHECK((front->x < width / 2) == (i % 2 == 1));
    CHECK((back->x < width / 2) == (i % 2 == 0));
    CHECK(front->x + back->x == Approx(width - card_width + 2 * inset));
    // Same row: the row band of a front matches its back's.
    const double grid_top = (841.89 + (4 * 58 + 3 * 5) * 72 / 25.4) / 2;
    const double pitch = 63 * 72 / 25.4;
    CHECK(std::floor((grid_top - front->y) / pitch) == std::floor((grid_top - back->y) / pitch));
  }
  CHECK(find_run(result.pages.pages[2], "Q9") != nullptr);
  CHECK(find_run(result.pages.pages[3], "A9") != nullptr);
  CHECK(result.diagnostics.all().empty());
}

TEST_CASE("card text shrinks to fit, and a card that cannot fit is reported", "[print]") {
  const std::string long_text = booklet_fixture::prose(90);
  const std::string impossible = booklet_fixture::prose(1500);
  Fixture fixture;
  const print::FlashcardResult result =
      fixture.make(deck_of({basic("short", "Short?", "Yes."), basic("long", "Long?", long_text),
                            basic("huge", impossible, "No.")}));
  REQUIRE(result.fits.size() == 3);
  // A short face is set at the largest preferred size, a long one smaller.
  CHECK(result.fits[0].front_size == Approx(14.0));
  CHECK(result.fits[0].fits);
  CHECK(result.fits[1].back_size < 10.0);
  CHECK(result.fits[1].back_size >= 6.0);
  CHECK(result.fits[1].fits);
  CHECK_FALSE(result.fits[2].fits);
  CHECK(result.fits[2].front_size == Approx(6.0));
  REQUIRE(result.diagnostics.all().size() == 1);
  CHECK(result.diagnostics.all()[0].severity == model::Severity::warning);
  CHECK(result.diagnostics.all()[0].message.find("topic/huge does not fit") != std::string::npos);
  // Never overflows: every run of the huge card's front stays inside its card.
  const double card_bottom = (841.89 - (4 * 58 + 3 * 5) * 72 / 25.4) / 2;
  for (const pdf::Item& item : result.pages.pages[0].items) {
    if (const auto* run = std::get_if<pdf::TextRun>(&item)) {
      if (run->text.find("sheet 1 of 1") == std::string::npos) {  // the footer
        CHECK(run->y > card_bottom + 4 * 72 / 25.4);
      }
    }
  }
}

TEST_CASE("a face takes the largest preferred size at which it fits", "[print]") {
  std::vector<model::Card> cards;
  for (int words : {8, 30, 45, 60, 80}) {
    cards.push_back(basic("c" + std::to_string(words), "Q?", booklet_fixture::prose(words)));
  }
  Fixture fixture;
  const print::FlashcardResult result = fixture.make(deck_of(cards));
  REQUIRE(result.fits.size() == 5);
  const std::vector<double> preferred = {14.0, 12.0, 11.0, 10.0};
  double previous = 100;
  std::set<double> used;
  for (const print::CardFit& fit : result.fits) {
    CHECK(fit.front_size == Approx(14.0));
    // Longer answers never get a larger size, and sizes of 10 pt and more are preferred ones.
    CHECK(fit.back_size <= previous);
    if (fit.back_size >= 10.0) {
      CHECK(std::count(preferred.begin(), preferred.end(), fit.back_size) == 1);
    }
    previous = fit.back_size;
    used.insert(fit.back_size);
  }
  CHECK(used.size() >= 3);  // the lengths spread over several sizes
}

TEST_CASE("cloze fronts show blanks, backs the filled sentence", "[print]") {
  model::Card card;
  card.id = "cz";
  card.kind = model::CardKind::cloze;
  model::Inline hidden = booklet_fixture::run("moved");
  hidden.cloze = 1;
  card.text = {booklet_fixture::paragraph({booklet_fixture::run("The value is "), hidden})};
  Fixture fixture;
  const print::FlashcardResult result = fixture.make(deck_of({card}));
  CHECK(find_run(result.pages.pages[0], "[\u2026]") != nullptr);
  CHECK(find_run(result.pages.pages[0], "moved") == nullptr);
  CHECK(find_run(result.pages.pages[1], "moved") != nullptr);
}

TEST_CASE("a wide code line wraps with a mark instead of shrinking the card below 9 pt",
          "[print]") {
  const model::Card card =
      code_card("wide", "What does this print?",
                {"let value = serde_json::from_str::<Value>(input_text).unwrap_or_default(); "
                 "println!(\"{value}\");",
                 "short();"},
                "It prints the value.");
  Fixture fixture;
  const print::FlashcardResult result = fixture.make(deck_of({card}));
  REQUIRE(result.fits.size() == 1);
  CHECK(result.fits[0].fits);
  CHECK(result.fits[0].front_size >= 9.0);
  int marks = 0;
  double smallest = 100;
  for (const pdf::Item& item : result.pages.pages[0].items) {
    if (const auto* run = std::get_if<pdf::TextRun>(&item); run && run->y > 100) {
      marks += run->text.rfind("\u21AA", 0) == 0 ? 1 : 0;
      smallest = std::min(smallest, run->size);
    }
  }
  CHECK(marks >= 1);
  CHECK(smallest >= 6.0);
}

TEST_CASE("a wrapped code line never leaves a line of indentation alone", "[print]") {
  const model::Card card =
      code_card("indented", "What is wrong?",
                {"            a_name_much_too_long_for_one_line_of_the_card_x"}, "Nothing.");
  Fixture fixture;
  print::FlashcardOptions options;
  options.sizes = {10.0};
  options.min_size = 10.0;
  const print::FlashcardResult result = print::make_flashcards(
      deck_of({card}), fixture.layout, fixture.faces, fixture.measure, options);
  std::map<double, std::string> lines;
  for (const pdf::Item& item : result.pages.pages[0].items) {
    if (const auto* run = std::get_if<pdf::TextRun>(&item); run && run->y > 100) {
      lines[run->y] += run->text;
    }
  }
  REQUIRE(lines.size() >= 3);  // the question, then the code on two lines or more
  for (const auto& [y, text] : lines) {
    INFO(y);
    CHECK(text.find_first_not_of(' ') != std::string::npos);
  }
}

TEST_CASE("punctuation after inline code stays on its line", "[print]") {
  model::Inlines inlines;
  for (int i = 0; i < 40; ++i) {
    inlines.push_back(booklet_fixture::run(std::string(1 + i % 7, 'x') + " "));
    inlines.push_back(booklet_fixture::run("&T", model::style_code));
    inlines.push_back(booklet_fixture::run(".) "));
  }
  model::Card card = basic("glued", "Q?", "");
  card.back = {booklet_fixture::paragraph(inlines)};
  Fixture fixture;
  const print::FlashcardResult result = fixture.make(deck_of({card}));
  const pdf::Page& back = result.pages.pages.at(1);
  int checked = 0;
  for (std::size_t i = 0; i < back.items.size(); ++i) {
    const auto* run = std::get_if<pdf::TextRun>(&back.items[i]);
    if (run != nullptr && run->text == ".)") {
      ++checked;
      REQUIRE(i > 0);
      const auto* before = std::get_if<pdf::TextRun>(&back.items[i - 1]);
      REQUIRE(before != nullptr);
      CHECK(before->text == "&T");
      CHECK(before->y == run->y);
    }
  }
  CHECK(checked == 40);
}
