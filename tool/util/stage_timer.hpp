// Where the time of a run goes, for `prepkit build --timings`: named stages accumulate the
// wall time and the CPU time of the scopes that ran them, from any thread.
// Instrumentation only.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace util {

struct StageTime {
  std::string stage;
  double wall_seconds = 0;
  double cpu_seconds = 0;  // of the threads that ran the stage (waiting costs none)
};

// Turns recording on for the rest of the process (off by default: timers then cost one
// relaxed atomic load).
void enable_stage_times();

// Every stage so far, in the order each first finished.
std::vector<StageTime> stage_times();

// CPU time of the whole process so far (all threads).
double process_cpu_seconds();

// Times its own lifetime as `stage` (a string literal). Timers nest within a thread: the
// time of an inner stage counts for it alone, not also for the stage around it, so the
// stages of one thread add up to that thread's time.
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
  double m_start_cpu = 0;
  double m_inner_wall = 0;  // time of stages nested inside this one
  double m_inner_cpu = 0;
  StageTimer* m_outer = nullptr;
};

}  // namespace util
