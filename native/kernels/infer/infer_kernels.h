// The pieces of the inference kernels that one instruction set supplies,
// chosen once per call from ctx.isa (scalar, AVX2 + FMA, AVX-512, NEON). The
// drivers (conv_infer.cc, linear_infer.cc) own the loops over the batch, the
// threads and the scratch; these functions own the arithmetic.
#pragma once

#include <cstddef>

#include "conv/conv2d_geometry.h"
#include "cpu/isa.h"
#include "infer/infer_epilogue.h"

namespace dendrite::infer {

// Widest vector of any ISA, in floats: scratch sizes leave this much slack
// so that whole-vector reads past a row's end stay inside the buffer.
constexpr size_t kMaxLanes = 16;

inline size_t round_up(size_t v, size_t to) { return (v + to - 1) / to * to; }

// A hint to bring the cache line at p closer (no effect where unsupported).
inline void prefetch(const void* p) {
#if defined(__GNUC__) || defined(__clang__)
  __builtin_prefetch(p);
#else
  (void)p;
#endif
}

// Winograd F(2×2, 3×3): each output tile is 2×2 and reads a 4×4 input
// window; tile (ty, tx) of an image covers output rows 2ty, 2ty+1 and
// columns 2tx, 2tx+1. Tiles are numbered image by image, row by row.
constexpr size_t kWinogradPositions = 16;

// Floats of one deinterleaved padded input row (its even and odd columns)
// for an image `tiles_wide` tiles wide.
inline size_t winograd_row_floats(size_t tiles_wide) { return 2 * (round_up(tiles_wide + 1, kMaxLanes) + kMaxLanes); }

// A stride of at least `floats` floats spanning an odd number of cache lines:
// rows that far apart fall into different sets of the L1 cache, where a
// power-of-two stride would put them all into one.
inline size_t skewed_stride(size_t floats) {
  size_t lines = (floats + 15) / 16;
  if (lines % 2 == 0) ++lines;
  return lines * 16;
}

// One chunk of a Winograd convolution: tiles [t0, t1) of the whole batch.
// The transformed filters u are [16][o][c], position ξ at u + ξ·u_stride
// (row-major [o][c] there), with mr·c floats of slack after the last. Outputs:
//  - fuse_pool: out [n, o, oh/2, ow/2] = relu(maxpool2x2(conv) + bias);
//  - otherwise out [n, o, oh, ow] = conv + bias, then ReLU if asked (bias may
//    be nullptr and relu false: the raw convolution).
// Scratch (the caller's, one set per thread): v of 16·v_stride floats (tile
// rows of v_ld ≥ t1 − t0 rounded up to nr, c of them per position), m of
// 16·mr·nr + 4·nr, rows of winograd_rows_floats(tw).
struct WinogradChunk {
  const Conv2dGeometry* g;
  const float* x;
  const float* u;
  size_t u_stride;
  const float* bias;
  bool relu;
  bool fuse_pool;
  float* out;
  size_t tiles_high, tiles_wide;  // th = ceil(oh / 2), tw = ceil(ow / 2)
  size_t t0, t1;
  float* v;
  size_t v_ld, v_stride;
  float* m;
  float* rows;
};

// Floats of a WinogradChunk's `rows` scratch: a zero row and six split rows.
inline size_t winograd_rows_floats(size_t tiles_wide) { return 7 * winograd_row_floats(tiles_wide); }

// One plane's epilogue: out [ph, pw] = relu(maxpool(plane) + bias) from the
// raw sums plane [oh, ow] (no pool: ph = oh, pw = ow). `row` is scratch of
// plane_row_floats(ow) floats.
struct PlaneShape {
  size_t oh, ow, ph, pw;
  PoolWindow pool;
  bool relu;
};

inline size_t plane_row_floats(size_t ow) { return 2 * round_up(ow, kMaxLanes) + 2 * kMaxLanes; }

// Floats of the zero-padded copy of one input plane that single_channel_conv reads.
inline size_t padded_plane_floats(const Conv2dGeometry& g) {
  return (g.h + 2 * g.pad_h) * (g.w + 2 * g.pad_w + 2 * kMaxLanes);
}

// y [batch, out] = x [batch, in] · wᵀ (w [out, in]) + bias, then ReLU if asked.
struct LinearTask {
  const float* x;
  const float* w;
  const float* bias;  // [out] or nullptr
  float* y;
  size_t batch, in, out;
  bool relu;
};

// Output features per block of linear_features (its unit of work).
constexpr size_t kLinearFeatureBlock = 4;

struct InferKernels {
  size_t winograd_mr;  // output channels per micro-tile
  size_t winograd_nr;  // tiles per micro-tile
  // u [16][o][c] = G·w·Gᵀ for every filter of w [o, c, 3, 3], position ξ at u + ξ·u_stride.
  void (*winograd_filters)(const float* w, size_t o, size_t c, float* u, size_t u_stride);
  void (*winograd_chunk)(const WinogradChunk& chunk);
  // One image of a convolution with one input channel (any kernel, stride,
  // padding, dilation, pool): out = the epilogue of conv(x [h, w]).
  // Scratch: `padded` of padded_plane_floats(g), zero where the caller has
  // not written (only the image's place is written); `raw` of o·oh·ow floats
  // (used when pooling); `row` of plane_row_floats(ow).
  void (*single_channel_conv)(const Conv2dGeometry& g, const float* x, const float* w, const ConvEpilogue& e,
                              float* out, float* padded, float* raw, float* row);
  void (*plane_epilogue)(const PlaneShape& shape, const float* plane, float bias, float* out, float* row);
  // Output features [f0, f1) of every sample (f0 a multiple of kLinearFeatureBlock), by dot products.
  void (*linear_features)(const LinearTask& task, size_t f0, size_t f1);
  size_t linear_mr;  // features per panel of linear_panels (the vector width)
  size_t linear_nr;  // samples per packed block
  // xp [in][nr] = samples [s0, s0 + count) of task.x transposed, zeros past count (count ≤ nr).
  void (*pack_samples)(const LinearTask& task, size_t s0, size_t count, float* xp);
  // Output features [f0, f1) (f0 a multiple of linear_mr) of every sample from
  // the packed blocks xp [ceil(batch / nr)][in][nr]; m of linear_mr·nr floats
  // and edge of linear_mr·in are scratch.
  void (*linear_panels)(const LinearTask& task, const float* xp, size_t f0, size_t f1, float* m, float* edge);
};

const InferKernels& scalar_infer_kernels();
#if defined(__x86_64__) || defined(__i386__)
const InferKernels& avx2_infer_kernels();
const InferKernels& avx512_infer_kernels();
#endif
#if DENDRITE_HAVE_NEON_KERNELS
const InferKernels& neon_infer_kernels();
#endif

inline const InferKernels& infer_kernels(Isa isa) {
#if defined(__x86_64__) || defined(__i386__)
  if (isa == Isa::Avx512) return avx512_infer_kernels();
  if (isa == Isa::Avx2) return avx2_infer_kernels();
#endif
#if DENDRITE_HAVE_NEON_KERNELS
  if (has_neon(isa)) return neon_infer_kernels();
#endif
  (void)isa;
  return scalar_infer_kernels();
}

}  // namespace dendrite::infer
