// Axis and whole-array reductions against double-precision references.
#include <cmath>
#include <limits>
#include <vector>

#include "reduce/reduce.h"
#include "test_elementwise_support.h"
#include "test_harness.h"

using namespace dendrite;
using namespace dendrite_test;

namespace {

struct Shape {
  size_t outer, len, inner;
};

// Row sums (inner 1), column blocks of every width class (1..7, 8, 17, 32,
// 33, 100), empty axes, and shapes big enough to be split across threads.
const Shape kShapes[] = {{1, 1, 1},   {1, 7, 1},    {3, 17, 1},  {2, 1000, 1}, {1, 4099, 1}, {5, 0, 3},
                         {0, 4, 4},   {2, 5, 3},    {3, 17, 8},  {2, 9, 17},   {4, 13, 32},  {1, 70, 33},
                         {2, 129, 100}, {7, 300, 1}, {40, 2000, 1}, {3, 700, 64}, {1, 70001, 1}, {2, 3, 4099}};

}  // namespace

TEST(reduce_sum_matches_double) {
  Rng rng(31);
  for (const Shape& s : kShapes) {
    std::vector<float> x = rng.floats(s.outer * s.len * s.inner);
    std::vector<double> want(s.outer * s.inner, 0.0), magnitude(s.outer * s.inner, 0.0);
    for (size_t o = 0; o < s.outer; ++o)
      for (size_t l = 0; l < s.len; ++l)
        for (size_t i = 0; i < s.inner; ++i) {
          float v = x[(o * s.len + l) * s.inner + i];
          want[o * s.inner + i] += v;
          magnitude[o * s.inner + i] += std::fabs(v);
        }
    for_each_backend([&](const Context& ctx, const std::string& backend) {
      std::vector<float> out(s.outer * s.inner, 99.0f);
      reduce_sum(ctx, x.data(), s.outer, s.len, s.inner, out.data());
      int bad = 0;
      for (size_t k = 0; k < out.size() && bad < 3; ++k) {
        // Float accumulation: error bounded by a few ulps of Σ|x| over the blocks.
        if (!(std::fabs(out[k] - want[k]) <= 1e-6 * magnitude[k] + 1e-7)) {
          ++bad;
          CHECK(false) << backend << " shape " << s.outer << "x" << s.len << "x" << s.inner << " k " << k << " got "
                       << out[k] << " want " << want[k];
        }
      }
    });
  }
}

TEST(reduce_max_matches_reference_with_first_index) {
  Rng rng(32);
  for (const Shape& s : kShapes) {
    if (s.len == 0) continue;
    // Few distinct values so ties are common and "first occurrence" is tested.
    std::vector<float> x(s.outer * s.len * s.inner);
    for (float& v : x) v = static_cast<float>(rng.integer(-20, 20));
    for_each_backend([&](const Context& ctx, const std::string& backend) {
      std::vector<float> out(s.outer * s.inner);
      std::vector<int32_t> at(s.outer * s.inner, -5);
      reduce_max(ctx, x.data(), s.outer, s.len, s.inner, out.data(), at.data());
      int bad = 0;
      for (size_t o = 0; o < s.outer; ++o)
        for (size_t i = 0; i < s.inner && bad < 3; ++i) {
          float best = x[o * s.len * s.inner + i];
          int32_t first = 0;
          for (size_t l = 1; l < s.len; ++l) {
            float v = x[(o * s.len + l) * s.inner + i];
            if (v > best) best = v, first = static_cast<int32_t>(l);
          }
          size_t k = o * s.inner + i;
          if (out[k] != best || at[k] != first) {
            ++bad;
            CHECK(false) << backend << " shape " << s.outer << "x" << s.len << "x" << s.inner << " at " << o << "," << i
                         << " got " << out[k] << "@" << at[k] << " want " << best << "@" << first;
          }
        }
    });
  }
}

TEST(reduce_max_nan_wins_at_its_first_position) {
  const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
  for (size_t len : {size_t{1}, size_t{5}, size_t{9}, size_t{40}}) {
    for (size_t inner : {size_t{1}, size_t{3}, size_t{32}}) {
      std::vector<float> x(len * inner, -inf);  // all -inf: index 0
      for_each_backend([&](const Context& ctx, const std::string& backend) {
        std::vector<float> out(inner);
        std::vector<int32_t> at(inner);
        reduce_max(ctx, x.data(), 1, len, inner, out.data(), at.data());
        for (size_t i = 0; i < inner; ++i) CHECK(out[i] == -inf && at[i] == 0) << backend << " all -inf";
        if (len < 5) return;
        std::vector<float> y = x;
        for (size_t i = 0; i < inner; ++i) {
          y[1 * inner + i] = 7.0f;
          y[3 * inner + i] = nan;
          y[4 * inner + i] = nan;
          y[(len - 1) * inner + i] = inf;
        }
        reduce_max(ctx, y.data(), 1, len, inner, out.data(), at.data());
        for (size_t i = 0; i < inner; ++i) {
          CHECK(std::isnan(out[i]) && at[i] == 3) << backend << " len " << len << " inner " << inner << " got " << out[i] << "@" << at[i];
        }
      });
    }
  }
}

TEST(sum_all_and_sum_squares_in_double_independent_of_threads) {
  Rng rng(33);
  for (size_t n : {size_t{0}, size_t{1}, size_t{7}, size_t{17}, size_t{1000}, size_t{4099}, size_t{300001}}) {
    std::vector<float> x = rng.floats(n, -3.0, 5.0);
    double want = 0.0, want_sq = 0.0;
    for (float v : x) want += v, want_sq += static_cast<double>(v) * v;
    double first_sum = NAN, first_sq = NAN;
    std::string first_isa;
    for_each_backend([&](const Context& ctx, const std::string& backend) {
      double got = sum_all(ctx, x.data(), n), got_sq = sum_squares(ctx, x.data(), n);
      CHECK(near(got, want, 1e-12, 1e-9)) << backend << " n " << n << " got " << got << " want " << want;
      CHECK(near(got_sq, want_sq, 1e-12)) << backend << " n " << n;
      std::string isa = backend.substr(0, backend.find('/'));
      if (isa != first_isa) first_isa = isa, first_sum = got, first_sq = got_sq;
      else CHECK(got == first_sum && got_sq == first_sq) << backend << " differs from 1 thread, n " << n;
    });
  }
}
