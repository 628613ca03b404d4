// Pooling drivers: threads split the (n, c) planes and each plane goes to the
// fastest kernel its geometry and the ISA allow.
#include "pool/pool2d.h"

#include <algorithm>
#include <atomic>
#include <cstring>

#include "pool/for_each_plane.h"
#include "pool/pool2d_planes.h"

namespace dendrite {
namespace {

bool use_avx2_2x2(const Context& ctx, const Pool2dGeometry& g) {
#ifdef DENDRITE_POOL_HAS_AVX2
  return has_avx2(ctx.isa) && g.is_2x2_stride_2();
#else
  return false;
#endif
}

}  // namespace

void maxpool2d_forward(const Context& ctx, const Pool2dGeometry& g, const float* x, float* out,
                       int32_t* indices) {
  const size_t in = g.input_plane(), on = g.output_plane();
  [[maybe_unused]] const bool fast = use_avx2_2x2(ctx, g);
  for_each_plane(ctx, g.planes(), in + 2 * on, [&](size_t p) {
#ifdef DENDRITE_POOL_HAS_AVX2
    if (fast) return avx2::maxpool_plane_2x2(g, x + p * in, out + p * on, indices + p * on);
#endif
    maxpool_plane_general(g, x + p * in, out + p * on, indices + p * on);
  });
}

bool maxpool2d_backward(const Context& ctx, const float* gy, const int32_t* indices, float* gx,
                        size_t planes, size_t in_plane, size_t out_plane) {
  // A scatter: AVX2 has no scatter store, so both ISAs share this loop. The
  // plane is cleared and filled while it is in L1.
  std::atomic<bool> all_valid{true};
  for_each_plane(ctx, planes, in_plane + 2 * out_plane, [&](size_t p) {
    float* plane = gx + p * in_plane;
    const float* g = gy + p * out_plane;
    const int32_t* idx = indices + p * out_plane;
    std::memset(plane, 0, in_plane * sizeof(float));
    bool valid = true;
    for (size_t i = 0; i < out_plane; ++i) {
      const uint32_t at = static_cast<uint32_t>(idx[i]);  // negative → huge
      if (at < in_plane) {
        plane[at] += g[i];
      } else {
        valid = false;
      }
    }
    if (!valid) all_valid.store(false, std::memory_order_relaxed);
  });
  return all_valid.load();
}

void avgpool2d_forward(const Context& ctx, const Pool2dGeometry& g, const float* x, float* out,
                       bool count_include_pad) {
  const size_t in = g.input_plane(), on = g.output_plane();
  [[maybe_unused]] const bool fast = use_avx2_2x2(ctx, g);  // unpadded: both divisor rules give 4
  for_each_plane(ctx, g.planes(), in + on, [&](size_t p) {
#ifdef DENDRITE_POOL_HAS_AVX2
    if (fast) return avx2::avgpool_plane_2x2(g, x + p * in, out + p * on);
#endif
    avgpool_plane_general(g, x + p * in, out + p * on, count_include_pad);
  });
}

void avgpool2d_backward(const Context& ctx, const Pool2dGeometry& g, const float* gy, float* gx,
                        bool count_include_pad) {
  const size_t in = g.input_plane(), on = g.output_plane();
  [[maybe_unused]] const bool fast = use_avx2_2x2(ctx, g);
  for_each_plane(ctx, g.planes(), in + on, [&](size_t p) {
#ifdef DENDRITE_POOL_HAS_AVX2
    if (fast) return avx2::avgpool_plane_backward_2x2(g, gy + p * on, gx + p * in);
#endif
    avgpool_plane_backward_general(g, gy + p * on, gx + p * in, count_include_pad);
  });
}

}  // namespace dendrite
