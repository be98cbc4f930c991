#include "commands/schema.hpp"

#include <filesystem>
#include <ostream>
#include <set>

#include "load/key_table.hpp"
#include "util/atomic_write.hpp"
#include "util/json_writer.hpp"

namespace commands {
namespace {

using util::JsonArray;
using util::JsonObject;
using util::JsonValue;

constexpr std::string_view map_prefix = "map:";
constexpr std::string_view list_prefix = "list:";

JsonValue string_type() {
  return JsonObject{{"type", "string"}};
}

JsonValue id_type() {
  return JsonObject{{"type", "string"}, {"pattern", "^[a-z0-9]+(-[a-z0-9]+)*$"}};
}

JsonValue reference(std::string_view mapping) {
  return JsonObject{{"$ref", "#/$defs/" + std::string(mapping)}};
}

// The JSON Schema of one value type of the key table.
JsonValue value_schema(std::string_view type) {
  if (type == "string" || type == "markdown") {
    return string_type();
  }
  if (type == "id") {
    return id_type();
  }
  if (type == "boolean") {
    return JsonObject{{"type", "boolean"}};
  }
  if (type == "number") {
    return JsonObject{{"type", "number"}};
  }
  if (type == "length") {
    return JsonObject{
        {"anyOf",
         JsonArray{JsonObject{{"type", "number"}},
                   JsonObject{{"type", "string"},
                              {"pattern", "^\\s*[0-9]+(\\.[0-9]+)?\\s*(mm|cm|in|pt)?\\s*$"}}}}};
  }
  if (type == "color") {
    return JsonObject{{"type", "string"}, {"pattern", "^#[0-9a-fA-F]{6}$"}};
  }
  if (type == "strings") {
    return JsonObject{{"type", "array"}, {"items", string_type()}};
  }
  if (type == "ids") {
    return JsonObject{{"type", "array"}, {"items", id_type()}};
  }
  if (type.starts_with("enum:")) {
    JsonArray names;
    std::string_view rest = type.substr(5);
    while (!rest.empty()) {
      const std::size_t bar = rest.find('|');
      names.emplace_back(std::string(rest.substr(0, bar)));
      rest = bar == std::string_view::npos ? "" : rest.substr(bar + 1);
    }
    return JsonObject{{"enum", names}};
  }
  if (type.starts_with(map_prefix)) {
    return reference(type.substr(map_prefix.size()));
  }
  if (type.starts_with(list_prefix)) {
    return JsonObject{{"type", "array"}, {"items", reference(type.substr(list_prefix.size()))}};
  }
  throw std::logic_error("unknown key type " + std::string(type));
}

JsonObject mapping_schema(const load::MappingSpec& spec) {
  JsonObject properties;
  JsonArray required;
  for (const load::KeySpec& key : spec.keys) {
    JsonValue value = value_schema(key.type);
    if (!key.description.empty()) {
      value =
          JsonObject{{"allOf", JsonArray{value}}, {"description", std::string(key.description)}};
    }
    properties.emplace_back(std::string(key.name), std::move(value));
    if (key.required) {
      required.emplace_back(std::string(key.name));
    }
  }
  JsonObject schema{
      {"type", "object"}, {"properties", std::move(properties)}, {"additionalProperties", false}};
  if (!required.empty()) {
    schema.emplace_back("required", std::move(required));
  }
  return schema;
}

// The mappings reachable from `root` (itself excluded), by name.
void collect(std::string_view root, std::set<std::string>& found) {
  for (const load::KeySpec& key : load::mapping_spec(root).keys) {
    for (std::string_view prefix : {map_prefix, list_prefix}) {
      if (key.type.starts_with(prefix)) {
        std::string name(key.type.substr(prefix.size()));
        if (found.insert(name).second) {
          collect(name, found);
        }
      }
    }
  }
}

const std::set<std::string>& kinds() {
  static const std::set<std::string> names = {"book", "topic", "layout"};
  return names;
}

}  // namespace

std::string schema_json(const std::string& kind) {
  JsonObject schema = mapping_schema(load::mapping_spec(kind));
  schema.emplace_back("$schema", "https://json-schema.org/draft/2020-12/schema");
  schema.emplace_back("title",
                      "prepkit " + (kind == "book" ? std::string("book.yaml") : kind + " file"));
  std::set<std::string> nested;
  collect(kind, nested);
  JsonObject definitions;
  for (const std::string& name : nested) {
    definitions.emplace_back(name, mapping_schema(load::mapping_spec(name)));
  }
  if (!definitions.empty()) {
    schema.emplace_back("$defs", std::move(definitions));
  }
  return util::write_json(schema) + "\n";
}

int print_schema(const std::string& kind, const std::string& out_dir, bool quiet, bool verbose,
                 std::ostream& out, std::ostream& err) {
  if (out_dir.empty()) {
    if (kinds().count(kind) == 0) {
      err << "error: name the schema to print (book, topic or layout), or write all three "
             "with --out DIR\n";
      return 2;
    }
    out << schema_json(kind);
    return 0;
  }
  std::vector<std::string> texts;
  std::vector<util::PlannedWrite> writes;
  texts.reserve(kinds().size());
  try {
    std::filesystem::create_directories(out_dir);
    for (const std::string& name : kinds()) {
      texts.push_back(schema_json(name));
      writes.push_back({out_dir + "/" + name + ".json", texts.back()});
    }
    util::write_atomically(writes);
  } catch (const std::exception& error) {
    err << "error: cannot write the schemas into " << out_dir << ": " << error.what() << "\n";
    return 3;
  }
  if (verbose) {
    for (const util::PlannedWrite& write : writes) {
      out << write.path << "\n";
    }
  }
  if (!quiet) {
    out << "wrote the schemas of book, topic and layout files into " << out_dir << "\n";
  }
  return 0;
}

}  // namespace commands
