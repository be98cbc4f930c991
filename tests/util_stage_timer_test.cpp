#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <thread>

#include "util/stage_timer.hpp"

namespace {

double seconds_of(const std::string& stage) {
  for (const auto& [name, seconds] : util::stage_times()) {
    if (name == stage) {
      return seconds;
    }
  }
  return -1;
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
