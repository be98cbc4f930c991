#include "pdf/font_locator.hpp"

#include <fontconfig/fontconfig.h>

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "util/error.hpp"

namespace pdf {
namespace {

constexpr std::size_t bmp_words = 0x10000 / 64;

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// Style names differ between foundries ("Book" vs "Regular", "Oblique" vs "Italic").
std::string normalized_style(const std::string& style) {
  std::string text = lower(style);
  const auto replace_all = [&](const std::string& from, const std::string& to) {
    for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at)) {
      text.replace(at, from.size(), to);
      at += to.size();
    }
  };
  replace_all("oblique", "italic");
  if (text == "book" || text == "roman" || text == "normal" || text.empty()) {
    text = "regular";
  }
  return text;
}

std::string spec_name(const model::FontSpec& spec) {
  return spec.file.empty() ? "'" + spec.family + " " + spec.style + "'" : "'" + spec.file + "'";
}

std::string install_hint(const std::string& family, const std::string& style) {
  const std::string package = package_for_font(family, style);
  if (package.empty()) {
    return "install a package that provides it (fc-list shows the installed fonts) or name "
           "its file in the layout";
  }
  return "install the Debian package " + package;
}

struct PatternDeleter {
  void operator()(FcPattern* pattern) const { FcPatternDestroy(pattern); }
};
struct FontSetDeleter {
  void operator()(FcFontSet* set) const { FcFontSetDestroy(set); }
};
struct ObjectSetDeleter {
  void operator()(FcObjectSet* set) const { FcObjectSetDestroy(set); }
};

std::vector<std::string> strings_of(FcPattern* pattern, const char* object) {
  std::vector<std::string> values;
  FcChar8* value = nullptr;
  for (int i = 0; FcPatternGetString(pattern, object, i, &value) == FcResultMatch; ++i) {
    values.emplace_back(reinterpret_cast<const char*>(value));
  }
  return values;
}

Coverage coverage_of(FcPattern* pattern) {
  Coverage coverage;
  FcCharSet* charset = nullptr;
  if (FcPatternGetCharSet(pattern, FC_CHARSET, 0, &charset) != FcResultMatch) {
    return coverage;
  }
  FcChar32 map[FC_CHARSET_MAP_SIZE];
  FcChar32 next = 0;
  for (FcChar32 base = FcCharSetFirstPage(charset, map, &next);
       base != FC_CHARSET_DONE && base < 0x10000; base = FcCharSetNextPage(charset, map, &next)) {
    for (FcChar32 word = 0; word < FC_CHARSET_MAP_SIZE; ++word) {
      for (FcChar32 bit = 0; bit < 32; ++bit) {
        if ((map[word] >> bit) & 1U) {
          coverage.add(base + word * 32 + bit);
        }
      }
    }
  }
  return coverage;
}

void check_format(FcPattern* pattern, const model::FontSpec& spec, const std::string& file) {
  const std::vector<std::string> formats = strings_of(pattern, FC_FONTFORMAT);
  const std::string format = formats.empty() ? "unknown" : formats.front();
  if (format != "TrueType") {
    throw util::ToolError("failed to use font " + spec_name(spec) + ": " + file + " is " + format +
                          ", but libharu needs TrueType (glyf) outlines");
  }
  const std::string extension = lower(std::filesystem::path(file).extension().string());
  if (extension == ".ttc" || extension == ".otc") {
    throw util::ToolError("failed to use font " + spec_name(spec) + ": " + file +
                          " is a font collection; name a single .ttf file");
  }
}

}  // namespace

Coverage::Coverage() : m_bits(bmp_words, 0) {}

Coverage Coverage::everything() {
  Coverage coverage;
  coverage.m_everything = true;
  return coverage;
}

void Coverage::add(char32_t code) {
  if (code < 0x10000) {
    m_bits[code / 64] |= std::uint64_t{1} << (code % 64);
  }
}

bool Coverage::has(char32_t code) const {
  if (m_everything) {
    return true;
  }
  return code < 0x10000 && ((m_bits[code / 64] >> (code % 64)) & 1U) != 0;
}

std::string package_for_font(const std::string& family, const std::string& style) {
  const std::string name = lower(family);
  const std::string kind = normalized_style(style);
  if (name.rfind("dejavu", 0) == 0) {
    const bool core = kind == "regular" || kind == "bold";
    return core && name.find("condensed") == std::string::npos ? "fonts-dejavu-core"
                                                               : "fonts-dejavu-extra";
  }
  if (name == "jetbrains mono") {
    return "fonts-jetbrains-mono";
  }
  if (name.rfind("liberation", 0) == 0) {
    return "fonts-liberation2";
  }
  if (name == "noto sans mono") {
    return "fonts-noto-mono";
  }
  if (name.rfind("noto", 0) == 0) {
    return "fonts-noto-core";
  }
  if (name == "fira code") {
    return "fonts-firacode";
  }
  if (name == "hack") {
    return "fonts-hack";
  }
  if (name == "charis sil") {
    return "fonts-sil-charis";
  }
  if (name == "open sans") {
    return "fonts-open-sans";
  }
  return "";
}

struct FontLocator::Fontconfig {
  FcConfig* config = nullptr;
};

FontLocator::FontLocator() : m_fontconfig(std::make_unique<Fontconfig>()) {
  m_fontconfig->config = FcInitLoadConfigAndFonts();
  if (m_fontconfig->config == nullptr) {
    throw util::ToolError("failed to initialise fontconfig: no configuration could be loaded");
  }
}

FontLocator::~FontLocator() {
  FcConfigDestroy(m_fontconfig->config);
}

const ResolvedFont& FontLocator::locate(const model::FontSpec& spec) {
  const std::string key = spec.file + "\n" + spec.family + "\n" + spec.style;
  if (auto found = m_cache.find(key); found != m_cache.end()) {
    return found->second;
  }

  ResolvedFont resolved;
  if (!spec.file.empty()) {
    if (!std::filesystem::is_regular_file(spec.file)) {
      throw util::ToolError("failed to open font file '" + spec.file + "': no such file");
    }
    int count = 0;
    std::unique_ptr<FcPattern, PatternDeleter> pattern(
        FcFreeTypeQuery(reinterpret_cast<const FcChar8*>(spec.file.c_str()), 0, nullptr, &count));
    if (!pattern) {
      throw util::ToolError("failed to read font file '" + spec.file + "': not a font");
    }
    check_format(pattern.get(), spec, spec.file);
    const auto families = strings_of(pattern.get(), FC_FAMILY);
    const auto styles = strings_of(pattern.get(), FC_STYLE);
    resolved.file = spec.file;
    resolved.family = families.empty() ? spec.file : families.front();
    resolved.style = styles.empty() ? "Regular" : styles.front();
    resolved.coverage = coverage_of(pattern.get());
    return m_cache.emplace(key, std::move(resolved)).first->second;
  }

  // List every face of the family, then choose by style ourselves: fontconfig's best match
  // always returns *something*, even for a family that is not installed.
  std::unique_ptr<FcPattern, PatternDeleter> query(FcPatternCreate());
  FcPatternAddString(query.get(), FC_FAMILY, reinterpret_cast<const FcChar8*>(spec.family.c_str()));
  std::unique_ptr<FcObjectSet, ObjectSetDeleter> objects(
      FcObjectSetBuild(FC_FAMILY, FC_STYLE, FC_FILE, FC_FONTFORMAT, FC_CHARSET, nullptr));
  std::unique_ptr<FcFontSet, FontSetDeleter> faces(
      FcFontList(m_fontconfig->config, query.get(), objects.get()));

  const std::string wanted = normalized_style(spec.style);
  FcPattern* chosen = nullptr;
  std::string chosen_file;
  bool chosen_truetype = false;
  std::vector<std::string> available;
  const int face_count = faces ? faces->nfont : 0;
  for (int i = 0; i < face_count; ++i) {
    FcPattern* face = faces->fonts[i];
    const auto families = strings_of(face, FC_FAMILY);
    const bool family_matches = std::any_of(families.begin(), families.end(), [&](const auto& f) {
      return lower(f) == lower(spec.family);
    });
    const auto styles = strings_of(face, FC_STYLE);
    const auto files = strings_of(face, FC_FILE);
    if (!family_matches || styles.empty() || files.empty()) {
      continue;
    }
    available.push_back(styles.front());
    // The first style name is the face's own ("ExtraBold,Regular" is an ExtraBold face).
    if (normalized_style(styles.front()) != wanted) {
      continue;
    }
    const auto formats = strings_of(face, FC_FONTFORMAT);
    const bool truetype = !formats.empty() && formats.front() == "TrueType";
    // Prefer TrueType over other formats, then the smallest path: deterministic choice.
    const bool better = chosen == nullptr || (truetype && !chosen_truetype) ||
                        (truetype == chosen_truetype && files.front() < chosen_file);
    if (better) {
      chosen = face;
      chosen_file = files.front();
      chosen_truetype = truetype;
    }
  }
  if (chosen == nullptr) {
    std::sort(available.begin(), available.end());
    available.erase(std::unique(available.begin(), available.end()), available.end());
    std::string reason = available.empty() ? "not installed" : "the family has no such style";
    if (!available.empty()) {
      reason += " (installed:";
      for (const auto& style : available) {
        reason += " " + style + (&style == &available.back() ? ")" : ",");
      }
    }
    throw util::ToolError("failed to find font " + spec_name(spec) + ": " + reason + "; " +
                          install_hint(spec.family, spec.style));
  }
  check_format(chosen, spec, chosen_file);
  resolved.file = chosen_file;
  resolved.family = spec.family;
  resolved.style = strings_of(chosen, FC_STYLE).front();
  resolved.coverage = coverage_of(chosen);
  return m_cache.emplace(key, std::move(resolved)).first->second;
}

}  // namespace pdf
