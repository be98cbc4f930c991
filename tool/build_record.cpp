#include "build_record.hpp"

#include <sys/stat.h>

#include <filesystem>
#include <sstream>

#include "text/hyphenate.hpp"
#include "util/fingerprint.hpp"

namespace prepkit {
namespace {

constexpr const char* record_header = "prepkit build record 1";

// Fields are tab-separated on one line; backslash escapes keep tabs and newlines apart.
std::string escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string unescape(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) {
      const char next = text[++i];
      out += next == 't' ? '\t' : next == 'n' ? '\n' : next;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  for (std::size_t tab = line.find('\t'); tab != std::string::npos; tab = line.find('\t', start)) {
    fields.push_back(line.substr(start, tab - start));
    start = tab + 1;
  }
  fields.push_back(line.substr(start));
  return fields;
}

}  // namespace

std::string record_path(const std::string& out_dir) {
  return out_dir + "/.prepkit-build";
}

std::string format_record(const BuildRecord& record) {
  std::string text = std::string(record_header) + "\n";
  text += "fingerprint\t" + record.fingerprint + "\n";
  text += "layout\t" + escape(record.layout_file) + "\n";
  if (!record.code_formatter.empty()) {
    text += "rustfmt\t" + escape(record.code_formatter) + "\n";
  }
  for (const RecordedOutput& output : record.outputs) {
    text += "output\t" + std::to_string(output.size) + "\t" + std::to_string(output.mtime_ns) +
            "\t" + escape(output.path) + "\t" + escape(output.summary) + "\n";
  }
  for (const std::string& warning : record.warnings) {
    text += "warning\t" + escape(warning) + "\n";
  }
  return text;
}

std::optional<BuildRecord> parse_record(const std::string& text) {
  std::istringstream in(text);
  std::string line;
  if (!std::getline(in, line) || line != record_header) {
    return std::nullopt;
  }
  BuildRecord record;
  while (std::getline(in, line)) {
    std::vector<std::string> fields = split_tabs(line);
    if (fields[0] == "fingerprint" && fields.size() == 2) {
      record.fingerprint = fields[1];
    } else if (fields[0] == "layout" && fields.size() == 2) {
      record.layout_file = unescape(fields[1]);
    } else if (fields[0] == "rustfmt" && fields.size() == 2) {
      record.code_formatter = unescape(fields[1]);
    } else if (fields[0] == "output" && fields.size() == 5) {
      RecordedOutput output;
      try {
        output.size = std::stoull(fields[1]);
        output.mtime_ns = std::stoll(fields[2]);
      } catch (const std::exception&) {
        return std::nullopt;
      }
      output.path = unescape(fields[3]);
      output.summary = unescape(fields[4]);
      record.outputs.push_back(std::move(output));
    } else if (fields[0] == "warning" && fields.size() == 2) {
      record.warnings.push_back(unescape(fields[1]));
    } else {
      return std::nullopt;
    }
  }
  if (record.fingerprint.empty() || record.outputs.empty()) {
    return std::nullopt;
  }
  return record;
}

std::optional<RecordedOutput> stat_output(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) {
    return std::nullopt;
  }
  RecordedOutput output;
  output.path = path;
  output.size = static_cast<std::uint64_t>(info.st_size);
  output.mtime_ns = static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1'000'000'000 +
                    static_cast<std::int64_t>(info.st_mtim.tv_nsec);
  return output;
}

bool outputs_unchanged(const BuildRecord& record) {
  for (const RecordedOutput& output : record.outputs) {
    std::optional<RecordedOutput> now = stat_output(output.path);
    if (!now || now->size != output.size || now->mtime_ns != output.mtime_ns) {
      return false;
    }
  }
  return true;
}

std::string sources_fingerprint(const Options& options, const std::string& layouts_dir) {
  util::Fingerprint fingerprint;
  fingerprint.add("version", PREPKIT_VERSION);
  fingerprint.add_file_stat("/proc/self/exe");  // a rebuilt prepkit may render differently
  fingerprint.add("content", options.content_dir);
  fingerprint.add("layout option", options.layout);
  fingerprint.add("out", options.out_dir);
  for (const std::string& only : options.only) {
    fingerprint.add("only", only);
  }
  fingerprint.add_tree(options.content_dir, "anki.lock");  // book, topics, images
  fingerprint.add_tree(layouts_dir);                       // layouts may extend one another
  fingerprint.add_file_stat(text::default_hyphenation_dictionary);
  return fingerprint.hex();
}

std::string input_fingerprint(const std::string& sources, const std::string& layout_file,
                              const std::vector<std::string>& font_files,
                              const std::string& lock_text, const std::string& code_formatter) {
  util::Fingerprint fingerprint;
  fingerprint.add("sources", sources);
  fingerprint.add_file(layout_file);
  for (const std::string& font : font_files) {
    fingerprint.add_file_stat(font);
  }
  fingerprint.add("lock", lock_text);
  fingerprint.add("rustfmt", code_formatter);
  return fingerprint.hex();
}

}  // namespace prepkit
