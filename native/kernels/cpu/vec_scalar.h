// The one-lane (plain float) counterpart of vec_avx2.h: the basic operations
// the kernel families' scalar ops structs start from, so that their loops,
// written once over an ops struct, also run without any vector ISA.
#pragma once

#include <cmath>
#include <cstddef>

namespace dendrite::cpu {
namespace {

struct ScalarVec {
  static constexpr size_t kLanes = 1;
  using Vec = float;
  static Vec zero() { return 0.0f; }
  static Vec broadcast(float s) { return s; }
  static Vec load(const float* p) { return *p; }
  static Vec load_first(const float* p, size_t n, Vec fill) { return n > 0 ? *p : fill; }
  static Vec load_first(const float* p, size_t n) { return load_first(p, n, 0.0f); }
  static void store(float* p, Vec v) { *p = v; }
  static void store_first(float* p, Vec v, size_t n) {
    if (n > 0) *p = v;
  }
  static Vec add(Vec a, Vec b) { return a + b; }
  static Vec sub(Vec a, Vec b) { return a - b; }
  static Vec mul(Vec a, Vec b) { return a * b; }
  static Vec div(Vec a, Vec b) { return a / b; }
  static Vec max(Vec a, Vec b) { return a > b ? a : b; }
  static Vec sqrt(Vec a) { return std::sqrt(a); }
  static Vec fma(Vec a, Vec b, Vec c) { return a * b + c; }
};

}  // namespace
}  // namespace dendrite::cpu
