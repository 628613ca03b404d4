#include "conv/channel_bias.h"

#include "conv/conv2d_chunks.h"
#include "conv/row_ops.h"

namespace dendrite {

void add_channel_bias(const Context& ctx, size_t channels, size_t plane, const float* bias, float* t, size_t first,
                      size_t images, size_t p0, size_t p1) {
  const size_t tile = p1 - p0;
  parallel_for(ctx, images * channels, conv_min_items(tile), [&](size_t r0, size_t r1, int) {
    for (size_t r = r0; r < r1; ++r) {
      const size_t b = first + r / channels, ch = r % channels;
      add_constant(ctx.isa, t + (b * channels + ch) * plane + p0, tile, bias[ch]);
    }
  });
}

void channel_sums(const Context& ctx, size_t images, size_t channels, size_t plane, const float* t, float* gb) {
  parallel_for(ctx, channels, conv_min_items(images * plane), [&](size_t c0, size_t c1, int) {
    for (size_t ch = c0; ch < c1; ++ch) {
      double total = 0.0;
      for (size_t b = 0; b < images; ++b) total += sum_floats(ctx.isa, t + (b * channels + ch) * plane, plane);
      gb[ch] = static_cast<float>(total);
    }
  });
}

}  // namespace dendrite
