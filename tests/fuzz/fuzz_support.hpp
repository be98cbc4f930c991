// Shared by the fuzz targets: their entry point, and stopping with a message when an
// invariant of the code under test does not hold (libFuzzer then saves the input). With
// PREPKIT_FUZZ_REPLAY defined, the targets are plain functions and a violation throws, so
// that tests/fuzz_regressions_test.cpp replays saved inputs in the normal test suite.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

#ifdef PREPKIT_FUZZ_REPLAY
#define PREPKIT_FUZZ_TARGET(name) int name(const std::uint8_t* data, std::size_t size)
#else
#define PREPKIT_FUZZ_TARGET(name) \
  extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
#endif

namespace fuzz {

[[noreturn]] inline void fail(const char* what) {
#ifdef PREPKIT_FUZZ_REPLAY
  throw std::logic_error(std::string("invariant violated: ") + what);
#else
  std::fprintf(stderr, "invariant violated: %s\n", what);
  std::abort();
#endif
}

inline void require(bool condition, const char* what) {
  if (!condition) {
    fail(what);
  }
}

}  // namespace fuzz
