#include <catch2/catch.hpp>

#include <string>
#include <thread>
#include <vector>

#include "util/stage_timer.hpp"

namespace {

int count_of(const util::StageTimes& times, const std::string& stage) {
  int count = 0;
  for (const util::StageTime& time : times.list()) {
    count += time.stage == stage ? 1 : 0;
  }
  return count;
}

}  // namespace

// No assertion here depends on how long anything takes: the stages recorded, their order
// and how repeated and concurrent scopes are merged.
TEST_CASE("a stage timer without a record records nothing", "[util]") {
  util::StageTimes times;
  { util::StageTimer quiet(nullptr, "quiet"); }
  CHECK(times.list().empty());
}

TEST_CASE("stage timers record each stage once, in the order each first finished", "[util]") {
  util::StageTimes times;
  {
    util::StageTimer outer(&times, "outer");
    { util::StageTimer inner(&times, "inner"); }
  }
  const std::vector<util::StageTime> list = times.list();
  REQUIRE(list.size() == 2);
  CHECK(list[0].stage == "inner");
  CHECK(list[1].stage == "outer");
  CHECK(list[1].wall_seconds >= list[0].wall_seconds);
  CHECK(list[0].cpu_seconds >= 0);
}

TEST_CASE("stage timers merge repeated scopes and threads into one stage", "[util]") {
  util::StageTimes times;
  auto work = [&times] {
    for (int i = 0; i < 3; ++i) {
      util::StageTimer timer(&times, "repeated");
    }
  };
  std::thread other(work);
  work();
  other.join();
  CHECK(count_of(times, "repeated") == 1);
  CHECK(times.list().size() == 1);
}

TEST_CASE("the process's CPU time includes every stage's", "[util]") {
  util::StageTimes times;
  { util::StageTimer timer(&times, "cpu"); }
  REQUIRE(times.list().size() == 1);
  CHECK(util::process_cpu_seconds() >= times.list()[0].cpu_seconds);
}
