// NEON packing of A blocks (8-row micro-panels) and B panels (12-column
// micro-panels) into the layout of gemm_kernels.h. The orientations that
// need a transpose (A stored row-major, B stored transposed) go through 4×4
// register transposes, four k values at a time; the others are straight
// vector copies. Partial vectors at the edges are read piecewise
// (neon::load_first), so nothing outside the operand is ever touched, and
// the lanes past the edge are packed as zeros.
#include <arm_neon.h>

#include <algorithm>

#include "cpu/simd_neon.h"
#include "gemm/neon_kernels.h"

namespace dendrite::gemm {

namespace {

constexpr size_t MR = kNeonMR, NR = kNeonNR;

// Transposes the 4×4 block held in r[0..3] (row i in r[i]) in place: pairs
// of lanes first (trn on 32-bit elements), then pairs of pairs (on 64-bit ones).
inline void transpose4x4(float32x4_t r[4]) {
  auto lo = [](float32x4_t x, float32x4_t y) {
    return vreinterpretq_f32_f64(vtrn1q_f64(vreinterpretq_f64_f32(x), vreinterpretq_f64_f32(y)));
  };
  auto hi = [](float32x4_t x, float32x4_t y) {
    return vreinterpretq_f32_f64(vtrn2q_f64(vreinterpretq_f64_f32(x), vreinterpretq_f64_f32(y)));
  };
  const float32x4_t even01 = vtrn1q_f32(r[0], r[1]), odd01 = vtrn2q_f32(r[0], r[1]);
  const float32x4_t even23 = vtrn1q_f32(r[2], r[3]), odd23 = vtrn2q_f32(r[2], r[3]);
  r[0] = lo(even01, even23);
  r[1] = lo(odd01, odd23);
  r[2] = hi(even01, even23);
  r[3] = hi(odd01, odd23);
}

// One micro-panel of width W = 4·Groups from `lines` (<= W) rows of memory,
// ld floats apart, each holding the k values of one row of the panel: value
// p of memory row `line` goes to out[p·W + line] (lines past `lines` as
// zeros), a 4×4 transpose per group of four rows and four k values. Used for
// A stored row-major (rows of op(A)) and B stored transposed (columns of op(B)).
template <size_t Groups>
void pack_transposing(const float* src, size_t ld, size_t lines, size_t kc, float* out) {
  constexpr size_t W = 4 * Groups;
  const float32x4_t zero = vdupq_n_f32(0.0f);
  size_t p = 0;
  for (; p + 4 <= kc; p += 4) {
    for (size_t g = 0; g < Groups; ++g) {
      float32x4_t r[4];
      for (size_t l = 0; l < 4; ++l) {
        const size_t line = 4 * g + l;
        r[l] = line < lines ? vld1q_f32(src + line * ld + p) : zero;
      }
      transpose4x4(r);
      for (size_t q = 0; q < 4; ++q) vst1q_f32(out + (p + q) * W + 4 * g, r[q]);
    }
  }
  for (; p < kc; ++p) {
    for (size_t line = 0; line < W; ++line) out[p * W + line] = line < lines ? src[line * ld + p] : 0.0f;
  }
}

// Every micro-panel of width W of a block whose k-th row of values is
// contiguous in memory (row k at src + k·ld): A stored transposed, B stored
// row-major. Memory is swept one row at a time across all the panels, so it
// is read contiguously (the hardware prefetchers follow); panel q of the
// block starts at out + q·W·kc.
template <size_t W>
void pack_copying(const float* src, size_t ld, size_t width, size_t kc, float* out) {
  const size_t full = width / W, tail = width % W;
  for (size_t p = 0; p < kc; ++p) {
    const float* row = src + p * ld;
    float* dst = out + p * W;
    for (size_t q = 0; q < full; ++q, row += W, dst += W * kc) {
      for (size_t v = 0; v < W; v += 4) vst1q_f32(dst + v, vld1q_f32(row + v));
    }
    if (tail != 0) {
      for (size_t v = 0; v < W; v += 4) {
        const size_t have = tail > v ? std::min<size_t>(4, tail - v) : 0;
        vst1q_f32(dst + v, neon::load_first(row + v, have));
      }
    }
  }
}

}  // namespace

void pack_a_neon(Operand a, size_t rows, size_t kc, float* packed) {
  if (a.trans) {
    pack_copying<MR>(a.data, a.ld, rows, kc, packed);
    return;
  }
  for (size_t i0 = 0; i0 < rows; i0 += MR) {
    pack_transposing<MR / 4>(a.data + i0 * a.ld, a.ld, std::min(MR, rows - i0), kc, packed + i0 * kc);
  }
}

void pack_b_neon(Operand b, size_t kc, size_t cols, float* packed) {
  if (!b.trans) {
    pack_copying<NR>(b.data, b.ld, cols, kc, packed);
    return;
  }
  for (size_t j0 = 0; j0 < cols; j0 += NR) {
    pack_transposing<NR / 4>(b.data + j0 * b.ld, b.ld, std::min(NR, cols - j0), kc, packed + j0 * kc);
  }
}

}  // namespace dendrite::gemm
