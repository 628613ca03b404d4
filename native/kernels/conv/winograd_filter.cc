#include "conv/winograd_filter.h"

#include <algorithm>

#include "conv/winograd_kernels.h"

namespace dendrite::winograd {
namespace {

// G·g·Gᵀ for one 3×3 kernel g (row-major), into u[ξ·stride].
void transform_kernel(const double g[9], float* u, size_t stride) {
  double t[4][3];  // G·g
  for (size_t s = 0; s < 3; ++s) {
    t[0][s] = g[s];
    t[1][s] = 0.5 * (g[s] + g[3 + s] + g[6 + s]);
    t[2][s] = 0.5 * (g[s] - g[3 + s] + g[6 + s]);
    t[3][s] = g[6 + s];
  }
  for (size_t i = 0; i < 4; ++i) {  // (G·g)·Gᵀ
    const double a = t[i][0], b = t[i][1], c = t[i][2];
    u[(4 * i + 0) * stride] = static_cast<float>(a);
    u[(4 * i + 1) * stride] = static_cast<float>(0.5 * (a + b + c));
    u[(4 * i + 2) * stride] = static_cast<float>(0.5 * (a - b + c));
    u[(4 * i + 3) * stride] = static_cast<float>(c);
  }
}

// Transforms `count` (≤ 16) kernels, kernel k read by load(k, g), into
// u[ξ·position_stride + k]. They go through a 16×16 block first: writing one
// kernel's 16 positions straight to matrices position_stride floats apart
// would hit a single cache set 16 times over.
template <class Load>
void transform_kernels(size_t count, Load&& load, float* u, size_t position_stride) {
  float block[kPositions][16];
  for (size_t k = 0; k < count; ++k) {
    double g[9];
    load(k, g);
    transform_kernel(g, &block[0][k], 16);
  }
  for (size_t xi = 0; xi < kPositions; ++xi) {
    for (size_t k = 0; k < count; ++k) u[xi * position_stride + k] = block[xi][k];
  }
}

}  // namespace

void filter_to_positions(const float* w, size_t o, size_t c, float* u) {
  for (size_t oi = 0; oi < o; ++oi) {
    for (size_t c0 = 0; c0 < c; c0 += 16) {
      const float* first = w + (oi * c + c0) * 9;
      transform_kernels(std::min<size_t>(16, c - c0), [&](size_t k, double* g) {
        for (size_t e = 0; e < 9; ++e) g[e] = first[k * 9 + e];
      }, u + oi * c + c0, o * c);
    }
  }
}

void rotated_filter_to_positions(const float* w, size_t o, size_t c, float* u) {
  for (size_t ci = 0; ci < c; ++ci) {
    for (size_t o0 = 0; o0 < o; o0 += 16) {
      transform_kernels(std::min<size_t>(16, o - o0), [&](size_t k, double* g) {
        const float* kernel = w + ((o0 + k) * c + ci) * 9;
        for (size_t e = 0; e < 9; ++e) g[e] = kernel[8 - e];
      }, u + ci * o + o0, o * c);
    }
  }
}

void positions_to_filter_gradient(const float* du, size_t ld, size_t position_stride, size_t o, size_t c,
                                  float* gw) {
  for (size_t oi = 0; oi < o; ++oi) {
    for (size_t ci = 0; ci < c; ++ci) {
      double d[4][4];
      for (size_t xi = 0; xi < kPositions; ++xi) d[xi / 4][xi % 4] = du[xi * position_stride + oi * ld + ci];
      double t[3][4];  // Gᵀ·dU
      for (size_t j = 0; j < 4; ++j) {
        t[0][j] = d[0][j] + 0.5 * (d[1][j] + d[2][j]);
        t[1][j] = 0.5 * (d[1][j] - d[2][j]);
        t[2][j] = 0.5 * (d[1][j] + d[2][j]) + d[3][j];
      }
      float* out = gw + (oi * c + ci) * 9;
      for (size_t r = 0; r < 3; ++r) {  // (Gᵀ·dU)·G
        out[3 * r + 0] = static_cast<float>(t[r][0] + 0.5 * (t[r][1] + t[r][2]));
        out[3 * r + 1] = static_cast<float>(0.5 * (t[r][1] - t[r][2]));
        out[3 * r + 2] = static_cast<float>(0.5 * (t[r][1] + t[r][2]) + t[r][3]);
      }
    }
  }
}

}  // namespace dendrite::winograd
