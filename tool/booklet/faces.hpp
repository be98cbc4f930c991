// The faces a booklet draws with: one per typographic role, each with its fallback chain,
// and the per-character choice of face (libharu has no fallback of its own).
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/layout.hpp"
#include "pdf/font_locator.hpp"
#include "pdf/pages.hpp"

namespace booklet {

enum class Role {
  serif,
  serif_bold,
  serif_italic,
  serif_bold_italic,
  sans,
  sans_bold,
  mono,
  mono_bold,
  mono_italic,
  mono_bold_italic,
};
inline constexpr std::size_t role_count = 10;

// Role of an inline run with model::InlineStyle flags (serif text or mono inline code).
Role role_for_style(unsigned style);
// Role of a highlighted code token drawn bold and/or italic.
Role mono_role(bool bold, bool italic);
// The same role with bold added (serif → serif_bold, mono_italic → mono_bold_italic, …).
Role bold_of(Role role);
Role italic_of(Role role);
bool is_mono(Role role);

struct FaceTable {
  std::vector<pdf::FontFace> fonts;                 // what the PDF embeds
  std::vector<pdf::Coverage> coverage;              // per font
  std::array<std::vector<int>, role_count> chains;  // role → primary face, then fallbacks

  // First face of the role's chain that has `code`, or -1 when none has it.
  [[nodiscard]] int face_for(Role role, char32_t code) const;
  // "DejaVu Serif Book, DejaVu Sans Book" — the faces tried for a role.
  [[nodiscard]] std::string chain_label(Role role) const;
  [[nodiscard]] int primary(Role role) const { return chains[static_cast<std::size_t>(role)][0]; }
};

// Locates every face of the layout (throws util::ToolError when one is missing).
FaceTable resolve_faces(const model::FontSet& fonts, pdf::FontLocator& locator);

// A table with the same roles whose faces cover every character and have no files: for
// layout tests with a fixed-width measure.
FaceTable fake_faces(const model::FontSet& fonts);

// Splits `text` into maximal pieces that one face draws; a character no face of the chain
// has stays with the primary face (check_fonts reports it before layout).
std::vector<std::pair<int, std::string>> split_by_face(const FaceTable& faces, Role role,
                                                       std::string_view text);

}  // namespace booklet
