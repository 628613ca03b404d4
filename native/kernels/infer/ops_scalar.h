// The inference kernels' vector operations in portable C++: one lane.
// (See ops_avx512.h for what each operation means.)
#pragma once

#include <cstddef>

namespace dendrite::infer {
namespace {

struct ScalarOps {
  static constexpr size_t kLanes = 1;
  using Vec = float;
  static Vec zero() { return 0.0f; }
  static Vec broadcast(float s) { return s; }
  static Vec load(const float* p) { return *p; }
  static Vec load_first(const float* p, size_t n) { return n > 0 ? *p : 0.0f; }
  static void store(float* p, Vec v) { *p = v; }
  static void store_first(float* p, Vec v, size_t n) {
    if (n > 0) *p = v;
  }
  static void store_lanes(float* dst, Vec v, size_t /*first*/, size_t count) {
    if (count > 0) *dst = v;
  }
  static Vec add(Vec a, Vec b) { return a + b; }
  static Vec sub(Vec a, Vec b) { return a - b; }
  static Vec mul(Vec a, Vec b) { return a * b; }
  static Vec max(Vec a, Vec b) { return a > b ? a : b; }
  static Vec fma(Vec a, Vec b, Vec c) { return a * b + c; }
  static void deinterleave(const float* p, Vec& even, Vec& odd) {
    even = p[0];
    odd = p[1];
  }
  static void deinterleave(Vec a, Vec b, Vec& even, Vec& odd) {
    even = a;
    odd = b;
  }
  static Vec load_window(const float* row, std::ptrdiff_t start, size_t w) {
    return start >= 0 && static_cast<size_t>(start) < w ? row[start] : 0.0f;
  }
  static Vec shift_in(Vec /*cur*/, Vec next) { return next; }
  static void transpose(const float* src, size_t /*lds*/, float* dst, size_t /*ldd*/) { *dst = *src; }
  // (With one lane a vector never holds two rows: concat is never used.)
  struct Concat {};
  static Concat concat_plan(size_t) { return {}; }
  static Vec concat(Vec a, Vec, Concat) { return a; }
  static void sum4(Vec a, Vec b, Vec c, Vec d, float* out) {
    out[0] = a, out[1] = b, out[2] = c, out[3] = d;
  }
};

}  // namespace
}  // namespace dendrite::infer
