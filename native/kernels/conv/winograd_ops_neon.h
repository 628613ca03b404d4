// The NEON vector operations the Winograd transforms are written in (see
// winograd_transforms.h). Include from *_neon.cc files only.
//
// One "vector" is three 4-float registers, 12 lanes: the transforms write
// whole vectors into B panels of the GEMM's width, so the lanes must divide
// the 8×12 tile's 12 columns, and the weight gradient's A panels hold up to
// the tile's 8 rows in one vector, so they must be at least 8.
// NEON has no gather: window values are loaded lane by lane.
#pragma once

#include <arm_neon.h>

#include <cstddef>
#include <cstdint>

#include "cpu/simd_neon.h"

namespace dendrite::winograd {

struct NeonOps {
  // Whether window rows are loaded whole and permuted (else gathered).
  static constexpr bool kLoadsRows = false;
  static constexpr size_t kLanes = 12;
  struct Vec {
    float32x4_t q[3];
  };
  struct Idx {
    int32x4_t q[3];
  };
  using Mask = uint32_t;  // bit l: lane l on

  static Vec zero() { return broadcast(0.0f); }
  static Vec broadcast(float s) {
    const float32x4_t v = vdupq_n_f32(s);
    return {{v, v, v}};
  }
  static Vec add(Vec a, Vec b) { return {{vaddq_f32(a.q[0], b.q[0]), vaddq_f32(a.q[1], b.q[1]), vaddq_f32(a.q[2], b.q[2])}}; }
  static Vec sub(Vec a, Vec b) { return {{vsubq_f32(a.q[0], b.q[0]), vsubq_f32(a.q[1], b.q[1]), vsubq_f32(a.q[2], b.q[2])}}; }
  static Vec load(const float* p) { return {{vld1q_f32(p), vld1q_f32(p + 4), vld1q_f32(p + 8)}}; }
  static void store(float* p, Vec v) {
    vst1q_f32(p, v.q[0]);
    vst1q_f32(p + 4, v.q[1]);
    vst1q_f32(p + 8, v.q[2]);
  }
  // Lanes [0, count) of v to p[0, count), count <= kLanes.
  static void store_first(float* p, Vec v, size_t count) {
    for (size_t r = 0; r < 3 && 4 * r < count; ++r) neon::store_first(p + 4 * r, v.q[r], count - 4 * r);
  }
  static Idx indices(const int32_t* lanes) { return {{vld1q_s32(lanes), vld1q_s32(lanes + 4), vld1q_s32(lanes + 8)}}; }
  static Idx offset(Idx i, int32_t by) {
    const int32x4_t d = vdupq_n_s32(by);
    return {{vaddq_s32(i.q[0], d), vaddq_s32(i.q[1], d), vaddq_s32(i.q[2], d)}};
  }
  static Mask mask(uint32_t lane_bits) { return lane_bits; }
  // base[i[l]] for the lanes in m, 0 in the others (which are not read).
  static Vec gather(const float* base, const Idx& i, Mask m) {
    alignas(16) int32_t at[kLanes];
    for (size_t r = 0; r < 3; ++r) vst1q_s32(at + 4 * r, i.q[r]);
    alignas(16) float v[kLanes];
    for (size_t l = 0; l < kLanes; ++l) v[l] = (m >> l) & 1u ? base[at[l]] : 0.0f;
    return load(v);
  }
  // a[0], b[0], a[1], b[1], … a[11], b[11], in memory order.
  struct Pairs {
    alignas(16) float v[2 * kLanes];
  };
  static Pairs interleave(Vec a, Vec b) {
    Pairs p;
    for (size_t r = 0; r < 3; ++r) vst2q_f32(p.v + 8 * r, (float32x4x2_t{{a.q[r], b.q[r]}}));
    return p;
  }
  // Values [2·first_lane, 2·first_lane + count) of p to dst[0, count).
  static void store_pairs(float* dst, const Pairs& p, size_t first_lane, size_t count) {
    const float* src = p.v + 2 * first_lane;
    size_t e = 0;
    for (; e + 4 <= count; e += 4) vst1q_f32(dst + e, vld1q_f32(src + e));
    neon::store_first(dst + e, neon::load_first(src + e, count - e), count - e);
  }
};

}  // namespace dendrite::winograd
