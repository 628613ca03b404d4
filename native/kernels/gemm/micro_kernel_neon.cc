// The 8×12 NEON micro-kernel: C[8×12] = alpha·Apanel·Bpanel + beta·C.
//
// Register plan (32 vector registers of 4 floats): row i of the tile is
// three accumulators c0[i], c1[i], c2[i] (columns 0-3, 4-7, 8-11), 24 in
// all; one k step loads the 8 values of A into two registers and the 12 of B
// into three, and each accumulator takes one fmla by element (B vector ×
// one lane of an A register), so A is never broadcast. That is 5 vector
// loads (3 load instructions) per 24 fmla, 96 multiply-adds; each
// accumulator chain takes one fmla in 24, more independent chains than the
// cores' FMA pipes need to cover their 4-cycle latency. The
// k loop is unrolled by 4 and prefetches the A micro-panel ahead (B's
// micro-panel is reused by the whole ir loop and stays in L1). A full tile
// is scaled and stored from the registers; an edge tile (mr < 8 or nr < 12)
// goes through a 384-byte buffer, and only its valid part is written.
#include <arm_neon.h>

#include "cpu/simd_neon.h"
#include "gemm/neon_kernels.h"

namespace dendrite::gemm {

namespace {

constexpr size_t MR = kNeonMR, NR = kNeonNR;

// A hint to bring the line at p into L1 (for reading, or for writing).
inline void prefetch(const void* p, bool for_write = false) {
#if defined(__GNUC__) || defined(__clang__)
  if (for_write) {
    __builtin_prefetch(p, 1);
  } else {
    __builtin_prefetch(p);
  }
#else
  (void)p, (void)for_write;
#endif
}

// GCC's scheduling before register allocation hoists the loads of the next
// k step above this one's fmla, which needs more than 32 registers and makes
// it spill accumulators to the stack inside the loop (seen with GCC 12:
// 16 extra stack loads and stores per 4 steps); the loop needs no
// reordering from the compiler, so it is compiled without that pass.
#if defined(__GNUC__) && !defined(__clang__)
#define DENDRITE_NEON_KEEP_ORDER __attribute__((optimize("no-schedule-insns")))
#else
#define DENDRITE_NEON_KEEP_ORDER
#endif

// The k loop in a function of its own, taking only integer arguments, so
// that all 32 vector registers are free for the tile and its operands. With
// `scale` ({alpha, beta}) the finished tile goes to `out` (C, row stride ld)
// as alpha·tile + beta·C (C unread at beta 0); without, the raw tile goes to
// `out` with row stride ld.
DENDRITE_GEMM_NOINLINE DENDRITE_NEON_KEEP_ORDER void accumulate(size_t kc, const float* a, const float* b, float* out, size_t ld,
                                       const float* scale) {
  float32x4_t c0[MR], c1[MR], c2[MR];
#pragma GCC unroll 8
  for (size_t i = 0; i < MR; ++i) c0[i] = c1[i] = c2[i] = vdupq_n_f32(0.0f);

// Row `i` of the tile takes lane `lane` of the A register `av`.
#define DENDRITE_NEON_ROW(i, av, lane)             \
  c0[i] = vfmaq_laneq_f32(c0[i], b0, av, lane);    \
  c1[i] = vfmaq_laneq_f32(c1[i], b1, av, lane);    \
  c2[i] = vfmaq_laneq_f32(c2[i], b2, av, lane);

#define DENDRITE_NEON_STEP(u)                                  \
  {                                                            \
    const float32x4_t a_top = vld1q_f32(a + (u) * MR);         \
    const float32x4_t a_bottom = vld1q_f32(a + (u) * MR + 4);  \
    const float32x4_t b0 = vld1q_f32(b + (u) * NR);            \
    const float32x4_t b1 = vld1q_f32(b + (u) * NR + 4);        \
    const float32x4_t b2 = vld1q_f32(b + (u) * NR + 8);        \
    DENDRITE_NEON_ROW(0, a_top, 0)                             \
    DENDRITE_NEON_ROW(1, a_top, 1)                             \
    DENDRITE_NEON_ROW(2, a_top, 2)                             \
    DENDRITE_NEON_ROW(3, a_top, 3)                             \
    DENDRITE_NEON_ROW(4, a_bottom, 0)                          \
    DENDRITE_NEON_ROW(5, a_bottom, 1)                          \
    DENDRITE_NEON_ROW(6, a_bottom, 2)                          \
    DENDRITE_NEON_ROW(7, a_bottom, 3)                          \
  }

  size_t p = 0;
  for (; p + 4 <= kc; p += 4) {
    // Four steps read 128 bytes of A: two cache lines, fetched 8 steps ahead.
    prefetch(a + 8 * MR);
    prefetch(a + 8 * MR + 16);
    DENDRITE_NEON_STEP(0)
    DENDRITE_NEON_STEP(1)
    DENDRITE_NEON_STEP(2)
    DENDRITE_NEON_STEP(3)
    a += 4 * MR;
    b += 4 * NR;
  }
  for (; p < kc; ++p) {
    DENDRITE_NEON_STEP(0)
    a += MR;
    b += NR;
  }
#undef DENDRITE_NEON_STEP
#undef DENDRITE_NEON_ROW

  if (scale == nullptr) {
#pragma GCC unroll 8
    for (size_t i = 0; i < MR; ++i) {
      float* row = out + i * ld;
      vst1q_f32(row, c0[i]);
      vst1q_f32(row + 4, c1[i]);
      vst1q_f32(row + 8, c2[i]);
    }
    return;
  }
  const float alpha = scale[0], beta = scale[1];
#pragma GCC unroll 8
  for (size_t i = 0; i < MR; ++i) {
    float* row = out + i * ld;
    float32x4_t v0 = vmulq_n_f32(c0[i], alpha), v1 = vmulq_n_f32(c1[i], alpha), v2 = vmulq_n_f32(c2[i], alpha);
    if (beta != 0.0f) {
      v0 = vfmaq_n_f32(v0, vld1q_f32(row), beta);
      v1 = vfmaq_n_f32(v1, vld1q_f32(row + 4), beta);
      v2 = vfmaq_n_f32(v2, vld1q_f32(row + 8), beta);
    }
    vst1q_f32(row, v0);
    vst1q_f32(row + 4, v1);
    vst1q_f32(row + 8, v2);
  }
}

// The first nr columns of one row of an edge tile: C = alpha·tile + beta·C.
void store_partial_row(const float* tile_row, float* c, size_t nr, float alpha, float beta) {
  for (size_t j = 0; j < nr; j += 4) {
    const size_t count = nr - j < 4 ? nr - j : 4;
    float32x4_t v = vmulq_n_f32(vld1q_f32(tile_row + j), alpha);
    if (beta != 0.0f) v = vfmaq_n_f32(v, neon::load_first(c + j, count), beta);
    neon::store_first(c + j, v, count);
  }
}

}  // namespace

void micro_kernel_neon(size_t kc, const float* a, const float* b, float* c, size_t ldc, float alpha, float beta,
                       size_t mr, size_t nr, const float* a_next, const float* b_next) {
  // This tile of C (for writing), and the starts of the next micro-panels,
  // on their way to L1 while the products are computed.
  for (size_t i = 0; i < mr; ++i) {
    prefetch(c + i * ldc, true);
    prefetch(c + i * ldc + NR - 1, true);
  }
  prefetch(a_next);
  prefetch(b_next);
  if (mr == MR && nr == NR) {
    const float scale[2] = {alpha, beta};
    accumulate(kc, a, b, c, ldc, scale);
    return;
  }
  alignas(16) float tile[MR * NR];
  accumulate(kc, a, b, tile, NR, nullptr);
  for (size_t i = 0; i < mr; ++i) store_partial_row(tile + i * NR, c + i * ldc, nr, alpha, beta);
}

}  // namespace dendrite::gemm
