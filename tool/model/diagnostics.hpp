// Problems in content or layout, collected so that one run reports all of them.
#pragma once

#include <string>
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

// "file:line:col", for a hint that points at another place ("first defined at …").
std::string location_text(const SourceLocation& where);

// Formats "file:line:col: error: message" (+ "\n  hint: …"); line/col omitted when 0.
std::string format_diagnostic(const Diagnostic& diagnostic);

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
