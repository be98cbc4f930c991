// The one place that writes outputs: all files or none, never a half-written file.
#pragma once

#include <cstddef>
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
// them all into place in the order given. Files whose current content is identical are left
// untouched (their times stay). On any failure, temporary files are removed, no target is
// replaced (when a rename fails, the targets already renamed are put back), and ToolError is
// thrown. A killed process can leave temporaries and backups: see remove_leftovers.
// `before_rename` (tests only) runs before each rename with the number of files already
// renamed; 0 means all temporaries are written. What it throws fails the write as a rename.
WriteResult write_atomically(const std::vector<PlannedWrite>& files,
                             const std::function<void(std::size_t)>& before_rename = {});

// Removes from `folder` the temporaries and backups that a killed write_atomically left
// (".<file>.tmp-<pid>-XXXXXX" and the same with ".old"), only those of processes that are
// gone, so that a write running at the same time keeps its files. Returns the removed paths,
// sorted.
std::vector<std::string> remove_leftovers(const std::string& folder);

}  // namespace util
