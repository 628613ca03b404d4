// Threads split NCHW work by (n, c) plane: planes are independent, so each
// task owns the planes it writes (backward scatters stay race-free and their
// sums do not depend on the thread count).
#pragma once

#include <algorithm>
#include <cstddef>

#include "context.h"

namespace dendrite {

// Elements per task below which another thread does not pay.
constexpr size_t kMinPlaneTaskElements = 32768;

// Calls fn(p0, p1) for contiguous plane ranges covering [0, planes), one per
// task (so a task can set up scratch once); `plane_elements` (what one plane
// reads and writes) sets how many planes a task takes at least.
template <class Fn>
void for_each_plane_range(const Context& ctx, size_t planes, size_t plane_elements, Fn&& fn) {
  const size_t min_planes = std::max<size_t>(1, kMinPlaneTaskElements / std::max<size_t>(plane_elements, 1));
  parallel_for(ctx, planes, min_planes, [&](size_t p0, size_t p1, int) { fn(p0, p1); });
}

// Calls fn(p) for every plane p in [0, planes).
template <class Fn>
void for_each_plane(const Context& ctx, size_t planes, size_t plane_elements, Fn&& fn) {
  for_each_plane_range(ctx, planes, plane_elements, [&](size_t p0, size_t p1) {
    for (size_t p = p0; p < p1; ++p) fn(p);
  });
}

}  // namespace dendrite
