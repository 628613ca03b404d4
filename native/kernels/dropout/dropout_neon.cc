// NEON dropout: Philox4x32-10 on eight counters per step (two vectors of
// four, one counter per 32-bit lane, interleaved so the multiplies of one
// hide the latency of the other) gives the 16-bit random numbers of 64
// consecutive positions; they are transposed to element order, compared, and
// applied with the mask in the same pass. Bit for bit the scalar stream of
// philox.h, so a seeded mask is the same on every CPU.
//
// NEON has no non-temporal store intrinsic, so the `stream` hint is not used
// (cores that detect a streaming write pattern stop allocating on their own).
#include <arm_neon.h>

#include <algorithm>
#include <cstdint>

#include "dropout/dropout_kernels.h"
#include "dropout/philox.h"

namespace dendrite::neon {
namespace {

// Counter vectors per step, four blocks (32 positions) each.
constexpr int kQuads = 2;
constexpr size_t kGroup = 32 * kQuads;

// 32×32→64-bit products of every lane with m: high and low halves.
inline void multiply_high_low(uint32x4_t a, uint32x4_t m, uint32x4_t* hi, uint32x4_t* lo) {
  const uint32x4_t p01 = vreinterpretq_u32_u64(vmull_u32(vget_low_u32(a), vget_low_u32(m)));
  const uint32x4_t p23 = vreinterpretq_u32_u64(vmull_high_u32(a, m));
  // Each 64-bit product is (low word, high word) in memory order.
  *lo = vuzp1q_u32(p01, p23);
  *hi = vuzp2q_u32(p01, p23);
}

struct RoundKeys {
  uint32x4_t k0[kPhiloxRounds], k1[kPhiloxRounds];
  explicit RoundKeys(uint32_t seed) {
    uint32_t a = seed, b = 0;
    for (int r = 0; r < kPhiloxRounds; ++r) {
      if (r > 0) a += kPhiloxKeyStep0, b += kPhiloxKeyStep1;
      k0[r] = vdupq_n_u32(a);
      k1[r] = vdupq_n_u32(b);
    }
  }
};

// The 16-bit random numbers of positions [first, first + kGroup); first must
// be a multiple of kGroup, so the block counters first/8 + lane share their
// high half and never carry. bits[k] holds positions first + 8k .. first + 8k + 7.
inline void random_bits(uint64_t first, const RoundKeys& keys, uint16x8_t bits[4 * kQuads]) {
  const uint64_t block = first >> 3;
  const uint32x4_t m0 = vdupq_n_u32(kPhiloxMultiplier0), m1 = vdupq_n_u32(kPhiloxMultiplier1);
  const uint32x4_t lane = {0, 1, 2, 3};
  uint32x4_t c0[kQuads], c1[kQuads], c2[kQuads], c3[kQuads];
  for (int q = 0; q < kQuads; ++q) {
    c0[q] = vaddq_u32(vdupq_n_u32(static_cast<uint32_t>(block) + 4 * q), lane);
    c1[q] = vdupq_n_u32(static_cast<uint32_t>(block >> 32));
    c2[q] = c3[q] = vdupq_n_u32(0);
  }
  for (int r = 0; r < kPhiloxRounds; ++r) {
    for (int q = 0; q < kQuads; ++q) {
      uint32x4_t hi0, lo0, hi1, lo1;
      multiply_high_low(c0[q], m0, &hi0, &lo0);
      multiply_high_low(c2[q], m1, &hi1, &lo1);
      c0[q] = veorq_u32(veorq_u32(hi1, c1[q]), keys.k0[r]);
      c1[q] = lo1;
      c2[q] = veorq_u32(veorq_u32(hi0, c3[q]), keys.k1[r]);
      c3[q] = lo0;
    }
  }
  // Lane l of c_w is word w of block l. Blocks follow one another in the
  // stream, so transpose the 4×4 words into memory order; each word then holds
  // its two positions as little-endian 16-bit halves.
  for (int q = 0; q < kQuads; ++q) {
    const uint32x4_t t0 = vtrn1q_u32(c0[q], c1[q]), t1 = vtrn2q_u32(c0[q], c1[q]);
    const uint32x4_t t2 = vtrn1q_u32(c2[q], c3[q]), t3 = vtrn2q_u32(c2[q], c3[q]);
    auto low_pairs = [](uint32x4_t a, uint32x4_t b) {
      return vreinterpretq_u16_u64(vtrn1q_u64(vreinterpretq_u64_u32(a), vreinterpretq_u64_u32(b)));
    };
    auto high_pairs = [](uint32x4_t a, uint32x4_t b) {
      return vreinterpretq_u16_u64(vtrn2q_u64(vreinterpretq_u64_u32(a), vreinterpretq_u64_u32(b)));
    };
    bits[4 * q + 0] = low_pairs(t0, t2);   // block 0
    bits[4 * q + 1] = low_pairs(t1, t3);   // block 1
    bits[4 * q + 2] = high_pairs(t0, t2);  // block 2
    bits[4 * q + 3] = high_pairs(t1, t3);  // block 3
  }
}

// Positions [position, position + kGroup·groups), position a multiple of kGroup.
void dropout_forward_groups(const float* x, float* out, uint8_t* mask, size_t groups, uint64_t position,
                            uint32_t seed, const DropoutRule& rule) {
  const RoundKeys keys(seed);
  const uint16x8_t threshold = vdupq_n_u16(static_cast<uint16_t>(rule.threshold));
  const uint32x4_t scale = vreinterpretq_u32_f32(vdupq_n_f32(rule.scale));
  const uint8x16_t one_byte = vdupq_n_u8(1);
  for (size_t i = 0; i < kGroup * groups; i += kGroup) {
    uint16x8_t bits[4 * kQuads];
    random_bits(position + i, keys, bits);
    for (int k = 0; k < 4 * kQuads; k += 2) {
      uint16x8_t keep[2];
      for (int h = 0; h < 2; ++h) {
        keep[h] = vcgeq_u16(bits[k + h], threshold);  // 16-bit lanes of 0 / all ones
        // Sign-extending widens the masks to 32-bit lanes of 0 / all ones.
        const int16x8_t wide = vreinterpretq_s16_u16(keep[h]);
        const uint32x4_t factors[2] = {vandq_u32(vreinterpretq_u32_s32(vmovl_s16(vget_low_s16(wide))), scale),
                                       vandq_u32(vreinterpretq_u32_s32(vmovl_high_s16(wide)), scale)};
        for (int f = 0; f < 2; ++f) {
          const size_t at = i + 8 * (k + h) + 4 * f;
          vst1q_f32(out + at, vmulq_f32(vld1q_f32(x + at), vreinterpretq_f32_u32(factors[f])));
        }
      }
      // Sixteen masks to sixteen bytes of 0/1, in element order.
      const uint8x16_t bytes = vcombine_u8(vmovn_u16(keep[0]), vmovn_u16(keep[1]));
      vst1q_u8(mask + i + 8 * k, vandq_u8(bytes, one_byte));
    }
  }
}

// kUniform: gy is one value for every element (broadcast once, never loaded per element).
template <bool kUniform>
void dropout_backward_groups(const float* gy, const uint8_t* mask, size_t groups, float scale, float* gx) {
  const uint32x4_t s = vreinterpretq_u32_f32(vdupq_n_f32(scale));
  const float32x4_t g = kUniform ? vdupq_n_f32(*gy) : vdupq_n_f32(0.0f);  // gy is only read when uniform
  for (size_t i = 0; i < 16 * groups; i += 16) {
    // All ones where the mask byte is 0: those lanes get factor 0.
    const int8x16_t dropped = vreinterpretq_s8_u8(vceqzq_u8(vld1q_u8(mask + i)));
    const int16x8_t halves[2] = {vmovl_s8(vget_low_s8(dropped)), vmovl_high_s8(dropped)};
    for (int h = 0; h < 2; ++h) {
      const int32x4_t quarters[2] = {vmovl_s16(vget_low_s16(halves[h])), vmovl_high_s16(halves[h])};
      for (int q = 0; q < 2; ++q) {
        const size_t at = i + 8 * h + 4 * q;
        const float32x4_t factor = vreinterpretq_f32_u32(vbicq_u32(s, vreinterpretq_u32_s32(quarters[q])));
        const float32x4_t grad = kUniform ? g : vld1q_f32(gy + at);
        vst1q_f32(gx + at, vmulq_f32(grad, factor));
      }
    }
  }
}

}  // namespace

void dropout_forward(const float* x, float* out, uint8_t* mask, size_t n, uint64_t position, uint32_t seed,
                     const DropoutRule& rule, bool /*stream*/) {
  // Up to the next multiple of kGroup positions, and the tail, one at a time.
  const size_t head = std::min(n, static_cast<size_t>((kGroup - (position % kGroup)) % kGroup));
  dropout_forward_scalar(x, out, mask, head, position, seed, rule);
  const size_t groups = (n - head) / kGroup, body_end = head + kGroup * groups;
  dropout_forward_groups(x + head, out + head, mask + head, groups, position + head, seed, rule);
  dropout_forward_scalar(x + body_end, out + body_end, mask + body_end, n - body_end, position + body_end, seed,
                         rule);
}

void dropout_backward(const float* gy, bool gy_uniform, const uint8_t* mask, size_t n, float scale, float* gx,
                      bool /*stream*/) {
  const size_t groups = n / 16, body_end = 16 * groups;
  if (gy_uniform) {
    dropout_backward_groups<true>(gy, mask, groups, scale, gx);
  } else {
    dropout_backward_groups<false>(gy, mask, groups, scale, gx);
  }
  dropout_backward_scalar(gy_uniform ? gy : gy + body_end, gy_uniform, mask + body_end, n - body_end, scale,
                          gx + body_end);
}

void scale_elements(const float* src, float* dst, size_t n, float factor) {
  const float32x4_t f = vdupq_n_f32(factor);
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const float32x4_t a = vld1q_f32(src + i), b = vld1q_f32(src + i + 4);
    const float32x4_t c = vld1q_f32(src + i + 8), d = vld1q_f32(src + i + 12);
    vst1q_f32(dst + i, vmulq_f32(a, f));
    vst1q_f32(dst + i + 4, vmulq_f32(b, f));
    vst1q_f32(dst + i + 8, vmulq_f32(c, f));
    vst1q_f32(dst + i + 12, vmulq_f32(d, f));
  }
  for (; i + 4 <= n; i += 4) vst1q_f32(dst + i, vmulq_f32(vld1q_f32(src + i), f));
  for (; i < n; ++i) dst[i] = src[i] * factor;
}

}  // namespace dendrite::neon
