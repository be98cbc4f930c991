#include "load/load_layout.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <regex>
#include <set>

#include "load/builtin_layouts.hpp"
#include "load/key_table.hpp"
#include "load/map_reader.hpp"
#include "load/yaml_tree.hpp"
#include "util/files.hpp"

namespace load {
namespace {

using model::Diagnostics;

constexpr double points_per_mm = 72.0 / 25.4;
// Layouts are a few KB; a megabyte is room for any, and bounds what `layout:` may read.
constexpr util::InputLimit layout_input{"a layout", util::mebibyte};

struct PageSize {
  double width;
  double height;
};

const std::map<std::string, PageSize>& page_sizes() {
  static const std::map<std::string, PageSize> sizes = {
      {"A4", {595.28, 841.89}},
      {"Letter", {612.0, 792.0}},
      {"A5", {419.53, 595.28}},
      {"half-letter", {396.0, 612.0}},
  };
  return sizes;
}

class LayoutReader {
 public:
  LayoutReader(model::Layout& layout, Diagnostics& diagnostics)
      : m_layout(layout), m_diagnostics(diagnostics) {}

  void read(const YamlNode& root) {
    MapReader reader(root, "layout", keys_of("layout"), m_diagnostics);
    if (!reader.is_map()) {
      return;
    }
    if (std::string name = reader.string("name"); !name.empty()) {
      m_layout.name = name;
    }
    if (const YamlNode* page = reader.find("page")) {
      read_page(*page);
    }
    if (const YamlNode* fonts = reader.find("fonts")) {
      read_fonts(*fonts);
    }
    if (const YamlNode* sizes = reader.find("sizes")) {
      read_sizes(*sizes);
    }
    if (const YamlNode* colors = reader.find("colors")) {
      read_colors(*colors);
    }
    if (const YamlNode* typography = reader.find("typography")) {
      read_typography(*typography);
    }
    if (const YamlNode* products = reader.find("products")) {
      read_products(*products);
    }
  }

 private:
  // "25mm", "1in", "10pt", "10" (points) → points, from `low` to `high` points; reports and
  // returns `fallback` if bad.
  double length(const YamlNode* node, const std::string& key, double fallback, double low = 0,
                double high = max_page_points) {
    if (node == nullptr) {
      return fallback;
    }
    static const std::regex length_re(R"(^\s*([0-9]+(?:\.[0-9]+)?)\s*(mm|cm|in|pt)?\s*$)");
    std::smatch match;
    // (std::regex recurses per character: a long value must not reach it)
    if (node->kind != YamlNode::Kind::scalar || node->value.size() > 64 ||
        !std::regex_match(node->value, match, length_re)) {
      m_diagnostics.error(node->where,
                          "'" + key + "' must be a length such as 20mm, 0.75in or 10pt");
      return fallback;
    }
    double value = std::strtod(match[1].str().c_str(), nullptr);  // HUGE_VAL when too large
    const std::string unit = match[2].str();
    const double scale = unit == "mm"   ? points_per_mm
                         : unit == "cm" ? 10 * points_per_mm
                         : unit == "in" ? 72.0
                                        : 1.0;
    value *= scale;
    if (!(value >= low && value <= high)) {
      char range[96];
      std::snprintf(range, sizeof range, "from %gmm to %gmm",
                    std::round(low / points_per_mm * 10) / 10,
                    std::round(high / points_per_mm * 10) / 10);
      m_diagnostics.error(node->where, "'" + key + "' must be a length " + range);
      return fallback;
    }
    return value;
  }

  double number(const YamlNode* node, const std::string& key, double fallback, double low,
                double high) {
    if (node == nullptr) {
      return fallback;
    }
    try {
      std::size_t used = 0;
      double value = node->kind == YamlNode::Kind::scalar ? std::stod(node->value, &used) : NAN;
      if (used == node->value.size() && value >= low && value <= high) {
        return value;
      }
    } catch (const std::exception&) {
      // reported below
    }
    char range[64];
    std::snprintf(range, sizeof range, "%g and %g", low, high);
    m_diagnostics.error(node->where, "'" + key + "' must be a number between " + range);
    return fallback;
  }

  void read_typography(const YamlNode& node) {
    MapReader typo(node, "typography", keys_of("typography"), m_diagnostics);
    m_layout.justify = typo.boolean("justify", m_layout.justify);
    m_layout.hyphenate = typo.boolean("hyphenate", m_layout.hyphenate);
    m_layout.running_header = typo.boolean("running_header", m_layout.running_header);
    const std::string start = typo.string("topic_start");
    const YamlNode* start_node = typo.find("topic_start");
    if (start == "auto") {
      m_layout.topic_start = model::TopicStart::automatic;
    } else if (start == "new_page") {
      m_layout.topic_start = model::TopicStart::new_page;
    } else if (start_node != nullptr && start_node->kind == YamlNode::Kind::scalar) {
      m_diagnostics.error(start_node->where, "unknown topic_start '" + start + "'",
                          "use auto (a topic continues on the page when there is room) or "
                          "new_page (every topic starts a page)");
    }
  }

  void read_page(const YamlNode& node) {
    MapReader page(node, "page", keys_of("page"), m_diagnostics);
    std::string size = page.string("size");
    if (!size.empty() && size != "custom") {
      auto found = page_sizes().find(size);
      if (found == page_sizes().end()) {
        m_diagnostics.error(page.find("size")->where, "unknown page size '" + size + "'",
                            "use A4, Letter, A5, half-letter or custom (with width and height)");
      } else {
        m_layout.page_width = found->second.width;
        m_layout.page_height = found->second.height;
      }
    }
    if ((page.find("width") != nullptr || page.find("height") != nullptr) && size != "custom") {
      m_diagnostics.error(page.where(), "width and height need 'size: custom'");
    }
    m_layout.page_width =
        length(page.find("width"), "width", m_layout.page_width, min_page_points, max_page_points);
    m_layout.page_height = length(page.find("height"), "height", m_layout.page_height,
                                  min_page_points, max_page_points);
    if (const YamlNode* margins_node = page.find("margins")) {
      MapReader margins(*margins_node, "margins", keys_of("margins"), m_diagnostics);
      m_layout.margin_inner = length(margins.find("inner"), "inner", m_layout.margin_inner);
      m_layout.margin_outer = length(margins.find("outer"), "outer", m_layout.margin_outer);
      m_layout.margin_top = length(margins.find("top"), "top", m_layout.margin_top);
      m_layout.margin_bottom = length(margins.find("bottom"), "bottom", m_layout.margin_bottom);
    }
    double text_width = m_layout.page_width - m_layout.margin_inner - m_layout.margin_outer;
    double text_height = m_layout.page_height - m_layout.margin_top - m_layout.margin_bottom;
    if (text_width < 144 || text_height < 144) {
      m_diagnostics.error(node.where, "the margins leave less than 2 inches for the text");
    }
  }

  void read_font(const YamlNode& node, const std::string& key, model::FontSpec& font) {
    MapReader reader(node, "font '" + key + "'", keys_of("font"), m_diagnostics);
    if (!reader.is_map()) {
      return;
    }
    if (std::string family = reader.string("family"); !family.empty()) {
      font.family = family;
    }
    if (std::string style = reader.string("style"); !style.empty()) {
      font.style = style;
    }
    font.file = reader.string("file");
    if (font.family.empty() && font.file.empty()) {
      m_diagnostics.error(node.where, "font '" + key + "' needs a family or a file");
    }
  }

  void read_fonts(const YamlNode& node) {
    model::FontSet& fonts = m_layout.fonts;
    const std::map<std::string, model::FontSpec*> roles = {
        {"serif", &fonts.serif},
        {"serif_bold", &fonts.serif_bold},
        {"serif_italic", &fonts.serif_italic},
        {"serif_bold_italic", &fonts.serif_bold_italic},
        {"sans", &fonts.sans},
        {"sans_bold", &fonts.sans_bold},
        {"mono", &fonts.mono},
        {"mono_bold", &fonts.mono_bold},
        {"mono_italic", &fonts.mono_italic},
        {"mono_bold_italic", &fonts.mono_bold_italic},
    };
    MapReader reader(node, "fonts", keys_of("fonts"), m_diagnostics);
    for (const auto& [key, spec] : roles) {
      if (const YamlNode* font = reader.find(key)) {
        read_font(*font, key, *spec);
      }
    }
    for (auto [key, chain] : {std::pair{"fallback_text", &fonts.fallback_text},
                              std::pair{"fallback_code", &fonts.fallback_code}}) {
      if (const YamlNode* list = reader.list(key)) {
        chain->clear();
        for (const YamlNode& item : list->items) {
          model::FontSpec font{"", "Book", ""};
          read_font(item, key, font);
          chain->push_back(font);
        }
      }
    }
  }

  void read_sizes(const YamlNode& node) {
    model::TypeSizes& sizes = m_layout.sizes;
    MapReader reader(node, "sizes", keys_of("sizes"), m_diagnostics);
    const std::map<std::string, double*> lengths = {
        {"body", &sizes.body},       {"code", &sizes.code},         {"part", &sizes.h_part},
        {"topic", &sizes.h_topic},   {"section", &sizes.h_section}, {"minor", &sizes.h_minor},
        {"caption", &sizes.caption}, {"title", &sizes.title},
    };
    for (const auto& [key, value] : lengths) {
      *value = length(reader.find(key), key, *value);
      if (*value < 4 || *value > 72) {
        m_diagnostics.error(reader.where(), "size '" + key + "' must be between 4pt and 72pt");
      }
    }
    sizes.leading = number(reader.find("leading"), "leading", sizes.leading, 1.0, 3.0);
  }

  bool color(const YamlNode* node, const std::string& key, model::Color& out) {
    if (node == nullptr) {
      return false;
    }
    static const std::regex hex_re(R"(^#([0-9a-fA-F]{6})$)");
    std::smatch match;
    if (node->kind != YamlNode::Kind::scalar || node->value.size() != 7 ||
        !std::regex_match(node->value, match, hex_re)) {
      m_diagnostics.error(node->where, "colour '" + key + "' must be written as \"#rrggbb\"");
      return false;
    }
    unsigned long rgb = std::stoul(match[1].str(), nullptr, 16);
    out = {static_cast<double>((rgb >> 16U) & 0xFFU) / 255.0,
           static_cast<double>((rgb >> 8U) & 0xFFU) / 255.0,
           static_cast<double>(rgb & 0xFFU) / 255.0};
    return true;
  }

  void read_colors(const YamlNode& node) {
    model::Colors& colors = m_layout.colors;
    MapReader reader(node, "colors", keys_of("colors"), m_diagnostics);
    const std::map<std::string, model::Color*> named = {
        {"text", &colors.text},
        {"heading", &colors.heading},
        {"accent", &colors.accent},
        {"muted", &colors.muted},
        {"link", &colors.link},
        {"code_background", &colors.code_background},
        {"code_border", &colors.code_border},
        {"keypoints_background", &colors.keypoints_background},
        {"pitfall_background", &colors.pitfall_background},
        {"pitfall_rule", &colors.pitfall_rule},
    };
    for (const auto& [key, value] : named) {
      color(reader.find(key), key, *value);
    }
    const YamlNode* tokens = reader.find("tokens");
    if (tokens == nullptr) {
      return;
    }
    MapReader token_reader(*tokens, "tokens", keys_of("tokens"), m_diagnostics);
    for (std::size_t i = 0; i < model::all_highlight_tags.size(); ++i) {
      std::string key(model::highlight_tag_name(model::all_highlight_tags[i]));
      const YamlNode* style = token_reader.find(key);
      if (style == nullptr) {
        continue;
      }
      MapReader style_reader(*style, "token style '" + key + "'", keys_of("token_style"),
                             m_diagnostics);
      model::TokenStyle& token = colors.tokens[i];
      color(style_reader.find("color"), key, token.color);
      token.bold = style_reader.boolean("bold", token.bold);
      token.italic = style_reader.boolean("italic", token.italic);
    }
  }

  void read_products(const YamlNode& node) {
    model::Products& products = m_layout.products;
    MapReader reader(node, "products", keys_of("products"), m_diagnostics);
    products.booklet = reader.boolean("booklet", products.booklet);
    products.imposed = reader.boolean("imposed", products.imposed);
    products.flashcards = reader.boolean("flashcards", products.flashcards);
    if (std::string sheet = reader.string("sheet"); !sheet.empty()) {
      if (sheet != "A4" && sheet != "Letter") {
        m_diagnostics.error(reader.find("sheet")->where, "sheet must be A4 or Letter");
      } else {
        products.sheet = sheet;
      }
    }
    products.creep_mm = length(reader.find("creep"), "creep", products.creep_mm * points_per_mm, 0,
                               max_creep_mm * points_per_mm) /
                        points_per_mm;
  }

  model::Layout& m_layout;
  Diagnostics& m_diagnostics;
};

}  // namespace

std::string builtin_layout_path(std::string_view name) {
  return std::string(builtin_folder) + "/" + std::string(name) + ".yaml";
}

std::optional<std::string_view> builtin_layout_text(std::string_view path) {
  for (const BuiltinLayout& layout : builtin_layouts()) {
    if (path == builtin_layout_path(layout.name)) {
      return layout.yaml;
    }
  }
  return std::nullopt;
}

std::string layout_path(const std::string& name_or_path, const std::string& layouts_dir) {
  bool is_path = name_or_path.find('/') != std::string::npos ||
                 (name_or_path.size() > 5 && name_or_path.ends_with(".yaml"));
  if (is_path) {
    return name_or_path;
  }
  // The pack's own layout of that name, else the built-in one.
  std::string own = layouts_dir + "/" + name_or_path + ".yaml";
  std::string builtin = builtin_layout_path(name_or_path);
  if (!std::filesystem::exists(own) && builtin_layout_text(builtin)) {
    return builtin;
  }
  return own;
}

namespace {

// The names of the built-in layouts and of those in `folder`, sorted.
std::vector<std::string> layout_names(const std::string& folder) {
  std::set<std::string> names;
  for (const BuiltinLayout& layout : builtin_layouts()) {
    names.emplace(layout.name);
  }
  if (folder != builtin_folder) {
    for (const std::string& file : util::list_files(folder.empty() ? "." : folder, ".yaml")) {
      names.insert(file.substr(0, file.size() - 5));
    }
  }
  return {names.begin(), names.end()};
}

std::string did_you_mean_layout(const std::string& name, const std::string& folder) {
  const std::vector<std::string> names = layout_names(folder);
  const std::string best = closest_match(name, {names.begin(), names.end()});
  return best.empty() ? "" : "did you mean '" + best + "'?";
}

std::optional<std::string> read_layout_text(const std::string& path, std::string& error) {
  if (path.starts_with(std::string(builtin_folder) + "/")) {
    if (std::optional<std::string_view> text = builtin_layout_text(path)) {
      return std::string(*text);
    }
    error = "there is no built-in layout of that name";
    return std::nullopt;
  }
  return util::read_file(path, error, layout_input);
}

// Reads `yaml` over `layout`; `extends: name` first reads that layout (from the same
// folder), so a variant states only what differs.
void read_layout(const std::string& yaml, const std::string& file_name, int depth,
                 model::Layout& layout, Diagnostics& diagnostics) {
  std::optional<YamlNode> root = parse_yaml(yaml, file_name, diagnostics);
  if (!root) {
    return;
  }
  if (root->kind == YamlNode::Kind::map) {
    for (const auto& [key, value] : root->entries) {
      if (key.value != "extends" || value.kind != YamlNode::Kind::scalar) {
        continue;
      }
      std::string folder = std::filesystem::path(file_name).parent_path().string();
      std::string base;
      if (folder == builtin_folder) {  // built-in layouts extend built-in ones only
        base = builtin_layout_path(value.value);
      } else {
        base = layout_path(value.value, folder.empty() ? "." : folder);
        if (base == file_name) {  // layouts/letter.yaml may extend the built-in letter
          base = builtin_layout_path(value.value);
        } else if (base == value.value && !std::filesystem::path(base).is_absolute()) {
          base = (std::filesystem::path(folder) / base)
                     .lexically_normal()
                     .string();  // relative to this file
        }
      }
      std::string error;
      std::optional<std::string> text = read_layout_text(base, error);
      if (depth > 8) {
        diagnostics.error(value.where, "layouts extend each other in a loop");
      } else if (!text) {
        diagnostics.error(value.where,
                          "cannot read layout '" + value.value + "' (" + base + "): " + error,
                          did_you_mean_layout(value.value, folder));
      } else {
        read_layout(*text, base, depth + 1, layout, diagnostics);
      }
    }
  }
  LayoutReader(layout, diagnostics).read(*root);
}

}  // namespace

model::Layout load_layout_from(const std::string& yaml, const std::string& file_name,
                               Diagnostics& diagnostics) {
  model::Layout layout;
  read_layout(yaml, file_name, 0, layout, diagnostics);
  layout.source = file_name;
  return layout;
}

model::Layout load_layout(const std::string& path, Diagnostics& diagnostics) {
  std::string error;
  std::optional<std::string> text = read_layout_text(path, error);
  if (!text) {
    std::error_code code;
    if (std::filesystem::exists(path, code)) {  // there, but not readable: no other name helps
      diagnostics.error({path, 0, 0}, "cannot read layout: " + error);
      return {};
    }
    // Name the layouts there are, so that a typo in `layout:` or --layout is easy to see.
    const std::string folder = std::filesystem::path(path).parent_path().string();
    const std::string stem = std::filesystem::path(path).stem().string();
    std::string hint = did_you_mean_layout(stem, folder);
    if (hint.empty()) {
      std::string list;
      for (const std::string& name : layout_names(folder)) {
        list += (list.empty() ? "" : ", ") + name;
      }
      hint = "the layouts are " + list + " (built in or in " + (folder.empty() ? "." : folder) +
             "/), or give a path";
    }
    diagnostics.error({path, 0, 0}, "cannot read layout: " + error, hint);
    return {};
  }
  return load_layout_from(*text, path, diagnostics);
}

}  // namespace load
