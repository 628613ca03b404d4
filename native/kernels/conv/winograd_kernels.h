// The per-ISA pieces of the Winograd F(2×2, 3×3) convolution (winograd.h):
// transforms between image tiles and the packed GEMM panels the micro-kernel
// multiplies. Each ISA supplies one table; the driver is shared.
//
// Tiles: the output plane (= the input plane: 3×3 kernel, stride 1, padding 1)
// is cut into 2×2 tiles, tiles_h × tiles_w per image (a last row or column of
// tiles hangs over an odd edge); tile t of the batch is image t / per_image,
// row-major inside it. Tile t reads the 4×4 input window whose top-left pixel
// is (2·ty − 1, 2·tx − 1); pixels outside the image read as 0.
//
// Transformed values are indexed by ξ = 4·i + j, i, j < 4 (16 of them).
//
// Every tensor is addressed as `channels` consecutive planes per image, image
// b's first at b·image_stride floats: image_stride is channels·plane for a
// whole tensor, larger for one group's channels of a grouped convolution.
#pragma once

#include <cstddef>

#include "cpu/isa.h"

namespace dendrite::winograd {

constexpr size_t kPositions = 16;  // ξ: the 4×4 transformed positions

// Floats from one position's block of panels to the next, for blocks of
// `floats`: whole 4 KiB pages plus one cache line. A transform writes 16
// streams at once, one per position; a stride of whole pages would put all 16
// in the same cache set, more than its ways hold.
inline size_t position_stride(size_t floats) { return (floats + 1023) / 1024 * 1024 + 16; }

struct TileGrid {
  size_t h = 0, w = 0;  // the plane
  size_t tiles_h = 0, tiles_w = 0;
  size_t per_image = 0;  // tiles_h · tiles_w
  size_t tiles = 0;      // images · per_image
  size_t plane() const { return h * w; }
};

inline TileGrid tile_grid(size_t images, size_t h, size_t w) {
  TileGrid g;
  g.h = h, g.w = w;
  g.tiles_h = (h + 1) / 2, g.tiles_w = (w + 1) / 2;
  g.per_image = g.tiles_h * g.tiles_w;
  g.tiles = images * g.per_image;
  return g;
}

// Forward-style transforms (tiles along the vector lanes):
//
// InputToPanels: the input transform Bᵀ·d·B of tiles [t0, t0 + count) of
// x [images, channels, h, w] (images image_stride apart), written as packed B panels of width nr (count is
// a multiple of nr; tiles past the batch give 0): value (ξ, c, tile t0 + q·nr + j)
// goes to v[ξ·position_stride(panels·channels·nr) + (q·channels + c)·nr + j],
// panels = count / nr.
using InputToPanelsFn = void (*)(const TileGrid& g, const float* x, size_t channels, size_t image_stride,
                                 size_t t0, size_t count, size_t nr, float* v);
// PanelToOutput: the output transform Aᵀ·m·A (+ bias) of a block of GEMM
// results m[ξ][mr][nr] (element (ξ, r, j) at m[(ξ·mr + r)·nr + j]) for output
// channels o0 + r, r < rows, and tiles t0 + j, j < cols, stored into
// y [images, ·, h, w] (images image_stride apart; pixels past an odd edge are
// dropped).
using PanelToOutputFn = void (*)(const TileGrid& g, const float* m, size_t mr, size_t nr, size_t rows, size_t o0,
                                 size_t image_stride, size_t t0, size_t cols, const float* bias, float* y);

// Weight-gradient transforms (channels along the lanes; tiles are the GEMM's depth):
//
// InputToChannelPanels: Bᵀ·d·B of tiles [t0, t0 + kc) of x, as packed B panels
// over channels: value (ξ, c = q·nr + j, tile t0 + k) at
// v[ξ·position_stride(panels·kc·nr) + (q·kc + k)·nr + j], panels = ceil(channels / nr); channels
// past the end give 0.
using InputToChannelPanelsFn = void (*)(const TileGrid& g, const float* x, size_t channels, size_t image_stride,
                                        size_t t0, size_t kc, size_t nr, float* v);
// GradientToRowPanels: A·dy·Aᵀ of the 2×2 output-gradient tiles [t0, t0 + kc)
// of gy [images, out_channels, h, w], as packed A panels over output channels:
// value (ξ, o = p·mr + r, tile t0 + k) at a[ξ·position_stride(panels·kc·mr) + (p·kc + k)·mr + r],
// panels = ceil(out_channels / mr); mr must not exceed the ISA's lanes.
using GradientToRowPanelsFn = void (*)(const TileGrid& g, const float* gy, size_t out_channels,
                                       size_t image_stride, size_t t0, size_t kc, size_t mr, float* a);

struct WinogradKernels {
  size_t lanes;  // vector width: nr must be a multiple of it, mr at most it
  InputToPanelsFn input_to_panels;
  PanelToOutputFn panel_to_output;
  InputToChannelPanelsFn input_to_channel_panels;
  GradientToRowPanelsFn gradient_to_row_panels;
};

const WinogradKernels& scalar_winograd_kernels();
#if defined(__x86_64__) || defined(__i386__)
const WinogradKernels& avx2_winograd_kernels();
const WinogradKernels& avx512_winograd_kernels();
#endif
#if DENDRITE_HAVE_NEON_KERNELS
const WinogradKernels& neon_winograd_kernels();
#endif

inline const WinogradKernels& winograd_kernels(Isa isa) {
#if defined(__x86_64__) || defined(__i386__)
  if (isa == Isa::Avx512) return avx512_winograd_kernels();
  if (isa == Isa::Avx2) return avx2_winograd_kernels();
#endif
#if DENDRITE_HAVE_NEON_KERNELS
  if (has_neon(isa)) return neon_winograd_kernels();
#endif
  (void)isa;
  return scalar_winograd_kernels();
}

}  // namespace dendrite::winograd
