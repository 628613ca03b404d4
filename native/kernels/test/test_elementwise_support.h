// Shared by the elementwise, activation, reduce, softmax and optim kernel
// tests: a loop over every ISA path and thread count, seeded random data and
// tolerant comparison against double-precision references.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "context.h"
#include "test_harness.h"

namespace dendrite_test {

// Runs fn under each ISA supported_isas() gives (only scalar when DENDRITE_FORCE_SCALAR=1,
// as ctest's second run sets) with 1 and 2 threads.
inline void for_each_backend(const std::function<void(const dendrite::Context&, const std::string&)>& fn) {
  for (dendrite::Isa isa : supported_isas()) {
    for (int threads : {1, 2}) {
      dendrite::ThreadPool pool(threads);
      dendrite::Workspace workspace;
      dendrite::Context ctx;
      ctx.isa = isa;
      ctx.pool = &pool;
      ctx.workspace = &workspace;
      fn(ctx, std::string(dendrite::isa_name(isa)) + "/" + std::to_string(threads) + "t");
    }
  }
}

// Deterministic generator (splitmix64) for test data.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  double unit() { return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0); }
  float uniform(double lo, double hi) { return static_cast<float>(lo + (hi - lo) * unit()); }
  int integer(int lo, int hi) { return lo + static_cast<int>(next() % static_cast<uint64_t>(hi - lo)); }
  std::vector<float> floats(size_t n, double lo = -1.0, double hi = 1.0) {
    std::vector<float> v(n);
    for (auto& x : v) x = uniform(lo, hi);
    return v;
  }

 private:
  uint64_t state_;
};

// |got - want| <= abs + rel·|want|; NaN matches NaN, infinities match exactly.
inline bool near(double got, double want, double rel, double abs = 0.0) {
  if (std::isnan(want)) return std::isnan(got);
  if (std::isinf(want)) return got == want;
  return std::fabs(got - want) <= abs + rel * std::fabs(want);
}

// Element counts that hit empty, single, sub-vector, odd and multi-thread cases.
inline const std::vector<size_t>& awkward_sizes() {
  static const std::vector<size_t> sizes = {0, 1, 7, 17, 1000, 4099, 70001};
  return sizes;
}

}  // namespace dendrite_test
