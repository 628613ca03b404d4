// The local response normalization kernels of lrn_kernels.h, written once
// over an ISA's vector operations (norm_ops_<isa>.h, which supply pow) and
// instantiated by lrn_<isa>.cc. The window sums are recomputed per channel
// (size terms each) rather than slid along the channels, so no rounding
// accumulates from one channel to the next.
#pragma once

#include <algorithm>
#include <cstddef>

#include "norm/lrn_kernels.h"

namespace dendrite::norm {
// Internal linkage: each ISA's translation unit has its own copies.
namespace {

// Channels [first, last] of a window, clipped to [0, channels).
struct ChannelWindow {
  size_t first, last;
};

// The channels from j − below to j + above that exist.
inline ChannelWindow channel_window(size_t j, size_t below, size_t above, size_t channels) {
  return {j >= below ? j - below : 0, std::min(channels - 1, j + std::min(above, channels))};
}

// Σ v² over the window's rows (`stride` apart) at positions [i, i + count).
template <class Ops>
typename Ops::Vec window_sum_squares(const float* v, size_t stride, ChannelWindow w, size_t i, size_t count) {
  auto sum = Ops::zero();
  for (size_t ch = w.first; ch <= w.last; ++ch) {
    const auto value = Ops::load_first(v + ch * stride + i, count, Ops::zero());
    sum = Ops::fma(value, value, sum);
  }
  return sum;
}

// Channel j's window holds j − size/2 … j + (size−1)/2.
inline size_t channels_before(const LrnParams& p) { return p.size / 2; }
inline size_t channels_after(const LrnParams& p) { return (p.size - 1) / 2; }

// alpha/size, rounded once.
inline float window_scale(const LrnParams& p) {
  return static_cast<float>(static_cast<double>(p.alpha) / static_cast<double>(p.size));
}

// d^(−beta). The exponents networks use (AlexNet's and GoogLeNet's 0.75) go
// through square roots, exactly rounded steps that cost a fraction of exp(log).
template <class Ops>
typename Ops::Vec negative_power(typename Ops::Vec d, float beta) {
  const auto one = Ops::broadcast(1.0f);
  if (beta == 0.75f) {
    const auto root = Ops::sqrt(d);
    return Ops::div(one, Ops::mul(root, Ops::sqrt(root)));
  }
  if (beta == 0.5f) return Ops::div(one, Ops::sqrt(d));
  if (beta == 1.0f) return Ops::div(one, d);
  return Ops::pow(d, -beta);
}

template <class Ops>
void lrn_forward(const float* x, size_t channels, size_t plane, size_t len, const LrnParams& p, float* y,
                 float* multiplier) {
  constexpr size_t L = Ops::kLanes;
  const auto scale = Ops::broadcast(window_scale(p)), k = Ops::broadcast(p.k);
  for (size_t j = 0; j < channels; ++j) {
    const ChannelWindow w = channel_window(j, channels_before(p), channels_after(p), channels);
    const size_t row = j * plane;
    for (size_t i = 0; i < len; i += L) {
      const size_t count = std::min(L, len - i);
      const auto d = Ops::fma(window_sum_squares<Ops>(x, plane, w, i, count), scale, k);
      const auto m = negative_power<Ops>(d, p.beta);
      Ops::store_first(multiplier + row + i, m, count);
      Ops::store_first(y + row + i, Ops::mul(Ops::load_first(x + row + i, count, Ops::zero()), m), count);
    }
  }
}

template <class Ops>
void lrn_backward(const float* x, const float* gy, const float* multiplier, size_t channels, size_t plane,
                  size_t len, const LrnParams& p, float* scratch, float* gx) {
  constexpr size_t L = Ops::kLanes;
  const auto scale = Ops::broadcast(window_scale(p)), k = Ops::broadcast(p.k), zero = Ops::zero();
  const auto coefficient = Ops::broadcast(static_cast<float>(2.0 * p.alpha * p.beta / static_cast<double>(p.size)));
  // Scratch row i % rows holds channel i's gy·x·d^(−beta−1) = gy·x·multiplier/d; a window
  // never spans more than `rows` channels, so the rows still needed are never overwritten.
  const size_t rows = lrn_scratch_rows(p, channels);
  size_t computed = 0;  // channels whose scratch row is written
  for (size_t j = 0; j < channels; ++j) {
    // Channel j is in the windows of channels j − (size−1)/2 … j + size/2.
    const ChannelWindow through = channel_window(j, channels_after(p), channels_before(p), channels);
    for (; computed <= through.last; ++computed) {
      const ChannelWindow w = channel_window(computed, channels_before(p), channels_after(p), channels);
      const size_t row = computed * plane;
      float* t = scratch + (computed % rows) * len;
      for (size_t at = 0; at < len; at += L) {
        const size_t count = std::min(L, len - at);
        const auto d = Ops::fma(window_sum_squares<Ops>(x, plane, w, at, count), scale, k);
        const auto gv = Ops::mul(Ops::load_first(gy + row + at, count, zero), Ops::load_first(x + row + at, count, zero));
        Ops::store_first(t + at, Ops::mul(gv, Ops::div(Ops::load_first(multiplier + row + at, count, zero), d)), count);
      }
    }
    const size_t row = j * plane;
    for (size_t at = 0; at < len; at += L) {
      const size_t count = std::min(L, len - at);
      auto sum = zero;
      for (size_t i = through.first; i <= through.last; ++i) sum = Ops::add(sum, Ops::load_first(scratch + (i % rows) * len + at, count, zero));
      const auto direct = Ops::mul(Ops::load_first(gy + row + at, count, zero), Ops::load_first(multiplier + row + at, count, zero));
      const auto indirect = Ops::mul(Ops::mul(coefficient, Ops::load_first(x + row + at, count, zero)), sum);
      Ops::store_first(gx + row + at, Ops::sub(direct, indirect), count);
    }
  }
}

template <class Ops>
const LrnKernels& lrn_kernels_for() {
  static const LrnKernels table{lrn_forward<Ops>, lrn_backward<Ops>};
  return table;
}

}  // namespace
}  // namespace dendrite::norm
