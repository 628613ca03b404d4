// AVX2 dropout: Philox4x32-10 on eight counters at once (one per 32-bit
// lane) gives the 16-bit random numbers of 64 consecutive positions per
// step; they are transposed to element order, compared, and applied with the
// mask in the same pass. Bit for bit the scalar stream of philox.h.
#include <immintrin.h>

#include <algorithm>
#include <cstdint>

#include "dropout/dropout_kernels.h"
#include "dropout/philox.h"

namespace dendrite::avx2 {
namespace {

// 32×32→64-bit products of every lane with m: low and high halves.
inline void multiply_high_low(__m256i a, __m256i m, __m256i* hi, __m256i* lo) {
  const __m256i even = _mm256_mul_epu32(a, m);                         // lanes 0, 2, 4, 6
  const __m256i odd = _mm256_mul_epu32(_mm256_srli_epi64(a, 32), m);   // lanes 1, 3, 5, 7
  *lo = _mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xAA);
  *hi = _mm256_blend_epi32(_mm256_srli_epi64(even, 32), odd, 0xAA);
}

struct RoundKeys {
  __m256i k0[kPhiloxRounds], k1[kPhiloxRounds];
  explicit RoundKeys(uint32_t seed) {
    uint32_t a = seed, b = 0;
    for (int r = 0; r < kPhiloxRounds; ++r) {
      if (r > 0) a += kPhiloxKeyStep0, b += kPhiloxKeyStep1;
      k0[r] = _mm256_set1_epi32(static_cast<int>(a));
      k1[r] = _mm256_set1_epi32(static_cast<int>(b));
    }
  }
};

// The 16-bit random numbers of positions [first, first + 64); first must be a
// multiple of 64, so the eight block counters first/8 + lane share their high
// half and never carry. bits[k] holds positions first + 16k .. first + 16k + 15
// as 16-bit lanes.
inline void random_bits_64(uint64_t first, const RoundKeys& keys, __m256i bits[4]) {
  const uint64_t block = first >> 3;
  const __m256i m0 = _mm256_set1_epi32(static_cast<int>(kPhiloxMultiplier0));
  const __m256i m1 = _mm256_set1_epi32(static_cast<int>(kPhiloxMultiplier1));
  __m256i c0 = _mm256_add_epi32(_mm256_set1_epi32(static_cast<int>(static_cast<uint32_t>(block))),
                                _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  __m256i c1 = _mm256_set1_epi32(static_cast<int>(static_cast<uint32_t>(block >> 32)));
  __m256i c2 = _mm256_setzero_si256(), c3 = _mm256_setzero_si256();
  for (int r = 0; r < kPhiloxRounds; ++r) {
    __m256i hi0, lo0, hi1, lo1;
    multiply_high_low(c0, m0, &hi0, &lo0);
    multiply_high_low(c2, m1, &hi1, &lo1);
    c0 = _mm256_xor_si256(_mm256_xor_si256(hi1, c1), keys.k0[r]);
    c1 = lo1;
    c2 = _mm256_xor_si256(_mm256_xor_si256(hi0, c3), keys.k1[r]);
    c3 = lo0;
  }
  // Lane l of c_w is word w of block l. Blocks come one after another in the
  // stream, so transpose the 8×4 words into memory order; each word then
  // holds its two positions as little-endian 16-bit halves.
  const __m256i t0 = _mm256_unpacklo_epi32(c0, c1), t1 = _mm256_unpacklo_epi32(c2, c3);
  const __m256i t2 = _mm256_unpackhi_epi32(c0, c1), t3 = _mm256_unpackhi_epi32(c2, c3);
  const __m256i u0 = _mm256_unpacklo_epi64(t0, t1);  // blocks 0 | 4
  const __m256i u1 = _mm256_unpackhi_epi64(t0, t1);  // blocks 1 | 5
  const __m256i u2 = _mm256_unpacklo_epi64(t2, t3);  // blocks 2 | 6
  const __m256i u3 = _mm256_unpackhi_epi64(t2, t3);  // blocks 3 | 7
  bits[0] = _mm256_permute2x128_si256(u0, u1, 0x20);
  bits[1] = _mm256_permute2x128_si256(u2, u3, 0x20);
  bits[2] = _mm256_permute2x128_si256(u0, u1, 0x31);
  bits[3] = _mm256_permute2x128_si256(u2, u3, 0x31);
}

bool aligned32(const void* p) { return (reinterpret_cast<uintptr_t>(p) & 31) == 0; }

template <bool kStream>
inline void store_floats(float* p, __m256 v) {
  if (kStream) {
    _mm256_stream_ps(p, v);
  } else {
    _mm256_storeu_ps(p, v);
  }
}

template <bool kStream>
inline void store_bytes(uint8_t* p, __m256i v) {
  if (kStream) {
    _mm256_stream_si256(reinterpret_cast<__m256i*>(p), v);
  } else {
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), v);
  }
}

// Positions [position, position + 64·groups), position a multiple of 64.
template <bool kStream>
void dropout_forward_groups(const float* x, float* out, uint8_t* mask, size_t groups, uint64_t position,
                            uint32_t seed, const DropoutRule& rule) {
  const RoundKeys keys(seed);
  const __m256i threshold = _mm256_set1_epi16(static_cast<short>(rule.threshold));
  const __m256 scale = _mm256_set1_ps(rule.scale);
  const __m256i one_byte = _mm256_set1_epi8(1);
  for (size_t i = 0; i < 64 * groups; i += 64) {
    __m256i bits[4], keep[4];
    random_bits_64(position + i, keys, bits);
    for (int k = 0; k < 4; ++k) {
      // Unsigned bits >= threshold ⇔ max(bits, threshold) == bits; 16-bit lanes of 0/−1.
      keep[k] = _mm256_cmpeq_epi16(_mm256_max_epu16(bits[k], threshold), bits[k]);
      const __m256i halves[2] = {_mm256_cvtepi16_epi32(_mm256_castsi256_si128(keep[k])),
                                 _mm256_cvtepi16_epi32(_mm256_extracti128_si256(keep[k], 1))};
      for (int h = 0; h < 2; ++h) {
        const size_t at = i + 16 * k + 8 * h;
        const __m256 factor = _mm256_and_ps(_mm256_castsi256_ps(halves[h]), scale);
        store_floats<kStream>(out + at, _mm256_mul_ps(_mm256_loadu_ps(x + at), factor));
      }
    }
    // Two vectors of 16 masks to 32 bytes of 0/1, in element order (the pack
    // interleaves 128-bit halves; the permute undoes it).
    for (int k = 0; k < 4; k += 2) {
      const __m256i packed = _mm256_permute4x64_epi64(_mm256_packs_epi16(keep[k], keep[k + 1]), 0xD8);
      store_bytes<kStream>(mask + i + 16 * k, _mm256_and_si256(packed, one_byte));
    }
  }
  if (kStream) _mm_sfence();
}

// kUniform: gy is one value for every element (broadcast once, never loaded per element).
template <bool kStream, bool kUniform>
void dropout_backward_groups(const float* gy, const uint8_t* mask, size_t groups, float scale, float* gx) {
  const __m256 s = _mm256_set1_ps(scale);
  const __m256 g = kUniform ? _mm256_set1_ps(*gy) : _mm256_setzero_ps();  // gy is only read when uniform
  const __m256i zero = _mm256_setzero_si256();
  for (size_t i = 0; i < 32 * groups; i += 32) {
    const __m256i bytes = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(mask + i));
    // 0xFF where the mask byte is 0: those lanes get factor 0.
    const __m256i dropped = _mm256_cmpeq_epi8(bytes, zero);
    const __m128i lo = _mm256_castsi256_si128(dropped), hi = _mm256_extracti128_si256(dropped, 1);
    const __m128i parts[4] = {lo, _mm_srli_si128(lo, 8), hi, _mm_srli_si128(hi, 8)};
    for (int k = 0; k < 4; ++k) {
      const __m256 drop = _mm256_castsi256_ps(_mm256_cvtepi8_epi32(parts[k]));
      const __m256 factor = _mm256_andnot_ps(drop, s);
      const __m256 grad = kUniform ? g : _mm256_loadu_ps(gy + i + 8 * k);
      store_floats<kStream>(gx + i + 8 * k, _mm256_mul_ps(grad, factor));
    }
  }
  if (kStream) _mm_sfence();
}

template <bool kUniform>
void dropout_backward_body(const float* gy, const uint8_t* mask, size_t groups, float scale, float* gx,
                           bool stream) {
  if (stream && aligned32(gx)) {
    dropout_backward_groups<true, kUniform>(gy, mask, groups, scale, gx);
  } else {
    dropout_backward_groups<false, kUniform>(gy, mask, groups, scale, gx);
  }
}


}  // namespace

void dropout_forward(const float* x, float* out, uint8_t* mask, size_t n, uint64_t position, uint32_t seed,
                     const DropoutRule& rule, bool stream) {
  // Up to the next multiple of 64 positions, and the tail, one at a time.
  const size_t head = std::min(n, static_cast<size_t>((64 - (position & 63)) & 63));
  dropout_forward_scalar(x, out, mask, head, position, seed, rule);
  const size_t groups = (n - head) / 64, body_end = head + 64 * groups;
  if (stream && aligned32(out + head) && aligned32(mask + head)) {
    dropout_forward_groups<true>(x + head, out + head, mask + head, groups, position + head, seed, rule);
  } else {
    dropout_forward_groups<false>(x + head, out + head, mask + head, groups, position + head, seed, rule);
  }
  dropout_forward_scalar(x + body_end, out + body_end, mask + body_end, n - body_end, position + body_end, seed,
                         rule);
}


void dropout_backward(const float* gy, bool gy_uniform, const uint8_t* mask, size_t n, float scale, float* gx,
                      bool stream) {
  // Reach a 32-byte boundary of gx first so the body may stream.
  size_t head = std::min(n, static_cast<size_t>(((32 - (reinterpret_cast<uintptr_t>(gx) & 31)) & 31) / 4));
  if ((reinterpret_cast<uintptr_t>(gx) & 3) != 0) head = 0;  // not float-aligned: never streams
  dropout_backward_scalar(gy, gy_uniform, mask, head, scale, gx);
  const size_t groups = (n - head) / 32, body_end = head + 32 * groups;
  if (gy_uniform) {
    dropout_backward_body<true>(gy, mask + head, groups, scale, gx + head, stream);
  } else {
    dropout_backward_body<false>(gy + head, mask + head, groups, scale, gx + head, stream);
  }
  dropout_backward_scalar(gy_uniform ? gy : gy + body_end, gy_uniform, mask + body_end, n - body_end, scale, gx + body_end);
}

void scale_elements(const float* src, float* dst, size_t n, float factor) {
  const __m256 f = _mm256_set1_ps(factor);
  size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    const __m256 a = _mm256_loadu_ps(src + i), b = _mm256_loadu_ps(src + i + 8);
    const __m256 c = _mm256_loadu_ps(src + i + 16), d = _mm256_loadu_ps(src + i + 24);
    _mm256_storeu_ps(dst + i, _mm256_mul_ps(a, f));
    _mm256_storeu_ps(dst + i + 8, _mm256_mul_ps(b, f));
    _mm256_storeu_ps(dst + i + 16, _mm256_mul_ps(c, f));
    _mm256_storeu_ps(dst + i + 24, _mm256_mul_ps(d, f));
  }
  for (; i + 8 <= n; i += 8) _mm256_storeu_ps(dst + i, _mm256_mul_ps(_mm256_loadu_ps(src + i), f));
  for (; i < n; ++i) dst[i] = src[i] * factor;
}

}  // namespace dendrite::avx2
