#include "booklet/booklet.hpp"

#include <algorithm>
#include <array>
#include <bitset>
#include <cctype>
#include <cstdio>
#include <iterator>
#include <memory>
#include <set>
#include <tuple>
#include <utility>

#include "booklet/booklet_layout.hpp"
#include "booklet/code_reformat.hpp"
#include "model/walk.hpp"
#include "pdf/font_locator.hpp"
#include "pdf/kerning.hpp"
#include "pdf/pdf_writer.hpp"
#include "text/highlight_code.hpp"
#include "text/hyphenate.hpp"
#include "typeset/faces.hpp"
#include "util/parallel_map.hpp"
#include "util/utf8.hpp"

namespace booklet {

using typeset::FaceTable;
using typeset::mono_role;
using typeset::resolve_faces;
using typeset::Role;
using typeset::role_count;
using typeset::role_for_style;
namespace {

std::string code_point_name(char32_t code) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "U+%04X", static_cast<unsigned>(code));
  return buffer;
}

// Control characters, soft hyphens and zero-width breaks.
bool draws_nothing(char32_t code) {
  return code < 0x20 || code == 0xAD || code == 0x200B;
}

// Walks every piece of text the booklet prints, with the roles that will draw it, and
// reports each character that no face of a role's chain has.
class FontChecker {
 public:
  FontChecker(const FaceTable& faces, const model::Layout& layout, model::Diagnostics& diagnostics)
      : m_faces(faces), m_tokens(layout.colors.tokens), m_diagnostics(diagnostics) {
    for (std::size_t role = 0; role < role_count; ++role) {
      for (char32_t code = 0; code < ascii_count; ++code) {
        m_ascii_drawn[role][code] = drawn_by_chain(static_cast<Role>(role), code);
      }
    }
    for (const model::TokenStyle& look : m_tokens) {
      const Role role = mono_role(look.bold, look.italic);
      if (std::find(m_token_roles.begin(), m_token_roles.end(), role) == m_token_roles.end()) {
        m_token_roles.push_back(role);
      }
    }
  }

  void text(std::string_view text, std::initializer_list<Role> roles,
            const model::SourceLocation& where) {
    for (std::size_t pos = 0; pos < text.size();) {
      const char32_t code = util::decode_utf8(text, pos);
      for (Role role : roles) {
        if (drawn(role, code)) {
          continue;
        }
        if (m_reported.emplace(where.file, where.line, code).second) {
          m_diagnostics.error(where,
                              "character " + code_point_name(code) + " '" + util::to_utf8(code) +
                                  "' is not in any font of the layout",
                              "the faces tried: " + m_faces.chain_label(role));
        }
        break;
      }
    }
  }

  void inlines(const model::Inlines& runs, unsigned extra, const model::SourceLocation& where) {
    for (const model::Inline& run : runs) {
      const Role role = role_for_style(run.style | extra);
      text(run.text, {role}, where);
      if (run.cloze > 0) {  // flashcards: the answer in bold, the question shows the hint
        text(run.text, {typeset::bold_of(role)}, where);
        text(run.cloze_hint, {Role::sans_bold}, where);
      }
      if (!run.link.empty() && run.link[0] != '#') {
        text(run.link, {Role::mono, Role::serif}, where);  // printed after external links
      }
    }
  }

  void body(const model::Body& blocks, unsigned extra) {
    for (const model::Block& block : blocks) {
      std::visit(
          [&](const auto& node) {
            using T = std::decay_t<decltype(node)>;
            if constexpr (std::is_same_v<T, model::Paragraph>) {
              inlines(node.inlines, extra, block.where);
            } else if constexpr (std::is_same_v<T, model::CodeBlock>) {
              code(node);
            } else if constexpr (std::is_same_v<T, model::List>) {
              for (const model::ListItem& item : node.items) {
                body(item.blocks, extra);
              }
            } else if constexpr (std::is_same_v<T, model::OutputBlock>) {
              for (const std::string& line : node.lines) {
                text(line, {Role::mono}, block.where);
              }
            } else if constexpr (std::is_same_v<T, model::Image>) {
              text(node.alt, {Role::serif_italic}, node.where);
            } else if constexpr (std::is_same_v<T, model::Quote>) {
              body(node.blocks, extra);
            }
          },
          block.node);
    }
  }

  void code(const model::CodeBlock& code) {
    const bool highlighted = text::can_highlight(code.language);
    std::string source;
    for (std::size_t i = 0; i < code.lines.size(); ++i) {
      source += i > 0 ? "\n" : "";
      source += code.lines[i];
    }
    if (!highlighted) {
      text(source, {Role::mono}, code.where);
      return;
    }
    // Highlighting only decides which of the token roles draws each token: when each of
    // them has every character (and the space that tabs become), no token can be reported.
    if (drawn_by_all(source, m_token_roles) && drawn_by_all(" ", m_token_roles)) {
      return;
    }
    for (const text::TokenLine& line : text::highlight_code(code.language, source)) {
      for (const text::Token& token : line) {
        const model::TokenStyle& look = m_tokens[static_cast<std::size_t>(token.tag)];
        text(token.text, {mono_role(look.bold, look.italic)}, code.where);
      }
    }
  }

 private:
  static constexpr char32_t ascii_count = 128;

  // True when `code` draws nothing or a face of the role's chain has it.
  [[nodiscard]] bool drawn_by_chain(Role role, char32_t code) const {
    return draws_nothing(code) || m_faces.face_for(role, code) >= 0;
  }
  // The same, looked up for ASCII (most of the text).
  [[nodiscard]] bool drawn(Role role, char32_t code) const {
    return code < ascii_count ? m_ascii_drawn[static_cast<std::size_t>(role)][code]
                              : drawn_by_chain(role, code);
  }

  // True when each of `roles` draws every character of `text`.
  bool drawn_by_all(std::string_view text, const std::vector<Role>& roles) const {
    for (std::size_t pos = 0; pos < text.size();) {
      const char32_t code = util::decode_utf8(text, pos);
      for (Role role : roles) {
        if (!drawn(role, code)) {
          return false;
        }
      }
    }
    return true;
  }

  const FaceTable& m_faces;
  const decltype(model::Colors::tokens)& m_tokens;
  model::Diagnostics& m_diagnostics;
  std::set<std::tuple<std::string, int, char32_t>> m_reported;
  std::array<std::bitset<ascii_count>, role_count> m_ascii_drawn;  // by role, by character
  std::vector<Role> m_token_roles;  // the roles highlighted code tokens are drawn in
};

}  // namespace

void check_fonts(const model::Document& document, const model::Layout& layout,
                 model::Diagnostics& diagnostics, const typeset::Typesetting* prepared) {
  FaceTable located;
  if (prepared == nullptr) {
    pdf::FontLocator locator;
    located = resolve_faces(layout.fonts, locator);
  }
  FontChecker check(prepared != nullptr ? prepared->faces : located, layout, diagnostics);

  // The booklet's own labels, markers and leaders: a layout problem, reported at the layout.
  model::SourceLocation layout_file{layout.source.empty() ? "layout" : layout.source, 0, 0};
  const std::string furniture = booklet_furniture_text();
  check.text(furniture, {Role::sans, Role::sans_bold, Role::serif}, layout_file);
  check.text("(continued) continues", {Role::serif_italic}, layout_file);
  check.text("\u21AA\u21A9", {Role::mono}, layout_file);  // code wraps and breaks

  const model::Book& book = document.book;
  check.text(book.title, {Role::sans_bold}, book.where);
  check.text(book.subtitle, {Role::sans}, book.where);
  check.text(book.author, {Role::serif}, book.where);
  check.text(book.version + book.date, {Role::sans}, book.where);
  check.body(book.description, model::style_plain);
  check.text(book.questions_title, {Role::sans_bold}, book.where);
  for (const model::Area& area : document.areas) {
    check.text(area.title, {Role::sans_bold, Role::sans}, area.where);
    check.text(area.description, {Role::serif_italic}, area.where);
    for (const model::Topic& topic : area.topics) {
      check.text(topic.title, {Role::sans_bold, Role::serif, Role::serif_bold, Role::sans},
                 topic.where);
      check.body(topic.summary, model::style_plain);
      for (const model::Section& section : topic.sections) {
        check.text(section.title, {Role::sans_bold, Role::serif}, section.where);
        check.body(section.body, model::style_plain);
        for (const std::string& term : section.terms) {
          // A term quoted as code in the text was checked in the mono there.
          check.text(model::plain_title(term),
                     {term.find('`') != std::string::npos ? Role::mono : Role::serif},
                     section.where);
        }
      }
      for (const model::Inlines& point : topic.key_points) {
        check.inlines(point, model::style_plain, topic.where);
      }
      for (const model::Pitfall& pitfall : topic.pitfalls) {
        check.text(pitfall.title, {Role::sans_bold}, pitfall.where);
        check.body(pitfall.body, model::style_plain);
      }
      for (const model::Question& question : topic.questions) {
        check.body(question.question, model::style_bold);
        check.body(question.answer, model::style_plain);
      }
      // Cards are not printed in the booklet (Anki draws them with its own fonts), but the
      // flashcard sheets print each card's fields.
      if (layout.products.flashcards) {
        for (const model::Card& card : topic.cards) {
          for (const model::Body* field : {&card.front, &card.back, &card.text, &card.extra}) {
            check.body(*field, model::style_plain);
          }
          if (card.code) {
            check.code(*card.code);
          }
        }
      }
    }
  }
  if (layout.products.flashcards) {  // blanks […], list bullets, "answer" labels
    check.text("[]\u2026\u2022\u00b7", {Role::sans, Role::sans_bold, Role::serif}, layout_file);
  }
}

void keep_names_whole(const model::Document& document, text::Hyphenator& hyphenator) {
  std::set<std::string> words(document.book.keep_whole.begin(), document.book.keep_whole.end());
  // The runs of ASCII letters of `code`: the only words the hyphenator would split.
  const auto add_words = [&](std::string_view code) {
    std::size_t start = 0;
    for (std::size_t i = 0; i <= code.size(); ++i) {
      const bool letter = i < code.size() && std::isalpha(static_cast<unsigned char>(code[i])) != 0;
      if (!letter) {
        if (i > start) {
          words.emplace(code.substr(start, i - start));
        }
        start = i + 1;
      }
    }
  };
  const auto add_inlines = [&](const model::Inlines& inlines) {
    for (const model::Inline& run : inlines) {
      if ((run.style & model::style_code) != 0) {
        add_words(run.text);
      }
    }
  };
  const auto add_title = [&](const std::string& title) {
    if (std::count(title.begin(), title.end(), '`') % 2 != 0) {
      return;
    }
    bool code = false;
    std::size_t start = 0;
    for (std::size_t tick = title.find('`'); tick != std::string::npos;
         tick = title.find('`', start)) {
      if (code) {
        add_words(std::string_view(title).substr(start, tick - start));
      }
      code = !code;
      start = tick + 1;
    }
  };
  for (const model::Area& area : document.areas) {
    add_title(area.title);
    for (const model::Topic& topic : area.topics) {
      add_title(topic.title);
      for (const model::Section& section : topic.sections) {
        add_title(section.title);
      }
      for (const model::Pitfall& pitfall : topic.pitfalls) {
        add_title(pitfall.title);
      }
      model::for_each_inlines(topic, add_inlines);
    }
  }
  for (const std::string& word : words) {
    hyphenator.keep_whole(word);
  }
}

LaidBooklet lay_out_booklet(const model::Document& document, const model::Layout& layout,
                            typeset::Typesetting& typesetting) {
  pdf::PdfWriter& writer = *typesetting.writer;
  LaidBooklet result;
  // The pages go into the PDF a batch at a time as they are laid out, kerned on two cores;
  // only the imposed booklet, drawn from the whole display list, needs them kept.
  std::vector<pdf::Page> kept;
  std::vector<pdf::Page> batch;
  const auto add_batch = [&] {
    util::parallel_map(batch, [&](pdf::Page& page) {
      pdf::apply_kerning(page, *typesetting.measure);
      return true;
    });
    writer.add_pages(batch);
    result.page_count += static_cast<int>(batch.size());
    if (layout.products.imposed) {
      std::move(batch.begin(), batch.end(), std::back_inserter(kept));
    }
    batch.clear();
  };
  PageSink sink;
  sink.page = [&](pdf::Page page) {
    batch.push_back(std::move(page));
    if (batch.size() == pdf::PdfWriter::pages_per_batch) {
      add_batch();
    }
  };
  if (typesetting.hyphenator) {
    keep_names_whole(document, *typesetting.hyphenator);
  }
  CodeReformatter code_reformatter;
  LayoutResult laid = lay_out(document, layout, typesetting.faces, *typesetting.measure,
                              typesetting.hyphenator.get(), &sink, &code_reformatter);
  add_batch();
  result.page_map = std::move(laid.page_map);
  result.note = std::move(laid.note);
  result.code_formatter = code_reformatter.formatter_used();
  result.one_up = std::move(laid.pages);
  result.one_up.pages = std::move(kept);
  return result;
}

std::vector<util::OutputFile> save_booklet(const model::Document& document,
                                           const model::Layout& layout, const LaidBooklet& laid,
                                           typeset::Typesetting& typesetting) {
  const pdf::Pages& pages = laid.one_up;
  std::string bytes = typesetting.writer->finish(pages.outline, pages.labels, pages.metadata);
  typesetting.writer.reset();
  if (!layout.products.booklet) {
    return {};
  }
  return {
      {document.book.slug + ".pdf", std::move(bytes),
       std::to_string(laid.page_count) + " pages" + (laid.note.empty() ? "" : "; " + laid.note)}};
}

BookletResult make_booklet(const model::Document& document, const model::Layout& layout,
                           typeset::Typesetting& typesetting) {
  LaidBooklet laid = lay_out_booklet(document, layout, typesetting);
  BookletResult result;
  result.files = save_booklet(document, layout, laid, typesetting);
  result.page_map = std::move(laid.page_map);
  result.one_up = std::move(laid.one_up);
  result.page_count = laid.page_count;
  return result;
}

}  // namespace booklet
