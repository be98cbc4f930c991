#include "booklet/set_cache.hpp"

namespace booklet {

SetCodeRows::SetCodeRows(const std::vector<CodeRow>& rows) {
  kinds.reserve(rows.size());
  for (const CodeRow& row : rows) {
    for (const auto& [x, piece] : row.pieces) {
      text.add(x, piece);
    }
    text.end_line();
    kinds.push_back({row.continued, row.blank});
  }
  text.shrink_to_fit();
}

SetCache::Lines SetCache::take_lines(const std::string& key) {
  const std::lock_guard<std::mutex> lock(m_mutex);
  auto node = m_lines.extract(key);
  return node.empty() ? nullptr : std::move(node.mapped());
}

SetCache::CodeRows SetCache::take_code_rows(const std::string& key) {
  const std::lock_guard<std::mutex> lock(m_mutex);
  auto node = m_code_rows.extract(key);
  return node.empty() ? nullptr : std::move(node.mapped());
}

SetCache::Lines SetCache::lines(const std::string& key) const {
  const std::lock_guard<std::mutex> lock(m_mutex);
  const auto found = m_lines.find(key);
  return found == m_lines.end() ? nullptr : found->second;
}

SetCache::Lines SetCache::add_lines(const std::string& key, Lines lines) {
  const std::lock_guard<std::mutex> lock(m_mutex);
  return m_lines.try_emplace(key, std::move(lines)).first->second;
}

SetCache::CodeRows SetCache::code_rows(const std::string& key) const {
  const std::lock_guard<std::mutex> lock(m_mutex);
  const auto found = m_code_rows.find(key);
  return found == m_code_rows.end() ? nullptr : found->second;
}

SetCache::CodeRows SetCache::add_code_rows(const std::string& key, CodeRows rows) {
  const std::lock_guard<std::mutex> lock(m_mutex);
  return m_code_rows.try_emplace(key, std::move(rows)).first->second;
}

}  // namespace booklet
