// Layout YAML (layouts/*.yaml) → model::Layout. Missing keys keep the documented defaults
// of model/layout.hpp; unknown keys and bad values are errors.
#pragma once

#include <string>

#include "model/diagnostics.hpp"
#include "model/layout.hpp"

namespace load {

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
