// The keys of every YAML mapping prepkit reads, with the type of each value. The loaders
// accept exactly these keys (MapReader takes them from here) and `prepkit schema` writes
// its JSON Schemas from them, so the two cannot drift apart.
#pragma once

#include <string_view>
#include <vector>

namespace load {

struct KeySpec {
  std::string_view name;
  // "string", "markdown" (a string of Markdown), "id", "boolean", "number", "length"
  // ("20mm", "1in", "10pt" or a number of points), "color" ("#rrggbb"), "strings" (a list
  // of strings), "ids", "enum:A|B" (one of), "map:NAME" (a mapping of kind NAME),
  // "list:NAME" (a list of such mappings).
  std::string_view type;
  bool required = false;
  std::string_view description;
};

struct MappingSpec {
  std::string_view name;  // "book", "area", "topic", "card", "layout", "page", …
  std::vector<KeySpec> keys;
};

// Every mapping: book.yaml's ("book") and what it contains, a topic file's ("topic") and
// what it contains, a layout file's ("layout") and what it contains.
const std::vector<MappingSpec>& mapping_specs();

// The spec named `name`; throws std::out_of_range for an unknown name (a bug).
const MappingSpec& mapping_spec(std::string_view name);

// The key names of mapping `name`, in table order.
std::vector<std::string_view> keys_of(std::string_view name);

}  // namespace load
