// Where the time of a run goes, for `prepkit build --timings`: named stages accumulate the
// wall time of the scopes that ran them, from any thread. Instrumentation only.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace util {

// Turns recording on for the rest of the process (off by default: timers then cost one
// relaxed atomic load).
void enable_stage_times();

// Stage name → seconds, in the order each stage first finished.
std::vector<std::pair<std::string, double>> stage_times();

// Times its own lifetime as `stage` (a string literal). Timers nest within a thread: the
// time of an inner stage counts for it alone, not also for the stage around it, so the
// stages of one thread add up to that thread's wall time.
class StageTimer {
 public:
  explicit StageTimer(const char* stage);
  ~StageTimer();
  StageTimer(const StageTimer&) = delete;
  StageTimer& operator=(const StageTimer&) = delete;

 private:
  const char* m_stage;
  bool m_active;
  std::chrono::steady_clock::time_point m_start;
  double m_inner_seconds = 0;  // time of stages nested inside this one
  StageTimer* m_outer = nullptr;
};

}  // namespace util
