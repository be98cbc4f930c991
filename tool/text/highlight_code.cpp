#include "text/highlight_code.hpp"

#include <srchilite/formatter.h>
#include <srchilite/formattermanager.h>
#include <srchilite/formatterparams.h>
#include <srchilite/langdefmanager.h>
#include <srchilite/langmap.h>
#include <srchilite/regexrulefactory.h>
#include <srchilite/settings.h>
#include <srchilite/sourcehighlighter.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "util/lines.hpp"

namespace text {
namespace {

using model::HighlightTag;

std::string lowercase(std::string_view word) {
  std::string out(word);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string uppercase(std::string_view word) {
  std::string out(word);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

// Names source-highlight's lang.map lacks, mapped onto the definition that fits best.
// TOML and YAML have no definition of their own: the generic configuration one colours
// their comments, strings, numbers and `key =` names.
std::string definition_name(const std::string& language) {
  static const std::map<std::string, std::string, std::less<>> aliases = {
      {"c++", "cpp"},
      {"cxx", "cpp"},
      {"cc", "cpp"},
      {"hpp", "cpp"},
      {"h", "c"},
      {"golang", "go"},
      {"ts", "javascript"},
      {"typescript", "javascript"},
      {"jsx", "javascript"},
      {"tsx", "javascript"},
      {"postgresql", "sql"},
      {"postgres", "sql"},
      {"psql", "sql"},
      {"mysql", "sql"},
      {"sqlite", "sql"},
      {"plsql", "sql"},
      {"toml", "conf"},
      {"yaml", "conf"},
      {"yml", "conf"},
      {"ini", "conf"},
      {"kt", "java"},
      {"kotlin", "java"},
  };
  auto alias = aliases.find(language);
  return alias != aliases.end() ? alias->second : language;
}

// source-highlight's element names (see its default.style) and our classes for them.
const std::map<std::string, HighlightTag>& element_tags() {
  static const std::map<std::string, HighlightTag> tags = {
      {"keyword", HighlightTag::keyword},
      {"section", HighlightTag::keyword},
      {"type", HighlightTag::type},
      {"classname", HighlightTag::type},
      {"usertype", HighlightTag::type},
      {"function", HighlightTag::function},
      {"predef_func", HighlightTag::function},
      {"preproc", HighlightTag::macro},
      {"string", HighlightTag::string},
      {"regexp", HighlightTag::string},
      {"specialchar", HighlightTag::string},
      {"number", HighlightTag::number},
      {"comment", HighlightTag::comment},
      {"todo", HighlightTag::comment},
      {"symbol", HighlightTag::punctuation},
      {"cbracket", HighlightTag::punctuation},
      {"variable", HighlightTag::attribute},
      {"predef_var", HighlightTag::attribute},
      {"label", HighlightTag::attribute},
      {"property", HighlightTag::attribute},
  };
  return tags;
}

// source-highlight keeps global state (its definition parser is flex/bison, and every
// highlight state made, also while highlighting, counts itself in a static), so the
// library is only used under one lock. Definitions are built once per language and process
// and shared by the threads that lay out pages and make cards: prepkit's only process-wide
// object, since it stands for the library's own.
class Definitions {
 public:
  // Held around every use of the library.
  std::unique_lock<std::mutex> lock() { return std::unique_lock(m_mutex); }

  // The main state of `language`'s definition, or null when there is none. The caller
  // holds lock().
  srchilite::HighlightStatePtr find(const std::string& language) {
    auto known = m_states.find(language);
    if (known != m_states.end()) {
      return known->second;
    }
    srchilite::HighlightStatePtr state;
    try {
      const std::string data_dir = srchilite::Settings::retrieveDataDir();
      if (!m_lang_map) {
        m_lang_map.emplace(data_dir, "lang.map");
        m_lang_map->open();
      }
      const std::string file = m_lang_map->getFileName(definition_name(language));
      if (!file.empty()) {
        state = m_manager.getHighlightState(data_dir, file);
      }
    } catch (const std::exception&) {
      state.reset();  // no data files, or a definition the library cannot read: plain text
    }
    m_states.emplace(language, state);
    return state;
  }

  static Definitions& shared() {
    static Definitions definitions;
    return definitions;
  }

 private:
  std::mutex m_mutex;
  srchilite::RegexRuleFactory m_rule_factory;
  srchilite::LangDefManager m_manager{&m_rule_factory};
  std::optional<srchilite::LangMap> m_lang_map;
  std::map<std::string, srchilite::HighlightStatePtr> m_states;
};

// Receives each classified piece of a line from the highlighter.
class TokenCollector : public srchilite::Formatter {
 public:
  TokenCollector(HighlightTag tag, TokenLine*& line) : m_tag(tag), m_line(line) {}
  void format(const std::string& text, const srchilite::FormatterParams* /*params*/) override {
    if (text.empty()) {
      return;
    }
    if (!m_line->empty() && m_line->back().tag == m_tag) {
      m_line->back().text += text;
    } else {
      m_line->push_back({m_tag, text});
    }
  }

 private:
  HighlightTag m_tag;
  TokenLine*& m_line;  // the line being highlighted
};

// As highlight_rust does: tabs to the next multiple of 4 columns (counted in code points),
// carriage returns dropped.
std::string expand_tabs(std::string_view line) {
  std::string out;
  std::size_t column = 0;
  for (char c : line) {
    if (c == '\t') {
      out.append(4 - column % 4, ' ');
      column += 4 - column % 4;
    } else if (c != '\r') {
      out += c;
      column += (static_cast<unsigned char>(c) & 0xC0U) != 0x80U ? 1 : 0;
    }
  }
  return out;
}

std::vector<std::string> split_lines(std::string_view source) {
  std::vector<std::string> lines;
  for (std::string_view line : util::split_lines(source)) {
    lines.push_back(expand_tabs(line));
  }
  return lines;
}

std::vector<TokenLine> plain_lines(const std::vector<std::string>& lines) {
  std::vector<TokenLine> out(lines.size());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (!lines[i].empty()) {
      out[i].push_back({HighlightTag::plain, lines[i]});
    }
  }
  return out;
}

// What source-highlight's sql.lang (written for MySQL 4) leaves plain although interview
// SQL uses it everywhere: window functions, CASE, common table expressions, transactions,
// PostgreSQL's reserved words. Words an unquoted column could be named (FIRST, LEVEL, ROW…)
// stay out.
const std::set<std::string, std::less<>>& more_sql_keywords() {
  static const std::set<std::string, std::less<>> words = {
      "ANALYZE",   "ANY",       "ARRAY",        "BEGIN",     "CASCADE",  "CASE",        "CAST",
      "COMMIT",    "CONFLICT",  "CONSTRAINT",   "DO",        "ELSE",     "END",         "EXCEPT",
      "FALSE",     "FETCH",     "FILTER",       "FOLLOWING", "FULL",     "ILIKE",       "INTERSECT",
      "ISOLATION", "LATERAL",   "MATERIALIZED", "NOTHING",   "NULLS",    "OFFSET",      "ONLY",
      "OVER",      "PARTITION", "PRECEDING",    "RECURSIVE", "RESTRICT", "RETURNING",   "ROLLBACK",
      "ROWS",      "SAVEPOINT", "SERIALIZABLE", "SOME",      "THEN",     "TRANSACTION", "TRUE",
      "UNBOUNDED", "VACUUM",    "WHEN",         "WINDOW",
  };
  return words;
}

// Functions it leaves plain, coloured where a "(" follows (a column may be called count).
const std::set<std::string, std::less<>>& more_sql_functions() {
  static const std::set<std::string, std::less<>> words = {
      "ARRAY_AGG", "AVG",        "COALESCE", "COUNT",      "DENSE_RANK", "FIRST_VALUE",
      "LAG",       "LAST_VALUE", "LEAD",     "MAX",        "MIN",        "NOW",
      "NTILE",     "NULLIF",     "RANK",     "ROW_NUMBER", "STRING_AGG", "SUM",
  };
  return words;
}

// `line` with the words above that the highlighter left plain classified.
TokenLine with_more_sql_words(const TokenLine& line) {
  std::string text;
  std::vector<HighlightTag> tags;  // one per byte of `text`
  for (const Token& token : line) {
    text += token.text;
    tags.insert(tags.end(), token.text.size(), token.tag);
  }
  const auto is_word = [&](std::size_t at) {
    const auto c = static_cast<unsigned char>(text[at]);
    return std::isalnum(c) != 0 || c == '_';
  };
  for (std::size_t start = 0; start < text.size();) {
    if (!is_word(start)) {
      ++start;
      continue;
    }
    std::size_t end = start;
    while (end < text.size() && is_word(end)) {
      ++end;
    }
    const bool plain = std::all_of(tags.begin() + static_cast<std::ptrdiff_t>(start),
                                   tags.begin() + static_cast<std::ptrdiff_t>(end),
                                   [](HighlightTag tag) { return tag == HighlightTag::plain; });
    const std::string upper = uppercase(std::string_view(text).substr(start, end - start));
    const std::size_t next = text.find_first_not_of(' ', end);
    HighlightTag tag = HighlightTag::plain;
    if (more_sql_keywords().count(upper) > 0) {
      tag = HighlightTag::keyword;
    } else if (more_sql_functions().count(upper) > 0 && next != std::string::npos &&
               text[next] == '(') {
      tag = HighlightTag::function;
    }
    if (plain && tag != HighlightTag::plain) {
      std::fill(tags.begin() + static_cast<std::ptrdiff_t>(start),
                tags.begin() + static_cast<std::ptrdiff_t>(end), tag);
    }
    start = end;
  }
  TokenLine out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (out.empty() || out.back().tag != tags[i]) {
      out.push_back({tags[i], ""});
    }
    out.back().text += text[i];
  }
  return out;
}

// Regular expressions may backtrack badly on very long lines; such blocks stay plain.
constexpr std::size_t longest_highlighted_line = 2000;

}  // namespace

bool can_highlight(std::string_view language) {
  const std::string name = lowercase(language);
  if (name == "rust") {
    return true;
  }
  Definitions& definitions = Definitions::shared();
  const auto lock = definitions.lock();
  return !name.empty() && definitions.find(name) != nullptr;
}

std::vector<TokenLine> highlight_code(std::string_view language, std::string_view source) {
  const std::string name = lowercase(language);
  if (name == "rust") {
    return highlight_rust(source);
  }
  const std::vector<std::string> lines = split_lines(source);
  Definitions& definitions = Definitions::shared();
  const auto lock = definitions.lock();
  srchilite::HighlightStatePtr state = name.empty() ? nullptr : definitions.find(name);
  const bool too_long = std::any_of(lines.begin(), lines.end(), [](const std::string& line) {
    return line.size() > longest_highlighted_line;
  });
  if (!state || too_long) {
    return plain_lines(lines);
  }
  std::vector<TokenLine> out(lines.size());
  TokenLine* current = nullptr;
  srchilite::FormatterManager formatters(
      srchilite::FormatterPtr(new TokenCollector(HighlightTag::plain, current)));
  for (const auto& [element, tag] : element_tags()) {
    formatters.addFormatter(element, srchilite::FormatterPtr(new TokenCollector(tag, current)));
  }
  try {
    srchilite::SourceHighlighter highlighter(state);
    srchilite::FormatterParams params;
    highlighter.setFormatterManager(&formatters);
    highlighter.setFormatterParams(&params);
    for (std::size_t i = 0; i < lines.size(); ++i) {
      current = &out[i];
      params.start = 0;
      highlighter.highlightParagraph(lines[i]);
    }
  } catch (const std::exception&) {
    return plain_lines(lines);  // e.g. a regular expression too complex for this input
  }
  if (definition_name(name) == "sql") {
    for (TokenLine& line : out) {
      line = with_more_sql_words(line);
    }
  }
  // Whatever the highlighter did, a line must come back exactly.
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string joined;
    for (const Token& token : out[i]) {
      joined += token.text;
    }
    if (joined != lines[i]) {
      return plain_lines(lines);
    }
  }
  return out;
}

}  // namespace text
