// The fully connected layer for inference, written once over a vector type
// `Ops` (ops_*.h): y = x·wᵀ + bias, then ReLU, for x [batch, in] and
// w [out, in] as PyTorch stores it.
//
// The weights are read in place, never packed: a weight matrix is often
// larger than the whole batch, and would have to be packed again on every
// call since the weights may change between calls.
//  - Few samples (linear_features): every output is a dot product of a row of
//    x and a row of w, both contiguous along `in`. A tile of 4 features × up
//    to 4 samples keeps 16 sums in registers, each step 8 loads for 16 FMAs;
//    the sums are reduced four at a time, the bias and ReLU applied before
//    the tile is stored.
//  - Many samples (linear_panels): the samples are packed (transposed) once
//    per call, a block of NR of them at a time, and a micro-tile of MR
//    features × NR samples (micro_tile_impl.h) broadcasts the weights from
//    their rows; each tile gets its bias and ReLU as it is stored.
#pragma once

#include <algorithm>
#include <cstddef>

#include "infer/infer_kernels.h"
#include "infer/micro_tile_impl.h"

namespace dendrite::infer {
namespace {

constexpr size_t kLinearSampleBlock = 4;

// Features [f0, f0 + MF) (only `features` of them stored) of samples
// [s0, s0 + S).
template <class Ops, size_t S>
void linear_tile(const LinearTask& t, size_t f0, size_t features, size_t s0) {
  using Vec = typename Ops::Vec;
  constexpr size_t L = Ops::kLanes, MF = kLinearFeatureBlock;
  const size_t k = t.in;
  const float* w[MF];
  // Rows past the last feature repeat it: computed, never stored.
  for (size_t f = 0; f < MF; ++f) w[f] = t.w + (f0 + std::min(f, features - 1)) * k;
  const float* x[S];
  for (size_t s = 0; s < S; ++s) x[s] = t.x + (s0 + s) * k;
  Vec acc[MF][S];
  for (size_t f = 0; f < MF; ++f)
    for (size_t s = 0; s < S; ++s) acc[f][s] = Ops::zero();
  size_t p = 0;
  for (; p + L <= k; p += L) {
    // The weight rows stream from memory once: ask for them 1 KiB ahead
    // (measured at batch 1: 9% faster; 2 KiB gains less).
    if (p + 256 < k) {
      for (size_t f = 0; f < MF; ++f) prefetch(w[f] + p + 256);
    }
    Vec xv[S];
    for (size_t s = 0; s < S; ++s) xv[s] = Ops::load(x[s] + p);
    for (size_t f = 0; f < MF; ++f) {
      const Vec wv = Ops::load(w[f] + p);
      for (size_t s = 0; s < S; ++s) acc[f][s] = Ops::fma(wv, xv[s], acc[f][s]);
    }
  }
  if (p < k) {
    const size_t n = k - p;
    Vec xv[S];
    for (size_t s = 0; s < S; ++s) xv[s] = Ops::load_first(x[s] + p, n);
    for (size_t f = 0; f < MF; ++f) {
      const Vec wv = Ops::load_first(w[f] + p, n);
      for (size_t s = 0; s < S; ++s) acc[f][s] = Ops::fma(wv, xv[s], acc[f][s]);
    }
  }
  for (size_t s = 0; s < S; ++s) {
    float sums[MF];
    Ops::sum4(acc[0][s], acc[1][s], acc[2][s], acc[3][s], sums);
    float* y = t.y + (s0 + s) * t.out + f0;
    for (size_t f = 0; f < features; ++f) {
      const float v = sums[f] + (t.bias != nullptr ? t.bias[f0 + f] : 0.0f);
      y[f] = t.relu && v < 0.0f ? 0.0f : v;  // ReLU; NaN passes, as in PyTorch
    }
  }
}

template <class Ops>
void linear_features(const LinearTask& t, size_t f0, size_t f1) {
  static_assert(kLinearFeatureBlock == 4, "linear_tile reduces its sums four at a time");
  for (size_t f = f0; f < f1; f += kLinearFeatureBlock) {
    const size_t features = std::min(kLinearFeatureBlock, f1 - f);
    size_t s = 0;
    for (; s + kLinearSampleBlock <= t.batch; s += kLinearSampleBlock) linear_tile<Ops, 4>(t, f, features, s);
    switch (t.batch - s) {
      case 3: linear_tile<Ops, 3>(t, f, features, s); break;
      case 2: linear_tile<Ops, 2>(t, f, features, s); break;
      case 1: linear_tile<Ops, 1>(t, f, features, s); break;
      default: break;
    }
  }
}

// dst [cols][ldd] = src [rows][lds] transposed, for rows, cols ≤ kLanes:
// whole blocks through Ops::transpose, partial ones through `block`
// (kLanes² floats of scratch).
template <class Ops>
inline void transpose_part(const float* src, size_t lds, size_t rows, size_t cols, float* dst, size_t ldd, float* block) {
  constexpr size_t L = Ops::kLanes;
  if (rows == L && cols == L) {
    Ops::transpose(src, lds, dst, ldd);
    return;
  }
  for (size_t i = 0; i < L; ++i)
    for (size_t j = 0; j < L; ++j) block[i * L + j] = i < rows && j < cols ? src[i * lds + j] : 0.0f;
  Ops::transpose(block, L, block + L * L, L);
  for (size_t j = 0; j < cols; ++j)
    for (size_t i = 0; i < rows; ++i) dst[j * ldd + i] = block[L * L + j * L + i];
}

// xp [in][NR] = samples [s0, s0 + count) of x, transposed; zeros past count.
template <class Ops, size_t NR>
void pack_samples(const LinearTask& t, size_t s0, size_t count, float* xp) {
  constexpr size_t L = Ops::kLanes;
  static_assert(NR % L == 0, "a block of samples is whole vectors");
  float block[2 * L * L];
  const size_t k = t.in;
  for (size_t s = 0; s < NR; s += L) {
    const size_t rows = s < count ? std::min(L, count - s) : 0;
    for (size_t p = 0; p < k; p += L) {
      const size_t cols = std::min(L, k - p);
      if (rows == 0) {
        for (size_t j = 0; j < cols; ++j) std::fill_n(xp + (p + j) * NR + s, L, 0.0f);
      } else {
        transpose_part<Ops>(t.x + (s0 + s) * k + p, k, rows, cols, xp + p * NR + s, NR, block);
        if (rows < L) {
          for (size_t j = 0; j < cols; ++j) std::fill_n(xp + (p + j) * NR + s + rows, L - rows, 0.0f);
        }
      }
    }
  }
}

// Features [f0, f1) (f0 a multiple of kLanes) of every sample, from the
// packed sample blocks xp [blocks][in][NR]: kLanes features at a time
// (kLanes / MR micro-tiles), their sums given bias and ReLU while in L1 and
// stored transposed into y. m holds kLanes·NR floats, edge MR·in (the last
// rows of w copied beside zeros when fewer than MR are left).
template <class Ops, size_t MR, size_t NV>
void linear_panels(const LinearTask& t, const float* xp, size_t f0, size_t f1, float* m, float* edge) {
  using Vec = typename Ops::Vec;
  constexpr size_t L = Ops::kLanes, NR = NV * L;
  static_assert(L % MR == 0, "a panel of kLanes features is whole micro-tiles");
  float block[2 * L * L];
  const size_t k = t.in, blocks = (t.batch + NR - 1) / NR;
  for (size_t f = f0; f < f1; f += L) {
    const size_t features = std::min(L, f1 - f);
    for (size_t b = 0; b < blocks; ++b) {
      for (size_t r = 0; r < features; r += MR) {
        const size_t rows = std::min(MR, features - r);
        const float* a = t.w + (f + r) * k;
        if (rows < MR) {
          std::copy(a, a + rows * k, edge);
          std::fill(edge + rows * k, edge + MR * k, 0.0f);
          a = edge;
        }
        micro_tile<Ops, MR, NV>(k, a, k, xp + b * k * NR, NR, m + r * NR);
      }
      for (size_t i = 0; i < features; ++i) {
        const Vec bias = Ops::broadcast(t.bias != nullptr ? t.bias[f + i] : 0.0f);
        for (size_t j = 0; j < NV; ++j) {
          Vec v = Ops::add(Ops::load(m + i * NR + j * L), bias);
          if (t.relu) v = Ops::max(Ops::zero(), v);  // NaN passes (see plane_epilogue_impl.h)
          Ops::store(m + i * NR + j * L, v);
        }
      }
      const size_t s0 = b * NR, count = std::min(NR, t.batch - s0);
      for (size_t j = 0; j * L < count; ++j) {
        transpose_part<Ops>(m + j * L, NR, features, std::min(L, count - j * L), t.y + (s0 + j * L) * t.out + f, t.out, block);
      }
    }
  }
}

}  // namespace
}  // namespace dendrite::infer
