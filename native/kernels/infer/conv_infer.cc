#include "infer/conv_infer.h"

#include <algorithm>

#include "conv/conv2d.h"
#include "infer/infer_kernels.h"

namespace dendrite::infer {
namespace {

// Input channels of the Winograd path: below 4 its products are too shallow
// (im2col's deeper patch does better), above 256 the transformed tiles of
// even one micro-tile's width no longer sit in L2.
constexpr size_t kWinogradMinChannels = 4;
constexpr size_t kWinogradMaxChannels = 256;
// Floats of transformed tiles per chunk (512 KiB, half of one core's L2).
constexpr size_t kWinogradTileFloats = size_t{1} << 17;
// Floats of raw output the general path convolves at once before its epilogue.
constexpr size_t kGeneralChunkFloats = size_t{1} << 18;

bool winograd_fits(const Conv2dGeometry& g) {
  return g.kh == 3 && g.kw == 3 && g.stride_h == 1 && g.stride_w == 1 && g.dilation_h == 1 && g.dilation_w == 1 &&
         g.groups == 1 && g.c >= kWinogradMinChannels && g.c <= kWinogradMaxChannels;
}

// The output's plane shape after the epilogue.
PlaneShape plane_shape(const Conv2dGeometry& g, const ConvEpilogue& e) {
  PlaneShape s{g.oh, g.ow, g.oh, g.ow, e.pool, e.relu};
  if (e.pool.active()) {
    pool_extent(g.oh, e.pool.kh, e.pool.stride_h, &s.ph);
    pool_extent(g.ow, e.pool.kw, e.pool.stride_w, &s.pw);
  }
  return s;
}

// out [images, o, ph, pw] = the epilogue of the raw sums raw [images, o, oh, ow].
void planes_epilogue(const Context& ctx, const InferKernels& k, const PlaneShape& s, size_t planes, size_t o,
                     const float* raw, const float* bias, float* out) {
  const size_t in_plane = s.oh * s.ow, out_plane = s.ph * s.pw;
  parallel_for(ctx, planes, std::max<size_t>(1, 16384 / std::max<size_t>(in_plane, 1)), [&](size_t p0, size_t p1, int thread) {
    float* row = ctx.workspace->get_as<float>(Workspace::key(kWsInferRows, thread), plane_row_floats(s.ow));
    for (size_t p = p0; p < p1; ++p) {
      k.plane_epilogue(s, raw + p * in_plane, bias != nullptr ? bias[p % o] : 0.0f, out + p * out_plane, row);
    }
  });
}

void single_channel(const Context& ctx, const InferKernels& k, const Conv2dGeometry& g, const float* x, const float* w,
                    const ConvEpilogue& e, float* out) {
  const PlaneShape s = plane_shape(g, e);
  const size_t raw_image = g.o * g.oh * g.ow, out_image = g.o * s.ph * s.pw, in_image = g.h * g.w;
  parallel_for(ctx, g.n, std::max<size_t>(1, 16384 / std::max<size_t>(raw_image, 1)), [&](size_t b0, size_t b1, int thread) {
    float* padded = ctx.workspace->get_as<float>(Workspace::key(kWsInferPadded, thread), padded_plane_floats(g));
    std::fill(padded, padded + padded_plane_floats(g), 0.0f);
    float* raw = e.pool.active() ? ctx.workspace->get_as<float>(Workspace::key(kWsInferPlanes, thread), raw_image) : nullptr;
    float* row = ctx.workspace->get_as<float>(Workspace::key(kWsInferRows, thread), plane_row_floats(g.ow));
    for (size_t b = b0; b < b1; ++b) k.single_channel_conv(g, x + b * in_image, w, e, out + b * out_image, padded, raw, row);
  });
}

// The transformed filters of w for the Winograd chunks: u and its stride per position.
const float* winograd_filters(const Context& ctx, const InferKernels& k, const Conv2dGeometry& g, const float* w,
                              size_t* u_stride) {
  const size_t mr = k.winograd_mr, filters = g.o * g.c;
  *u_stride = skewed_stride(filters);
  float* u = ctx.workspace->get_as<float>(Workspace::key(kWsInferFilters, 0), kWinogradPositions * *u_stride + mr * g.c);
  k.winograd_filters(w, g.o, g.c, u, *u_stride);
  // The padding between positions and after the last is read by the last
  // micro-tile's unused rows: zeros, not whatever the scratch held.
  for (size_t xi = 0; xi < kWinogradPositions; ++xi) std::fill(u + xi * *u_stride + filters, u + (xi + 1) * *u_stride, 0.0f);
  std::fill(u + kWinogradPositions * *u_stride, u + kWinogradPositions * *u_stride + mr * g.c, 0.0f);
  return u;
}

// out = the convolution of g's batch through Winograd chunks with the
// transformed filters u: pooled 2×2 in the tiles when fuse_pool, else the
// full output (bias and ReLU applied unless bias is nullptr and relu false).
void winograd_tiles(const Context& ctx, const InferKernels& k, const Conv2dGeometry& g, const float* x, const float* u,
                    size_t u_stride, const float* bias, bool relu, bool fuse_pool, float* out) {
  const size_t mr = k.winograd_mr, nr = k.winograd_nr, th = (g.oh + 1) / 2, tw = (g.ow + 1) / 2, tiles = g.n * th * tw;
  const size_t threads = static_cast<size_t>(ctx.threads());
  size_t chunk = std::max(nr, kWinogradTileFloats / (kWinogradPositions * g.c) / nr * nr);
  if (tiles < chunk * threads) chunk = std::max(nr, round_up((tiles + threads - 1) / threads, nr));
  const size_t chunks = (tiles + chunk - 1) / chunk;
  const size_t v_ld = skewed_stride(chunk), v_stride = skewed_stride(g.c * v_ld);
  parallel_for(ctx, chunks, 1, [&](size_t c0, size_t c1, int thread) {
    float* v = ctx.workspace->get_as<float>(Workspace::key(kWsInferTiles, thread), kWinogradPositions * v_stride);
    float* m = ctx.workspace->get_as<float>(Workspace::key(kWsInferProducts, thread), kWinogradPositions * mr * nr + 4 * nr);
    float* rows = ctx.workspace->get_as<float>(Workspace::key(kWsInferRows, thread), winograd_rows_floats(tw));
    for (size_t c = c0; c < c1; ++c) {
      WinogradChunk wc;
      wc.g = &g, wc.x = x, wc.u = u, wc.u_stride = u_stride;
      wc.bias = bias, wc.relu = relu, wc.fuse_pool = fuse_pool, wc.out = out;
      wc.tiles_high = th, wc.tiles_wide = tw;
      wc.t0 = c * chunk, wc.t1 = std::min(tiles, wc.t0 + chunk);
      wc.v = v, wc.v_ld = v_ld, wc.v_stride = v_stride;
      wc.m = m, wc.rows = rows;
      k.winograd_chunk(wc);
    }
  });
}

// A pool the kernels cannot apply in registers: raw(part, x, sums) writes
// the raw sums of `part` (g restricted to a chunk of images starting at x)
// into scratch, a chunk of images at a time so the scratch stays bounded,
// and each chunk's planes get the epilogue while they are still in cache.
template <class RawSums>
void pooled_in_chunks(const Context& ctx, const InferKernels& k, const Conv2dGeometry& g, const float* x,
                      const ConvEpilogue& e, float* out, RawSums&& raw_sums) {
  const PlaneShape s = plane_shape(g, e);
  const size_t in_image = g.c * g.h * g.w, raw_image = g.o * g.oh * g.ow, out_image = g.o * s.ph * s.pw;
  const size_t images = std::min(g.n, std::max<size_t>(1, kGeneralChunkFloats / std::max<size_t>(raw_image, 1)));
  float* raw = ctx.workspace->get_as<float>(Workspace::key(kWsInferPlanes, 0), images * raw_image);
  for (size_t b = 0; b < g.n; b += images) {
    Conv2dGeometry part = g;
    part.n = std::min(images, g.n - b);
    raw_sums(part, x + b * in_image, raw);
    planes_epilogue(ctx, k, s, part.n * g.o, g.o, raw, e.bias, out + b * out_image);
  }
}

void winograd(const Context& ctx, const InferKernels& k, const Conv2dGeometry& g, const float* x, const float* w,
              const ConvEpilogue& e, float* out) {
  size_t u_stride = 0;
  const float* u = winograd_filters(ctx, k, g, w, &u_stride);
  if (!e.pool.active() || e.pool.is_2x2_stride_2()) {
    winograd_tiles(ctx, k, g, x, u, u_stride, e.bias, e.relu, e.pool.active(), out);
    return;
  }
  pooled_in_chunks(ctx, k, g, x, e, out, [&](const Conv2dGeometry& part, const float* px, float* raw) {
    winograd_tiles(ctx, k, part, px, u, u_stride, nullptr, false, false, raw);
  });
}

void general(const Context& ctx, const InferKernels& k, const Conv2dGeometry& g, const float* x, const float* w,
             const ConvEpilogue& e, float* out) {
  if (!e.pool.active()) {
    conv2d_forward(ctx, g, x, w, e.bias, out);
    if (e.relu) planes_epilogue(ctx, k, plane_shape(g, e), g.n * g.o, g.o, out, nullptr, out);  // in place: element by element
    return;
  }
  pooled_in_chunks(ctx, k, g, x, e, out, [&](const Conv2dGeometry& part, const float* px, float* raw) {
    conv2d_forward(ctx, part, px, w, nullptr, raw);
  });
}

}  // namespace

ConvPath conv2d_infer_path(const Conv2dGeometry& g) {
  if (g.c == 1 && g.groups == 1) return ConvPath::SingleChannel;
  if (winograd_fits(g)) return ConvPath::Winograd;
  return ConvPath::General;
}

void conv2d_infer(const Context& ctx, const Conv2dGeometry& g, const float* x, const float* w, const ConvEpilogue& e,
                  float* out) {
  if (g.n == 0 || g.o == 0 || g.oh == 0 || g.ow == 0) return;
  const InferKernels& k = infer_kernels(ctx.isa);
  switch (conv2d_infer_path(g)) {
    case ConvPath::SingleChannel: single_channel(ctx, k, g, x, w, e, out); return;
    case ConvPath::Winograd: winograd(ctx, k, g, x, w, e, out); return;
    case ConvPath::General: general(ctx, k, g, x, w, e, out); return;
  }
}

}  // namespace dendrite::infer
