// The inference kernels' vector operations in portable C++: one lane.
// (See ops_avx512.h for what each operation means.)
#pragma once

#include <cstddef>

#include "cpu/vec_scalar.h"

namespace dendrite::infer {
namespace {

// The basic operations (zero … fma, load_first, store_first) come from cpu::ScalarVec.
struct ScalarOps : cpu::ScalarVec {
  static void store_lanes(float* dst, Vec v, size_t /*first*/, size_t count) {
    if (count > 0) *dst = v;
  }
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
