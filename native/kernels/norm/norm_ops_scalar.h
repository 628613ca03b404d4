// The portable vector operations the normalization kernels are written in
// (norm_templates.h): one float per "vector", widened to double for sums.
#pragma once

#include <cmath>
#include <cstddef>

#include "cpu/vec_scalar.h"

namespace dendrite::norm {

// Internal linkage, as the basic operations it extends (cpu/vec_scalar.h).
namespace {

struct ScalarOps : cpu::ScalarVec {
  using Wide = double;  // kLanes doubles

  // base^exponent.
  static Vec pow(Vec base, float exponent) {
    return static_cast<float>(std::pow(static_cast<double>(base), static_cast<double>(exponent)));
  }

  static Wide wide_zero() { return 0.0; }
  static Wide widen(Vec v) { return v; }
  static Wide wide_add(Wide a, Wide b) { return a + b; }
  static Wide wide_sub(Wide a, Wide b) { return a - b; }
  static Wide wide_fma(Wide a, Wide b, Wide c) { return a * b + c; }
  static double wide_sum(Wide w) { return w; }
  static Wide wide_load(const double* p) { return *p; }
  static void wide_store(double* p, Wide w) { *p = w; }
};

}  // namespace
}  // namespace dendrite::norm
