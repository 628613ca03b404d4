// Per-channel bias of an NCHW tensor: adding it to every pixel of its
// channel, and its gradient, the sum of each channel over images and pixels.
// Shared by the convolution and the transposed convolution.
#pragma once

#include <cstddef>

#include "context.h"

namespace dendrite {

// t[b][ch][p0:p1] += bias[ch] for images [first, first + images) of a tensor
// with `channels` planes of `plane` pixels per image.
void add_channel_bias(const Context& ctx, size_t channels, size_t plane, const float* bias, float* t, size_t first,
                      size_t images, size_t p0, size_t p1);

// gb[ch] = Σ over the `images` images and all pixels of t[b][ch][:].
void channel_sums(const Context& ctx, size_t images, size_t channels, size_t plane, const float* t, float* gb);

}  // namespace dendrite
