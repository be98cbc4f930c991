#include "booklet/booklet_layout.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>

#include "booklet/booklet_layout_internal.hpp"
#include "util/error.hpp"

namespace booklet {
namespace {

constexpr int max_passes = 8;

std::string lower_roman(int number) {
  std::string text = roman_numeral(number);
  for (char& c : text) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return text;
}

}  // namespace

std::string roman_numeral(int number) {
  static const std::pair<int, const char*> numerals[] = {
      {1000, "M"}, {900, "CM"}, {500, "D"}, {400, "CD"}, {100, "C"}, {90, "XC"}, {50, "L"},
      {40, "XL"},  {10, "X"},   {9, "IX"},  {5, "V"},    {4, "IV"},  {1, "I"},
  };
  std::string text;
  for (const auto& [value, symbol] : numerals) {
    while (number >= value) {
      text += symbol;
      number -= value;
    }
  }
  return text;
}

std::string booklet_furniture_text() {
  return "TOPIC PART Part Key points Pitfall: Q A Output Contents Index "
         "How to use this booklet Conventions does not compile: panics (continued) Version "
         "\u00A7"
         "Symbols ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz 0123456789 .,:;?-() "
         "\u2022\u2013\u2014\u2026\u00B7\u2002\u2003\u00A0\u21AA\u201C\u201D\u2019";
}

LayoutResult lay_out(const model::Document& document, const model::Layout& layout,
                     const FaceTable& faces, const pdf::TextMeasure& measure,
                     const text::Hyphenator* hyphenator, const PageSink* sink,
                     CodeReformatter* code_reformatter) {
  std::set<std::string> anchors;
  for (const model::Area& area : document.areas) {
    for (const model::Topic& topic : area.topics) {
      anchors.insert(model::topic_anchor(topic.id));
      for (const model::Section& section : topic.sections) {
        anchors.insert(model::section_anchor(topic.id, section.id));
      }
    }
  }
  model::PageMap page_guess;  // the context's: the pages the previous pass produced
  Context context{document, layout, faces, measure, hyphenator, page_guess, anchors, 1};
  context.code_reformatter = code_reformatter;

  // The body until the page numbers its cross references print are the ones it produces.
  std::vector<LaidPage> body;
  model::PageMap found;
  bool settled = false;
  for (int pass = 0; pass < max_passes && !settled; ++pass) {
    // The first pass's pages are never used, only the pages of its anchors.
    context.sizing_only = pass == 0;
    context.next_group = 1;
    found = {};
    body = {};  // not kept while the next pass builds its own
    BookletLayout setter(context);
    body = setter.body(found);
    settled = !context.sizing_only && found.page_of_anchor == page_guess.page_of_anchor;
    page_guess = found;
  }
  context.sizing_only = false;
  // The body's paragraphs, kept from pass to pass (which pass is the last shows only at its
  // end), are set for good: free them; what follows shares none and keeps nothing.
  context.keep_set_text = false;
  context.set_cache = std::make_shared<SetCache>();
  if (!settled) {
    throw util::ToolError(
        "failed to lay out booklet: cross-reference page numbers did not settle after " +
        std::to_string(max_passes) + " passes");
  }

  BookletLayout setter(context);
  const int body_count = static_cast<int>(body.size());
  const bool with_index = setter.has_index();
  std::vector<LaidPage> front = setter.title_page();
  for (LaidPage& page : setter.how_to_page()) {
    front.push_back(std::move(page));
  }
  for (LaidPage& page : setter.contents(found, with_index ? body_count + 1 : 0)) {
    front.push_back(std::move(page));
  }
  // Body page 1 is a right-hand page: pad the front matter to an even count.
  if (front.size() % 2 != 0) {
    LaidPage blank;
    blank.kind = PageKind::blank;
    front.push_back(std::move(blank));
  }

  LayoutResult result;
  result.note = code_reformatter != nullptr ? code_reformatter->note() : "";
  result.front_pages = static_cast<int>(front.size());
  for (const auto& [anchor, page] : found.page_of_anchor) {
    if (anchor.rfind("topic/", 0) == 0 || anchor.rfind("section/", 0) == 0) {
      result.page_map.page_of_anchor.emplace(anchor, page);
    }
  }
  if (sink != nullptr && !sink->page) {
    return result;
  }
  pdf::Pages& pages = result.pages;
  pages.fonts = faces.fonts;
  int drawn = 0;  // physical pages drawn so far
  const auto draw = [&](std::vector<LaidPage>& laid_pages) {
    for (LaidPage& laid : laid_pages) {
      const bool recto = drawn % 2 == 0;
      const int number = drawn + 1 - result.front_pages;
      const std::string folio = number >= 1 ? std::to_string(number) : lower_roman(drawn + 1);
      pdf::Page page;
      setter.render(std::move(laid), recto, folio, page);
      laid = LaidPage{};  // drawn: what is left of it is freed for the next pages
      ++drawn;
      if (sink != nullptr) {
        sink->page(std::move(page));
      } else {
        pages.pages.push_back(std::move(page));
      }
    }
    laid_pages = {};
  };
  draw(front);
  draw(body);
  if (with_index) {
    // Laid out only now, so that its pages never wait beside the whole body's.
    std::vector<LaidPage> index_pages = setter.index(found);
    draw(index_pages);
  }
  pages.labels.push_back({0, pdf::LabelStyle::lower_roman, 1});
  pages.labels.push_back({result.front_pages, pdf::LabelStyle::decimal, 1});

  // Outline: contents, parts → topics → sections, index.
  pages.outline.push_back({"Contents", contents_anchor, 0, false});
  for (const model::Area& area : document.areas) {
    pages.outline.push_back(
        {"Part " + roman_numeral(area.number) + ": " + strip_backticks(area.title),
         part_anchor(area.id), 0, true});
    for (const model::Topic& topic : area.topics) {
      pages.outline.push_back({std::to_string(topic.number) + "  " + strip_backticks(topic.title),
                               model::topic_anchor(topic.id), 1, false});
      for (const model::Section& section : topic.sections) {
        pages.outline.push_back({std::to_string(topic.number) + "." +
                                     std::to_string(section.number) + "  " +
                                     strip_backticks(section.title),
                                 model::section_anchor(topic.id, section.id), 2, false});
      }
    }
  }
  if (with_index) {
    pages.outline.push_back({"Index", index_anchor, 0, false});
  }

  const model::Book& book = document.book;
  pages.metadata.title = book.title;
  pages.metadata.author = book.author;
  pages.metadata.subject = book.subtitle;
  pages.metadata.creator = "prepkit";
  pages.metadata.producer = "prepkit with libharu";
  const bool iso_date = book.date.size() == 10 && book.date[4] == '-' && book.date[7] == '-' &&
                        std::all_of(book.date.begin(), book.date.end(), [](char c) {
                          return c == '-' || std::isdigit(static_cast<unsigned char>(c)) != 0;
                        });
  if (iso_date) {
    pages.metadata.creation_date = book.date;
  }

  return result;
}

}  // namespace booklet
