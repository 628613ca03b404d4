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

// The 2×2 stride-2 plane kernels of one ISA.
struct Plane2x2Kernels {
  void (*maxpool)(const Pool2dGeometry&, const float*, float*, int32_t*);
  void (*avgpool)(const Pool2dGeometry&, const float*, float*);
  void (*avgpool_backward)(const Pool2dGeometry&, const float*, float*);
};

// The vector 2×2 kernels when the geometry and the ISA have them, else null.
const Plane2x2Kernels* fast_2x2(const Context& ctx, const Pool2dGeometry& g) {
  if (!g.is_2x2_stride_2()) return nullptr;
#ifdef DENDRITE_POOL_HAS_AVX2
  static const Plane2x2Kernels avx2_kernels{avx2::maxpool_plane_2x2, avx2::avgpool_plane_2x2,
                                            avx2::avgpool_plane_backward_2x2};
  if (has_avx2(ctx.isa)) return &avx2_kernels;
#endif
#if DENDRITE_HAVE_NEON_KERNELS
  static const Plane2x2Kernels neon_kernels{neon::maxpool_plane_2x2, neon::avgpool_plane_2x2,
                                            neon::avgpool_plane_backward_2x2};
  if (has_neon(ctx.isa)) return &neon_kernels;
#endif
  return nullptr;
}

}  // namespace

void maxpool2d_forward(const Context& ctx, const Pool2dGeometry& g, const float* x, float* out,
                       int32_t* indices) {
  const size_t in = g.input_plane(), on = g.output_plane();
  const Plane2x2Kernels* fast = fast_2x2(ctx, g);
  for_each_plane(ctx, g.planes(), in + 2 * on, [&](size_t p) {
    if (fast) return fast->maxpool(g, x + p * in, out + p * on, indices + p * on);
    maxpool_plane_general(g, x + p * in, out + p * on, indices + p * on);
  });
}

bool maxpool2d_backward(const Context& ctx, const float* gy, const int32_t* indices, float* gx,
                        size_t planes, size_t in_plane, size_t out_plane) {
  // A scatter: neither AVX2 nor NEON has a scatter store, so every ISA
  // shares this loop. The plane is cleared and filled while it is in L1.
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
  const Plane2x2Kernels* fast = fast_2x2(ctx, g);  // unpadded: both divisor rules give 4
  for_each_plane(ctx, g.planes(), in + on, [&](size_t p) {
    if (fast) return fast->avgpool(g, x + p * in, out + p * on);
    avgpool_plane_general(g, x + p * in, out + p * on, count_include_pad);
  });
}

void avgpool2d_backward(const Context& ctx, const Pool2dGeometry& g, const float* gy, float* gx,
                        bool count_include_pad) {
  const size_t in = g.input_plane(), on = g.output_plane();
  const Plane2x2Kernels* fast = fast_2x2(ctx, g);
  for_each_plane(ctx, g.planes(), in + on, [&](size_t p) {
    if (fast) return fast->avgpool_backward(g, gy + p * on, gx + p * in);
    avgpool_plane_backward_general(g, gy + p * on, gx + p * in, count_include_pad);
  });
}

}  // namespace dendrite
