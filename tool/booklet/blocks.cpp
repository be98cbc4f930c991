#include "booklet/blocks.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <type_traits>

#include "text/highlight_rust.hpp"
#include "util/error.hpp"
#include "util/utf8.hpp"

namespace booklet {
namespace {

constexpr std::size_t unsplittable_code_rows = 12;  // shorter code blocks never split
constexpr int code_split_cost = 300;                // split between two non-blank lines
constexpr double image_dpi = 150;                   // natural size of an image on paper

std::string expand_tabs(const std::string& line) {
  std::string out;
  std::size_t column = 0;
  for (std::size_t pos = 0; pos < line.size();) {
    const std::size_t start = pos;
    const char32_t code = util::decode_utf8(line, pos);
    if (code == '\t') {
      const std::size_t spaces = 4 - column % 4;
      out.append(spaces, ' ');
      column += spaces;
    } else {
      out.append(line, start, pos - start);
      ++column;
    }
  }
  return out;
}

std::string display_url(std::string url) {
  for (const char* scheme : {"https://", "http://", "mailto:"}) {
    if (url.rfind(scheme, 0) == 0) {
      url.erase(0, std::char_traits<char>::length(scheme));
      break;
    }
  }
  if (url.size() > 1 && url.back() == '/') {
    url.pop_back();
  }
  return url;
}

// Pixel size of a PNG or JPEG file from its header; {0, 0} when unreadable.
std::pair<double, double> image_pixels(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(data[i]); };
  const auto be16 = [&](std::size_t i) { return (byte(i) << 8U) | byte(i + 1); };
  const auto be32 = [&](std::size_t i) {
    return (static_cast<unsigned long>(be16(i)) << 16U) | be16(i + 2);
  };
  if (data.size() >= 24 && data.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0) {
    return {static_cast<double>(be32(16)), static_cast<double>(be32(20))};
  }
  if (data.size() >= 4 && byte(0) == 0xFF && byte(1) == 0xD8) {
    std::size_t pos = 2;
    while (pos + 9 < data.size()) {
      if (byte(pos) != 0xFF) {
        ++pos;
        continue;
      }
      const unsigned marker = byte(pos + 1);
      const bool frame =
          marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
      if (frame) {
        return {static_cast<double>(be16(pos + 7)), static_cast<double>(be16(pos + 5))};
      }
      pos += 2 + be16(pos + 2);
    }
  }
  return {0, 0};
}

// A paragraph ending in a colon introduces what follows.
bool introduces(const model::Block& block) {
  const auto* paragraph = std::get_if<model::Paragraph>(&block.node);
  if (paragraph == nullptr) {
    return false;
  }
  for (auto run = paragraph->inlines.rbegin(); run != paragraph->inlines.rend(); ++run) {
    const std::size_t last = run->text.find_last_not_of(" \n");
    if (run->kind == model::Inline::Kind::text && last != std::string::npos) {
      return run->text[last] == ':';
    }
  }
  return false;
}

// Appends the bytes of a plain value to a cache key.
template <typename T>
void add_value(std::string& key, const T& value) {
  static_assert(std::is_trivially_copyable_v<T>);
  key.append(reinterpret_cast<const char*>(&value), sizeof value);
}

// Appends text with its length, so that consecutive texts cannot run into each other.
void add_text(std::string& key, std::string_view text) {
  add_value(key, text.size());
  key += text;
}

// Key of a code or output block's rows: its kind, its measure and its lines.
std::string code_key(std::string_view kind, double width, const std::vector<std::string>& lines) {
  std::string key;
  add_text(key, kind);
  add_value(key, width);
  for (const std::string& line : lines) {
    add_text(key, line);
  }
  return key;
}

// Set text under `key`: the cache's, else made by `set`. While `keep`, what is set is stored
// for a later pass; otherwise the cache's is taken out and what is set is not stored.
template <typename Value, typename Set>
std::shared_ptr<const Value> reuse_or_set(SetCache& cache, const std::string& key, bool keep,
                                          Set&& set) {
  constexpr bool is_lines = std::is_same_v<Value, SetLines>;
  std::shared_ptr<const Value> found;
  if constexpr (is_lines) {
    found = keep ? cache.lines(key) : cache.take_lines(key);
  } else {
    found = keep ? cache.code_rows(key) : cache.take_code_rows(key);
  }
  if (found) {
    return found;
  }
  auto made = std::make_shared<const Value>(set());
  if (!keep) {
    return made;
  }
  if constexpr (is_lines) {
    return cache.add_lines(key, std::move(made));
  } else {
    return cache.add_code_rows(key, std::move(made));
  }
}

}  // namespace

SetCodeRows::SetCodeRows(const std::vector<CodeRow>& rows) {
  kinds.reserve(rows.size());
  for (const CodeRow& row : rows) {
    for (const auto& [x, piece] : row.pieces) {
      text.add(x, piece);
    }
    text.end_line();
    kinds.push_back({row.continued, row.blank});
  }
  text.shrink_to_fit();
}

SetCache::Lines SetCache::take_lines(const std::string& key) {
  const std::lock_guard<std::mutex> lock(m_mutex);
  auto node = m_lines.extract(key);
  return node.empty() ? nullptr : std::move(node.mapped());
}

SetCache::CodeRows SetCache::take_code_rows(const std::string& key) {
  const std::lock_guard<std::mutex> lock(m_mutex);
  auto node = m_code_rows.extract(key);
  return node.empty() ? nullptr : std::move(node.mapped());
}

SetCache::Lines SetCache::lines(const std::string& key) const {
  const std::lock_guard<std::mutex> lock(m_mutex);
  const auto found = m_lines.find(key);
  return found == m_lines.end() ? nullptr : found->second;
}

SetCache::Lines SetCache::add_lines(const std::string& key, Lines lines) {
  const std::lock_guard<std::mutex> lock(m_mutex);
  return m_lines.try_emplace(key, std::move(lines)).first->second;
}

SetCache::CodeRows SetCache::code_rows(const std::string& key) const {
  const std::lock_guard<std::mutex> lock(m_mutex);
  const auto found = m_code_rows.find(key);
  return found == m_code_rows.end() ? nullptr : found->second;
}

SetCache::CodeRows SetCache::add_code_rows(const std::string& key, CodeRows rows) {
  const std::lock_guard<std::mutex> lock(m_mutex);
  return m_code_rows.try_emplace(key, std::move(rows)).first->second;
}

std::string page_reference(int page) {
  return ", p.\u00A0" + (page > 0 ? std::to_string(page) : std::string("?"));
}

std::string strip_backticks(std::string_view title) {
  if (std::count(title.begin(), title.end(), '`') % 2 != 0) {
    return std::string(title);
  }
  std::string out;
  for (char c : title) {
    if (c != '`') {
      out += c;
    }
  }
  return out;
}

void BlockSetter::add_title(ParagraphBuilder& builder, std::string_view title,
                            const TextStyle& style) {
  if (std::count(title.begin(), title.end(), '`') % 2 != 0) {
    builder.add_text(title, style);  // an unpaired backtick is just a character
    return;
  }
  bool code = false;
  std::size_t start = 0;
  while (start <= title.size()) {
    std::size_t end = title.find('`', start);
    if (end == std::string_view::npos) {
      end = title.size();
    }
    if (end > start) {
      TextStyle run = style;
      if (code) {
        const bool bold = style.role == Role::sans_bold || style.role == Role::serif_bold ||
                          style.role == Role::serif_bold_italic;
        run.role = mono_role(bold, false);
        run.size = style.size * inline_code_scale;
        run.code = true;
        run.hyphenate = false;
      }
      builder.add_text(title.substr(start, end - start), run);
    }
    code = !code;
    start = end + 1;
  }
}

std::vector<VBox> BlockSetter::title_lines(std::string_view title, const TextStyle& style, double x,
                                           double width, double line_height) {
  BreakParams params;
  params.width = width;
  params.justify = false;
  params.ragged_stretch = 3 * style.size;
  ParagraphBuilder builder(m_context.faces, m_context.measure, nullptr, params);
  add_title(builder, title, style);
  std::vector<VBox> boxes;
  for (const Line& line : break_lines(builder.finish(), params)) {
    boxes.push_back(line_box(line, x, line_height, style.size, {}));
  }
  return boxes;
}

std::string anchor_of_link(const std::string& link) {
  if (link.size() < 2 || link[0] != '#') {
    return "";
  }
  const std::string target = link.substr(1);
  const std::size_t slash = target.find('/');
  if (slash == std::string::npos) {
    return model::topic_anchor(target);
  }
  return model::section_anchor(target.substr(0, slash), target.substr(slash + 1));
}

Frame BlockSetter::body_frame() const {
  const model::Layout& layout = m_context.layout;
  Frame frame;
  frame.width = m_context.block_width();
  frame.size = layout.sizes.body;
  frame.color = layout.colors.text;
  frame.justify = layout.justify;
  return frame;
}

void BlockSetter::body(const model::Body& body, const Frame& frame, VList& out) {
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (i > 0) {
      const bool output_after_code = std::holds_alternative<model::OutputBlock>(body[i].node) &&
                                     std::holds_alternative<model::CodeBlock>(body[i - 1].node);
      if (output_after_code) {
        out.glue(0.3 * m_context.para_gap());  // no break between a program and its output
      } else if (introduces(body[i - 1]) &&
                 std::holds_alternative<model::CodeBlock>(body[i].node)) {
        out.glue(m_context.para_gap());  // "… like this:" stays with the code it introduces
      } else {
        out.penalty(0);
        out.glue(frame.block_gap < 0 ? m_context.para_gap() : frame.block_gap);
      }
    }
    block(body[i], frame, out);
  }
}

void BlockSetter::block(const model::Block& block, const Frame& frame, VList& out) {
  std::visit(
      [&](const auto& node) {
        using T = std::decay_t<decltype(node)>;
        if constexpr (std::is_same_v<T, model::Paragraph>) {
          add_lines(out, paragraph_lines(node.inlines, frame));
        } else if constexpr (std::is_same_v<T, model::CodeBlock>) {
          code_block(node, frame, out);
        } else if constexpr (std::is_same_v<T, model::List>) {
          list(node, frame, out);
        } else if constexpr (std::is_same_v<T, model::OutputBlock>) {
          output_block(node, frame, out);
        } else if constexpr (std::is_same_v<T, model::Image>) {
          image(node, frame, out);
        } else if constexpr (std::is_same_v<T, model::Quote>) {
          quote(node, frame, out);
        }
      },
      block.node);
}

std::vector<VBox> BlockSetter::paragraph_lines(const model::Inlines& inlines, const Frame& frame) {
  const SetCache::Lines lines = reuse_or_set<SetLines>(
      *m_context.set_cache, paragraph_key(inlines, frame), m_context.keep_set_text,
      [&] { return break_paragraph(inlines, frame); });
  std::vector<VBox> boxes(lines->line_count());
  const double height = m_context.line_height(frame.size);
  for (std::size_t i = 0; i < boxes.size(); ++i) {
    VBox& box = boxes[i];
    box.height = height;
    box.baseline = Context::baseline(height, frame.size);
    if (!m_context.sizing_only) {
      box.backgrounds = frame.backgrounds;
      box.text = {lines, static_cast<std::uint32_t>(i), frame.x};
    }
  }
  return boxes;
}

std::string BlockSetter::paragraph_key(const model::Inlines& inlines, const Frame& frame) const {
  std::string key;
  add_value(key, frame.width);
  add_value(key, frame.size);
  add_value(key, frame.role);
  add_value(key, frame.style);
  add_value(key, frame.color);
  add_value(key, frame.justify);
  for (const model::Inline& run : inlines) {
    add_value(key, run.kind);
    add_value(key, run.style);
    add_text(key, run.text);
    add_text(key, run.link.str());
    const std::string anchor = anchor_of_link(run.link);
    if (!anchor.empty()) {
      add_value(key, m_context.page_guess.page_of(anchor));
    }
  }
  return key;
}

SetLines BlockSetter::break_paragraph(const model::Inlines& inlines, const Frame& frame) const {
  const model::Layout& layout = m_context.layout;
  BreakParams params;
  params.width = frame.width;
  // Justifying a narrow measure makes rivers; set it ragged instead.
  params.justify = frame.justify && frame.width >= 22 * frame.size;
  params.ragged_stretch = 2 * frame.size;
  ParagraphBuilder builder(m_context.faces, m_context.measure,
                           layout.hyphenate ? m_context.hyphenator : nullptr, params);
  const bool sans = frame.role == Role::sans || frame.role == Role::sans_bold;

  const auto style_of = [&](unsigned flags, const std::string& link) {
    TextStyle style;
    flags |= frame.style;
    style.code = (flags & model::style_code) != 0;
    if (sans && !style.code) {
      style.role = (flags & model::style_bold) != 0 || frame.role == Role::sans_bold
                       ? Role::sans_bold
                       : Role::sans;
    } else {
      style.role = role_for_style(flags);
    }
    style.size = style.code ? frame.size * inline_code_scale : frame.size;
    style.color = link.empty() ? frame.color : layout.colors.link;
    style.link = link;
    style.hyphenate = !style.code && link.empty();  // link text stays whole
    return style;
  };

  std::string link_text;
  for (std::size_t i = 0; i < inlines.size(); ++i) {
    const model::Inline& run = inlines[i];
    std::string link;
    const std::string anchor = anchor_of_link(run.link);
    if (!anchor.empty()) {
      link = m_context.anchors.count(anchor) != 0 ? "#" + anchor : "";
    } else if (!run.link.empty() && run.link[0] != '#') {
      link = run.link;
    }
    const TextStyle style = style_of(run.style, link);
    switch (run.kind) {
      case model::Inline::Kind::text:
        builder.add_text(run.text, style);
        link_text += run.text;
        break;
      case model::Inline::Kind::soft_break:
        builder.add_text(" ", style);
        link_text += " ";
        break;
      case model::Inline::Kind::line_break:
        builder.add_line_break(style);
        break;
    }
    const bool link_ends =
        !run.link.empty() && (i + 1 == inlines.size() || inlines[i + 1].link != run.link);
    if (!link_ends) {
      if (run.link.empty()) {
        link_text.clear();
      }
      continue;
    }
    if (!anchor.empty() && !link.empty()) {
      // A cross reference prints the page it points at: "see Lifetimes, p. 23".
      TextStyle suffix = style_of(model::style_plain, link);
      builder.add_text(page_reference(m_context.page_guess.page_of(anchor)), suffix);
    } else if (!link.empty()) {
      // Paper cannot be clicked: show where an external link goes unless the text says it.
      const std::string shown = display_url(link);
      if (link_text != link && link_text != shown) {
        TextStyle open = style_of(model::style_plain, link);
        TextStyle url = style_of(model::style_code, link);
        builder.add_text(" (", open);
        builder.add_text(shown, url);
        builder.add_text(")", open);
      }
    }
    link_text.clear();
  }
  return set_lines(builder.finish(), params);
}

std::vector<VBox> BlockSetter::text_lines(std::string_view text, const TextStyle& style, double x,
                                          double width, double line_height, bool justify,
                                          const std::vector<Background>& backgrounds) {
  BreakParams params;
  params.width = width;
  params.justify = justify;
  params.ragged_stretch = 3 * style.size;
  const text::Hyphenator* hyphenator =
      style.hyphenate && m_context.layout.hyphenate ? m_context.hyphenator : nullptr;
  std::vector<VBox> boxes;
  for (const Line& line :
       set_text(m_context.faces, m_context.measure, hyphenator, params, text, style)) {
    boxes.push_back(line_box(line, x, line_height, style.size, backgrounds));
  }
  return boxes;
}

void BlockSetter::add_lines(VList& out, std::vector<VBox> lines, int inner_cost) {
  const std::size_t count = lines.size();
  for (std::size_t i = 0; i < count; ++i) {
    out.box(std::move(lines[i]));
    const std::size_t before = i + 1;
    // No widows or orphans: at least two lines on each side of a page break.
    if (before < count && before >= 2 && count - before >= 2) {
      out.penalty(inner_cost);
    }
  }
}

VBox BlockSetter::line_box(const Line& line, double x, double line_height, double size,
                           const std::vector<Background>& backgrounds) const {
  VBox box;
  box.height = line_height;
  box.baseline = Context::baseline(line_height, size);
  if (m_context.sizing_only) {
    return box;
  }
  box.backgrounds = backgrounds;
  box.items.reserve(line.pieces.size());
  for (const PlacedPiece& placed : line.pieces) {
    const Piece& piece = placed.piece;
    box.items.emplace_back(
        pdf::TextRun{x + placed.x, box.baseline, piece.face, piece.size, piece.color, piece.text});
  }
  // One link rectangle per run of pieces with the same target.
  for (std::size_t i = 0; i < line.pieces.size();) {
    const std::string& link = line.pieces[i].piece.link;
    std::size_t j = i + 1;
    while (j < line.pieces.size() && line.pieces[j].piece.link == link) {
      ++j;
    }
    if (!link.empty()) {
      const PlacedPiece& last = line.pieces[j - 1];
      pdf::Link rect;
      rect.x = x + line.pieces[i].x;
      rect.y = 0;
      rect.width = last.x + last.piece.width - line.pieces[i].x;
      rect.height = line_height;
      if (link[0] == '#') {
        rect.anchor = link.substr(1);
      } else {
        rect.uri = link;
      }
      box.links.push_back(std::move(rect));
    }
    i = j;
  }
  return box;
}

std::vector<CodeRow> BlockSetter::code_rows(
    const std::vector<std::vector<std::pair<int, std::string>>>& lines, double width, double size) {
  const model::Layout& layout = m_context.layout;
  const FaceTable& faces = m_context.faces;
  struct Glyph {
    std::string_view text;  // in its token
    int face = 0;
    int tag = 0;
    double width = 0;
  };
  const int space_face = faces.face_for(Role::mono, ' ') >= 0 ? faces.face_for(Role::mono, ' ')
                                                              : faces.primary(Role::mono);
  const double space = m_context.measure.width(space_face, " ", size);

  // Code is mostly ASCII: the face and width of each ASCII character per role, found once.
  struct Known {
    int face = -1;  // -1: not looked up yet
    double width = 0;
  };
  std::array<std::array<Known, 128>, role_count> ascii;
  const auto face_and_width = [&](Role role, char32_t code, std::string_view text) {
    Known* known = code < 128 ? &ascii[static_cast<std::size_t>(role)][code] : nullptr;
    if (known != nullptr && known->face >= 0) {
      return *known;
    }
    Known found;
    found.face = faces.face_for(role, code);
    if (found.face < 0) {
      found.face = faces.primary(role);
    }
    found.width = m_context.measure.width(found.face, text, size);
    if (known != nullptr) {
      *known = found;
    }
    return found;
  };

  std::vector<CodeRow> rows;
  std::vector<Glyph> glyphs;
  for (const auto& tokens : lines) {
    glyphs.clear();
    for (const auto& [tag, token] : tokens) {
      const model::TokenStyle& look = layout.colors.tokens[static_cast<std::size_t>(tag)];
      const Role role = mono_role(look.bold, look.italic);
      for (std::size_t pos = 0; pos < token.size();) {
        const std::size_t start = pos;
        const char32_t code = util::decode_utf8(token, pos);
        Glyph glyph;
        glyph.text = std::string_view(token).substr(start, pos - start);
        const Known known = face_and_width(role, code, glyph.text);
        glyph.face = known.face;
        glyph.tag = tag;
        glyph.width = known.width;
        glyphs.push_back(glyph);
      }
    }
    if (glyphs.empty()) {
      CodeRow row;
      row.blank = true;
      rows.push_back(row);
      continue;
    }
    std::size_t lead = 0;
    while (lead < glyphs.size() && glyphs[lead].text == " ") {
      ++lead;
    }
    double continuation_x = static_cast<double>(lead) * space;
    if (continuation_x + 4 * space > width / 2) {
      continuation_x = 0;
    }
    const double text_x = continuation_x + 2 * space;

    std::size_t pos = 0;
    bool first = true;
    while (pos < glyphs.size()) {
      CodeRow row;
      row.continued = !first;
      double x = first ? 0 : text_x;
      const double limit = width;
      if (!first) {
        while (pos < glyphs.size() && glyphs[pos].text == " ") {
          ++pos;  // a wrapped row starts at its text
        }
        const auto marker = split_by_face(faces, Role::mono, "\u21AA");
        Piece arrow;
        arrow.text = marker.front().second;
        arrow.face = marker.front().first;
        arrow.size = size;
        arrow.color = layout.colors.muted;
        arrow.width = m_context.measure.width(arrow.face, arrow.text, size);
        row.pieces.emplace_back(continuation_x, arrow);
      }
      // How many glyphs fit; then prefer to wrap after a space or punctuation.
      std::size_t end = pos;
      double used = x;
      while (end < glyphs.size() && used + glyphs[end].width <= limit + 1e-6) {
        used += glyphs[end].width;
        ++end;
      }
      if (end == pos) {
        end = pos + 1;  // a single glyph wider than the row: place it anyway
      }
      if (end < glyphs.size()) {
        const std::size_t fitting = end - pos;
        for (std::size_t cut = end; cut > pos + fitting * 3 / 5; --cut) {
          const std::string_view before = glyphs[cut - 1].text;
          if (before == " " || before == "," || before == ";" || before == "(" || before == "." ||
              before == "{" || before == "[") {
            end = cut;
            break;
          }
        }
      }
      for (std::size_t i = pos; i < end; ++i) {
        const Glyph& glyph = glyphs[i];
        const model::TokenStyle& look = layout.colors.tokens[static_cast<std::size_t>(glyph.tag)];
        const bool joins = !row.pieces.empty() && i > pos &&
                           row.pieces.back().second.face == glyph.face &&
                           row.pieces.back().second.color == look.color;
        if (joins) {
          row.pieces.back().second.text += glyph.text;
          row.pieces.back().second.width += glyph.width;
        } else {
          Piece piece;
          piece.text = glyph.text;
          piece.face = glyph.face;
          piece.size = size;
          piece.color = look.color;
          piece.width = glyph.width;
          row.pieces.emplace_back(x, piece);
        }
        x += glyph.width;
      }
      // Trailing spaces draw nothing.
      while (!row.pieces.empty()) {
        Piece& last = row.pieces.back().second;
        const std::size_t trimmed = last.text.find_last_not_of(' ');
        if (trimmed == std::string::npos) {
          row.pieces.pop_back();
          continue;
        }
        if (trimmed + 1 < last.text.size()) {
          last.width -= static_cast<double>(last.text.size() - trimmed - 1) * space;
          last.text.erase(trimmed + 1);
        }
        break;
      }
      rows.push_back(std::move(row));
      pos = end;
      first = false;
    }
  }
  return rows;
}

void BlockSetter::add_code_rows(const SetCache::CodeRows& rows, const Frame& frame, VList& out,
                                const Background& background, double pad_x, double pad_y,
                                const std::string& label, const model::Color& label_color) {
  const model::Layout& layout = m_context.layout;
  const double size = layout.sizes.code;
  const double height = size * 1.32;
  const double baseline = Context::baseline(height, size);
  std::vector<Background> backgrounds = frame.backgrounds;
  backgrounds.push_back(background);
  const double left = frame.x + pad_x;
  const double inner_width = frame.width - 2 * pad_x;
  // The boxes share the rows' text (kept alive by `rows`).
  const std::shared_ptr<const SetLines> row_text(rows, &rows->text);

  const auto row_box = [&](std::optional<std::size_t> row) {
    VBox box;
    box.height = height;
    box.baseline = baseline;
    if (m_context.sizing_only) {
      return box;
    }
    box.backgrounds = backgrounds;
    if (row) {
      box.text = {row_text, static_cast<std::uint32_t>(*row), left};
    }
    return box;
  };
  const auto padding = [&](double h) {
    VBox box;
    box.height = h;
    box.lines = 0;
    box.backgrounds = backgrounds;
    return box;
  };

  std::vector<VBox> boxes;
  for (std::size_t row = 0; row < rows->kinds.size(); ++row) {
    boxes.push_back(row_box(row));
  }
  if (!label.empty()) {
    // A note such as "does not compile · E0382" at the top right, on the first row if the
    // code leaves room, else on a row of its own.
    const double caption = layout.sizes.caption;
    const auto pieces = split_by_face(m_context.faces, Role::sans, label);
    double label_width = 0;
    for (const auto& [face, text] : pieces) {
      label_width += m_context.measure.width(face, text, caption);
    }
    double first_width = 0;
    if (!boxes.empty() && row_text->end_run(0) > 0) {
      const SetLines::Run& last = row_text->run(row_text->end_run(0) - 1);
      first_width = last.x + last.width;
    }
    const bool fits = first_width + label_width + 3 * size <= inner_width;
    if (!fits || boxes.empty()) {
      boxes.insert(boxes.begin(), row_box(std::nullopt));
    }
    double x = left + inner_width - label_width;
    for (const auto& [face, text] : pieces) {
      boxes.front().items.emplace_back(pdf::TextRun{x, baseline, face, caption, label_color, text});
      x += m_context.measure.width(face, text, caption);
    }
  }

  out.box(padding(pad_y));
  const std::size_t count = boxes.size();
  const std::size_t offset = count - rows->kinds.size();  // a label row has no CodeRow
  const auto is_blank = [&](std::size_t i) { return i >= offset && rows->kinds[i - offset].blank; };
  for (std::size_t i = 0; i < count; ++i) {
    // A long block may break before a row (not inside a wrapped line, not within three
    // rows of either end); best at a blank line, whose space then disappears.
    const bool may_break = count > unsplittable_code_rows && i >= 3 && count - i >= 3 &&
                           i > offset && !rows->kinds[i - offset].continued && !is_blank(i - 1);
    if (may_break) {
      VBox marker = padding(pad_y + layout.sizes.caption * 1.5);
      marker.lines = 1;
      double x = left;
      for (const auto& [face, text] :
           split_by_face(m_context.faces, Role::serif_italic, "(continued)")) {
        marker.items.emplace_back(pdf::TextRun{x, pad_y + layout.sizes.caption * 1.05, face,
                                               layout.sizes.caption, layout.colors.muted, text});
        x += m_context.measure.width(face, text, layout.sizes.caption);
      }
      out.penalty(is_blank(i) ? 0 : code_split_cost, {marker});
    }
    if (is_blank(i) && i > 0 && i + 1 < count) {
      // Blank rows are glue: inside the block's background, dropped at a page break.
      out.glue(boxes[i].height);
    } else {
      out.box(std::move(boxes[i]));
    }
  }
  out.box(padding(pad_y));
}

void BlockSetter::code_block(const model::CodeBlock& code, const Frame& frame, VList& out) {
  const model::Layout& layout = m_context.layout;
  const bool rust = code.language == "rust" || code.check != model::CodeCheck::none;
  const double pad_x = 0.7 * layout.sizes.code;
  const double pad_y = 0.45 * layout.sizes.code;
  const double width = frame.width - 2 * pad_x;
  const auto set = [&] {
    std::vector<std::vector<std::pair<int, std::string>>> lines;
    if (rust) {
      std::string source;
      for (std::size_t i = 0; i < code.lines.size(); ++i) {
        source += (i > 0 ? "\n" : "") + code.lines[i];
      }
      for (const text::TokenLine& tokens : text::highlight_rust(source)) {
        auto& row = lines.emplace_back();
        for (const text::Token& token : tokens) {
          row.emplace_back(static_cast<int>(token.tag), token.text);
        }
      }
      lines.resize(code.lines.size());
    } else {
      for (const std::string& line : code.lines) {
        auto& row = lines.emplace_back();
        if (!line.empty()) {
          row.emplace_back(static_cast<int>(model::HighlightTag::plain), expand_tabs(line));
        }
      }
    }
    return code_rows(lines, width, layout.sizes.code);
  };
  const SetCache::CodeRows rows = reuse_or_set<SetCodeRows>(
      *m_context.set_cache, code_key(rust ? "rust" : "code", width, code.lines),
      m_context.keep_set_text, set);
  Background background;
  background.group = new_group();
  background.x = frame.x;
  background.width = frame.width;
  background.fill = layout.colors.code_background;
  background.border_width = 0.5;
  background.border_color = layout.colors.code_border;
  std::string label;
  if (code.check == model::CodeCheck::compile_fail) {
    label = code.error_code.empty() ? "does not compile" : "does not compile: " + code.error_code;
  } else if (code.check == model::CodeCheck::should_panic) {
    label = "panics";
  }
  add_code_rows(rows, frame, out, background, pad_x, pad_y, label, layout.colors.pitfall_rule);
}

void BlockSetter::output_block(const model::OutputBlock& output, const Frame& frame, VList& out) {
  const model::Layout& layout = m_context.layout;
  const double pad_x = 0.7 * layout.sizes.code + 2;
  const double width = frame.width - 2 * pad_x;
  const auto set = [&] {
    std::vector<std::vector<std::pair<int, std::string>>> lines;
    for (const std::string& line : output.lines) {
      auto& row = lines.emplace_back();
      if (!line.empty()) {
        row.emplace_back(static_cast<int>(model::HighlightTag::plain), expand_tabs(line));
      }
    }
    return code_rows(lines, width, layout.sizes.code);
  };
  const SetCache::CodeRows rows = reuse_or_set<SetCodeRows>(
      *m_context.set_cache, code_key("output", width, output.lines), m_context.keep_set_text, set);
  Background background;
  background.group = new_group();
  background.x = frame.x;
  background.width = frame.width;
  background.filled = false;
  background.rule_width = 2;
  background.rule_color = layout.colors.code_border;
  // The label row, then the lines.
  std::vector<Background> backgrounds = frame.backgrounds;
  backgrounds.push_back(background);
  const double caption = layout.sizes.caption;
  VBox label;
  label.height = caption * 1.6;
  label.baseline = caption * 1.2;
  label.backgrounds = backgrounds;
  label.lines = 0;
  double x = frame.x + pad_x;
  for (const auto& [face, text] : split_by_face(m_context.faces, Role::sans_bold, "Output")) {
    label.items.emplace_back(
        pdf::TextRun{x, label.baseline, face, caption, layout.colors.muted, text});
    x += m_context.measure.width(face, text, caption);
  }
  out.box(std::move(label));
  add_code_rows(rows, frame, out, background, pad_x, 0.3 * layout.sizes.code, "", {});
}

void BlockSetter::list(const model::List& list, const Frame& frame, VList& out) {
  const model::Layout& layout = m_context.layout;
  const double indent = 1.6 * frame.size;
  Frame inner = frame;
  inner.x += indent;
  inner.width -= indent;
  inner.justify = false;  // list items are short measures: ragged right
  inner.list_depth = frame.list_depth + 1;
  const double line_height = m_context.line_height(frame.size);
  if (list.tight) {
    inner.block_gap = 0.2 * line_height;
  }
  for (std::size_t i = 0; i < list.items.size(); ++i) {
    if (i > 0) {
      out.penalty(0);
      out.glue(list.tight ? 0.2 * line_height : m_context.para_gap());
    }
    VList item;
    body(list.items[i].blocks, inner, item);
    // The marker hangs in the indent, on the first baseline of the item.
    std::string marker;
    if (list.ordered) {
      marker = std::to_string(list.start + static_cast<int>(i)) + ".";
    } else {
      marker = frame.list_depth % 2 == 0 ? "\u2022" : "\u2013";
    }
    const Role role = frame.role == Role::sans || frame.role == Role::sans_bold ? Role::sans
                      : (frame.style & model::style_bold) != 0                  ? Role::serif_bold
                                                                                : Role::serif;
    for (VItem& entry : item.items()) {
      auto* box = std::get_if<VBox>(&entry);
      if (box == nullptr || box->lines == 0) {
        continue;
      }
      const auto pieces = split_by_face(m_context.faces, role, marker);
      double width = 0;
      for (const auto& [face, text] : pieces) {
        width += m_context.measure.width(face, text, frame.size);
      }
      double x = inner.x - 0.5 * frame.size - width;
      for (const auto& [face, text] : pieces) {
        box->items.emplace_back(pdf::TextRun{x, box->baseline, face, frame.size,
                                             list.ordered ? frame.color : layout.colors.muted,
                                             text});
        x += m_context.measure.width(face, text, frame.size);
      }
      break;
    }
    out.append(item);
  }
}

void BlockSetter::quote(const model::Quote& quote, const Frame& frame, VList& out) {
  const model::Layout& layout = m_context.layout;
  Frame inner = frame;
  const double indent = 1.4 * frame.size;
  inner.x += indent;
  inner.width -= indent;
  inner.color = layout.colors.muted;
  Background rule;
  rule.group = new_group();
  rule.x = frame.x + 0.3 * frame.size;
  rule.width = 0;
  rule.filled = false;
  rule.rule_width = 1.2;
  rule.rule_color = layout.colors.code_border;
  inner.backgrounds.push_back(rule);
  body(quote.blocks, inner, out);
}

void BlockSetter::image(const model::Image& image, const Frame& frame, VList& out) {
  const std::string file =
      (std::filesystem::path(m_context.document.content_dir) / image.path).string();
  const auto [pixels_wide, pixels_high] = image_pixels(file);
  if (pixels_wide <= 0 || pixels_high <= 0) {
    throw util::ToolError("failed to read image " + file + ": not a readable PNG or JPEG file");
  }
  double width = pixels_wide * 72.0 / image_dpi;
  double height = pixels_high * 72.0 / image_dpi;
  const double max_height = 0.45 * m_context.block_height();
  const double scale = std::min({1.0, frame.width / width, max_height / height});
  width *= scale;
  height *= scale;
  VBox box;
  box.height = height;
  box.backgrounds = frame.backgrounds;
  const double x = frame.x + (frame.width - width) / 2;
  box.items.emplace_back(pdf::Image{file, x, 0, width, height});
  out.box(std::move(box));
  if (!image.alt.empty()) {
    const model::Layout& layout = m_context.layout;
    TextStyle caption;
    caption.role = Role::serif_italic;
    caption.size = layout.sizes.caption + 0.5;
    caption.color = layout.colors.muted;
    out.glue(3);
    for (VBox& line :
         text_lines(image.alt, caption, x, width, caption.size * 1.35, false, frame.backgrounds)) {
      out.box(std::move(line));
    }
  }
}

}  // namespace booklet
