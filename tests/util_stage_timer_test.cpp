#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <thread>

#include "util/stage_timer.hpp"

namespace {

double seconds_of(const std::string& stage) {
  for (const util::StageTime& time : util::stage_times()) {
    if (time.stage == stage) {
      return time.wall_seconds;
    }
  }
  return -1;
}

double cpu_seconds_of(const std::string& stage) {
  for (const util::StageTime& time : util::stage_times()) {
    if (time.stage == stage) {
      return time.cpu_seconds;
    }
  }
  return -1;
}

// Keeps this thread busy for `ms` milliseconds of wall time.
void spin_ms(int ms) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  volatile unsigned long sink = 0;
  while (std::chrono::steady_clock::now() < until) {
    sink = sink + 1;
  }
}

void sleep_ms(int ms) {
  std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

}  // namespace

TEST_CASE("stage timers record nothing until enabled, then count nested time once", "[util]") {
  {
    util::StageTimer quiet("test-disabled");
    sleep_ms(1);
  }
  // Other tests may have enabled recording already; only check when nobody did.
  if (util::stage_times().empty()) {
    CHECK(seconds_of("test-disabled") < 0);
  }

  util::enable_stage_times();
  {
    util::StageTimer outer("test-outer");
    sleep_ms(20);
    {
      util::StageTimer inner("test-inner");
      sleep_ms(60);
    }
  }
  double outer = seconds_of("test-outer");
  double inner = seconds_of("test-inner");
  CHECK(inner >= 0.060);
  CHECK(outer >= 0.020);
  CHECK(outer < 0.060);  // the inner 60 ms belong to the inner stage only
}

TEST_CASE("stage timers add up across repeated scopes and threads", "[util]") {
  util::enable_stage_times();
  auto work = [] {
    for (int i = 0; i < 3; ++i) {
      util::StageTimer timer("test-repeated");
      sleep_ms(10);
    }
  };
  std::thread other(work);
  work();
  other.join();
  CHECK(seconds_of("test-repeated") >= 0.060);  // 2 threads × 3 scopes × 10 ms

  // A stage on another thread does not count as nested in this thread's stage.
  {
    util::StageTimer here("test-here");
    std::thread([] {
      util::StageTimer there("test-there");
      sleep_ms(30);
    }).join();
  }
  CHECK(seconds_of("test-there") >= 0.030);
  CHECK(seconds_of("test-here") >= 0.030);
}

TEST_CASE("stage timers count the CPU time of their thread, not waiting", "[util]") {
  util::enable_stage_times();
  {
    util::StageTimer timer("test-sleeping");
    sleep_ms(50);
  }
  {
    util::StageTimer timer("test-spinning");
    spin_ms(50);
  }
  CHECK(seconds_of("test-sleeping") >= 0.050);
  CHECK(cpu_seconds_of("test-sleeping") < 0.025);
  CHECK(cpu_seconds_of("test-spinning") > 0.0);
  CHECK(cpu_seconds_of("test-spinning") <= seconds_of("test-spinning") + 0.005);
  CHECK(util::process_cpu_seconds() >= cpu_seconds_of("test-spinning"));
}
