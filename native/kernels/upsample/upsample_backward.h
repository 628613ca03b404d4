// The gradient of a separable resize (nearest or bilinear), shared by both
// modes. Each output row adds its gradient, weighted, to one or two
// accumulator rows (contiguous loops the compiler vectorises); since source
// rows never decrease down the output, an input row is complete once the
// output rows reach past it, and is then folded along its columns through a
// table of which output columns read each input column. Every sum runs in a
// fixed order on one thread per plane: no scatter, no races, the same bits
// for any thread count.
#pragma once

#include <vector>

#include "context.h"
#include "upsample/upsample2d.h"
#include "upsample/upsample_coordinates.h"

namespace dendrite {

// gx from gy through per-axis taps ty (oh of them) and tx (ow). With
// two_taps false only (i0, l0) of each tap counts (nearest: l0 = 1, exact
// sums); with two_taps both do, zero weights included, as PyTorch adds them.
void resize_backward(const Context& ctx, const Upsample2dGeometry& g, const std::vector<LinearTap>& ty,
                     const std::vector<LinearTap>& tx, bool two_taps, const float* gy, float* gx);

}  // namespace dendrite
