// Portable stand-ins for the vector operations the Winograd transforms are
// written in (see winograd_transforms.h): 8 lanes held in plain arrays.
#pragma once

#include <cstddef>
#include <cstdint>

namespace dendrite::winograd {

struct ScalarOps {
  // Whether window rows are loaded whole and permuted (else gathered).
  static constexpr bool kLoadsRows = false;
  static constexpr size_t kLanes = 8;
  struct Vec {
    float v[8];
  };
  struct Idx {
    int32_t v[8];
  };
  using Mask = uint32_t;

  static Vec zero() { return broadcast(0.0f); }
  static Vec broadcast(float s) {
    Vec r;
    for (size_t l = 0; l < kLanes; ++l) r.v[l] = s;
    return r;
  }
  static Vec add(Vec a, Vec b) {
    for (size_t l = 0; l < kLanes; ++l) a.v[l] += b.v[l];
    return a;
  }
  static Vec sub(Vec a, Vec b) {
    for (size_t l = 0; l < kLanes; ++l) a.v[l] -= b.v[l];
    return a;
  }
  static Vec load(const float* p) {
    Vec r;
    for (size_t l = 0; l < kLanes; ++l) r.v[l] = p[l];
    return r;
  }
  static void store(float* p, Vec v) { store_first(p, v, kLanes); }
  static void store_first(float* p, Vec v, size_t count) {
    for (size_t l = 0; l < count; ++l) p[l] = v.v[l];
  }
  static Idx indices(const int32_t* lanes) {
    Idx r;
    for (size_t l = 0; l < kLanes; ++l) r.v[l] = lanes[l];
    return r;
  }
  static Idx offset(Idx i, int32_t by) {
    for (size_t l = 0; l < kLanes; ++l) i.v[l] += by;
    return i;
  }
  static Mask mask(uint32_t lane_bits) { return lane_bits; }
  static Vec gather(const float* base, Idx i, Mask m) {
    Vec r;
    for (size_t l = 0; l < kLanes; ++l) r.v[l] = (m >> l) & 1u ? base[i.v[l]] : 0.0f;
    return r;
  }
  // a[0], b[0], a[1], b[1], … in order.
  struct Pairs {
    float v[16];
  };
  static Pairs interleave(Vec a, Vec b) {
    Pairs p;
    for (size_t l = 0; l < kLanes; ++l) p.v[2 * l] = a.v[l], p.v[2 * l + 1] = b.v[l];
    return p;
  }
  // Values [2·first_lane, 2·first_lane + count) of p to dst[0, count).
  static void store_pairs(float* dst, const Pairs& p, size_t first_lane, size_t count) {
    for (size_t e = 0; e < count; ++e) dst[e] = p.v[2 * first_lane + e];
  }
};

}  // namespace dendrite::winograd
