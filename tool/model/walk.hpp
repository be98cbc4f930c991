// Visiting every block and Markdown field of a document, for checks that look at all text
// (character coverage, cross references, Rust examples, images).
#pragma once

#include <functional>
#include <variant>

#include "model/document.hpp"

namespace model {

// Calls `visit` for every block of `body`, depth first, including blocks nested in lists
// and quotes.
inline void for_each_block(const Body& body, const std::function<void(const Block&)>& visit) {
  for (const Block& block : body) {
    visit(block);
    if (const auto* list = std::get_if<List>(&block.node)) {
      for (const ListItem& item : list->items) {
        for_each_block(item.blocks, visit);
      }
    } else if (const auto* quote = std::get_if<Quote>(&block.node)) {
      for_each_block(quote->blocks, visit);
    }
  }
}

// Calls `visit` for every Markdown body of a topic, in reading order.
inline void for_each_body(const Topic& topic, const std::function<void(const Body&)>& visit) {
  visit(topic.summary);
  for (const Section& section : topic.sections) {
    visit(section.body);
  }
  for (const Pitfall& pitfall : topic.pitfalls) {
    visit(pitfall.body);
  }
  for (const Question& question : topic.questions) {
    visit(question.question);
    visit(question.answer);
  }
  for (const Card& card : topic.cards) {
    visit(card.front);
    visit(card.back);
    visit(card.text);
    visit(card.extra);
  }
}

// Calls `visit` for every code block of a topic, including the snippets of code cards.
inline void for_each_code_block(const Topic& topic,
                                const std::function<void(const CodeBlock&)>& visit) {
  for_each_body(topic, [&](const Body& body) {
    for_each_block(body, [&](const Block& block) {
      if (const auto* code = std::get_if<CodeBlock>(&block.node)) {
        visit(*code);
      }
    });
  });
  for (const Card& card : topic.cards) {
    if (card.code) {
      visit(*card.code);
    }
  }
}

// Calls `visit` for the inline runs of every key point and paragraph of a topic.
inline void for_each_inlines(const Topic& topic, const std::function<void(const Inlines&)>& visit) {
  for (const Inlines& point : topic.key_points) {
    visit(point);
  }
  for_each_body(topic, [&](const Body& body) {
    for_each_block(body, [&](const Block& block) {
      if (const auto* paragraph = std::get_if<Paragraph>(&block.node)) {
        visit(paragraph->inlines);
      }
    });
  });
}

}  // namespace model
