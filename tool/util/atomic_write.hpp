// The one place that writes outputs: all files or none, never a half-written file.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace util {

struct PlannedWrite {
  std::string path;        // final path of the file
  std::string_view bytes;  // its complete content (not copied: the caller keeps it alive)
};

struct WriteResult {
  std::vector<std::string> written;    // paths whose content changed
  std::vector<std::string> unchanged;  // paths that already held these bytes (not touched)
};

// Writes every file to a temporary file in the same folder (flushed to disk), then renames
// them all into place. Files whose current content is identical are left untouched (their
// times stay). On any failure, temporary files are removed, no target is replaced (when a
// rename fails, the targets already renamed are put back), and ToolError is thrown.
// `before_rename` (tests only) runs after all temporaries are written.
WriteResult write_atomically(const std::vector<PlannedWrite>& files,
                             const std::function<void()>& before_rename = {});

}  // namespace util
