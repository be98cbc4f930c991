// Where the time of a run goes, for `prepkit build --timings`: the driver times its stages
// into one StageTimes, from any thread. Instrumentation only.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <vector>

namespace util {

struct StageTime {
  std::string stage;
  double wall_seconds = 0;
  double cpu_seconds = 0;  // of the thread that ran the stage (waiting costs none)
};

// The stages of one run, each merged over repeated and concurrent scopes.
class StageTimes {
 public:
  void add(const std::string& stage, double wall_seconds, double cpu_seconds);
  // Every stage so far, in the order each first finished.
  std::vector<StageTime> list() const;

 private:
  mutable std::mutex m_mutex;
  std::vector<StageTime> m_times;
};

// CPU time of the whole process so far (all threads).
double process_cpu_seconds();

// Times its own lifetime as `stage` into `times`; does nothing when `times` is null.
class StageTimer {
 public:
  StageTimer(StageTimes* times, std::string stage);
  ~StageTimer();
  StageTimer(const StageTimer&) = delete;
  StageTimer& operator=(const StageTimer&) = delete;

 private:
  StageTimes* m_times;
  std::string m_stage;
  std::chrono::steady_clock::time_point m_start;
  double m_start_cpu = 0;
};

}  // namespace util
