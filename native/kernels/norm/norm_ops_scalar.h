// The portable vector operations the normalization kernels are written in
// (norm_templates.h): one float per "vector", widened to double for sums.
#pragma once

#include <cmath>
#include <cstddef>

namespace dendrite::norm {

struct ScalarOps {
  static constexpr size_t kLanes = 1;
  using Vec = float;
  using Wide = double;  // kLanes doubles

  static Vec zero() { return 0.0f; }
  static Vec broadcast(float s) { return s; }
  static Vec load(const float* p) { return *p; }
  // The first `count` (<= kLanes) values of p, `fill` in the other lanes (nothing past p + count is read).
  static Vec load_first(const float* p, size_t count, Vec fill) { return count > 0 ? *p : fill; }
  static void store(float* p, Vec v) { *p = v; }
  static void store_first(float* p, Vec v, size_t count) {
    if (count > 0) *p = v;
  }
  static Vec add(Vec a, Vec b) { return a + b; }
  static Vec sub(Vec a, Vec b) { return a - b; }
  static Vec mul(Vec a, Vec b) { return a * b; }
  static Vec div(Vec a, Vec b) { return a / b; }
  static Vec sqrt(Vec a) { return std::sqrt(a); }
  static Vec fma(Vec a, Vec b, Vec c) { return a * b + c; }  // a·b + c
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

}  // namespace dendrite::norm
