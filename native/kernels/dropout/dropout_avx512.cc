// AVX-512 dropout forward: Philox4x32-10 on sixteen counters at once gives the
// 16-bit random numbers of 128 consecutive positions per step, twice what the
// AVX2 loop draws per step. Drawing the numbers is what bounds the forward
// pass (it runs no faster in cache than from memory), so the wider rounds are
// where its time goes down. Compares go to mask registers, which select the
// scale per lane and the mask bytes directly. Bit for bit the scalar stream
// of philox.h. The backward pass has no random numbers to draw and keeps the
// AVX2 loop, which is already bound by memory.
#include <immintrin.h>

#include <algorithm>
#include <cstdint>

#include "dropout/dropout_kernels.h"
#include "dropout/philox.h"

namespace dendrite::avx512 {
namespace {

// 32×32→64-bit products of every lane with m: low and high halves.
inline void multiply_high_low(__m512i a, __m512i m, __m512i* hi, __m512i* lo) {
  const __m512i even = _mm512_mul_epu32(a, m);                        // lanes 0, 2, …, 14
  const __m512i odd = _mm512_mul_epu32(_mm512_srli_epi64(a, 32), m);  // lanes 1, 3, …, 15
  *lo = _mm512_mask_blend_epi32(0xAAAA, even, _mm512_slli_epi64(odd, 32));
  *hi = _mm512_mask_blend_epi32(0xAAAA, _mm512_srli_epi64(even, 32), odd);
}

struct RoundKeys {
  __m512i k0[kPhiloxRounds], k1[kPhiloxRounds];
  explicit RoundKeys(uint32_t seed) {
    uint32_t a = seed, b = 0;
    for (int r = 0; r < kPhiloxRounds; ++r) {
      if (r > 0) a += kPhiloxKeyStep0, b += kPhiloxKeyStep1;
      k0[r] = _mm512_set1_epi32(static_cast<int>(a));
      k1[r] = _mm512_set1_epi32(static_cast<int>(b));
    }
  }
};

// The 16-bit random numbers of positions [first, first + 128); first must be
// a multiple of 128, so the sixteen block counters first/8 + lane share their
// high half and never carry. bits[k] holds positions first + 32k ..
// first + 32k + 31 as 16-bit lanes.
inline void random_bits_128(uint64_t first, const RoundKeys& keys, __m512i bits[4]) {
  const uint64_t block = first >> 3;
  const __m512i m0 = _mm512_set1_epi32(static_cast<int>(kPhiloxMultiplier0));
  const __m512i m1 = _mm512_set1_epi32(static_cast<int>(kPhiloxMultiplier1));
  __m512i c0 = _mm512_add_epi32(_mm512_set1_epi32(static_cast<int>(static_cast<uint32_t>(block))),
                                _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
  __m512i c1 = _mm512_set1_epi32(static_cast<int>(static_cast<uint32_t>(block >> 32)));
  __m512i c2 = _mm512_setzero_si512(), c3 = _mm512_setzero_si512();
  for (int r = 0; r < kPhiloxRounds; ++r) {
    __m512i hi0, lo0, hi1, lo1;
    multiply_high_low(c0, m0, &hi0, &lo0);
    multiply_high_low(c2, m1, &hi1, &lo1);
    c0 = _mm512_ternarylogic_epi32(hi1, c1, keys.k0[r], 0x96);  // three-way xor
    c1 = lo1;
    c2 = _mm512_ternarylogic_epi32(hi0, c3, keys.k1[r], 0x96);
    c3 = lo0;
  }
  // Lane l of c_w is word w of block l; blocks follow one another in the
  // stream. Interleaving the words puts block 4j + k in 128-bit lane j of u_k;
  // a 4×4 transpose of 128-bit lanes then gives four blocks per vector, in
  // order. Each word holds its two positions as little-endian 16-bit halves.
  const __m512i t0 = _mm512_unpacklo_epi32(c0, c1), t1 = _mm512_unpacklo_epi32(c2, c3);
  const __m512i t2 = _mm512_unpackhi_epi32(c0, c1), t3 = _mm512_unpackhi_epi32(c2, c3);
  const __m512i u0 = _mm512_unpacklo_epi64(t0, t1);  // blocks 0 | 4 | 8 | 12
  const __m512i u1 = _mm512_unpackhi_epi64(t0, t1);  // blocks 1 | 5 | 9 | 13
  const __m512i u2 = _mm512_unpacklo_epi64(t2, t3);  // blocks 2 | 6 | 10 | 14
  const __m512i u3 = _mm512_unpackhi_epi64(t2, t3);  // blocks 3 | 7 | 11 | 15
  const __m512i low01 = _mm512_shuffle_i32x4(u0, u1, 0x44);   // blocks 0 4 1 5
  const __m512i low23 = _mm512_shuffle_i32x4(u2, u3, 0x44);   // blocks 2 6 3 7
  const __m512i high01 = _mm512_shuffle_i32x4(u0, u1, 0xEE);  // blocks 8 12 9 13
  const __m512i high23 = _mm512_shuffle_i32x4(u2, u3, 0xEE);  // blocks 10 14 11 15
  bits[0] = _mm512_shuffle_i32x4(low01, low23, 0x88);         // blocks 0 1 2 3
  bits[1] = _mm512_shuffle_i32x4(low01, low23, 0xDD);         // blocks 4 5 6 7
  bits[2] = _mm512_shuffle_i32x4(high01, high23, 0x88);       // blocks 8 9 10 11
  bits[3] = _mm512_shuffle_i32x4(high01, high23, 0xDD);       // blocks 12 13 14 15
}

bool aligned(const void* p, uintptr_t bytes) { return (reinterpret_cast<uintptr_t>(p) & (bytes - 1)) == 0; }

// Positions [position, position + 128·groups), position a multiple of 128.
// With kStream, out must be 64-byte and mask 32-byte aligned.
template <bool kStream>
void dropout_forward_groups(const float* x, float* out, uint8_t* mask, size_t groups, uint64_t position,
                            uint32_t seed, const DropoutRule& rule) {
  const RoundKeys keys(seed);
  const __m512i threshold = _mm512_set1_epi16(static_cast<short>(rule.threshold));
  const __m512 scale = _mm512_set1_ps(rule.scale);
  const __m256i one_byte = _mm256_set1_epi8(1);
  for (size_t i = 0; i < 128 * groups; i += 128) {
    __m512i bits[4];
    random_bits_128(position + i, keys, bits);
    for (int k = 0; k < 4; ++k) {
      // Kept where the unsigned 16 bits are >= threshold; one mask bit per position.
      const __mmask32 keep = _mm512_cmpge_epu16_mask(bits[k], threshold);
      const size_t at = i + 32 * static_cast<size_t>(k);
      // Dropped lanes are multiplied by 0 (not zeroed), so NaN and infinity stay NaN.
      const __m512 factor_lo = _mm512_maskz_mov_ps(static_cast<__mmask16>(keep), scale);
      const __m512 factor_hi = _mm512_maskz_mov_ps(static_cast<__mmask16>(keep >> 16), scale);
      const __m512 lo = _mm512_mul_ps(_mm512_loadu_ps(x + at), factor_lo);
      const __m512 hi = _mm512_mul_ps(_mm512_loadu_ps(x + at + 16), factor_hi);
      const __m256i bytes = _mm256_maskz_mov_epi8(keep, one_byte);
      if (kStream) {
        _mm512_stream_ps(out + at, lo);
        _mm512_stream_ps(out + at + 16, hi);
        _mm256_stream_si256(reinterpret_cast<__m256i*>(mask + at), bytes);
      } else {
        _mm512_storeu_ps(out + at, lo);
        _mm512_storeu_ps(out + at + 16, hi);
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(mask + at), bytes);
      }
    }
  }
  if (kStream) _mm_sfence();
}

}  // namespace

void dropout_forward(const float* x, float* out, uint8_t* mask, size_t n, uint64_t position, uint32_t seed,
                     const DropoutRule& rule, bool stream) {
  // Up to the next multiple of 128 positions, and the tail, one at a time.
  const size_t head = std::min(n, static_cast<size_t>((128 - (position & 127)) & 127));
  dropout_forward_scalar(x, out, mask, head, position, seed, rule);
  const size_t groups = (n - head) / 128, body_end = head + 128 * groups;
  if (stream && aligned(out + head, 64) && aligned(mask + head, 32)) {
    dropout_forward_groups<true>(x + head, out + head, mask + head, groups, position + head, seed, rule);
  } else {
    dropout_forward_groups<false>(x + head, out + head, mask + head, groups, position + head, seed, rule);
  }
  dropout_forward_scalar(x + body_end, out + body_end, mask + body_end, n - body_end, position + body_end, seed,
                         rule);
}

}  // namespace dendrite::avx512
