#include <catch2/catch.hpp>

#include <string>
#include <thread>
#include <vector>

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

// How many recorded stages carry `stage`'s name, and where the first of them is.
int count_of(const std::string& stage) {
  int count = 0;
  for (const util::StageTime& time : util::stage_times()) {
    count += time.stage == stage ? 1 : 0;
  }
  return count;
}

std::size_t position_of(const std::string& stage) {
  const std::vector<util::StageTime> times = util::stage_times();
  for (std::size_t i = 0; i < times.size(); ++i) {
    if (times[i].stage == stage) {
      return i;
    }
  }
  return times.size();
}

}  // namespace

// No assertion here depends on how long anything takes: the stages recorded, their order
// and how repeated and nested scopes are merged.
TEST_CASE("stage timers record nothing until enabled, then every stage once", "[util]") {
  { util::StageTimer quiet("test-disabled"); }
  // Other tests may have enabled recording already; only check when nobody did.
  if (util::stage_times().empty()) {
    CHECK(count_of("test-disabled") == 0);
  }

  util::enable_stage_times();
  {
    util::StageTimer outer("test-outer");
    { util::StageTimer inner("test-inner"); }
  }
  CHECK(count_of("test-outer") == 1);
  CHECK(count_of("test-inner") == 1);
  CHECK(position_of("test-inner") < position_of("test-outer"));  // in the order they finished
  CHECK(seconds_of("test-outer") >= 0);
  CHECK(cpu_seconds_of("test-inner") >= 0);
}

TEST_CASE("stage timers merge repeated scopes and threads into one stage", "[util]") {
  util::enable_stage_times();
  auto work = [] {
    for (int i = 0; i < 3; ++i) {
      util::StageTimer timer("test-repeated");
    }
  };
  std::thread other(work);
  work();
  other.join();
  CHECK(count_of("test-repeated") == 1);

  // A stage on another thread is recorded on its own while this thread's runs.
  {
    util::StageTimer here("test-here");
    std::thread([] { util::StageTimer there("test-there"); }).join();
  }
  CHECK(count_of("test-there") == 1);
  CHECK(position_of("test-there") < position_of("test-here"));
}

TEST_CASE("the process's CPU time includes every stage's", "[util]") {
  util::enable_stage_times();
  { util::StageTimer timer("test-cpu"); }
  CHECK(cpu_seconds_of("test-cpu") >= 0);
  CHECK(util::process_cpu_seconds() >= cpu_seconds_of("test-cpu"));
}
