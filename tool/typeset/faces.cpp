#include "typeset/faces.hpp"

#include <algorithm>

#include "model/document.hpp"

namespace typeset {
namespace {

const model::FontSpec& spec_of(const model::FontSet& fonts, Role role) {
  switch (role) {
    case Role::serif:
      return fonts.serif;
    case Role::serif_bold:
      return fonts.serif_bold;
    case Role::serif_italic:
      return fonts.serif_italic;
    case Role::serif_bold_italic:
      return fonts.serif_bold_italic;
    case Role::sans:
      return fonts.sans;
    case Role::sans_bold:
      return fonts.sans_bold;
    case Role::mono:
      return fonts.mono;
    case Role::mono_bold:
      return fonts.mono_bold;
    case Role::mono_italic:
      return fonts.mono_italic;
    case Role::mono_bold_italic:
      return fonts.mono_bold_italic;
  }
  return fonts.serif;
}

constexpr std::array<Role, role_count> all_roles = {
    Role::serif,       Role::serif_bold,       Role::serif_italic, Role::serif_bold_italic,
    Role::sans,        Role::sans_bold,        Role::mono,         Role::mono_bold,
    Role::mono_italic, Role::mono_bold_italic,
};

// Builds the table from a function that turns a spec into (face, coverage).
template <typename Resolve>
FaceTable build(const model::FontSet& fonts, Resolve resolve) {
  FaceTable table;
  const auto index_of = [&](const model::FontSpec& spec) {
    auto [face, coverage] = resolve(spec);
    for (std::size_t i = 0; i < table.fonts.size(); ++i) {
      if (table.fonts[i].file == face.file) {
        return static_cast<int>(i);
      }
    }
    table.fonts.push_back(std::move(face));
    table.coverage.push_back(std::move(coverage));
    return static_cast<int>(table.fonts.size() - 1);
  };
  for (Role role : all_roles) {
    std::vector<int>& chain = table.chains[static_cast<std::size_t>(role)];
    chain.push_back(index_of(spec_of(fonts, role)));
    for (const model::FontSpec& spec : is_mono(role) ? fonts.fallback_code : fonts.fallback_text) {
      const int face = index_of(spec);
      if (std::find(chain.begin(), chain.end(), face) == chain.end()) {
        chain.push_back(face);
      }
    }
  }
  return table;
}

}  // namespace

Role role_for_style(unsigned style) {
  const bool bold = (style & model::style_bold) != 0;
  const bool italic = (style & model::style_italic) != 0;
  if ((style & model::style_code) != 0) {
    return mono_role(bold, italic);
  }
  if (bold && italic) {
    return Role::serif_bold_italic;
  }
  if (bold) {
    return Role::serif_bold;
  }
  return italic ? Role::serif_italic : Role::serif;
}

Role mono_role(bool bold, bool italic) {
  if (bold && italic) {
    return Role::mono_bold_italic;
  }
  if (bold) {
    return Role::mono_bold;
  }
  return italic ? Role::mono_italic : Role::mono;
}

Role bold_of(Role role) {
  switch (role) {
    case Role::serif:
      return Role::serif_bold;
    case Role::serif_italic:
      return Role::serif_bold_italic;
    case Role::sans:
      return Role::sans_bold;
    case Role::mono:
      return Role::mono_bold;
    case Role::mono_italic:
      return Role::mono_bold_italic;
    default:
      return role;
  }
}

Role italic_of(Role role) {
  switch (role) {
    case Role::serif:
      return Role::serif_italic;
    case Role::serif_bold:
      return Role::serif_bold_italic;
    case Role::mono:
      return Role::mono_italic;
    case Role::mono_bold:
      return Role::mono_bold_italic;
    default:
      return role;  // the layout has no sans italic
  }
}

bool is_mono(Role role) {
  return role == Role::mono || role == Role::mono_bold || role == Role::mono_italic ||
         role == Role::mono_bold_italic;
}

int FaceTable::face_for(Role role, char32_t code) const {
  for (int face : chains[static_cast<std::size_t>(role)]) {
    if (coverage[static_cast<std::size_t>(face)].has(code)) {
      return face;
    }
  }
  return -1;
}

std::vector<std::string> FaceTable::files() const {
  std::vector<std::string> files;
  for (const pdf::FontFace& face : fonts) {
    files.push_back(face.file);
  }
  return files;
}

std::string FaceTable::chain_label(Role role) const {
  std::string label;
  for (int face : chains[static_cast<std::size_t>(role)]) {
    label += (label.empty() ? "" : ", ") + fonts[static_cast<std::size_t>(face)].label;
  }
  return label;
}

FaceTable resolve_faces(const model::FontSet& fonts, pdf::FontLocator& locator) {
  return build(fonts, [&](const model::FontSpec& spec) {
    const pdf::ResolvedFont& font = locator.locate(spec);
    return std::pair{pdf::FontFace{font.file, font.label()}, font.coverage};
  });
}

FaceTable fake_faces(const model::FontSet& fonts) {
  return build(fonts, [](const model::FontSpec& spec) {
    const std::string label = spec.file.empty() ? spec.family + " " + spec.style : spec.file;
    return std::pair{pdf::FontFace{label, label}, pdf::Coverage::everything()};
  });
}

std::vector<std::pair<int, std::string>> split_by_face(const FaceTable& faces, Role role,
                                                       std::string_view text) {
  std::vector<std::pair<int, std::string>> pieces;
  for_each_face_run(faces, role, text, [&](int face, std::string_view piece) {
    pieces.emplace_back(face, std::string(piece));
  });
  return pieces;
}

}  // namespace typeset
