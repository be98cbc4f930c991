// Problems in content or layout, collected so that one run reports all of them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/document.hpp"

namespace model {

enum class Severity { error, warning };

struct Diagnostic {
  Severity severity = Severity::error;
  SourceLocation where;
  std::string message;
  std::string hint;  // optional second line: "hint: …"
};

// Formats "file:line:col: error: message" (+ "\n  hint: …"); line/col omitted when 0. Each
// part is made visible_text, for it quotes content.
std::string format_diagnostic(const Diagnostic& diagnostic);

// `text` safe to print on a terminal: control characters (C0 but line breaks and tabs when
// `keep_lines`, DEL) and bytes that are not UTF-8 become "\x1b", C1 controls and
// bidirectional overrides, isolates and marks become "<U+202E>"; all else stays as it is.
std::string visible_text(std::string_view text, bool keep_lines = true);

class Diagnostics {
 public:
  void error(SourceLocation where, std::string message, std::string hint = {});
  void warning(SourceLocation where, std::string message, std::string hint = {});

  [[nodiscard]] bool has_errors() const;
  [[nodiscard]] const std::vector<Diagnostic>& all() const { return m_items; }
  // All diagnostics in a stable order: by file, line, column, then order of report.
  [[nodiscard]] std::vector<Diagnostic> sorted() const;
  void append(const Diagnostics& other);

 private:
  std::vector<Diagnostic> m_items;
};

}  // namespace model
