// How a convolution walks its batch so the im2col buffer stays bounded:
// chunks of whole images when an image's column matrix is small, else one
// image at a time in tiles of output pixels.
#pragma once

#include <algorithm>
#include <cstddef>

#include "context.h"
#include "conv/conv2d_geometry.h"

namespace dendrite {

// Column-buffer budget in floats (2 MiB, about one core's L2 here): im2col
// writes a tile that the GEMM then packs while it is still cached. Measured on
// W2b/W2c: 1 MiB and 2 MiB do best, 4 and 8 MiB lose 10-40%.
constexpr size_t kConvColumnBudget = size_t{1} << 19;
// Narrowest pixel tile, so a very deep patch still gives GEMMs of useful width.
constexpr size_t kConvMinTile = 256;

// Images [first, first + images), each restricted to output pixels [p0, p1)
// (the whole plane when images > 1). Unit u of the chunk is image first + u.
//
// Its column buffer holds either one [patch_size, tile] matrix per unit,
// stacked, for one product per image; or, side by side, a single
// [patch_size, width] matrix with unit u's pixels at columns
// [u·tile, (u+1)·tile), for one product covering the chunk: with small planes
// (W7's 14×14) a product per image leaves much of each micro-kernel tile
// empty and gives threads too little to share, while with larger planes the
// per-image products are as efficient and spare the copies between the
// chunk's matrix and the NCHW tensors.
struct ConvChunk {
  size_t first, images, p0, p1;
  bool side_by_side;
  size_t tile() const { return p1 - p0; }
  size_t width() const { return images * tile(); }
  // Offset of unit u's columns in the buffer, and the buffer's row stride.
  size_t unit_offset(size_t u, size_t patch_size) const { return side_by_side ? u * tile() : u * patch_size * tile(); }
  size_t ld() const { return side_by_side ? width() : tile(); }
};

struct ConvChunking {
  size_t tile;     // output pixels per unit
  size_t images;   // images per chunk (1 when tile < output_plane)
  bool side_by_side;
  size_t buffer_floats() const { return tile * images; }  // times patch_size
};

// Planes below this many pixels put a chunk's images side by side (measured
// on W2a and W2b: 784-pixel planes run faster one product per image, 196-pixel
// ones 20% faster side by side with two threads).
constexpr size_t kSideBySidePlane = 512;

inline ConvChunking conv_chunking(const Conv2dGeometry& g) {
  const size_t k = std::max<size_t>(g.patch_size(), 1);
  const size_t plane = std::max<size_t>(g.output_plane(), 1);
  if (k * plane <= kConvColumnBudget) {
    size_t images = std::min(std::max<size_t>(1, kConvColumnBudget / (k * plane)), std::max<size_t>(g.n, 1));
    return {plane, images, images > 1 && plane < kSideBySidePlane};
  }
  size_t tile = std::max(kConvMinTile, kConvColumnBudget / k);
  return {std::min(tile, plane), 1, false};
}

// Calls fn(chunk) for each chunk of the batch, in order.
template <class Fn>
void for_each_conv_chunk(const Conv2dGeometry& g, const ConvChunking& plan, Fn&& fn) {
  const size_t plane = g.output_plane();
  if (plan.tile >= plane) {
    for (size_t b = 0; b < g.n; b += plan.images) {
      const size_t images = std::min(plan.images, g.n - b);
      fn(ConvChunk{b, images, 0, plane, plan.side_by_side && images > 1});
    }
    return;
  }
  for (size_t b = 0; b < g.n; ++b) {
    for (size_t p = 0; p < plane; p += plan.tile) fn(ConvChunk{b, 1, p, std::min(plane, p + plan.tile), false});
  }
}

// Floats of work per parallel task below which splitting costs more than it
// saves, for every parallel loop of the convolution kernels.
constexpr size_t kConvMinTaskFloats = 16384;

// Items per parallel task when each item is `floats` floats of work.
inline size_t conv_min_items(size_t floats) {
  return std::max<size_t>(1, kConvMinTaskFloats / std::max<size_t>(floats, 1));
}

// Runs fn(u, c0, c1) over the (unit, input channel) pairs of a chunk in
// parallel (im2col and col2im split this way: a channel's rows and its input
// plane belong to one task); a task never spans two units.
template <class Fn>
void for_unit_channels(const Context& ctx, const Conv2dGeometry& g, const ConvChunk& chunk, Fn&& fn) {
  // Each (unit, channel) pair is kh·kw rows of the tile's width.
  parallel_for(ctx, chunk.images * g.c, conv_min_items(g.kh * g.kw * chunk.tile()), [&](size_t t0, size_t t1, int) {
    for (size_t t = t0; t < t1;) {
      const size_t u = t / g.c, c0 = t % g.c;
      const size_t c1 = std::min(g.c, c0 + (t1 - t));
      fn(u, c0, c1);
      t += c1 - c0;
    }
  });
}

}  // namespace dendrite
