// The record of the last successful build in an output folder (out/.prepkit-build): a
// fingerprint of every input and the size and time of each output it left. When neither
// changed, `prepkit build` renders nothing and writes nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cli.hpp"

namespace prepkit {

struct RecordedOutput {
  std::string path;
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;  // modification time, nanoseconds since 1970
  std::string summary;        // "224 pages", for the summary line
};

struct BuildRecord {
  std::string fingerprint;
  std::string layout_file;              // the layout the build used (its fonts are inputs)
  std::string code_formatter;           // the rustfmt the booklet needed ("" when none)
  std::vector<RecordedOutput> outputs;  // in summary order
  std::vector<std::string> warnings;    // formatted diagnostics, shown again on a skip
};

// out/.prepkit-build
std::string record_path(const std::string& out_dir);

std::string format_record(const BuildRecord& record);
// nullopt when the text is not a record of this format version.
std::optional<BuildRecord> parse_record(const std::string& text);

// Size and modification time of `path` now (summary empty), or nullopt when it is missing.
std::optional<RecordedOutput> stat_output(const std::string& path);

// True when every recorded output still exists with the recorded size and time.
bool outputs_unchanged(const BuildRecord& record);

// Fingerprint of the sources a build with `options` reads: the content folder (topics,
// images; not the lock, which the build rewrites), the layouts folder, the hyphenation
// dictionary, the prepkit binary itself and the options that shape the outputs.
std::string sources_fingerprint(const Options& options, const std::string& layouts_dir);

// Fingerprint of all inputs: the sources, the layout file used, the font files it
// resolved to, the lock text (the one the build leaves behind) and the rustfmt that
// reformatted wide code ("" when no code needed it).
std::string input_fingerprint(const std::string& sources, const std::string& layout_file,
                              const std::vector<std::string>& font_files,
                              const std::string& lock_text, const std::string& code_formatter);

}  // namespace prepkit
