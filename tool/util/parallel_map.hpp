// The one way prepkit runs work on more than one core: a function mapped over a list on
// this thread and helper threads, the results kept in the order of the list.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <functional>
#include <iterator>
#include <optional>
#include <system_error>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace util {

// Calls `fn(item)` for every item of `items` on up to `threads` threads (never more than the
// machine's cores; the calling thread is one of them) and returns the results in the order
// of `items`. Items are handed out in order, one at a time, so `fn` must be safe to call
// from several threads at once. Once a call has thrown, the threads take no further item;
// the exception of the earliest failing item is rethrown when every thread has stopped:
// the one a plain loop would have thrown.
template <typename Items, typename Fn>
auto parallel_map(Items& items, Fn&& fn, unsigned threads = 2) {
  using Item = decltype(*std::begin(items));
  using Result = std::invoke_result_t<Fn&, Item>;
  const std::size_t count = std::size(items);
  std::vector<std::optional<Result>> results(count);
  std::vector<std::exception_ptr> errors(count);
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  const auto work = [&] {
    for (std::size_t i = next++; i < count && !failed; i = next++) {
      try {
        results[i].emplace(std::invoke(fn, *std::next(std::begin(items), i)));
      } catch (...) {
        errors[i] = std::current_exception();
        failed = true;
      }
    }
  };
  const std::size_t cores = std::max(1U, std::thread::hardware_concurrency());
  std::vector<std::thread> helpers;
  for (std::size_t t = 1; t < std::min({static_cast<std::size_t>(threads), cores, count}); ++t) {
    try {
      helpers.emplace_back(work);
    } catch (const std::system_error&) {
      break;  // no thread to spare: fewer threads do the work
    }
  }
  work();
  for (std::thread& helper : helpers) {
    helper.join();
  }
  std::vector<Result> ordered;
  ordered.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    if (errors[i]) {
      std::rethrow_exception(errors[i]);
    }
    ordered.push_back(std::move(*results[i]));  // every item before a failure has one
  }
  return ordered;
}

// Runs every task on this thread and the other core, taken in order; returns once all are
// done. An exception is rethrown: the earliest task's.
inline void run_all(const std::vector<std::function<void()>>& tasks) {
  parallel_map(tasks, [](const std::function<void()>& task) {
    task();
    return true;
  });
}

}  // namespace util
