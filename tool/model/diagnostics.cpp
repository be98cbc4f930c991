#include "model/diagnostics.hpp"

#include <algorithm>
#include <tuple>

namespace model {

std::string location_text(const SourceLocation& where) {
  return where.file + ":" + std::to_string(where.line) + ":" + std::to_string(where.column);
}

std::string format_diagnostic(const Diagnostic& diagnostic) {
  std::string text = diagnostic.where.file;
  if (diagnostic.where.line > 0) {
    text += ":" + std::to_string(diagnostic.where.line);
    if (diagnostic.where.column > 0) {
      text += ":" + std::to_string(diagnostic.where.column);
    }
  }
  if (!text.empty()) {
    text += ": ";
  }
  text += diagnostic.severity == Severity::error ? "error: " : "warning: ";
  text += diagnostic.message;
  if (!diagnostic.hint.empty()) {
    text += "\n  hint: " + diagnostic.hint;
  }
  return text;
}

void Diagnostics::error(SourceLocation where, std::string message, std::string hint) {
  m_items.push_back({Severity::error, std::move(where), std::move(message), std::move(hint)});
}

void Diagnostics::warning(SourceLocation where, std::string message, std::string hint) {
  m_items.push_back({Severity::warning, std::move(where), std::move(message), std::move(hint)});
}

bool Diagnostics::has_errors() const {
  return std::any_of(m_items.begin(), m_items.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::error; });
}

std::vector<Diagnostic> Diagnostics::sorted() const {
  std::vector<Diagnostic> items = m_items;
  std::stable_sort(items.begin(), items.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.where.file, a.where.line, a.where.column) <
           std::tie(b.where.file, b.where.line, b.where.column);
  });
  return items;
}

void Diagnostics::append(const Diagnostics& other) {
  m_items.insert(m_items.end(), other.m_items.begin(), other.m_items.end());
}

}  // namespace model
