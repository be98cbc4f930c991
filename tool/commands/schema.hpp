// `prepkit schema`: JSON Schemas (draft 2020-12) of book.yaml, topic files and layout
// files, written from load/key_table.hpp, the table the loaders read their keys from.
#pragma once

#include <iosfwd>
#include <string>

namespace commands {

// The schema of "book", "topic" or "layout" files, as one line of JSON.
std::string schema_json(const std::string& kind);

// Prints schema_json(kind), or with `out_dir` writes book.json, topic.json and layout.json
// there (saying so unless `quiet`; naming each file when `verbose`). Returns the exit code.
int print_schema(const std::string& kind, const std::string& out_dir, bool quiet, bool verbose,
                 std::ostream& out, std::ostream& err);

}  // namespace commands
