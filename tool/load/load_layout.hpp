// Layout YAML (layouts/*.yaml) → model::Layout. Missing keys keep the documented defaults
// of model/layout.hpp; unknown keys and bad values are errors.
#pragma once

#include <string>

#include "model/diagnostics.hpp"
#include "model/layout.hpp"

namespace load {

// The ranges the reader accepts, in points: a page from 2 inches (the least text area) to
// 200 inches (the largest page PDF allows); margins from 0 to the page; creep in mm, up to
// 2 mm per sheet (paper is about 0.1 mm thick).
inline constexpr double min_page_points = 144.0;
inline constexpr double max_page_points = 14400.0;
inline constexpr double max_creep_mm = 2.0;

// Resolves a layout given by name ("a4" → <layouts_dir>/a4.yaml if the pack has it, else
// the built-in "<built-in>/a4.yaml" of load/builtin_layouts.hpp) or by path (contains '/'
// or ends in ".yaml").
std::string layout_path(const std::string& name_or_path, const std::string& layouts_dir);

// Reads and validates a layout file; problems go to `diagnostics`.
model::Layout load_layout(const std::string& path, model::Diagnostics& diagnostics);

// Same, from text (for tests).
model::Layout load_layout_from(const std::string& yaml, const std::string& file_name,
                               model::Diagnostics& diagnostics);

}  // namespace load
