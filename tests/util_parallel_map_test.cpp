#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "util/parallel_map.hpp"

namespace {

// Busy work whose length varies with `n`, so that the threads finish items out of order.
long spin(int n) {
  volatile long sum = 0;
  for (long i = 0; i < (n % 7) * 20000L; ++i) {
    sum = sum + i;
  }
  return sum;
}

}  // namespace

TEST_CASE("parallel_map returns the results in the order of the items", "[util]") {
  std::vector<int> items;
  for (int i = 0; i < 500; ++i) {
    items.push_back(i);
  }
  const std::vector<std::string> results = util::parallel_map(items, [](int n) {
    spin(n);
    return std::to_string(n * n);
  });
  REQUIRE(results.size() == items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    CHECK(results[i] == std::to_string(items[i] * items[i]));
  }
  CHECK(util::parallel_map(
            items, [](int n) { return n; }, 1) == items);
  std::vector<int> none;
  CHECK(util::parallel_map(none, [](int n) { return n; }).empty());
}

TEST_CASE("parallel_map uses a second thread when the machine has one", "[util]") {
  if (std::thread::hardware_concurrency() < 2) {
    WARN("one core: parallel_map runs everything on the calling thread");
    return;
  }
  // Each item waits until two threads have arrived; one thread alone would wait forever,
  // so a bounded wait tells.
  std::vector<int> items = {0, 1};
  std::atomic<int> arrived{0};
  const std::vector<bool> met = util::parallel_map(items, [&](int) {
    ++arrived;
    for (int i = 0; i < 10000 && arrived < 2; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return arrived >= 2;
  });
  CHECK(met == std::vector<bool>{true, true});
}

TEST_CASE("parallel_map hands the items themselves to the function", "[util]") {
  std::vector<std::string> items = {"a", "b", "c"};
  util::parallel_map(items, [](std::string& item) {
    item += "!";
    return 0;
  });
  CHECK(items == std::vector<std::string>{"a!", "b!", "c!"});
}

TEST_CASE("parallel_map rethrows the exception of the earliest failing item", "[util]") {
  // Item 1 fails late, item 2 at once (on the other thread): item 1's error is the one a
  // plain loop would have thrown.
  std::vector<int> items = {0, 1, 2, 3, 4, 5};
  const auto fail_1_and_2 = [](int n) {
    if (n == 1) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      throw std::runtime_error("item 1");
    }
    if (n == 2) {
      throw std::runtime_error("item 2");
    }
    return n;
  };
  CHECK_THROWS_WITH(util::parallel_map(items, fail_1_and_2), "item 1");
  CHECK_THROWS_WITH(util::parallel_map(items, fail_1_and_2, 1), "item 1");
}

TEST_CASE("parallel_map stops taking items once one has failed", "[util]") {
  std::vector<int> items;
  for (int i = 0; i < 200; ++i) {
    items.push_back(i);
  }
  std::atomic<int> started{0};
  std::atomic<bool> failing{false};
  const auto fail_at_50 = [&](int n) {
    ++started;
    if (n == 50) {
      failing = true;
      throw std::runtime_error("item 50");
    }
    if (n > 50) {
      // Later items wait for the failure and then take a while, so that a thread that
      // loses its core while throwing cannot see the other one run through every item.
      while (!failing) {
        std::this_thread::yield();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    spin(n);
    return n;
  };
  CHECK_THROWS_WITH(util::parallel_map(items, fail_at_50, 1), "item 50");
  CHECK(started == 51);
  started = 0;
  CHECK_THROWS_WITH(util::parallel_map(items, fail_at_50), "item 50");
  CHECK(started < 200);
}
