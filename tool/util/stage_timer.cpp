#include "util/stage_timer.hpp"

#include <atomic>
#include <mutex>

namespace util {
namespace {

std::atomic<bool> g_enabled{false};
std::mutex g_mutex;
std::vector<std::pair<std::string, double>> g_times;  // guarded by g_mutex
thread_local StageTimer* t_current = nullptr;         // innermost running timer

void add(const char* stage, double seconds) {
  std::lock_guard<std::mutex> lock(g_mutex);
  for (auto& [name, total] : g_times) {
    if (name == stage) {
      total += seconds;
      return;
    }
  }
  g_times.emplace_back(stage, seconds);
}

}  // namespace

void enable_stage_times() {
  g_enabled.store(true, std::memory_order_relaxed);
}

std::vector<std::pair<std::string, double>> stage_times() {
  std::lock_guard<std::mutex> lock(g_mutex);
  return g_times;
}

StageTimer::StageTimer(const char* stage)
    : m_stage(stage), m_active(g_enabled.load(std::memory_order_relaxed)) {
  if (m_active) {
    m_outer = t_current;
    t_current = this;
    m_start = std::chrono::steady_clock::now();
  }
}

StageTimer::~StageTimer() {
  if (!m_active) {
    return;
  }
  double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
  t_current = m_outer;
  if (m_outer != nullptr) {
    m_outer->m_inner_seconds += elapsed;
  }
  add(m_stage, elapsed - m_inner_seconds);
}

}  // namespace util
