#include "dropout/dropout.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "dropout/dropout_kernels.h"
#include "dropout/philox.h"

namespace dendrite {
namespace {

// Elements per task: below this another thread costs more than it saves.
constexpr size_t kMinTaskElements = size_t{1} << 16;
// Outputs at least this large are written around the caches (non-temporal
// stores): they would not stay cached anyway, and a normal store first reads
// every destination line from memory. Smaller outputs stay cached for the
// layer that reads them next.
constexpr size_t kStreamingElements = size_t{1} << 22;  // 16 MiB of floats

// The range loops of one ISA (dropout_kernels.h).
struct DropoutPaths {
  void (*forward)(const float* x, float* out, uint8_t* mask, size_t n, uint64_t position, uint32_t seed,
                  const DropoutRule& rule, bool stream);
  void (*backward)(const float* gy, bool gy_uniform, const uint8_t* mask, size_t n, float scale, float* gx,
                   bool stream);
  void (*scale)(const float* src, float* dst, size_t n, float factor);
};

// The scalar loops take no streaming hint.
void forward_scalar(const float* x, float* out, uint8_t* mask, size_t n, uint64_t position, uint32_t seed,
                    const DropoutRule& rule, bool) {
  dropout_forward_scalar(x, out, mask, n, position, seed, rule);
}
void backward_scalar(const float* gy, bool gy_uniform, const uint8_t* mask, size_t n, float scale, float* gx,
                     bool) {
  dropout_backward_scalar(gy, gy_uniform, mask, n, scale, gx);
}

const DropoutPaths& paths(const Context& ctx) {
  static const DropoutPaths scalar{forward_scalar, backward_scalar, scale_elements_scalar};
#ifdef DENDRITE_DROPOUT_HAS_AVX2
  static const DropoutPaths avx512_paths{avx512::dropout_forward, avx2::dropout_backward, avx2::scale_elements};
  static const DropoutPaths avx2_paths{avx2::dropout_forward, avx2::dropout_backward, avx2::scale_elements};
  if (ctx.isa == Isa::Avx512) return avx512_paths;
  if (has_avx2(ctx.isa)) return avx2_paths;
#endif
#if DENDRITE_HAVE_NEON_KERNELS
  static const DropoutPaths neon_paths{neon::dropout_forward, neon::dropout_backward, neon::scale_elements};
  if (has_neon(ctx.isa)) return neon_paths;
#endif
  return scalar;
}

}  // namespace

DropoutRule dropout_rule(double p) {
  const double threshold = std::floor(p * 65536.0);
  DropoutRule rule;
  rule.threshold = threshold <= 0 ? 0u : threshold >= 65535.0 ? 0xFFFFu : static_cast<uint32_t>(threshold);
  rule.scale = static_cast<float>(1.0 / (1.0 - p));
  return rule;
}

void dropout_forward_scalar(const float* x, float* out, uint8_t* mask, size_t n, uint64_t position,
                            uint32_t seed, const DropoutRule& rule) {
  size_t i = 0;
  while (i < n) {
    const uint64_t g = position + i;
    const PhiloxBlock block = dropout_block(seed, g >> 3);
    for (unsigned k = static_cast<unsigned>(g & 7); k < 8 && i < n; ++k, ++i) {
      const uint32_t word = block.word[k >> 1];
      const uint32_t bits = (k & 1) ? word >> 16 : word & 0xFFFFu;
      const bool keep = bits >= rule.threshold;
      const float v = x[i];
      mask[i] = keep ? 1 : 0;
      out[i] = v * (keep ? rule.scale : 0.0f);
    }
  }
}

void dropout_backward_scalar(const float* gy, bool gy_uniform, const uint8_t* mask, size_t n, float scale,
                             float* gx) {
  if (gy_uniform) {
    const float g = *gy;
    for (size_t i = 0; i < n; ++i) gx[i] = g * (mask[i] != 0 ? scale : 0.0f);
    return;
  }
  for (size_t i = 0; i < n; ++i) gx[i] = gy[i] * (mask[i] != 0 ? scale : 0.0f);
}

void scale_elements_scalar(const float* src, float* dst, size_t n, float factor) {
  for (size_t i = 0; i < n; ++i) dst[i] = src[i] * factor;
}

void dropout_forward(const Context& ctx, const float* x, float* out, uint8_t* mask, size_t n, double p,
                     uint32_t seed, uint64_t offset) {
  const DropoutRule rule = dropout_rule(p);
  const DropoutPaths& path = paths(ctx);
  const bool stream = n >= kStreamingElements;
  parallel_for(ctx, n, kMinTaskElements, [&](size_t i0, size_t i1, int) {
    if (rule.threshold == 0) {
      // p = 0 (or below 2^-32): everything is kept, unscaled.
      if (out != x) std::memcpy(out + i0, x + i0, (i1 - i0) * sizeof(float));
      std::memset(mask + i0, 1, i1 - i0);
      return;
    }
    path.forward(x + i0, out + i0, mask + i0, i1 - i0, offset + i0, seed, rule, stream);
  });
}

namespace {

void backward_ranges(const Context& ctx, const float* gy, bool gy_uniform, const uint8_t* mask, size_t n, double p,
                     float* gx) {
  const float scale = dropout_rule(p).scale;
  const DropoutPaths& path = paths(ctx);
  const bool stream = n >= kStreamingElements;
  parallel_for(ctx, n, kMinTaskElements, [&](size_t i0, size_t i1, int) {
    path.backward(gy_uniform ? gy : gy + i0, gy_uniform, mask + i0, i1 - i0, scale, gx + i0, stream);
  });
}

}  // namespace

void dropout_backward(const Context& ctx, const float* gy, const uint8_t* mask, size_t n, double p, float* gx) {
  backward_ranges(ctx, gy, false, mask, n, p, gx);
}

void dropout_backward_uniform(const Context& ctx, float g, const uint8_t* mask, size_t n, double p, float* gx) {
  backward_ranges(ctx, &g, true, mask, n, p, gx);
}

void channel_dropout_forward(const Context& ctx, const float* x, float* out, uint8_t* mask, size_t planes,
                             size_t spatial, double p, uint32_t seed, uint64_t offset) {
  const DropoutRule rule = dropout_rule(p);
  const DropoutPaths& path = paths(ctx);
  const size_t min_planes = std::max<size_t>(1, kMinTaskElements / std::max<size_t>(spatial, 1));
  parallel_for(ctx, planes, min_planes, [&](size_t p0, size_t p1, int) {
    for (size_t pl = p0; pl < p1; ++pl) {
      const bool keep = dropout_random_bits(seed, offset + pl) >= rule.threshold;
      mask[pl] = keep ? 1 : 0;
      path.scale(x + pl * spatial, out + pl * spatial, spatial, keep ? rule.scale : 0.0f);
    }
  });
}

void channel_dropout_backward(const Context& ctx, const float* gy, const uint8_t* mask, size_t planes,
                              size_t spatial, double p, float* gx) {
  const float scale = dropout_rule(p).scale;
  const DropoutPaths& path = paths(ctx);
  const size_t min_planes = std::max<size_t>(1, kMinTaskElements / std::max<size_t>(spatial, 1));
  parallel_for(ctx, planes, min_planes, [&](size_t p0, size_t p1, int) {
    for (size_t pl = p0; pl < p1; ++pl) {
      path.scale(gy + pl * spatial, gx + pl * spatial, spatial, mask[pl] != 0 ? scale : 0.0f);
    }
  });
}

}  // namespace dendrite
