// Saddle-stitch order and the imposed sheet geometry.
#include <algorithm>

#include <catch2/catch.hpp>

#include "print/impose.hpp"

using print::saddle_stitch_order;
using print::SheetSide;

TEST_CASE("saddle-stitch order for 8, 12 and 13 pages", "[print]") {
  CHECK(saddle_stitch_order(8) == std::vector<SheetSide>{{8, 1}, {2, 7}, {6, 3}, {4, 5}});
  const std::vector<SheetSide> twelve{{12, 1}, {2, 11}, {10, 3}, {4, 9}, {8, 5}, {6, 7}};
  CHECK(saddle_stitch_order(12) == twelve);
  // 13 pages pad to 16: pages 14-16 are blank halves.
  CHECK(print::padded_page_count(13) == 16);
  CHECK(saddle_stitch_order(13) ==
        std::vector<SheetSide>{
            {16, 1}, {2, 15}, {14, 3}, {4, 13}, {12, 5}, {6, 11}, {10, 7}, {8, 9}});
}

TEST_CASE("signatures are imposed one after another", "[print]") {
  // 2-sheet signatures of 20 pages: 1-8, 9-16, 17-20.
  const std::vector<SheetSide> sides = saddle_stitch_order(20, 2);
  REQUIRE(sides.size() == 10);
  CHECK(sides[0] == SheetSide{8, 1});
  CHECK(sides[3] == SheetSide{4, 5});
  CHECK(sides[4] == SheetSide{16, 9});
  CHECK(sides[8] == SheetSide{20, 17});
  CHECK(sides[9] == SheetSide{18, 19});
}

namespace {

pdf::Pages numbered_pages(int count) {
  pdf::Pages pages;
  pages.fonts = {{"unused.ttf", "Test"}};
  for (int i = 1; i <= count; ++i) {
    pdf::Page page{419.53, 595.28, {}, {}, {}};
    page.items.emplace_back(pdf::TextRun{100, 300, 0, 10, {}, std::to_string(i)});
    page.links.push_back({0, 0, 10, 10, "x", ""});
    pages.pages.push_back(page);
  }
  pages.outline.push_back({"T", "x", 0, false});
  return pages;
}

std::string text_of(const pdf::Item& item) {
  return std::get<pdf::TextRun>(item).text;
}

}  // namespace

TEST_CASE("impose places two logical pages per landscape side, padding left empty", "[print]") {
  const pdf::Pages sheets = print::impose(numbered_pages(6), {"A4", 0, 0});
  REQUIRE(sheets.pages.size() == 4);  // 6 pages → 8 → 2 sheets, 4 sides
  CHECK(sheets.outline.empty());
  for (const pdf::Page& side : sheets.pages) {
    CHECK(side.width == Approx(841.89));
    CHECK(side.height == Approx(595.28));
    CHECK(side.links.empty());
  }
  // Side 1: 8 (blank) | 1, plus two fold marks; no note on a booklet page.
  const pdf::Page& first = sheets.pages[0];
  REQUIRE(first.items.size() == 3);
  CHECK(text_of(first.items[0]) == "1");
  CHECK(std::get<pdf::TextRun>(first.items[0]).x == Approx(841.89 / 2 + 0.705 + 100).margin(0.01));
  // Side 2: 2 | 7 (blank), and its fold marks.
  REQUIRE(sheets.pages[1].items.size() == 3);
  CHECK(text_of(sheets.pages[1].items[0]) == "2");
  CHECK(std::get<pdf::TextRun>(sheets.pages[1].items[0]).x == Approx(0.705 + 100).margin(0.01));
}

TEST_CASE("creep moves inner sheets towards the fold", "[print]") {
  const pdf::Pages sheets = print::impose(numbered_pages(8), {"A4", 1.0, 0});
  // Sheet 2 front: 6 | 3. Page 6 moves right by 1 mm, page 3 left by 1 mm.
  const auto& left = std::get<pdf::TextRun>(sheets.pages[2].items[0]);
  const auto& right = std::get<pdf::TextRun>(sheets.pages[2].items[1]);
  CHECK(left.text == "6");
  CHECK(right.text == "3");
  CHECK(left.x == Approx(0.705 + 100 + 72 / 25.4).margin(0.01));
  CHECK(right.x == Approx(841.89 / 2 + 0.705 + 100 - 72 / 25.4).margin(0.01));
}

TEST_CASE("every side has fold marks on the fold at its head and foot", "[print]") {
  const pdf::Pages sheets = print::impose(numbered_pages(8), {"A4", 0, 0});
  REQUIRE(sheets.pages.size() == 4);
  for (const pdf::Page& side : sheets.pages) {
    int marks = 0;
    for (const pdf::Item& item : side.items) {
      if (const auto* rule = std::get_if<pdf::Rule>(&item)) {
        ++marks;
        CHECK(rule->x1 == Approx(841.89 / 2));
        CHECK(rule->x2 == Approx(841.89 / 2));
        // A short dash near the top or the bottom edge, never reaching into the text.
        const double low = std::min(rule->y1, rule->y2);
        const double high = std::max(rule->y1, rule->y2);
        CHECK(high - low == Approx(3 * 72 / 25.4));
        // Beyond what printers cannot reach (6 mm), inside the 16 mm head and foot margins.
        CHECK(((low > 6 * 72 / 25.4 && high < 12 * 72 / 25.4) ||
               (high < 595.28 - 6 * 72 / 25.4 && low > 595.28 - 12 * 72 / 25.4)));
      }
    }
    CHECK(marks == 2);
  }
}

TEST_CASE("the instructions are on a sheet of their own, before the booklet", "[print]") {
  print::ImposeOptions options{"A4", 0, 0};
  options.instruction_sheet = true;
  const pdf::Pages with = print::impose(numbered_pages(8), options);
  const pdf::Pages without = print::impose(numbered_pages(8), {"A4", 0, 0});
  REQUIRE(with.pages.size() == without.pages.size() + 2);
  std::string front;
  for (const pdf::Item& item : with.pages[0].items) {
    if (const auto* run = std::get_if<pdf::TextRun>(&item)) {
      front += run->text + "\n";
    }
  }
  CHECK(front.find("Print the whole file at 100 % (actual size), duplex, flip on short edge.") !=
        std::string::npos);
  CHECK(front.find("8 pages on 2 sheets") != std::string::npos);
  CHECK(front.find("two staples through the fold") != std::string::npos);
  CHECK(with.pages[1].items.empty());  // the back stays blank
  // The booklet's sides follow unchanged.
  for (std::size_t i = 0; i < without.pages.size(); ++i) {
    CHECK(with.pages[i + 2].items.size() == without.pages[i].items.size());
  }
  // A long book is bound by a copy shop, in signatures of five sheets.
  options.signature_sheets = -1;  // as layouts ask: signatures of five sheets beyond 48 pages
  const pdf::Pages long_book = print::impose(numbered_pages(200), options);
  std::string long_front;
  for (const pdf::Item& item : long_book.pages[0].items) {
    long_front += std::get<pdf::TextRun>(item).text + "\n";
  }
  CHECK(long_front.find("in groups of 5") != std::string::npos);
  CHECK(long_front.find("perfect-bind") != std::string::npos);
}

TEST_CASE(
    "each signature's outer side has a collation mark on the fold, one step lower than "
    "the last",
    "[print]") {
  // 2-sheet signatures of 8 pages: 24 pages are 3 signatures of 2 sheets, 4 sides each.
  const pdf::Pages sheets = print::impose(numbered_pages(24), {"A4", 0, 2});
  REQUIRE(sheets.pages.size() == 12);
  std::vector<double> tops;
  for (std::size_t i = 0; i < sheets.pages.size(); ++i) {
    const pdf::Page& side = sheets.pages[i];
    int boxes = 0;
    for (const pdf::Item& item : side.items) {
      if (const auto* box = std::get_if<pdf::Box>(&item)) {
        ++boxes;
        CHECK(box->x + box->width / 2 == Approx(side.width / 2));  // on the fold
        tops.push_back(box->y + box->height);
      }
    }
    CHECK(boxes == (i % 4 == 0 ? 1 : 0));  // the front of each signature's first sheet
  }
  REQUIRE(tops.size() == 3);
  CHECK(tops[1] == Approx(tops[0] - 5 * 72 / 25.4));
  CHECK(tops[2] == Approx(tops[1] - 5 * 72 / 25.4));
  // One signature needs none.
  for (const pdf::Page& side : print::impose(numbered_pages(8), {"A4", 0, 0}).pages) {
    for (const pdf::Item& item : side.items) {
      CHECK_FALSE(std::holds_alternative<pdf::Box>(item));
    }
  }
}
