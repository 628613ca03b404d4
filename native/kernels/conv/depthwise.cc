#include "conv/depthwise.h"

#include <algorithm>
#include <vector>

#include "conv/conv2d_chunks.h"
#include "conv/depthwise_planes.h"
#include "conv/depthwise_rows.h"

namespace dendrite {
namespace {

using depthwise::DepthwiseKernels;
using depthwise::Index;
using depthwise::PaddedPlane;
using depthwise::PhasedPlane;

// Points taps[i·kw + j] at kernel tap (i, j) of the phased plane at `padded`.
void tap_rows(const Conv2dGeometry& g, const PhasedPlane& p, const float* padded, const float** taps) {
  for (size_t i = 0; i < g.kh; ++i) {
    for (size_t j = 0; j < g.kw; ++j) taps[i * g.kw + j] = padded + depthwise::phased_tap(g, p, i, j);
  }
}

// The input gradient of one input plane, gx_plane (h × w), from the m output
// gradients of its channel (padded planes at `padded`) and their weights.
//
// Input pixel (iy, ix) sits at padded row R = iy + ph and column
// X = ix + pw = u·sw + r; output pixel (oy, ox) reached it through tap (i, j)
// when R = oy·sh + i·dh and X = ox·sw + j·dw, i.e. for the taps with
// R − i·dh ≡ 0 (mod sh) and j·dw ≡ r (mod sw), from oy = (R − i·dh) / sh and
// ox = u − ⌊j·dw / sw⌋. Rows with the same R mod sh and columns of the same
// phase r use the same taps, one output row further per sh input rows: each
// such class is one call of weighted_rows.
void input_gradient_plane(const Conv2dGeometry& g, const DepthwiseKernels& k, const PaddedPlane& p,
                          const float* padded, const float* w_channel, size_t m, float* phase_rows,
                          std::vector<const float*>& src, std::vector<float>& weight, float* gx_plane) {
  const size_t sh = g.stride_h, sw = g.stride_w, taps = g.kh * g.kw;
  for (size_t rho = 0; rho < sh; ++rho) {
    const size_t iy0 = (rho + sh - g.pad_h % sh) % sh;  // first row with (iy + ph) mod sh = rho
    if (iy0 >= g.h) continue;
    const size_t rows = (g.h - 1 - iy0) / sh + 1;
    const Index r0 = Index(iy0 + g.pad_h);
    for (size_t r = 0; r < sw; ++r) {
      // Phase indices u whose column X = u·sw + r lies inside the input.
      const Index u_lo = std::max<Index>(0, -depthwise::floor_div(Index(r) - Index(g.pad_w), Index(sw)));
      const Index u_hi = depthwise::floor_div(Index(g.pad_w + g.w) - 1 - Index(r), Index(sw)) + 1;
      if (u_hi <= u_lo) continue;
      size_t terms = 0;
      for (size_t q = 0; q < m; ++q) {
        for (size_t i = 0; i < g.kh; ++i) {
          const Index reach = r0 - Index(i * g.dilation_h);
          const Index oy0 = depthwise::floor_div(reach, Index(sh));
          if (oy0 * Index(sh) != reach) continue;
          for (size_t j = 0; j < g.kw; ++j) {
            if (j * g.dilation_w % sw != r) continue;
            const Index column = Index(p.left) + u_lo - Index(j * g.dilation_w / sw);
            src[terms] = padded + q * p.floats() + size_t(oy0 + Index(p.top)) * p.row_len + size_t(column);
            weight[terms] = w_channel[q * taps + i * g.kw + j];
            ++terms;
          }
        }
      }
      const size_t n = size_t(u_hi - u_lo);
      if (sw == 1) {  // u = ix + pw: the phase is the row itself
        k.weighted_rows(gx_plane + iy0 * g.w, sh * g.w, rows, n, src.data(), p.row_len, weight.data(), terms, 0.0f);
        continue;
      }
      k.weighted_rows(phase_rows, n, rows, n, src.data(), p.row_len, weight.data(), terms, 0.0f);
      for (size_t row = 0; row < rows; ++row) {
        float* out = gx_plane + (iy0 + row * sh) * g.w + (size_t(u_lo) * sw + r - g.pad_w);
        for (size_t e = 0; e < n; ++e) out[e * sw] = phase_rows[row * n + e];
      }
    }
  }
}

}  // namespace

bool depthwise_applicable(const Conv2dGeometry& g) {
  return g.groups > 1 && g.groups == g.c && g.o >= g.c && g.o % g.c == 0;
}

void depthwise_conv2d_forward(const Context& ctx, const Conv2dGeometry& g, const float* x, const float* w,
                              const float* bias, float* out) {
  const DepthwiseKernels& k = depthwise::depthwise_kernels(ctx.isa);
  const size_t m = g.o / g.c, taps = g.kh * g.kw, plane_in = g.input_plane(), plane_out = g.output_plane();
  const PhasedPlane p = depthwise::phased_plane(g);
  const size_t src_stride = g.stride_h * p.row_stride();
  // One task per input plane: pad it once, then make its m output planes.
  parallel_for(ctx, g.n * g.c, conv_min_items(m * taps * plane_out), [&](size_t t0, size_t t1, int thread) {
    float* padded = ctx.workspace->get_as<float>(Workspace::key(kWsDepthwisePlanes, thread), p.floats());
    std::vector<const float*> src(taps);
    tap_rows(g, p, padded, src.data());
    for (size_t t = t0; t < t1; ++t) {
      const size_t b = t / g.c, c = t % g.c;
      depthwise::fill_phased_plane(g, p, x + t * plane_in, padded);
      for (size_t o = c * m; o < (c + 1) * m; ++o) {
        k.weighted_rows(out + (b * g.o + o) * plane_out, g.ow, g.oh, g.ow, src.data(), src_stride, w + o * taps,
                        taps, bias != nullptr ? bias[o] : 0.0f);
      }
    }
  });
}

void depthwise_conv2d_input_gradient(const Context& ctx, const Conv2dGeometry& g, const float* w, const float* gy,
                                     float* gx) {
  const DepthwiseKernels& k = depthwise::depthwise_kernels(ctx.isa);
  const size_t m = g.o / g.c, taps = g.kh * g.kw, plane_in = g.input_plane(), plane_out = g.output_plane();
  const PaddedPlane p = depthwise::padded_gradient_plane(g);
  // Strided columns go through rows of one phase first.
  const size_t phase_floats =
      g.stride_w == 1 ? 0 : ((g.h + g.stride_h - 1) / g.stride_h) * ((g.w + g.stride_w - 1) / g.stride_w);
  parallel_for(ctx, g.n * g.c, conv_min_items(m * taps * plane_out), [&](size_t t0, size_t t1, int thread) {
    float* padded =
        ctx.workspace->get_as<float>(Workspace::key(kWsDepthwisePlanes, thread), m * p.floats() + phase_floats);
    std::vector<const float*> src(m * taps);
    std::vector<float> weight(m * taps);
    for (size_t t = t0; t < t1; ++t) {
      const size_t b = t / g.c, c = t % g.c;
      for (size_t q = 0; q < m; ++q) {
        depthwise::fill_padded_plane(g, p, gy + (b * g.o + c * m + q) * plane_out, padded + q * p.floats());
      }
      input_gradient_plane(g, k, p, padded, w + c * m * taps, m, padded + m * p.floats(), src, weight,
                           gx + t * plane_in);
    }
  });
}

void depthwise_conv2d_weight_gradient(const Context& ctx, const Conv2dGeometry& g, const float* x, const float* gy,
                                      float* gw) {
  const DepthwiseKernels& k = depthwise::depthwise_kernels(ctx.isa);
  const size_t m = g.o / g.c, taps = g.kh * g.kw, plane_in = g.input_plane(), plane_out = g.output_plane();
  const size_t size = g.o * taps;
  if (g.n == 0) {
    std::fill(gw, gw + size, 0.0f);
    return;
  }
  const PhasedPlane p = depthwise::phased_plane(g);
  const size_t src_stride = g.stride_h * p.row_stride();
  // Tasks own channels; with fewer channels than twice the threads, the batch
  // is cut into slices too, each summed into its own partial gradient.
  const size_t threads = static_cast<size_t>(ctx.threads());
  const size_t slices = std::min(g.n, std::max<size_t>(1, (2 * threads + g.c - 1) / g.c));
  const size_t per_slice = (g.n + slices - 1) / slices;
  double* partial = ctx.workspace->get_as<double>(Workspace::key(kWsDepthwisePartials, 0), slices * size);
  parallel_for(ctx, slices * g.c, 1, [&](size_t t0, size_t t1, int thread) {
    float* padded = ctx.workspace->get_as<float>(Workspace::key(kWsDepthwisePlanes, thread), p.floats());
    std::vector<const float*> src(taps);
    tap_rows(g, p, padded, src.data());
    for (size_t t = t0; t < t1; ++t) {
      const size_t s = t / g.c, c = t % g.c;
      double* acc = partial + s * size + c * m * taps;
      std::fill(acc, acc + m * taps, 0.0);
      for (size_t b = s * per_slice; b < std::min(g.n, (s + 1) * per_slice); ++b) {
        depthwise::fill_phased_plane(g, p, x + (b * g.c + c) * plane_in, padded);
        for (size_t q = 0; q < m; ++q) {
          k.dot_rows(gy + (b * g.o + c * m + q) * plane_out, g.ow, g.oh, g.ow, src.data(), src_stride, taps,
                     acc + q * taps);
        }
      }
    }
  });
  parallel_for(ctx, size, 4096, [&](size_t e0, size_t e1, int) {
    for (size_t e = e0; e < e1; ++e) {
      double total = 0.0;
      for (size_t s = 0; s < slices; ++s) total += partial[s * size + e];
      gw[e] = static_cast<float>(total);
    }
  });
}

}  // namespace dendrite
