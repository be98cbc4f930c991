#include "booklet/blocks.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <type_traits>

#include "text/highlight_code.hpp"
#include "util/error.hpp"
#include "util/image_file.hpp"
#include "util/utf8.hpp"

namespace booklet {
namespace {

constexpr double image_dpi = 150;  // natural size of an image on paper

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

}  // namespace

std::string page_reference(int page) {
  return ", p.\u00A0" + (page > 0 ? std::to_string(page) : std::string("?"));
}

std::string smart_quotes(std::string_view title) {
  const bool paired = std::count(title.begin(), title.end(), '`') % 2 == 0;
  std::string out;
  bool code = false;
  char previous = ' ';
  for (char c : title) {
    if (c == '`' && paired) {
      code = !code;
    } else if (!code && (c == '\'' || c == '"')) {
      // After a word, a code span or closing punctuation a quote closes ("`String`'s").
      // (The last byte of an opening quote or a dash opens, as a space does.)
      const bool closes = previous != ' ' && previous != '(' && previous != '[' &&
                          previous != '\x9C' && previous != '\x93' && previous != '\x94';
      if (c == '\'') {
        out += closes ? "\u2019" : "\u2018";
      } else {
        out += closes ? "\u201D" : "\u201C";
      }
      previous = 'x';
      continue;
    }
    out += c;
    previous = c;
  }
  return out;
}

std::string strip_backticks(std::string_view title) {
  const std::string curled = smart_quotes(title);
  if (std::count(curled.begin(), curled.end(), '`') % 2 != 0) {
    return curled;
  }
  std::string out;
  for (char c : curled) {
    if (c != '`') {
      out += c;
    }
  }
  return out;
}

void BlockSetter::add_title(ParagraphBuilder& builder, std::string_view plain_title,
                            const TextStyle& style) {
  const std::string curled = smart_quotes(plain_title);
  const std::string_view title = curled;
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
  const auto break_at = [&](double measure) {
    BreakParams params;
    params.width = measure;
    params.justify = false;
    params.ragged_stretch = 3 * style.size;
    ParagraphBuilder builder(m_context.faces, m_context.measure, nullptr, params);
    add_title(builder, title, style);
    return break_lines(builder.finish(), params);
  };
  std::vector<Line> lines = break_at(width);
  // A title of several lines is set balanced, at the narrowest measure that needs no more
  // lines, so that its last line is not one short word ("… from main to" / "handler").
  if (lines.size() > 1) {
    double fits = width;
    double too_narrow = width / static_cast<double>(lines.size() + 1);
    for (int step = 0; step < 10; ++step) {
      const double measure = (fits + too_narrow) / 2;
      const std::vector<Line> tried = break_at(measure);
      const bool overfull = std::any_of(tried.begin(), tried.end(), [&](const Line& line) {
        return line.width > measure + 0.01;  // narrower than its widest word
      });
      (tried.size() > lines.size() || overfull ? too_narrow : fits) = measure;
    }
    lines = break_at(fits);
  }
  std::vector<VBox> boxes;
  for (const Line& line : lines) {
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
      // A program stays with its output, and "… like this:" with the code it introduces,
      // unless that would leave much of the page white.
      if (output_after_code) {
        out.penalty(typeset::kept_together_break);
        out.glue(0.3 * m_context.para_gap());
      } else if (introduces(body[i - 1]) &&
                 std::holds_alternative<model::CodeBlock>(body[i].node)) {
        out.penalty(typeset::kept_together_break);
        out.glue(m_context.para_gap());
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
    add_text(key, run.link);
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

std::vector<VBox> BlockSetter::centred_lines(std::string_view text, const TextStyle& style,
                                             double x, double width, double line_height,
                                             const std::vector<Background>& backgrounds) {
  BreakParams params;
  params.width = width;
  params.justify = false;
  params.ragged_stretch = 3 * style.size;
  const text::Hyphenator* hyphenator =
      style.hyphenate && m_context.layout.hyphenate ? m_context.hyphenator : nullptr;
  std::vector<VBox> boxes;
  for (const Line& line :
       set_text(m_context.faces, m_context.measure, hyphenator, params, text, style)) {
    boxes.push_back(line_box(line, x + std::max(0.0, (width - line.width) / 2), line_height,
                             style.size, backgrounds));
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
  std::string error;
  const std::optional<util::ImageInfo> pixels = util::read_image_header(file, error);
  if (!pixels) {
    throw util::ToolError("failed to read image " + file + ": " + error);
  }
  double width = pixels->width * 72.0 / image_dpi;
  double height = pixels->height * 72.0 / image_dpi;
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
    // Centred under the image, on a measure no narrower than 60 % of the column's.
    const double measure = std::max(width, 0.6 * frame.width);
    for (VBox& line : centred_lines(image.alt, caption, frame.x + (frame.width - measure) / 2,
                                    measure, caption.size * 1.35, frame.backgrounds)) {
      out.box(std::move(line));
    }
  }
}

}  // namespace booklet
