#include "load/load_content.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "load/content_lint.hpp"
#include "load/key_table.hpp"
#include "load/map_reader.hpp"
#include "load/yaml_tree.hpp"
#include "model/walk.hpp"
#include "text/code_fence.hpp"
#include "text/markdown.hpp"
#include "util/files.hpp"
#include "util/image_file.hpp"
#include "util/parallel_map.hpp"

namespace load {
namespace {

constexpr util::InputLimit yaml_input{"a YAML file", max_yaml_file_bytes};

using model::Diagnostics;
using model::SourceLocation;

// Reports characters above U+FFFF: libharu cannot draw them (they print as a gap).
void check_plane(const YamlNode& node, Diagnostics& diagnostics) {
  if (node.kind == YamlNode::Kind::scalar) {
    const std::string& text = node.value;
    for (std::size_t i = 0; i < text.size(); ++i) {
      auto byte = static_cast<unsigned char>(text[i]);
      if ((byte & 0xF8U) == 0xF0U && i + 3 < text.size()) {
        unsigned code = ((byte & 0x07U) << 18U) |
                        ((static_cast<unsigned char>(text[i + 1]) & 0x3FU) << 12U) |
                        ((static_cast<unsigned char>(text[i + 2]) & 0x3FU) << 6U) |
                        (static_cast<unsigned char>(text[i + 3]) & 0x3FU);
        char hex[16];
        std::snprintf(hex, sizeof hex, "U+%04X", code);
        diagnostics.error(node.where,
                          std::string("character ") + hex + " '" + text.substr(i, 4) +
                              "' cannot be printed (emoji and other characters above U+FFFF "
                              "are not supported)",
                          "remove it or replace it with text");
        return;  // one report per string is enough
      }
    }
  }
  for (const YamlNode& item : node.items) {
    check_plane(item, diagnostics);
  }
  for (const auto& [key, value] : node.entries) {
    check_plane(value, diagnostics);
  }
}

// "move-semantics.yaml" → "move-semantics".
std::string topic_stem(const std::string& file_name) {
  return file_name.substr(0, file_name.size() - std::string_view(".yaml").size());
}

// Builds one topic's model (its Markdown included) from its YAML tree. Its reports go to
// the diagnostics it is given: each topic file has its own, so two threads can read topics.
class TopicReader {
 public:
  // `code_language`: the book's `code_language`, for code cards without `lang:`.
  TopicReader(Diagnostics& diagnostics, const std::string& code_language)
      : m_diagnostics(diagnostics), m_code_language(code_language) {}

  model::Topic read_topic(const YamlNode& root, const std::string& stem) {
    model::Topic topic;
    topic.where = root.where;
    MapReader reader(root, "topic", keys_of("topic"), m_diagnostics);
    if (!reader.is_map()) {
      return topic;
    }
    topic.id = reader.id();
    if (!topic.id.empty() && topic.id != stem) {
      m_diagnostics.error(
          reader.find("id")->where,
          "topic id '" + topic.id + "' does not match its file name '" + stem + ".yaml'",
          "rename the file or the id; ids must stay stable for Anki");
    }
    topic.title = reader.string("title", true);
    topic.area = reader.string("area");
    topic.summary = markdown(reader.find("summary"), "summary", "topic");
    std::map<std::string, SourceLocation> section_ids;
    if (const YamlNode* sections = reader.list("sections", true)) {
      topic.sections.reserve(sections->items.size());  // the model is kept all build long
      for (const YamlNode& node : sections->items) {
        MapReader section_reader(node, "section", keys_of("section"), m_diagnostics);
        if (!section_reader.is_map()) {
          continue;
        }
        model::Section section;
        section.where = node.where;
        section.id = section_reader.id();
        section.title = section_reader.string("title", true);
        section.body = required_markdown(section_reader, "body", "section");
        section.terms = section_reader.string_list("terms");
        unique(section_ids, section.id, node.where, "section", topic.id);
        topic.sections.push_back(std::move(section));
      }
    }
    if (const YamlNode* points = reader.list("key_points")) {
      topic.key_points.reserve(points->items.size());
      for (const YamlNode& node : points->items) {
        if (node.kind != YamlNode::Kind::scalar) {
          m_diagnostics.error(node.where,
                              "a key point must be Markdown text, not " + node.kind_name(),
                              "quote it if it contains ': '");
          continue;
        }
        model::Body body = markdown(&node, "key_points", "topic");
        if (body.size() != 1 || !std::holds_alternative<model::Paragraph>(body.front().node)) {
          m_diagnostics.error(node.where, "a key point must be a single paragraph");
          continue;
        }
        topic.key_points.push_back(
            std::move(std::get<model::Paragraph>(body.front().node).inlines));
      }
    }
    if (const YamlNode* pitfalls = reader.list("pitfalls")) {
      topic.pitfalls.reserve(pitfalls->items.size());
      for (const YamlNode& node : pitfalls->items) {
        MapReader pitfall_reader(node, "pitfall", keys_of("pitfall"), m_diagnostics);
        if (!pitfall_reader.is_map()) {
          continue;
        }
        model::Pitfall pitfall;
        pitfall.where = node.where;
        pitfall.title = pitfall_reader.string("title", true);
        pitfall.body = required_markdown(pitfall_reader, "body", "pitfall");
        topic.pitfalls.push_back(std::move(pitfall));
      }
    }
    std::map<std::string, SourceLocation> question_ids;
    if (const YamlNode* questions = reader.list("questions")) {
      topic.questions.reserve(questions->items.size());
      for (const YamlNode& node : questions->items) {
        MapReader question_reader(node, "question", keys_of("question"), m_diagnostics);
        if (!question_reader.is_map()) {
          continue;
        }
        model::Question question;
        question.where = node.where;
        question.id = question_reader.id();
        question.question = required_markdown(question_reader, "question", "question");
        question.answer = required_markdown(question_reader, "answer", "question");
        unique(question_ids, question.id, node.where, "question", topic.id);
        topic.questions.push_back(std::move(question));
      }
    }
    std::map<std::string, SourceLocation> card_ids;
    if (const YamlNode* cards = reader.list("cards")) {
      topic.cards.reserve(cards->items.size());
      for (const YamlNode& node : cards->items) {
        model::Card card = read_card(node, section_ids);
        if (!card.id.empty()) {
          unique(card_ids, card.id, node.where, "card", topic.id);
        }
        topic.cards.push_back(std::move(card));
      }
    }
    return topic;
  }

 private:
  model::Card read_card(const YamlNode& node,
                        const std::map<std::string, SourceLocation>& sections) {
    model::Card card;
    card.where = node.where;
    MapReader reader(node, "card", keys_of("card"), m_diagnostics);
    if (!reader.is_map()) {
      return card;
    }
    card.id = reader.id();
    std::string kind = reader.string("kind", true);
    card.tags = reader.string_list("tags");
    card.section = reader.string("section");
    if (!card.section.empty() && sections.count(card.section) == 0) {
      std::vector<std::string_view> known;
      for (const auto& [id, where] : sections) {
        known.push_back(id);
      }
      const std::string best = closest_match(card.section, known);
      m_diagnostics.error(
          reader.find("section")->where,
          "card refers to section '" + card.section + "', which this topic does not have",
          best.empty() ? "" : "did you mean '" + best + "'?");
    }
    // Keys each kind accepts beyond id/kind/section/tags.
    static const std::map<std::string, std::set<std::string>> kind_keys = {
        {"basic", {"front", "back", "reverse", "extra"}},
        {"cloze", {"text", "extra"}},
        {"code", {"front", "code", "lang", "check", "back", "extra"}},
    };
    auto keys = kind_keys.find(kind);
    if (keys == kind_keys.end()) {
      if (const YamlNode* kind_node = reader.find("kind"); kind_node != nullptr && !kind.empty()) {
        std::string suggestion = closest_match(kind, {"basic", "cloze", "code"});
        m_diagnostics.error(
            kind_node->where, "unknown card kind '" + kind + "'",
            suggestion.empty() ? "use basic, cloze or code" : "did you mean '" + suggestion + "'?");
      }
      return card;
    }
    for (const auto& [key, value] : node.entries) {
      static const std::set<std::string> common = {"id", "kind", "section", "tags"};
      bool kind_specific = kind_keys.at("basic").count(key.value) +
                               kind_keys.at("cloze").count(key.value) +
                               kind_keys.at("code").count(key.value) >
                           0;
      if (kind_specific && common.count(key.value) == 0 && keys->second.count(key.value) == 0) {
        m_diagnostics.error(key.where, "'" + key.value + "' does not apply to " + kind + " cards");
      }
    }
    if (kind == "basic") {
      card.kind = model::CardKind::basic;
      card.front = required_markdown(reader, "front", "card");
      card.back = markdown(reader.find("back", true), "back", "card");  // blank: a warning
      card.reverse = reader.boolean("reverse", false);
      card.extra = markdown(reader.find("extra"), "extra", "card");
    } else if (kind == "cloze") {
      card.kind = model::CardKind::cloze;
      card.text = required_markdown(reader, "text", "card", true);
      card.extra = markdown(reader.find("extra"), "extra", "card");
    } else {
      card.kind = model::CardKind::code;
      card.extra = markdown(reader.find("extra"), "extra", "card");
      // The code may be the whole question; a blank back is a warning (anki/deck.cpp).
      card.front = markdown(reader.find("front", true), "front", "card");
      card.back = markdown(reader.find("back", true), "back", "card");
      if (const YamlNode* code = reader.find("code", true); code != nullptr) {
        card.code = read_card_code(*code, reader.string("lang"), reader.find("check"));
      }
    }
    return card;
  }

  model::CodeBlock read_card_code(const YamlNode& node, const std::string& lang,
                                  const YamlNode* check) {
    model::CodeBlock block;
    block.where = node.origin();
    if (node.kind != YamlNode::Kind::scalar) {
      m_diagnostics.error(node.where,
                          "'code' in card must be source text, not " + node.kind_name());
      return block;
    }
    const std::string language = lang.empty() ? m_code_language : lang;
    const std::string annotations =
        check == nullptr || check->kind == YamlNode::Kind::null || check->value.empty()
            ? ""
            : "," + check->value;
    if (language != "rust" && check != nullptr) {
      m_diagnostics.error(check->where,
                          "'check' applies only to Rust code; this card's code is " +
                              (language.empty() ? std::string("plain text") : language),
                          lang.empty() ? "set `lang: rust` on the card or `code_language: rust` "
                                         "in book.yaml, or remove 'check'"
                                       : "remove 'check'");
    }
    std::string error = text::apply_code_annotations(language + annotations, block);
    if (!error.empty()) {
      m_diagnostics.error(node.where, error);
    }
    std::string code = node.value;
    while (!code.empty() && code.back() == '\n') {
      code.pop_back();
    }
    if (language == "rust") {
      text::prepare_rust_source(code, block);
    } else {
      block.language = language;
      text::prepare_plain_source(code, block);
    }
    return block;
  }

  void unique(std::map<std::string, SourceLocation>& seen, const std::string& id,
              const SourceLocation& where, const std::string& what, const std::string& topic_id) {
    if (id.empty()) {
      return;
    }
    auto [it, inserted] = seen.emplace(id, where);
    if (!inserted) {
      m_diagnostics.error(where,
                          "duplicate " + what + " id '" + id + "' in topic '" + topic_id + "'",
                          "first defined at " + model::location_text(it->second));
    }
  }

  // A key the entry needs, with text in it: left empty (`back:`) it is as wrong as missing.
  model::Body required_markdown(MapReader& reader, const std::string& key, const std::string& what,
                                bool cloze = false) {
    const YamlNode* node = reader.find(key, true);
    if (node != nullptr && node->kind == YamlNode::Kind::null) {
      m_diagnostics.error(node->where,
                          "'" + key + "' in " + what + " must not be " + node->kind_name());
      return {};
    }
    return markdown(node, key, what, cloze);
  }

  model::Body markdown(const YamlNode* node, const std::string& key, const std::string& what,
                       bool cloze = false) {
    if (node != nullptr && node->is_null_word()) {
      m_diagnostics.warning(node->where, "'" + key + "' in " + what + " is " + node->kind_name());
    }
    if (node == nullptr || node->kind == YamlNode::Kind::null) {
      return {};
    }
    if (node->kind != YamlNode::Kind::scalar) {
      m_diagnostics.error(node->where, "'" + key + "' in " + what + " must be Markdown text, not " +
                                           node->kind_name());
      return {};
    }
    warn_accidental_lists(node->value, node->origin(), m_diagnostics);
    if (what == "card") {
      check_card_field_pairs(node->value, key, cloze, node->origin(), m_diagnostics);
    }
    return text::parse_markdown(node->value, {node->origin(), cloze}, m_diagnostics);
  }

  Diagnostics& m_diagnostics;
  const std::string& m_code_language;
};

// A topic file read on its own (YAML, model, Markdown), with its reports; empty when its
// YAML is unusable. Files are read on two cores and their reports appended in file order,
// so diagnostics come out exactly as from a sequential read.
struct LoadedTopic {
  std::optional<model::Topic> topic;
  Diagnostics diagnostics;
};

LoadedTopic load_topic_file(const std::string& content_dir, const std::string& name,
                            const std::string& text, const std::string& code_language) {
  LoadedTopic loaded;
  std::optional<YamlNode> root =
      parse_yaml(text, content_dir + "/topics/" + name, loaded.diagnostics);
  if (root) {
    check_plane(*root, loaded.diagnostics);
    loaded.topic =
        TopicReader(loaded.diagnostics, code_language).read_topic(*root, topic_stem(name));
  }
  return loaded;
}

class ContentLoader {
 public:
  ContentLoader(const ContentFiles& files, Diagnostics& diagnostics)
      : m_files(files), m_diagnostics(diagnostics) {}

  model::Document load() {
    model::Document document;
    document.content_dir = m_files.content_dir;
    std::string book_file = m_files.content_dir + "/book.yaml";
    std::optional<YamlNode> book = parse(m_files.book_yaml, book_file);
    if (book) {
      read_book(*book, document);
    }
    m_book_usable = book && book->kind == YamlNode::Kind::map;
    read_topics(document);
    number(document);
    check_references(document);
    return document;
  }

 private:
  std::optional<YamlNode> parse(const std::string& text, const std::string& file) {
    std::optional<YamlNode> root = parse_yaml(text, file, m_diagnostics);
    if (root) {
      check_plane(*root, m_diagnostics);
    }
    return root;
  }

  void read_book(const YamlNode& root, model::Document& document) {
    MapReader book(root, "book.yaml", keys_of("book"), m_diagnostics);
    if (!book.is_map()) {
      return;
    }
    model::Book& out = document.book;
    out.where = root.where;
    out.title = book.string("title", true);
    out.subtitle = book.string("subtitle");
    out.author = book.string("author");
    out.version = book.string("version");
    out.date = book.string("date");
    out.slug = book.id("slug");
    out.deck = book.string("deck", true);
    out.layout = book.string("layout");
    out.code_language = book.string("code_language");
    if (const std::string description = book.string("description"); !description.empty()) {
      out.description = text::parse_markdown(
          description, {book.find("description")->origin(), false}, m_diagnostics);
    }
    if (std::string questions = book.string("questions_title"); !questions.empty()) {
      out.questions_title = questions;
    }
    out.keep_whole = book.string_list("keep_whole");
    if (const YamlNode* deck = book.find("deck");
        deck != nullptr && out.deck.find("::") != std::string::npos) {
      m_diagnostics.error(deck->where, "the deck name must not contain '::'",
                          "areas and topics become the subdecks");
    }
    const YamlNode* areas = book.list("areas", true);
    if (areas == nullptr) {
      return;
    }
    std::map<std::string, SourceLocation> area_ids;
    for (const YamlNode& node : areas->items) {
      MapReader reader(node, "area", keys_of("area"), m_diagnostics);
      if (!reader.is_map()) {
        continue;
      }
      model::Area area;
      area.where = node.where;
      area.id = reader.id();
      area.title = reader.string("title", true);
      area.description = reader.string("description");
      if (auto [it, inserted] = area_ids.emplace(area.id, node.where);
          !inserted && !area.id.empty()) {
        m_diagnostics.error(node.where, "duplicate area id '" + area.id + "'",
                            "first defined at " + model::location_text(it->second));
      }
      if (const YamlNode* topics = reader.list("topics", true)) {
        for (const YamlNode& item : topics->items) {
          if (item.kind != YamlNode::Kind::scalar) {
            m_diagnostics.error(item.where, "topics must be listed by id, not " + item.kind_name());
            continue;
          }
          auto [it, inserted] = m_listed.emplace(item.value, Listing{area.id, item.where});
          if (!inserted) {
            m_diagnostics.error(item.where, "topic '" + item.value + "' is listed twice",
                                "first listed at " + model::location_text(it->second.where));
            continue;
          }
          m_order.push_back(item.value);
        }
      }
      document.areas.push_back(std::move(area));
    }
  }

  void read_topics(model::Document& document) {
    std::map<std::string, model::Topic> topics;
    std::vector<LoadedTopic> loaded =
        util::parallel_map(m_files.topic_files, [&](const auto& name_and_text) {
          return load_topic_file(m_files.content_dir, name_and_text.first, name_and_text.second,
                                 document.book.code_language);
        });
    for (std::size_t index = 0; index < m_files.topic_files.size(); ++index) {
      const std::string& name = m_files.topic_files[index].first;
      std::string file = m_files.content_dir + "/topics/" + name;
      std::string stem = topic_stem(name);
      m_diagnostics.append(loaded[index].diagnostics);
      std::optional<model::Topic> read = std::move(loaded[index].topic);
      if (!read) {
        m_unusable.insert(stem);
        continue;
      }
      model::Topic& topic = *read;
      auto listed = m_listed.find(stem);
      if (listed == m_listed.end()) {
        if (m_book_usable) {  // else book.yaml's own error says it all
          m_diagnostics.error({file, 0, 0}, "topic file is not listed in book.yaml",
                              "add '" + stem + "' to the topics of an area");
        }
        continue;
      }
      if (!topic.area.empty() && topic.area != listed->second.area) {
        m_diagnostics.error(topic.where, "topic says area '" + topic.area +
                                             "' but book.yaml lists it under '" +
                                             listed->second.area + "'");
      }
      topic.area = listed->second.area;
      topics.emplace(stem, std::move(topic));
    }
    for (const std::string& id : m_order) {
      auto found = topics.find(id);
      if (found == topics.end()) {
        if (m_unusable.count(id) == 0) {
          m_diagnostics.error(m_listed.at(id).where, "topic '" + id + "' is listed but " +
                                                         m_files.content_dir + "/topics/" + id +
                                                         ".yaml does not exist");
        }
        continue;
      }
      for (model::Area& area : document.areas) {
        if (area.id == m_listed.at(id).area) {
          area.topics.push_back(std::move(found->second));
        }
      }
    }
  }

  static void number(model::Document& document) {
    int area_number = 0;
    int topic_number = 0;
    for (model::Area& area : document.areas) {
      area.number = ++area_number;
      for (model::Topic& topic : area.topics) {
        topic.number = ++topic_number;
        int section_number = 0;
        for (model::Section& section : topic.sections) {
          section.number = ++section_number;
        }
      }
    }
  }

  // Cross references (#topic, #topic/section) must resolve; images must exist inside the
  // content folder.
  void check_references(const model::Document& document) {
    std::set<std::string> anchors;
    for (const model::Area& area : document.areas) {
      for (const model::Topic& topic : area.topics) {
        anchors.insert(topic.id);
        for (const model::Section& section : topic.sections) {
          anchors.insert(topic.id + "/" + section.id);
        }
      }
    }
    // A reference into a topic whose file could not be read is not known to be wrong.
    const auto unreadable = [&](const std::string& target) {
      return m_unusable.count(target.substr(0, target.find('/'))) > 0;
    };
    auto check_inlines = [&](const model::Inlines& inlines, const SourceLocation& where) {
      for (const model::Inline& run : inlines) {
        if (run.link.size() > 1 && run.link.front() == '#' &&
            anchors.count(run.link.substr(1)) == 0 && !unreadable(run.link.substr(1))) {
          const std::vector<std::string_view> known(anchors.begin(), anchors.end());
          const std::string best = closest_match(run.link.substr(1), known);
          m_diagnostics.error(
              where, "cross reference '" + run.link + "' does not match any topic or section",
              best.empty() ? "write #topic-id or #topic-id/section-id"
                           : "did you mean '#" + best + "'?");
          return;
        }
      }
    };
    const auto check_body = [&](const model::Body& body) {
      model::for_each_block(body, [&](const model::Block& block) {
        if (const auto* paragraph = std::get_if<model::Paragraph>(&block.node)) {
          check_inlines(paragraph->inlines, block.where);
          check_words(paragraph->inlines, block.where);
        } else if (const auto* image = std::get_if<model::Image>(&block.node)) {
          check_image(document, *image);
        }
      });
    };
    check_body(document.book.description);
    for (const std::string* text : {&document.book.title, &document.book.subtitle,
                                    &document.book.author, &document.book.questions_title}) {
      check_words(*text, document.book.where);
    }
    check_title(document.book.title, document.book.where);
    for (const model::Area& area : document.areas) {
      check_title(area.title, area.where);
      check_words(area.title, area.where);
      check_words(area.description, area.where);
      for (const model::Topic& topic : area.topics) {
        check_title(topic.title, topic.where);
        check_words(topic.title, topic.where);
        for (const model::Section& section : topic.sections) {
          check_title(section.title, section.where);
          check_words(section.title, section.where);
          for (const std::string& term : section.terms) {
            check_words(term, section.where);
          }
        }
        for (const model::Pitfall& pitfall : topic.pitfalls) {
          check_title(pitfall.title, pitfall.where);
          check_words(pitfall.title, pitfall.where);
        }
        for (const model::Inlines& point : topic.key_points) {
          check_inlines(point, topic.where);
          check_words(point, topic.where);
        }
        model::for_each_body(topic, check_body);
      }
    }
  }

  // Text is set in lines that break between words; a "word" of thousands of characters
  // (pasted data, a runaway string) can only be set by breaking it everywhere, which takes
  // the line breaker minutes. Code blocks wrap by character and are exempt.
  static constexpr std::size_t longest_word = 1000;

  void check_words(std::string_view text, const SourceLocation& where) {
    std::size_t run = 0;
    std::size_t longest = 0;
    for (const char c : text) {
      const bool space = c == ' ' || c == '\n' || c == '\t';
      const bool continuation = (static_cast<unsigned char>(c) & 0xC0U) == 0x80U;
      run = space ? 0 : run + (continuation ? 0 : 1);
      longest = std::max(longest, run);
    }
    if (longest > longest_word) {
      m_diagnostics.error(where,
                          "a word of " + std::to_string(longest) +
                              " characters is too long to set (at most " +
                              std::to_string(longest_word) + ")",
                          "break it with spaces, or put it in a code block");
    }
  }

  // A title is set on one line in running heads, the contents and the PDF outline (which
  // holds at most 65535 bytes an entry); a longer one is a paste gone wrong.
  static constexpr std::size_t longest_title = 300;

  void check_title(std::string_view title, const SourceLocation& where) {
    const auto length =
        static_cast<std::size_t>(std::count_if(title.begin(), title.end(), [](char c) {
          return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U;  // not a UTF-8 continuation
        }));
    if (length > longest_title) {
      m_diagnostics.error(where,
                          "a title of " + std::to_string(length) +
                              " characters is too long (at most " + std::to_string(longest_title) +
                              ")",
                          "shorten it; the detail belongs in the summary or the body");
    }
  }

  void check_words(const model::Inlines& inlines, const SourceLocation& where) {
    std::string text;
    for (const model::Inline& run : inlines) {
      text += run.kind == model::Inline::Kind::text ? std::string_view(run.text) : " ";
    }
    check_words(text, where);
  }

  void check_image(const model::Document& document, const model::Image& image) {
    namespace fs = std::filesystem;
    fs::path relative = fs::path(image.path).lexically_normal();
    if (relative.is_absolute() || relative.empty() || *relative.begin() == "..") {
      m_diagnostics.error(image.where, "image '" + image.path + "' is outside the content folder",
                          "put images under " + document.content_dir + "/images/");
      return;
    }
    std::error_code code;
    const fs::path file = fs::path(document.content_dir) / relative;
    if (!fs::is_regular_file(file, code)) {
      m_diagnostics.error(image.where,
                          "image '" + image.path + "' not found in " + document.content_dir);
      return;
    }
    // A symbolic link must not lead out either: the file would be embedded in the outputs.
    const fs::path real = fs::canonical(file, code);
    const fs::path inside = real.lexically_relative(fs::canonical(document.content_dir, code));
    if (code || inside.empty() || *inside.begin() == "..") {
      m_diagnostics.error(image.where,
                          "image '" + image.path + "' is a link to " + real.string() +
                              ", outside the content folder",
                          "copy the file into " + document.content_dir + "/images/");
      return;
    }
    // Decoded now, so that the booklet never meets an image it cannot embed.
    auto [decoded, first] = m_image_errors.try_emplace(file.string());
    std::string& error = decoded->second;
    if (first) {
      util::inspect_image(file.string(), error);
    }
    if (!error.empty()) {
      m_diagnostics.error(image.where, "image '" + image.path + "' cannot be used: " + error,
                          "images are PNG or JPEG files, each alone in its paragraph");
    }
  }

  struct Listing {
    std::string area;
    SourceLocation where;
  };

  const ContentFiles& m_files;
  Diagnostics& m_diagnostics;
  std::map<std::string, Listing> m_listed;
  std::vector<std::string> m_order;
  std::set<std::string> m_unusable = m_files.unreadable;
  bool m_book_usable = false;
  std::map<std::string, std::string> m_image_errors;  // image file → why unusable ("" = fine)
};

}  // namespace

model::Document load_content_from(const ContentFiles& files, model::Diagnostics& diagnostics) {
  return ContentLoader(files, diagnostics).load();
}

model::Document load_content(const std::string& content_dir, model::Diagnostics& diagnostics) {
  ContentFiles files;
  files.content_dir = content_dir;
  std::string error;
  std::string book_path = content_dir + "/book.yaml";
  std::optional<std::string> book = util::read_file(book_path, error, yaml_input);
  if (!book) {
    diagnostics.error({book_path, 0, 0}, "cannot read file: " + error,
                      "is --content pointing at a prepkit content folder?");
    return {};
  }
  files.book_yaml = std::move(*book);
  for (const std::string& name : util::list_files(content_dir + "/topics", ".yaml")) {
    std::string path = content_dir + "/topics/" + name;
    std::optional<std::string> text = util::read_file(path, error, yaml_input);
    if (!text) {
      diagnostics.error({path, 0, 0}, "cannot read file: " + error);
      files.unreadable.insert(name.substr(0, name.size() - 5));
      continue;
    }
    files.topic_files.emplace_back(name, std::move(*text));
  }
  return load_content_from(files, diagnostics);
}

std::string book_layout_name(const std::string& content_dir) {
  std::string error;
  const std::optional<std::string> book =
      util::read_file(content_dir + "/book.yaml", error, yaml_input);
  if (!book) {
    return "";
  }
  Diagnostics ignored;
  const std::optional<YamlNode> root = parse_yaml(*book, content_dir + "/book.yaml", ignored);
  if (!root || root->kind != YamlNode::Kind::map) {
    return "";
  }
  for (const YamlEntry& entry : root->entries) {
    if (entry.key.value == "layout" && entry.value.kind == YamlNode::Kind::scalar) {
      return entry.value.value;
    }
  }
  return "";
}

}  // namespace load
