#include "anki/note_types.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <string_view>

#include "anki/card_html.hpp"
#include "util/sha.hpp"

namespace anki {
namespace {

const std::string answer_rule = "<hr id=\"answer\">";
const std::string footer =
    "<div class=\"ref\">{{#Topic}}<span class=\"topic\">{{Topic}}</span>{{/Topic}}"
    "{{#Booklet}}<span class=\"booklet\">{{Booklet}}</span>{{/Booklet}}</div>";
const std::string extra_block = "{{#Extra}}<div class=\"extra\">{{Extra}}</div>{{/Extra}}";

// Field and template names and ids are the schema: they never change (a change forks the
// type in every user's collection). Type ids and names are per pack (see make_note_types).
NoteType basic_type() {
  NoteType type;
  type.kind = NoteKind::basic;
  type.name = "prepkit Basic";
  type.fields = {{"Front", 1562053079386370},   {"Back", 8578573009004884},
                 {"Extra", 402180752293164},    {"Topic", 7176850288686373},
                 {"Booklet", 8873048921372585}, {"Reverse", 7904892195097619}};
  type.templates = {
      {"Card 1", 4190907136465887,
       "<div class=\"pk pk-basic\"><div class=\"front\">{{Front}}</div></div>",
       "<div class=\"pk pk-basic\"><div class=\"front\">{{Front}}</div>" + answer_rule +
           "<div class=\"back\">{{Back}}</div>" + extra_block + footer + "</div>"},
      // The opt-in reverse card: only notes with a non-empty Reverse field get it.
      {"Card 2 (reverse)", 8485762263067478,
       "{{#Reverse}}<div class=\"pk pk-basic pk-reverse\"><div class=\"front\">{{Back}}</div>"
       "</div>{{/Reverse}}",
       "<div class=\"pk pk-basic pk-reverse\"><div class=\"front\">{{Back}}</div>" + answer_rule +
           "<div class=\"back\">{{Front}}</div>" + extra_block + footer + "</div>"},
  };
  return type;
}

NoteType cloze_type() {
  NoteType type;
  type.kind = NoteKind::cloze;
  type.name = "prepkit Cloze";
  type.fields = {{"Text", 6844550776025831},
                 {"Back Extra", 3825125526182062},
                 {"Topic", 7546054715959702},
                 {"Booklet", 2219448266932415}};
  type.templates = {
      {"Cloze", 7200169399913850,
       "<div class=\"pk pk-cloze\"><div class=\"front\">{{cloze:Text}}</div></div>",
       "<div class=\"pk pk-cloze\"><div class=\"front\">{{cloze:Text}}</div>"
       "{{#Back Extra}}" +
           answer_rule + "<div class=\"extra\">{{Back Extra}}</div>{{/Back Extra}}" + footer +
           "</div>"},
  };
  return type;
}

NoteType code_type() {
  NoteType type;
  type.kind = NoteKind::code;
  type.sort_field = 1;  // the code: most code cards ask the same question
  type.name = "prepkit Code";
  type.fields = {{"Front", 10530077538241},   {"Code", 5060560607617233},
                 {"Back", 521580341335379},   {"Extra", 1276713141529849},
                 {"Topic", 4081394198862005}, {"Booklet", 7917726217480552}};
  type.templates = {
      {"Card 1", 6815769617826556,
       "<div class=\"pk pk-code\"><div class=\"front\">{{Front}}</div>{{Code}}</div>",
       "<div class=\"pk pk-code\"><div class=\"front\">{{Front}}</div>{{Code}}" + answer_rule +
           "<div class=\"back\">{{Back}}</div>" + extra_block + footer + "</div>"},
  };
  return type;
}

// --- colours --------------------------------------------------------------------------

std::string hex(const model::Color& color) {
  auto channel = [](double value) {
    const double clamped = std::clamp(value, 0.0, 1.0);
    return static_cast<int>(std::lround(clamped * 255.0));
  };
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "#%02x%02x%02x", channel(color.r), channel(color.g),
                channel(color.b));
  return buffer;
}

struct Hsl {
  double h = 0;
  double s = 0;
  double l = 0;
};

Hsl to_hsl(const model::Color& c) {
  const double high = std::max({c.r, c.g, c.b});
  const double low = std::min({c.r, c.g, c.b});
  Hsl hsl;
  hsl.l = (high + low) / 2;
  const double delta = high - low;
  if (delta <= 1e-9) {
    return hsl;
  }
  hsl.s = delta / (1 - std::abs(2 * hsl.l - 1));
  if (high == c.r) {
    hsl.h = std::fmod((c.g - c.b) / delta + 6, 6);
  } else if (high == c.g) {
    hsl.h = (c.b - c.r) / delta + 2;
  } else {
    hsl.h = (c.r - c.g) / delta + 4;
  }
  hsl.h *= 60;
  return hsl;
}

model::Color from_hsl(const Hsl& hsl) {
  const double chroma = (1 - std::abs(2 * hsl.l - 1)) * hsl.s;
  const double h = hsl.h / 60;
  const double x = chroma * (1 - std::abs(std::fmod(h, 2) - 1));
  double r = 0;
  double g = 0;
  double b = 0;
  if (h < 1) {
    r = chroma, g = x;
  } else if (h < 2) {
    r = x, g = chroma;
  } else if (h < 3) {
    g = chroma, b = x;
  } else if (h < 4) {
    g = x, b = chroma;
  } else if (h < 5) {
    r = x, b = chroma;
  } else {
    r = chroma, b = x;
  }
  const double m = hsl.l - chroma / 2;
  return {r + m, g + m, b + m};
}

// Night-mode twin of a foreground colour: same hue, light enough for a dark background.
model::Color night_foreground(const model::Color& color) {
  Hsl hsl = to_hsl(color);
  hsl.l = std::max(0.72, 1 - hsl.l);
  hsl.s = std::min(hsl.s, 0.65);
  return from_hsl(hsl);
}

// Night-mode twin of a light background or rule colour: same hue, dark.
model::Color night_background(const model::Color& color, double lightness) {
  Hsl hsl = to_hsl(color);
  hsl.l = lightness;
  hsl.s = std::min(hsl.s, 0.25);
  return from_hsl(hsl);
}

// `text` for a CSS string or comment inside the <style> element Anki wraps the CSS in: each
// character that could end either, start a tag or begin an escape becomes a CSS escape.
std::string css_escaped(std::string_view text) {
  std::string out;
  for (const char ch : text) {
    const auto byte = static_cast<unsigned char>(ch);
    if (byte < 0x20 || byte == 0x7f ||
        std::string_view("\"'\\*/<>&").find(ch) != std::string_view::npos) {
      char escape[8];
      std::snprintf(escape, sizeof escape, "\\%x ", byte);
      out += escape;
    } else {
      out += ch;
    }
  }
  return out;
}

std::string font_stack(const model::FontSpec& font, std::string_view fallbacks) {
  std::string stack;
  if (!font.family.empty()) {
    stack = "\"" + css_escaped(font.family) + "\", ";
  }
  return stack + std::string(fallbacks);
}

// --- a small renderer of Anki's template language, for `req` ------------------------

bool field_has_content(const std::map<std::string, std::string>& values, const std::string& name) {
  const auto found = values.find(name);
  return found != values.end() && !is_blank_field(found->second);
}

std::string trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) {
    return {};
  }
  const auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

// Sections first ({{#F}}…{{/F}}, {{^F}}…{{/F}}), then replacements ({{F}}, {{filter:F}}),
// as Anki 2.1's renderer does.
std::string render_template(std::string text, const std::map<std::string, std::string>& values) {
  for (;;) {
    std::size_t open = std::string::npos;
    for (std::size_t at = text.find("{{"); at != std::string::npos; at = text.find("{{", at + 2)) {
      if (at + 2 < text.size() && (text[at + 2] == '#' || text[at + 2] == '^')) {
        open = at;
        break;
      }
    }
    if (open == std::string::npos) {
      break;
    }
    const std::size_t name_end = text.find("}}", open);
    if (name_end == std::string::npos) {
      break;
    }
    const std::string name = trim(text.substr(open + 3, name_end - open - 3));
    const std::string closing = "{{/" + name + "}}";
    const std::size_t close = text.find(closing, name_end + 2);
    if (close == std::string::npos) {
      break;
    }
    const bool inverted = text[open + 2] == '^';
    const bool shown = field_has_content(values, name) != inverted;
    const std::string inner = text.substr(name_end + 2, close - name_end - 2);
    text = text.substr(0, open) + (shown ? inner : "") + text.substr(close + closing.size());
  }
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t open = text.find("{{", pos);
    if (open == std::string::npos) {
      break;
    }
    const std::size_t close = text.find("}}", open + 2);
    if (close == std::string::npos) {
      break;
    }
    out += text.substr(pos, open - pos);
    std::string name = trim(text.substr(open + 2, close - open - 2));
    if (const auto colon = name.rfind(':'); colon != std::string::npos) {
      name = trim(name.substr(colon + 1));
    }
    if (const auto found = values.find(name); found != values.end()) {
      out += found->second;
    }
    pos = close + 2;
  }
  out += text.substr(pos);
  return out;
}

std::vector<int> cloze_numbers(const std::string& html) {
  std::set<int> numbers;
  for (std::size_t at = html.find("{{c"); at != std::string::npos; at = html.find("{{c", at + 3)) {
    std::size_t pos = at + 3;
    int number = 0;
    while (pos < html.size() && html[pos] >= '0' && html[pos] <= '9' && number < 100000) {
      number = number * 10 + (html[pos] - '0');
      ++pos;
    }
    if (pos > at + 3 && html.compare(pos, 2, "::") == 0 && number > 0) {
      numbers.insert(number);
    }
  }
  return {numbers.begin(), numbers.end()};
}

}  // namespace

std::string note_type_css(const model::Layout& layout) {
  const model::Colors& c = layout.colors;
  const std::string sans = font_stack(
      layout.fonts.sans, "\"Segoe UI\", Roboto, \"Helvetica Neue\", Helvetica, Arial, sans-serif");
  const std::string mono = font_stack(
      layout.fonts.mono,
      "\"DejaVu Sans Mono\", Menlo, Consolas, \"Liberation Mono\", \"Roboto Mono\", monospace");
  const model::Color night_text{0.90, 0.90, 0.89};
  const model::Color night_page{0.12, 0.12, 0.13};

  std::string css;
  css += "/* prepkit note types: generated from layout \"" + css_escaped(layout.name) +
         "\"; edits are overwritten by the next import. */\n";
  css +=
      ".card {\n  font-family: " + sans +
      ";\n  font-size: 19px;\n  line-height: 1.45;\n  text-align: left;\n  color: " + hex(c.text) +
      ";\n  background-color: #ffffff;\n  margin: 0;\n  padding: 14px 16px;\n}\n";
  css += ".pk { max-width: 42em; margin: 0 auto; overflow-wrap: break-word; }\n";
  css += ".pk .front { font-size: 1.05em; }\n";
  css += ".pk hr#answer { border: none; border-top: 2px solid " + hex(c.accent) +
         "; margin: 0.9em 0; }\n";
  css += ".pk p { margin: 0 0 0.6em; }\n.pk p:last-child { margin-bottom: 0; }\n";
  css += ".pk ul, .pk ol { margin: 0.3em 0 0.6em; padding-left: 1.4em; }\n";
  css += ".pk li { margin: 0.15em 0; }\n";
  css += ".pk a, .pk .xref { color: " + hex(c.link) + "; }\n";
  css += ".pk .page { color: " + hex(c.muted) + "; font-size: 0.85em; white-space: nowrap; }\n";
  css += ".pk code { font-family: " + mono +
         "; font-size: 0.86em; background-color: " + hex(c.code_background) +
         "; border-radius: 3px; padding: 0.05em 0.25em; }\n";
  css += ".pk pre { font-family: " + mono +
         "; font-size: 15px; line-height: 1.4; color: " + hex(c.tokens[0].color) +
         "; background-color: " + hex(c.code_background) + "; border: 1px solid " +
         hex(c.code_border) +
         "; border-radius: 6px; padding: 0.6em 0.8em; margin: 0.6em 0; white-space: pre; "
         "overflow-x: auto; tab-size: 4; text-align: left; }\n";
  // Coding fonts (JetBrains Mono) draw -> and >= as ligatures; readers must see what to type.
  css +=
      ".pk code, .pk pre { font-variant-ligatures: none; font-feature-settings: \"liga\" 0, "
      "\"calt\" 0; }\n";
  css += ".pk pre code { font-size: inherit; background: none; padding: 0; border-radius: 0; }\n";
  css += ".pk pre.output::before { content: \"Output\"; display: block; font-family: " + sans +
         "; font-size: 0.75em; letter-spacing: 0.05em; text-transform: uppercase; color: " +
         hex(c.muted) + "; margin-bottom: 0.2em; }\n";
  css += ".pk blockquote { margin: 0.6em 0; padding-left: 0.8em; border-left: 3px solid " +
         hex(c.code_border) + "; color: " + hex(c.muted) + "; }\n";
  css += ".pk img { max-width: 100%; height: auto; }\n";
  css += ".pk .cloze { font-weight: bold; color: " + hex(c.accent) + "; }\n";
  css += ".pk .extra { margin-top: 0.8em; }\n";
  css += ".pk .ref { margin-top: 1.2em; padding-top: 0.4em; border-top: 1px solid " +
         hex(c.code_border) + "; font-size: 0.78em; color: " + hex(c.muted) + "; }\n";
  css += ".pk .ref .topic + .booklet::before { content: \" \\203a  \"; }\n";
  for (std::size_t i = 1; i < model::all_highlight_tags.size(); ++i) {
    const model::TokenStyle& token = c.tokens[i];
    css += ".hl-" + std::string(model::highlight_tag_name(model::all_highlight_tags[i])) +
           " { color: " + hex(token.color) + ";";
    if (token.bold) {
      css += " font-weight: bold;";
    }
    if (token.italic) {
      css += " font-style: italic;";
    }
    css += " }\n";
  }

  // Night mode: desktop, AnkiMobile and new AnkiDroid add nightMode, old AnkiDroid night_mode.
  auto night = [](std::string_view selector) {
    return ".nightMode " + std::string(selector) + ", .night_mode " + std::string(selector);
  };
  css += ".card.nightMode, .card.night_mode { color: " + hex(night_text) +
         "; background-color: " + hex(night_page) + "; }\n";
  css +=
      night(".pk hr#answer") + " { border-top-color: " + hex(night_foreground(c.accent)) + "; }\n";
  css += night(".pk a") + ", " + night(".pk .xref") + " { color: " + hex(night_foreground(c.link)) +
         "; }\n";
  css += night(".pk .page") + ", " + night(".pk .ref") + ", " + night(".pk blockquote") + ", " +
         night(".pk pre.output::before") + " { color: " + hex(night_foreground(c.muted)) + "; }\n";
  css += night(".pk code") +
         " { background-color: " + hex(night_background(c.code_background, 0.19)) + "; }\n";
  css += night(".pk pre") + " { color: " + hex(night_text) +
         "; background-color: " + hex(night_background(c.code_background, 0.16)) +
         "; border-color: " + hex(night_background(c.code_border, 0.30)) + "; }\n";
  css += night(".pk pre code") + " { background: none; }\n";
  css += night(".pk .ref") + ", " + night(".pk blockquote") +
         " { border-color: " + hex(night_background(c.code_border, 0.30)) + "; }\n";
  css += night(".pk .cloze") + " { color: " + hex(night_foreground(c.accent)) + "; }\n";
  for (std::size_t i = 1; i < model::all_highlight_tags.size(); ++i) {
    const std::string selector =
        ".hl-" + std::string(model::highlight_tag_name(model::all_highlight_tags[i]));
    css += night(selector) + " { color: " + hex(night_foreground(c.tokens[i].color)) + "; }\n";
  }

  // Phones: smaller type, and code wraps instead of scrolling sideways (a sideways swipe
  // is an answer gesture on AnkiDroid). Each code line (see code_block_html) becomes a row:
  // its indentation, then its text, whose wrapped part hangs 2ch under the line's start.
  css += "@media (max-width: 480px) {\n";
  css += "  .card { font-size: 17px; padding: 10px 10px; }\n";
  css += "  .pk pre { font-size: 13px; padding: 0.5em 0.6em; white-space: pre-wrap; }\n";
  css += "  .pk pre .ln { display: flex; }\n";
  css += "  .pk pre .ind { flex: none; white-space: pre; }\n";
  css +=
      "  .pk pre .tx { flex: 1; min-width: 0; padding-left: 2ch; text-indent: -2ch; "
      "overflow-wrap: anywhere; }\n";
  css += "}\n";
  return css;
}

const char* note_kind_name(NoteKind kind) {
  switch (kind) {
    case NoteKind::basic:
      return "basic";
    case NoteKind::cloze:
      return "cloze";
    case NoteKind::code:
      return "code";
  }
  return "basic";
}

std::int64_t default_note_type_id(const std::string& pack, NoteKind kind) {
  const std::string digest =
      util::sha256_hex(std::string("prepkit-note-type\x1f") + pack + "\x1f" + note_kind_name(kind));
  // 2014-2017 in milliseconds, like the deck ids: never a stock type's, never in the future.
  return 1'400'000'000'000 +
         static_cast<std::int64_t>(std::stoull(digest.substr(0, 15), nullptr, 16) %
                                   100'000'000'000ULL);
}

std::vector<NoteType> make_note_types(const model::Layout& layout, const std::string& pack_label,
                                      const std::map<std::string, std::int64_t>& ids) {
  std::vector<NoteType> types = {basic_type(), cloze_type(), code_type()};
  const std::string css = note_type_css(layout);
  for (NoteType& type : types) {
    type.id = ids.at(note_kind_name(type.kind));
    if (!pack_label.empty()) {
      type.name += " (" + pack_label + ")";
    }
    type.css = css;
  }
  return types;
}

std::vector<Requirement> compute_requirements(const NoteType& type) {
  static const std::string sentinel = "ankiflag";
  std::vector<Requirement> requirements;
  for (std::size_t ord = 0; ord < type.templates.size(); ++ord) {
    const std::string& qfmt = type.templates[ord].qfmt;
    std::map<std::string, std::string> full;
    std::map<std::string, std::string> empty;
    for (const FieldDef& field : type.fields) {
      full[field.name] = sentinel;
      empty[field.name] = "";
    }
    Requirement requirement;
    requirement.ord = static_cast<int>(ord);
    const std::string empty_render = render_template(qfmt, empty);
    if (render_template(qfmt, full) == empty_render) {
      requirement.kind = "none";
      requirements.push_back(requirement);
      continue;
    }
    requirement.kind = "all";
    for (std::size_t i = 0; i < type.fields.size(); ++i) {
      auto values = full;
      values[type.fields[i].name] = "";
      if (render_template(qfmt, values).find(sentinel) == std::string::npos) {
        requirement.fields.push_back(static_cast<int>(i));
      }
    }
    if (requirement.fields.empty()) {
      requirement.kind = "any";
      for (std::size_t i = 0; i < type.fields.size(); ++i) {
        auto values = empty;
        values[type.fields[i].name] = "1";
        if (render_template(qfmt, values) != empty_render) {
          requirement.fields.push_back(static_cast<int>(i));
        }
      }
    }
    requirements.push_back(requirement);
  }
  return requirements;
}

std::vector<int> card_ordinals(const NoteType& type, const std::vector<std::string>& fields) {
  return card_ordinals(
      type, type.is_cloze() ? std::vector<Requirement>() : compute_requirements(type), fields);
}

std::vector<int> card_ordinals(const NoteType& type, const std::vector<Requirement>& requirements,
                               const std::vector<std::string>& fields) {
  std::vector<int> ordinals;
  if (type.is_cloze()) {
    for (const int number : cloze_numbers(fields.at(0))) {
      ordinals.push_back(number - 1);
    }
    return ordinals;
  }
  // Old clients decide with `req` on the raw field text, modern Anki by rendering the front;
  // field content is never whitespace-only HTML here, so both agree.
  auto present = [&fields](int index) {
    return trim(fields.at(static_cast<std::size_t>(index))).size() > 0;
  };
  for (const Requirement& requirement : requirements) {
    bool ok = false;
    if (requirement.kind == "all") {
      ok = std::all_of(requirement.fields.begin(), requirement.fields.end(), present);
    } else if (requirement.kind == "any") {
      ok = std::any_of(requirement.fields.begin(), requirement.fields.end(), present);
    }
    if (ok) {
      ordinals.push_back(requirement.ord);
    }
  }
  return ordinals;
}

std::string note_type_hash(const NoteType& type) {
  std::string text = "prepkit-note-type-v1\x1f" + std::to_string(type.id) + "\x1f" + type.name +
                     "\x1f" + (type.is_cloze() ? "cloze" : "standard") + "\x1f" +
                     std::to_string(type.sort_field);
  for (const FieldDef& field : type.fields) {
    text += "\x1e" + field.name + "\x1f" + std::to_string(field.id);
  }
  for (const TemplateDef& tmpl : type.templates) {
    text += "\x1e" + tmpl.name + "\x1f" + std::to_string(tmpl.id) + "\x1f" + tmpl.qfmt + "\x1f" +
            tmpl.afmt;
  }
  text += "\x1e" + type.css;
  return util::sha256_hex(text, 16);
}

util::JsonValue note_type_json(const NoteType& type, std::int64_t mod_seconds,
                               std::int64_t deck_id) {
  using util::JsonArray;
  using util::JsonObject;
  JsonArray fields;
  for (std::size_t i = 0; i < type.fields.size(); ++i) {
    fields.emplace_back(JsonObject{
        {"name", type.fields[i].name},
        {"ord", static_cast<int>(i)},
        {"id", type.fields[i].id},
        {"sticky", false},
        {"rtl", false},
        {"font", "Arial"},
        {"size", 20},
        {"media", JsonArray{}},
    });
  }
  JsonArray templates;
  for (std::size_t i = 0; i < type.templates.size(); ++i) {
    templates.emplace_back(JsonObject{
        {"name", type.templates[i].name},
        {"ord", static_cast<int>(i)},
        {"id", type.templates[i].id},
        {"qfmt", type.templates[i].qfmt},
        {"afmt", type.templates[i].afmt},
        {"bqfmt", ""},
        {"bafmt", ""},
        {"did", nullptr},
        {"bfont", ""},
        {"bsize", 0},
    });
  }
  JsonObject object{
      {"id", type.id},
      {"name", type.name},
      {"type", type.is_cloze() ? 1 : 0},
      {"mod", mod_seconds},
      {"usn", -1},
      {"sortf", type.sort_field},
      {"did", deck_id},
      {"css", type.css},
      {"latexPre",
       "\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n"
       "\\usepackage[utf8]{inputenc}\n\\usepackage{amssymb,amsmath}\n\\pagestyle{empty}\n"
       "\\setlength{\\parindent}{0in}\n\\begin{document}\n"},
      {"latexPost", "\\end{document}"},
      {"latexsvg", false},
      {"tags", JsonArray{}},
      {"vers", JsonArray{}},
      {"flds", std::move(fields)},
      {"tmpls", std::move(templates)},
  };
  if (!type.is_cloze()) {
    JsonArray req;
    for (const Requirement& requirement : compute_requirements(type)) {
      JsonArray field_list;
      for (const int field : requirement.fields) {
        field_list.emplace_back(field);
      }
      req.emplace_back(JsonArray{requirement.ord, requirement.kind, std::move(field_list)});
    }
    object.emplace_back("req", std::move(req));
  }
  return object;
}

}  // namespace anki
