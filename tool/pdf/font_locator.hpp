// Finds the TrueType file for each font the layout asks for, and which characters it has.
// The only fontconfig user; everything else sees file paths and Coverage sets.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "model/layout.hpp"

namespace pdf {

// The set of Basic Multilingual Plane characters a face has a glyph for.
class Coverage {
 public:
  Coverage();
  // A set that contains every character (for fixed-width fakes in tests).
  static Coverage everything();

  void add(char32_t code);
  [[nodiscard]] bool has(char32_t code) const;

 private:
  std::vector<std::uint64_t> m_bits;
  bool m_everything = false;
};

struct ResolvedFont {
  std::string file;
  std::string family;  // as fontconfig reports it, e.g. "DejaVu Serif"
  std::string style;   // e.g. "Bold Italic"
  Coverage coverage;

  [[nodiscard]] std::string label() const { return family + " " + style; }
};

// Debian package that provides a family/style, or "" when unknown (used in error hints).
std::string package_for_font(const std::string& family, const std::string& style);

class FontLocator {
 public:
  FontLocator();
  FontLocator(const FontLocator&) = delete;
  FontLocator& operator=(const FontLocator&) = delete;
  ~FontLocator();

  // The verified TrueType file for `spec`: an explicit file wins; otherwise the installed
  // face whose family equals the request and whose style matches it. Results are cached.
  // Throws util::ToolError naming the Debian package when the font is missing or unusable.
  const ResolvedFont& locate(const model::FontSpec& spec);

 private:
  struct Fontconfig;
  std::unique_ptr<Fontconfig> m_fontconfig;
  std::map<std::string, ResolvedFont> m_cache;
};

}  // namespace pdf
