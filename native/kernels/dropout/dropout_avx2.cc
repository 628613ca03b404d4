// AVX2 dropout: Philox4x32-10 on eight counters at once (one per 32-bit lane),
// giving the random words of 32 consecutive positions per step, compared,
// transposed to element order and applied with the mask in the same pass.
#include <immintrin.h>

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

// Random words of positions [first, first + 32); first must be a multiple of
// 32, so the eight block counters first/4 + lane share their high half and
// never carry. words[k] holds positions first + 8k .. first + 8k + 7.
inline void random_words_32(uint64_t first, const RoundKeys& keys, __m256i words[4]) {
  const uint64_t block = first >> 2;
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
  // Lane l of c_w is word w of block l; element order is block-major, so
  // transpose the 8×4 words into four vectors of eight positions each.
  const __m256i t0 = _mm256_unpacklo_epi32(c0, c1), t1 = _mm256_unpacklo_epi32(c2, c3);
  const __m256i t2 = _mm256_unpackhi_epi32(c0, c1), t3 = _mm256_unpackhi_epi32(c2, c3);
  const __m256i u0 = _mm256_unpacklo_epi64(t0, t1);  // blocks 0 | 4
  const __m256i u1 = _mm256_unpackhi_epi64(t0, t1);  // blocks 1 | 5
  const __m256i u2 = _mm256_unpacklo_epi64(t2, t3);  // blocks 2 | 6
  const __m256i u3 = _mm256_unpackhi_epi64(t2, t3);  // blocks 3 | 7
  words[0] = _mm256_permute2x128_si256(u0, u1, 0x20);
  words[1] = _mm256_permute2x128_si256(u2, u3, 0x20);
  words[2] = _mm256_permute2x128_si256(u0, u1, 0x31);
  words[3] = _mm256_permute2x128_si256(u2, u3, 0x31);
}

}  // namespace

void dropout_forward(const float* x, float* out, uint8_t* mask, size_t n, uint64_t position, uint32_t seed,
                     const DropoutRule& rule) {
  // Up to the next multiple of 32 positions, and the tail, one at a time.
  size_t head = static_cast<size_t>((32 - (position & 31)) & 31);
  if (head > n) head = n;
  dropout_forward_scalar(x, out, mask, head, position, seed, rule);
  const RoundKeys keys(seed);
  const __m256i threshold = _mm256_set1_epi32(static_cast<int>(rule.threshold));
  const __m256 scale = _mm256_set1_ps(rule.scale);
  const __m256i one_byte = _mm256_set1_epi8(1);
  const __m256i byte_order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
  size_t i = head;
  for (; i + 32 <= n; i += 32) {
    __m256i words[4], keep[4];
    random_words_32(position + i, keys, words);
    for (int k = 0; k < 4; ++k) {
      // Unsigned words >= threshold ⇔ max(words, threshold) == words.
      keep[k] = _mm256_cmpeq_epi32(_mm256_max_epu32(words[k], threshold), words[k]);
      const __m256 factor = _mm256_and_ps(_mm256_castsi256_ps(keep[k]), scale);
      _mm256_storeu_ps(out + i + 8 * k, _mm256_mul_ps(_mm256_loadu_ps(x + i + 8 * k), factor));
    }
    // 32 lanes of 0/−1 to 32 bytes of 0/1, in element order.
    const __m256i packed = _mm256_packs_epi16(_mm256_packs_epi32(keep[0], keep[1]), _mm256_packs_epi32(keep[2], keep[3]));
    const __m256i ordered = _mm256_permutevar8x32_epi32(packed, byte_order);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(mask + i), _mm256_and_si256(ordered, one_byte));
  }
  dropout_forward_scalar(x + i, out + i, mask + i, n - i, position + i, seed, rule);
}

void dropout_backward(const float* gy, const uint8_t* mask, size_t n, float scale, float* gx) {
  const __m256 s = _mm256_set1_ps(scale);
  const __m256i zero = _mm256_setzero_si256();
  size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    const __m256i bytes = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(mask + i));
    // 0xFF where the mask byte is 0: those lanes get factor 0.
    const __m256i dropped = _mm256_cmpeq_epi8(bytes, zero);
    const __m128i lo = _mm256_castsi256_si128(dropped), hi = _mm256_extracti128_si256(dropped, 1);
    const __m128i parts[4] = {lo, _mm_srli_si128(lo, 8), hi, _mm_srli_si128(hi, 8)};
    for (int k = 0; k < 4; ++k) {
      const __m256 drop = _mm256_castsi256_ps(_mm256_cvtepi8_epi32(parts[k]));
      const __m256 factor = _mm256_andnot_ps(drop, s);
      _mm256_storeu_ps(gx + i + 8 * k, _mm256_mul_ps(_mm256_loadu_ps(gy + i + 8 * k), factor));
    }
  }
  dropout_backward_scalar(gy + i, mask + i, n - i, scale, gx + i);
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
