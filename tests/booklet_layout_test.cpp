// Laying out a small hand-built Document with a fixed-width measure: a golden dump of the
// pages, and the rules a reader can see (page numbers, links, headings, mirrored margins).
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <regex>

#include "booklet/booklet_layout.hpp"
#include "booklet_fixture.hpp"
#include "text/hyphenate.hpp"
#include "typeset/vertical.hpp"

namespace {

struct Laid {
  model::Layout layout;
  typeset::FaceTable faces = typeset::fake_faces(layout.fonts);
  booklet_fixture::FixedWidthMeasure measure{booklet_fixture::mono_faces(faces)};
  text::Hyphenator hyphenator;
  model::Document document = booklet_fixture::sample_document();
  booklet::LayoutResult result;

  Laid() { result = booklet::lay_out(document, layout, faces, measure, &hyphenator); }
};

// All text of a page in reading order (runs sorted top-down, then left to right).
std::string page_text(const pdf::Page& page) {
  std::vector<const pdf::TextRun*> runs;
  for (const pdf::Item& item : page.items) {
    if (const auto* run = std::get_if<pdf::TextRun>(&item)) {
      runs.push_back(run);
    }
  }
  std::stable_sort(runs.begin(), runs.end(), [](const auto* a, const auto* b) {
    return a->y != b->y ? a->y > b->y : a->x < b->x;
  });
  std::string text;
  for (const auto* run : runs) {
    text += run->text + " ";
  }
  return text;
}

// A document of one part holding `topic`.
model::Document one_topic_document(model::Topic topic) {
  model::Area area;
  area.id = "a";
  area.title = "Area";
  area.number = 1;
  area.topics = {std::move(topic)};
  model::Document document;
  document.areas = {std::move(area)};
  return document;
}

// All text of the booklet, page after page.
std::string book_text(const pdf::Pages& pages) {
  std::string text;
  for (const pdf::Page& page : pages.pages) {
    text += page_text(page) + "\n";
  }
  return text;
}

}  // namespace

TEST_CASE("the sample booklet's pages match the golden dump", "[booklet]") {
  const Laid laid;
  booklet_fixture::check_golden("booklet_sample_pages.txt", pdf::dump_pages(laid.result.pages));
}

TEST_CASE("layout is deterministic", "[booklet]") {
  const Laid first;
  const Laid second;
  CHECK(pdf::dump_pages(first.result.pages) == pdf::dump_pages(second.result.pages));
}

TEST_CASE("pages sent to a sink are the pages layout would return", "[booklet]") {
  const Laid kept;
  Laid streamed;
  std::vector<std::string> events;
  pdf::Pages sent = streamed.result.pages;
  sent.pages.clear();
  booklet::PageSink sink;
  sink.page = [&](const pdf::Page& page) {
    events.push_back("page");
    sent.pages.push_back(page);
  };
  const booklet::LayoutResult result =
      booklet::lay_out(streamed.document, streamed.layout, streamed.faces, streamed.measure,
                       &streamed.hyphenator, &sink);
  CHECK(result.pages.pages.empty());
  CHECK(events.size() == kept.result.pages.pages.size());
  CHECK(pdf::dump_pages(sent) == pdf::dump_pages(kept.result.pages));
  CHECK(result.page_map.page_of_anchor == kept.result.page_map.page_of_anchor);
}

TEST_CASE("front matter is roman and even, the body starts at 1", "[booklet]") {
  const Laid laid;
  const auto& pages = laid.result.pages;
  CHECK(laid.result.front_pages % 2 == 0);
  REQUIRE(pages.labels.size() == 2);
  CHECK(pages.labels[0].style == pdf::LabelStyle::lower_roman);
  CHECK(pages.labels[1].first_page == laid.result.front_pages);
  CHECK(pages.labels[1].style == pdf::LabelStyle::decimal);
  CHECK(pages.labels[1].first_number == 1);
  // Title page, how-to page, contents.
  CHECK(page_text(pages.pages[0]).find("Sample Prep") != std::string::npos);
  CHECK(page_text(pages.pages[1]).find("How to use this booklet") != std::string::npos);
  CHECK(page_text(pages.pages[2]).find("Contents") != std::string::npos);
}

TEST_CASE(
    "the conventions speak of code only when the pack has code, and the questions "
    "heading is the book's",
    "[booklet]") {
  Laid with_code;
  CHECK(page_text(with_code.result.pages.pages[1]).find("Code examples") != std::string::npos);
  CHECK(book_text(with_code.result.pages).find("Interview questions") != std::string::npos);

  Laid without;
  const auto is_code = [](const model::Block& block) {
    return std::holds_alternative<model::CodeBlock>(block.node) ||
           std::holds_alternative<model::OutputBlock>(block.node);
  };
  for (model::Area& area : without.document.areas) {
    for (model::Topic& topic : area.topics) {
      std::erase_if(topic.summary, is_code);
      for (model::Section& section : topic.sections) {
        std::erase_if(section.body, is_code);
      }
      for (model::Pitfall& pitfall : topic.pitfalls) {
        std::erase_if(pitfall.body, is_code);
      }
      for (model::Question& question : topic.questions) {
        std::erase_if(question.answer, is_code);
      }
      std::erase_if(topic.cards,
                    [](const model::Card& card) { return card.kind == model::CardKind::code; });
      for (model::Card& card : topic.cards) {
        for (model::Body* body : {&card.front, &card.back, &card.text, &card.extra}) {
          std::erase_if(*body, is_code);
        }
      }
    }
  }
  without.document.book.questions_title = "Exam questions";
  without.result = booklet::lay_out(without.document, without.layout, without.faces,
                                    without.measure, &without.hyphenator);
  const std::string conventions = page_text(without.result.pages.pages[1]);
  CHECK(conventions.find("Conventions") != std::string::npos);
  CHECK(conventions.find("Code examples") == std::string::npos);
  CHECK(conventions.find("code line") == std::string::npos);
  const std::string all = book_text(without.result.pages);
  CHECK(all.find("Exam questions") != std::string::npos);
  CHECK(all.find("Interview questions") == std::string::npos);
}

TEST_CASE("the page map names the printed page of every topic and section", "[booklet]") {
  const Laid laid;
  const model::PageMap& map = laid.result.page_map;
  // Part I is body page 1, topic 1 starts on page 2.
  CHECK(map.page_of(model::topic_anchor("ownership")) == 2);
  CHECK(map.page_of(model::section_anchor("ownership", "rules")) == 2);
  for (const char* anchor : {"topic/borrowing", "topic/threads", "section/ownership/moves",
                             "section/borrowing/shared", "section/threads/spawn"}) {
    INFO(anchor);
    CHECK(map.page_of(anchor) > 0);
  }
  CHECK(map.page_of(model::topic_anchor("threads")) >
        map.page_of(model::topic_anchor("borrowing")));
  // The destination of an anchor is on the physical page its number says.
  const auto& pages = laid.result.pages.pages;
  for (const auto& [anchor, page] : map.page_of_anchor) {
    const auto& physical = pages[static_cast<std::size_t>(laid.result.front_pages + page - 1)];
    const bool found = std::any_of(physical.destinations.begin(), physical.destinations.end(),
                                   [&](const pdf::Destination& d) { return d.anchor == anchor; });
    INFO(anchor);
    CHECK(found);
  }
}

TEST_CASE("cross references print the page they point at", "[booklet]") {
  const Laid laid;
  const int borrowing = laid.result.page_map.page_of(model::topic_anchor("borrowing"));
  const int rules = laid.result.page_map.page_of(model::section_anchor("ownership", "rules"));
  std::string all;
  for (const pdf::Page& page : laid.result.pages.pages) {
    all += page_text(page);
  }
  CHECK(all.find("Borrowing, p. " + std::to_string(borrowing) + " ") != std::string::npos);
  CHECK(all.find("rules, p. " + std::to_string(rules) + " ") != std::string::npos);
  // External links show where they go on paper.
  CHECK(all.find("doc.rust-lang.org/book") != std::string::npos);
}

TEST_CASE("every internal link has a destination, every outline entry too", "[booklet]") {
  const Laid laid;
  std::set<std::string> destinations;
  for (const pdf::Page& page : laid.result.pages.pages) {
    for (const pdf::Destination& destination : page.destinations) {
      CHECK(destinations.insert(destination.anchor).second);  // unique
    }
  }
  int internal = 0;
  int external = 0;
  for (const pdf::Page& page : laid.result.pages.pages) {
    for (const pdf::Link& link : page.links) {
      if (link.uri.empty()) {
        ++internal;
        CHECK(destinations.count(link.anchor) == 1);
      } else {
        ++external;
        CHECK(link.uri == "https://doc.rust-lang.org/book/");
      }
    }
  }
  CHECK(internal > 10);  // contents, part page, cross references, index
  CHECK(external >= 1);
  const auto& outline = laid.result.pages.outline;
  REQUIRE(outline.size() == 1 + 2 + 3 + 4 + 1);
  CHECK(outline.front().title == "Contents");
  CHECK(outline[1].title == "Part I: Core language");
  CHECK(outline[3].title == "1.1  The three rules");
  CHECK(outline[4].title == "1.2  Moves and Copy");
  CHECK(outline.back().title == "Index");
  for (const pdf::OutlineEntry& entry : outline) {
    CHECK(destinations.count(entry.anchor) == 1);
  }
}

TEST_CASE("text stays inside the mirrored text block", "[booklet]") {
  const Laid laid;
  const model::Layout& layout = laid.layout;
  const double block = layout.page_width - layout.margin_inner - layout.margin_outer;
  const auto& pages = laid.result.pages.pages;
  for (std::size_t i = 0; i < pages.size(); ++i) {
    const bool recto = i % 2 == 0;
    const double left = recto ? layout.margin_inner : layout.margin_outer;
    for (const pdf::Item& item : pages[i].items) {
      if (const auto* run = std::get_if<pdf::TextRun>(&item)) {
        const double right = run->x + laid.measure.width(run->face, run->text, run->size);
        INFO("page " << i + 1 << ": " << run->text);
        CHECK(run->x >= left - 0.01);
        CHECK(right <= left + block + 0.01);
        CHECK(run->y > 0);
        CHECK(run->y < layout.page_height);
      }
    }
  }
}

TEST_CASE("no page ends with a heading; long code splits with a continued marker", "[booklet]") {
  const Laid laid;
  const model::Layout& layout = laid.layout;
  const double bottom = layout.margin_bottom;
  const double top = layout.page_height - layout.margin_top;
  bool continued = false;
  for (const pdf::Page& page : laid.result.pages.pages) {
    const pdf::TextRun* lowest = nullptr;
    for (const pdf::Item& item : page.items) {
      const auto* run = std::get_if<pdf::TextRun>(&item);
      if (run != nullptr && run->y > bottom && run->y < top &&
          (lowest == nullptr || run->y < lowest->y)) {
        lowest = run;
      }
      if (run != nullptr && run->text == "(continued)") {
        continued = true;
        // The part before the break says "continues" at its bottom.
        const pdf::Page& before = (&page)[-1];
        CHECK(std::any_of(before.items.begin(), before.items.end(), [](const pdf::Item& other) {
          const auto* text = std::get_if<pdf::TextRun>(&other);
          return text != nullptr && text->text == "continues";
        }));
      }
    }
    if (lowest != nullptr) {
      INFO(lowest->text);
      CHECK(lowest->size != layout.sizes.h_section);
      CHECK(lowest->size != layout.sizes.h_topic);
    }
  }
  CHECK(continued);
}

TEST_CASE("a long code block fills the page it splits on, at a blank line only near the foot",
          "[booklet]") {
  model::Layout layout;
  const typeset::FaceTable faces = typeset::fake_faces(layout.fonts);
  const booklet_fixture::FixedWidthMeasure measure(booklet_fixture::mono_faces(faces));
  // 300 lines, every eleventh blank: a page of it ends with or without a blank line nearby.
  const auto blank = [](int line) { return line % 11 == 10; };
  std::vector<std::string> lines;
  for (int i = 0; i < 300; ++i) {
    lines.push_back(blank(i) ? "" : "line " + std::to_string(i));
  }
  model::Topic topic;
  topic.id = "listing";
  topic.title = "Listing";
  topic.number = 1;
  model::Section section;
  section.id = "long";
  section.title = "Long";
  section.number = 1;
  section.body = {booklet_fixture::paragraph({booklet_fixture::run("A long program:")}),
                  booklet_fixture::code(lines, "text")};
  topic.sections = {section};
  const booklet::LayoutResult result =
      booklet::lay_out(one_topic_document(topic), layout, faces, measure, nullptr);
  // The line a page starts with, and how much white is left below the block's background.
  const auto first_line = [](const pdf::Page& page) {
    int line = -1;
    double top = 0;
    for (const pdf::Item& item : page.items) {
      const auto* run = std::get_if<pdf::TextRun>(&item);
      if (run != nullptr && run->text.rfind("line ", 0) == 0 && run->y > top) {
        top = run->y;
        line = std::stoi(run->text.substr(5));
      }
    }
    return line;
  };
  const auto white = [&](const pdf::Page& page) {
    double bottom = page.height;
    for (const pdf::Item& item : page.items) {
      if (const auto* box = std::get_if<pdf::Box>(&item)) {
        bottom = std::min(bottom, box->y);
      }
    }
    return bottom - layout.margin_bottom;
  };
  const double row = layout.sizes.code * 1.32;
  const auto& pages = result.pages.pages;
  int inside = 0;  // pages the block covers from top to bottom
  for (std::size_t p = 0; p + 1 < pages.size(); ++p) {
    const std::string text = page_text(pages[p]);
    if (text.find("(continued)") == std::string::npos ||
        text.find("continues") == std::string::npos) {
      continue;
    }
    ++inside;
    const int next = first_line(pages[p + 1]);
    INFO("page " << p + 1 << ", before line " << next << ": " << white(pages[p]) / row
                 << " rows white");
    // Ended at a blank line less than three rows above the foot, or between two lines with
    // no line left alone beside a blank one and at most a row more white.
    CHECK(white(pages[p]) < 3 * row);
    if (!blank(next - 1)) {
      CHECK(white(pages[p]) < 2 * row);
      CHECK_FALSE(blank(next - 2));
      CHECK_FALSE(blank(next + 1));
    }
  }
  CHECK(inside >= 3);
}

namespace {

// `count` boxes 10 high, each followed by a possible break and glue 5 high.
typeset::VList spaced_boxes(int count) {
  typeset::VList list;
  for (int i = 0; i < count; ++i) {
    typeset::VBox box;
    box.height = 10;
    list.box(box);
    list.penalty(0);
    list.glue(5);
  }
  return list;
}

}  // namespace

TEST_CASE("paginate keeps boxes whole and drops glue at the top of a column", "[booklet]") {
  const typeset::VList list = spaced_boxes(10);
  const auto columns = typeset::paginate(list.items(), 44);
  // 10 + 5 + 10 + 5 + 10 = 40 fits, a fourth box would not.
  REQUIRE(columns.size() == 4);
  CHECK(columns[0].boxes.size() == 3);
  CHECK(columns[1].boxes.front().top == 0);
  CHECK(columns[3].boxes.size() == 1);
}

TEST_CASE("a page that another follows ends level, its glue stretched", "[booklet]") {
  const typeset::VList list = spaced_boxes(5);
  const auto columns = typeset::paginate(list.items(), 44);
  REQUIRE(columns.size() == 2);
  // 10 + 5 + 10 + 5 + 10 = 40: the 4 points left go to the two glues.
  REQUIRE(columns[0].boxes.size() == 3);
  CHECK(columns[0].boxes[1].top == Approx(17));
  CHECK(columns[0].boxes[2].top == Approx(34));
  CHECK(columns[0].used == Approx(44));
  // The last page keeps its natural spacing.
  REQUIRE(columns[1].boxes.size() == 2);
  CHECK(columns[1].boxes[1].top == Approx(15));
  CHECK(columns[1].used == Approx(25));
}

TEST_CASE("a page ending with a line of text puts its baseline on the bottom", "[booklet]") {
  typeset::VList list;
  for (int i = 0; i < 5; ++i) {
    typeset::VBox line;
    line.height = 10;
    line.baseline = 7;
    list.box(line);
    list.penalty(0);
    list.glue(5);
  }
  const auto columns = typeset::paginate(list.items(), 44);
  REQUIRE(columns.size() == 2);
  REQUIRE(columns[0].boxes.size() == 3);
  // 4 points left and the last line's 3 below its baseline go to the two glues.
  CHECK(columns[0].boxes[1].top == Approx(18.5));
  CHECK(columns[0].boxes[2].top + 7 == Approx(44));
}

TEST_CASE("glue inside a box does not stretch, nor glue that would grow too much", "[booklet]") {
  typeset::VBox box;
  box.height = 10;
  typeset::VBox boxed = box;
  typeset::Background background;
  background.group = 1;
  boxed.backgrounds = {background};
  typeset::VList list;
  list.box(box);
  list.glue(2);
  list.box(boxed);
  list.glue(2);  // a blank code line
  list.box(boxed);
  list.penalty(0);
  typeset::VBox tall = box;
  tall.height = 20;
  list.box(tall);
  // 10 + 2 + 10 + 2 + 10 = 34: the first glue takes the 2 points left, the second none.
  auto columns = typeset::paginate(list.items(), 36);
  REQUIRE(columns.size() == 2);
  CHECK(columns[0].boxes[1].top == Approx(14));
  CHECK(columns[0].boxes[2].top == Approx(26));
  // 12 points left would make the first glue seven times as long: natural spacing.
  columns = typeset::paginate(list.items(), 46);
  REQUIRE(columns.size() == 2);
  CHECK(columns[0].boxes[1].top == Approx(12));
  CHECK(columns[0].used == Approx(34));
}

TEST_CASE("a break that needs room below it is forced where less is left", "[booklet]") {
  typeset::VList list = spaced_boxes(3);
  typeset::VPenalty start;
  start.needs_room = 5;
  list.items().emplace_back(start);
  const typeset::VList next = spaced_boxes(2);
  list.append(next);
  // 10 + 5 + 10 + 5 + 10 = 40 used: 4 left is too little, and the page is not stretched.
  auto columns = typeset::paginate(list.items(), 44);
  REQUIRE(columns.size() == 2);
  REQUIRE(columns[0].boxes.size() == 3);
  CHECK(columns[0].boxes[2].top == Approx(30));
  // 6 left is enough: the break is an ordinary one, and the page ends level.
  columns = typeset::paginate(list.items(), 46);
  REQUIRE(columns[0].boxes.size() == 3);
  CHECK(columns[0].boxes[2].top == Approx(36));
  // With room for it, the next box follows on the page.
  columns = typeset::paginate(list.items(), 56);
  CHECK(columns[0].boxes.size() == 4);
}

TEST_CASE("a break ends its page with its closing boxes where they fit", "[booklet]") {
  typeset::VList list;
  typeset::VBox line;
  line.height = 10;
  typeset::VBox closing;
  closing.height = 8;
  closing.anchors = {"closing"};
  typeset::VBox repeated;
  repeated.height = 6;
  repeated.anchors = {"repeated"};
  for (int i = 0; i < 6; ++i) {
    if (i > 0) {
      list.penalty(0, {repeated}, {closing});
    }
    list.box(line);
  }
  // Four lines would fit 45 but leave no room for the closing box: three lines and it.
  const auto columns = typeset::paginate(list.items(), 45);
  REQUIRE(columns.size() == 2);
  REQUIRE(columns[0].boxes.size() == 4);
  CHECK(columns[0].boxes.back().box.anchors == std::vector<std::string>{"closing"});
  CHECK(columns[0].boxes.back().top == 30);
  CHECK(columns[0].used == 38);
  CHECK(columns[1].boxes.front().box.anchors == std::vector<std::string>{"repeated"});
  CHECK(columns[1].boxes.size() == 4);
}

TEST_CASE("keep-with-next moves a heading to the next page with its lines", "[booklet]") {
  typeset::VList list;
  typeset::VBox line;
  line.height = 10;
  for (int i = 0; i < 3; ++i) {
    list.box(line);
    list.penalty(0);
  }
  typeset::VBox heading = line;
  heading.anchors = {"heading"};
  list.box(heading);
  list.keep_next_lines(2);
  for (int i = 0; i < 4; ++i) {
    list.penalty(0);
    list.box(line);
  }
  const auto columns = typeset::paginate(list.items(), 50);
  REQUIRE(columns.size() == 2);
  CHECK(columns[0].boxes.size() == 3);
  CHECK(columns[1].boxes.front().box.anchors == std::vector<std::string>{"heading"});
}

TEST_CASE("an empty book still gets a title page and contents", "[booklet]") {
  model::Layout layout;
  const typeset::FaceTable faces = typeset::fake_faces(layout.fonts);
  const booklet_fixture::FixedWidthMeasure measure(booklet_fixture::mono_faces(faces));
  model::Document document;
  document.book.title = "Empty";
  const booklet::LayoutResult result = booklet::lay_out(document, layout, faces, measure, nullptr);
  REQUIRE(result.pages.pages.size() == 2);  // title page, contents (no how-to, no index)
  CHECK(result.front_pages == 2);
  CHECK(result.page_map.page_of_anchor.empty());
}

TEST_CASE("a topic with nothing but a title lays out", "[booklet]") {
  model::Layout layout;
  layout.hyphenate = false;
  const typeset::FaceTable faces = typeset::fake_faces(layout.fonts);
  const booklet_fixture::FixedWidthMeasure measure(booklet_fixture::mono_faces(faces));
  model::Topic topic;
  topic.id = "bare";
  topic.title =
      "A bare topic whose title is long enough to wrap onto a second line of the "
      "page, and then some more words to be sure";
  topic.number = 1;
  model::Section section;
  section.id = "s";
  section.title = "Long";
  section.number = 1;
  for (int i = 0; i < 12; ++i) {
    section.body.push_back(
        booklet_fixture::paragraph({booklet_fixture::run(booklet_fixture::prose(80))}));
  }
  topic.sections = {section};
  const model::Document document = one_topic_document(topic);
  const booklet::LayoutResult result = booklet::lay_out(document, layout, faces, measure, nullptr);
  CHECK(result.page_map.page_of("topic/bare") == 2);
  REQUIRE(result.pages.pages.size() >= 5);  // title, contents, part page, topic pages
  // The running head of the topic's second page is cut with an ellipsis to fit the block.
  const pdf::Page& second = result.pages.pages[4];
  bool cut = false;
  for (const pdf::Item& item : second.items) {
    const auto* run = std::get_if<pdf::TextRun>(&item);
    if (run != nullptr && run->y > layout.page_height - layout.margin_top) {
      const double right = run->x + measure.width(run->face, run->text, run->size);
      CHECK(right <= layout.page_width - layout.margin_outer + 0.01);  // a right-hand page
      cut = cut || run->text.find("\u2026") != std::string::npos;
    }
  }
  CHECK(cut);
}

TEST_CASE("a pitfall or key points box split across pages repeats its title", "[booklet]") {
  model::Layout layout;
  layout.hyphenate = false;
  const typeset::FaceTable faces = typeset::fake_faces(layout.fonts);
  const booklet_fixture::FixedWidthMeasure measure(booklet_fixture::mono_faces(faces));
  model::Topic topic;
  topic.id = "boxes";
  topic.title = "Boxes";
  topic.number = 1;
  model::Pitfall pitfall;
  pitfall.title = "Long";
  for (int i = 0; i < 14; ++i) {
    pitfall.body.push_back(
        booklet_fixture::paragraph({booklet_fixture::run(booklet_fixture::prose(80))}));
    topic.key_points.push_back({booklet_fixture::run(booklet_fixture::prose(70))});
  }
  topic.pitfalls = {pitfall};
  SECTION("several pitfalls share one box") {
    model::Pitfall short_one;
    short_one.title = "Short";
    short_one.body = {booklet_fixture::paragraph({booklet_fixture::run("Brief.")})};
    topic.pitfalls = {short_one, pitfall};
  }
  const bool single = topic.pitfalls.size() == 1;
  const model::Document document = one_topic_document(topic);
  const booklet::LayoutResult result = booklet::lay_out(document, layout, faces, measure, nullptr);
  int key_points = 0;
  int key_points_continued = 0;
  int pitfalls = 0;
  int pitfalls_continued = 0;
  for (const pdf::Page& page : result.pages.pages) {
    const std::string text = page_text(page);
    key_points += text.find("Key points") != std::string::npos ? 1 : 0;
    key_points_continued += text.find("Key points (continued)") != std::string::npos ? 1 : 0;
    pitfalls += text.find(single ? "Pitfall:" : "Pitfalls") != std::string::npos ? 1 : 0;
    pitfalls_continued +=
        text.find(single ? "Long (continued)" : "Pitfalls (continued)") != std::string::npos ? 1
                                                                                             : 0;
    // One box: the second pitfall is a heading inside it, not a box labelled "Pitfall:".
    CHECK((single || text.find("Pitfall:") == std::string::npos));
  }
  // Each box covers more than one page; every page after its first names it again.
  CHECK(key_points >= 2);
  CHECK(key_points_continued == key_points - 1);
  CHECK(pitfalls >= 2);
  CHECK(pitfalls_continued == pitfalls - 1);
}

TEST_CASE("parts open on a right-hand page without folio or running head", "[booklet]") {
  const Laid laid;
  const auto& pages = laid.result.pages.pages;
  const model::Layout& layout = laid.layout;
  int parts = 0;
  for (std::size_t i = 0; i < pages.size(); ++i) {
    const bool opens_part =
        std::any_of(pages[i].destinations.begin(), pages[i].destinations.end(),
                    [](const pdf::Destination& d) { return d.anchor.rfind("part/", 0) == 0; });
    if (!opens_part) {
      continue;
    }
    ++parts;
    INFO("page " << i + 1);
    CHECK(i % 2 == 0);  // physical page 1 is a right-hand page
    for (const pdf::Item& item : pages[i].items) {
      const auto* run = std::get_if<pdf::TextRun>(&item);
      if (run != nullptr) {
        INFO(run->text);
        CHECK(run->y > layout.margin_bottom);
        CHECK(run->y < layout.page_height - layout.margin_top);
      }
    }
  }
  CHECK(parts == 2);
}

namespace {

// One part of three topics; the first of `paragraphs` paragraphs, the others short, all
// with key points (a background each).
model::Document three_topic_document(int paragraphs) {
  model::Area area;
  area.id = "a";
  area.title = "Area";
  area.number = 1;
  const char* names[] = {"Alpha", "Beta", "Gamma"};
  for (int k = 0; k < 3; ++k) {
    model::Topic topic;
    topic.id = names[k];
    topic.id[0] = static_cast<char>(std::tolower(topic.id[0]));
    topic.title = names[k];
    topic.number = k + 1;
    for (int i = 0; i < (k == 0 ? paragraphs : 1); ++i) {
      topic.summary.push_back(
          booklet_fixture::paragraph({booklet_fixture::run(booklet_fixture::prose(60))}));
    }
    topic.key_points = {{booklet_fixture::run("Remember " + std::string(names[k]) + ".")}};
    area.topics.push_back(std::move(topic));
  }
  model::Document document;
  document.areas = {std::move(area)};
  return document;
}

// The running head of a page ("" on pages without one).
std::string running_head(const pdf::Page& page, const model::Layout& layout) {
  std::string head;
  for (const pdf::Item& item : page.items) {
    const auto* run = std::get_if<pdf::TextRun>(&item);
    if (run != nullptr && run->y > layout.page_height - layout.margin_top) {
      head += run->text;
    }
  }
  return head;
}

// The filled rectangles of a page in `color`.
int boxes_filled(const pdf::Page& page, const model::Color& color) {
  return static_cast<int>(
      std::count_if(page.items.begin(), page.items.end(), [&](const auto& item) {
        const auto* box = std::get_if<pdf::Box>(&item);
        return box != nullptr && box->filled && box->fill == color;
      }));
}

}  // namespace

TEST_CASE("a short topic shares its page with the next under topic_start auto", "[booklet]") {
  model::Layout layout;
  layout.hyphenate = false;
  const typeset::FaceTable faces = typeset::fake_faces(layout.fonts);
  const booklet_fixture::FixedWidthMeasure measure(booklet_fixture::mono_faces(faces));
  const model::Document document = three_topic_document(1);
  const auto page_of = [](const booklet::LayoutResult& result, const char* id) {
    return result.page_map.page_of(model::topic_anchor(id));
  };
  const auto check_pages = [](const booklet::LayoutResult& result) {
    // Every anchor's destination is on the page the page map says, and the contents and
    // the part page print that number.
    std::string all;
    for (const pdf::Page& page : result.pages.pages) {
      all += page_text(page);
    }
    for (const auto& [anchor, page] : result.page_map.page_of_anchor) {
      const auto& physical =
          result.pages.pages[static_cast<std::size_t>(result.front_pages + page - 1)];
      INFO(anchor);
      CHECK(std::any_of(physical.destinations.begin(), physical.destinations.end(),
                        [&](const pdf::Destination& d) { return d.anchor == anchor; }));
    }
    for (const char* title : {"Alpha", "Beta", "Gamma"}) {
      std::string id = title;
      id[0] = static_cast<char>(std::tolower(id[0]));
      const std::string page = std::to_string(result.page_map.page_of(model::topic_anchor(id)));
      const std::regex entry(std::string(title) + " [. ]*" + page + " ");
      INFO(title << " on page " << page);
      CHECK(std::distance(std::sregex_iterator(all.begin(), all.end(), entry),
                          std::sregex_iterator()) == 2);  // the contents and the part page
    }
  };

  layout.topic_start = model::TopicStart::automatic;
  const booklet::LayoutResult together =
      booklet::lay_out(document, layout, faces, measure, nullptr);
  CHECK(page_of(together, "alpha") == 2);
  CHECK(page_of(together, "beta") == 2);
  CHECK(page_of(together, "gamma") == 2);
  check_pages(together);
  const pdf::Page& shared =
      together.pages.pages[static_cast<std::size_t>(together.front_pages + 1)];
  // Each topic's key points are a box of their own, though the topics share the page.
  CHECK(boxes_filled(shared, layout.colors.keypoints_background) == 3);
  CHECK(running_head(shared, layout).empty());  // a topic opens it at the top

  layout.topic_start = model::TopicStart::new_page;
  const booklet::LayoutResult apart = booklet::lay_out(document, layout, faces, measure, nullptr);
  CHECK(page_of(apart, "alpha") == 2);
  CHECK(page_of(apart, "beta") == 3);
  CHECK(page_of(apart, "gamma") == 4);
  check_pages(apart);
}

TEST_CASE("the running head of a right-hand page names the last topic that starts on it",
          "[booklet]") {
  model::Layout layout;
  layout.hyphenate = false;
  const typeset::FaceTable faces = typeset::fake_faces(layout.fonts);
  const booklet_fixture::FixedWidthMeasure measure(booklet_fixture::mono_faces(faces));
  // Alpha fills body page 2 and ends early on page 3, where Beta and Gamma start.
  const model::Document document = three_topic_document(9);
  const booklet::LayoutResult result = booklet::lay_out(document, layout, faces, measure, nullptr);
  REQUIRE(result.page_map.page_of("topic/alpha") == 2);
  REQUIRE(result.page_map.page_of("topic/beta") == 3);
  REQUIRE(result.page_map.page_of("topic/gamma") == 3);
  const pdf::Page& third = result.pages.pages[static_cast<std::size_t>(result.front_pages + 2)];
  const std::string head = running_head(third, layout);
  CHECK(head.find("Gamma") != std::string::npos);
  CHECK(head.find("Alpha") == std::string::npos);
  // The page starts with the end of Alpha.
  const std::string text = page_text(third);
  CHECK(text.find("Ownership rules") < text.find("Beta"));
}
