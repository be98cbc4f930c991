// The faces the booklet and the print products draw with: one per typographic role, each
// with its fallback chain, and the per-character choice of face (libharu has no fallback).
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/layout.hpp"
#include "pdf/font_locator.hpp"
#include "pdf/pages.hpp"
#include "util/utf8.hpp"

namespace typeset {

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
  // The font files of `fonts`, in the order the PDF embeds them.
  [[nodiscard]] std::vector<std::string> files() const;
};

// Locates every face of the layout (throws util::ToolError when one is missing).
FaceTable resolve_faces(const model::FontSet& fonts, pdf::FontLocator& locator);

// A table with the same roles whose faces cover every character and have no files: for
// layout tests with a fixed-width measure.
FaceTable fake_faces(const model::FontSet& fonts);

// Calls `visit(face, piece)` for each maximal piece of `text` that one face draws, in
// order; a character no face of the chain has stays with the primary face (check_fonts
// reports it before layout). The pieces are views into `text`.
template <typename Visit>
void for_each_face_run(const FaceTable& faces, Role role, std::string_view text, Visit&& visit) {
  const int primary = faces.primary(role);
  const pdf::Coverage& primary_coverage = faces.coverage[static_cast<std::size_t>(primary)];
  int run_face = -1;
  std::size_t run_start = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t start = pos;
    const char32_t code = util::decode_utf8(text, pos);
    int face = primary_coverage.has(code) ? primary : faces.face_for(role, code);
    if (face < 0) {
      face = primary;
    }
    if (face != run_face) {
      if (run_face >= 0) {
        visit(run_face, text.substr(run_start, start - run_start));
      }
      run_face = face;
      run_start = start;
    }
  }
  if (run_face >= 0) {
    visit(run_face, text.substr(run_start));
  }
}

// The same pieces as a list of copies.
std::vector<std::pair<int, std::string>> split_by_face(const FaceTable& faces, Role role,
                                                       std::string_view text);

}  // namespace typeset
