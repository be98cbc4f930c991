#include "util/stage_timer.hpp"

#include <time.h>

#include <atomic>
#include <mutex>

namespace util {
namespace {

std::atomic<bool> g_enabled{false};
std::mutex g_mutex;
std::vector<StageTime> g_times;                // guarded by g_mutex
thread_local StageTimer* t_current = nullptr;  // innermost running timer of this thread

double thread_cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

void add(const char* stage, double wall, double cpu) {
  std::lock_guard<std::mutex> lock(g_mutex);
  for (StageTime& time : g_times) {
    if (time.stage == stage) {
      time.wall_seconds += wall;
      time.cpu_seconds += cpu;
      return;
    }
  }
  g_times.push_back({stage, wall, cpu});
}

}  // namespace

void enable_stage_times() {
  g_enabled.store(true, std::memory_order_relaxed);
}

double process_cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

std::vector<StageTime> stage_times() {
  std::lock_guard<std::mutex> lock(g_mutex);
  return g_times;
}

StageTimer::StageTimer(const char* stage)
    : m_stage(stage), m_active(g_enabled.load(std::memory_order_relaxed)) {
  if (m_active) {
    m_outer = t_current;
    t_current = this;
    m_start = std::chrono::steady_clock::now();
    m_start_cpu = thread_cpu_seconds();
  }
}

StageTimer::~StageTimer() {
  if (!m_active) {
    return;
  }
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
  const double cpu = thread_cpu_seconds() - m_start_cpu;
  t_current = m_outer;
  if (m_outer != nullptr) {
    m_outer->m_inner_wall += wall;
    m_outer->m_inner_cpu += cpu;
  }
  add(m_stage, wall - m_inner_wall, cpu - m_inner_cpu);
}

}  // namespace util
