#include "norm/local_response_norm.h"

#include <algorithm>
#include <vector>

#include "norm/lrn_kernels.h"

namespace dendrite {
namespace {

// Fewer values than this per thread and waking another thread costs more than it saves.
constexpr size_t kMinPerThread = size_t{1} << 14;
// Plane positions per block: long enough that each row is read as a stream,
// short enough that a window's rows stay in cache while the channels go by.
constexpr size_t kMaxBlock = 4096;
// Floats of backward scratch per thread a block may ask for (its length shrinks for wide windows, to kMinBlock).
constexpr size_t kScratchFloats = size_t{1} << 18;
constexpr size_t kMinBlock = 16;

// Work items: blocks of consecutive plane positions of one image.
struct Blocks {
  size_t c, plane, length, per_image;
  Blocks(size_t c, size_t plane, size_t length)
      : c(c), plane(plane), length(length), per_image((plane + length - 1) / length) {}
  // Where the item's first position is in channel 0, and how many positions it has.
  size_t offset(size_t item) const { return item / per_image * c * plane + item % per_image * length; }
  size_t size(size_t item) const { return std::min(length, plane - item % per_image * length); }
};

// fn(blocks, first_item, end_item) over the threads, with blocks of at most `length` positions.
template <class Fn>
void over_threads(const Context& ctx, size_t n, size_t c, size_t plane, size_t length, Fn&& fn) {
  if (n == 0 || c == 0 || plane == 0) return;
  const Blocks blocks(c, plane, std::min(plane, length));
  const size_t per_item = c * blocks.length;
  parallel_for(ctx, n * blocks.per_image, per_item >= kMinPerThread ? 1 : kMinPerThread / per_item,
               [&](size_t i0, size_t i1, int) { fn(blocks, i0, i1); });
}

}  // namespace

void local_response_norm_forward(const Context& ctx, size_t n, size_t c, size_t plane, const LrnParams& p,
                                 const float* x, float* y, float* multiplier) {
  const LrnKernels& k = lrn_kernels(ctx.isa);
  over_threads(ctx, n, c, plane, kMaxBlock, [&](const Blocks& blocks, size_t i0, size_t i1) {
    for (size_t item = i0; item < i1; ++item) {
      const size_t at = blocks.offset(item);
      k.forward(x + at, c, plane, blocks.size(item), p, y + at, multiplier + at);
    }
  });
}

void local_response_norm_backward(const Context& ctx, size_t n, size_t c, size_t plane, const LrnParams& p,
                                  const float* x, const float* gy, const float* multiplier, float* gx) {
  const LrnKernels& k = lrn_kernels(ctx.isa);
  const size_t rows = lrn_scratch_rows(p, c);
  const size_t length = std::min(kMaxBlock, std::max(kMinBlock, kScratchFloats / std::max<size_t>(rows, 1)));
  over_threads(ctx, n, c, plane, length, [&](const Blocks& blocks, size_t i0, size_t i1) {
    std::vector<float> scratch(rows * blocks.length);
    for (size_t item = i0; item < i1; ++item) {
      const size_t at = blocks.offset(item);
      k.backward(x + at, gy + at, multiplier + at, c, plane, blocks.size(item), p, scratch.data(), gx + at);
    }
  });
}

}  // namespace dendrite
