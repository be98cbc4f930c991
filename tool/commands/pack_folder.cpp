#include "commands/pack_folder.hpp"

#include <filesystem>
#include <ostream>

namespace commands {

int check_pack_folders(const prepkit::Options& options, std::ostream& err) {
  std::error_code code;
  if (!std::filesystem::is_directory(options.content_dir, code)) {
    const bool exists = std::filesystem::exists(options.content_dir, code);
    err << options.content_dir << ": error: "
        << (exists ? "the content folder is not a folder" : "content folder not found")
        << "\n  hint: a pack folder holds content/book.yaml and content/topics/; "
           "`prepkit new DIR` makes one\n";
    return prepkit::exit_content_error;
  }
  if (options.verbose) {
    err << "content: " << options.content_dir << "\n";
    if (options.command != prepkit::Command::check) {
      err << "output: " << options.out_dir << "\n";
    }
  }
  return prepkit::exit_ok;
}

}  // namespace commands
