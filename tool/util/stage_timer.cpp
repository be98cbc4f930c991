#include "util/stage_timer.hpp"

#include <time.h>

#include <utility>

namespace util {
namespace {

double cpu_seconds(clockid_t clock) {
  timespec now{};
  clock_gettime(clock, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

}  // namespace

void StageTimes::add(const std::string& stage, double wall_seconds, double cpu_seconds) {
  const std::lock_guard<std::mutex> lock(m_mutex);
  for (StageTime& time : m_times) {
    if (time.stage == stage) {
      time.wall_seconds += wall_seconds;
      time.cpu_seconds += cpu_seconds;
      return;
    }
  }
  m_times.push_back({stage, wall_seconds, cpu_seconds});
}

std::vector<StageTime> StageTimes::list() const {
  const std::lock_guard<std::mutex> lock(m_mutex);
  return m_times;
}

double process_cpu_seconds() {
  return cpu_seconds(CLOCK_PROCESS_CPUTIME_ID);
}

StageTimer::StageTimer(StageTimes* times, std::string stage)
    : m_times(times), m_stage(std::move(stage)) {
  if (m_times != nullptr) {
    m_start = std::chrono::steady_clock::now();
    m_start_cpu = cpu_seconds(CLOCK_THREAD_CPUTIME_ID);
  }
}

StageTimer::~StageTimer() {
  if (m_times != nullptr) {
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
    m_times->add(m_stage, wall, cpu_seconds(CLOCK_THREAD_CPUTIME_ID) - m_start_cpu);
  }
}

}  // namespace util
