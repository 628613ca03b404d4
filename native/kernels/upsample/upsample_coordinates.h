// Where each output position of a resize reads from, along one axis, with
// PyTorch's rules and in its float32 arithmetic, so indices and weights come
// out exactly as torch computes them for float tensors.
#pragma once

#include <cstddef>
#include <vector>

namespace dendrite {

// PyTorch's compute_scales_value: 1/scale_factor when one was given, else in/out.
float upsample_scale(size_t in, size_t out, double scale_factor);

// Nearest: floor(dst·scale) clamped to in − 1, except that out == in copies
// and out == 2·in halves the index whatever the scale factor (PyTorch keeps
// both special cases of its nearest_idx).
std::vector<size_t> nearest_sources(size_t in, size_t out, double scale_factor);

// Linear: the two input positions around the source point and their weights.
struct LinearTap {
  size_t i0, i1;   // i1 = i0 + 1, or i0 at the last position
  float l0, l1;    // l0 + l1 = 1
};

// Source point dst·(in − 1)/(out − 1) with align_corners (0 for one output),
// else (dst + 0.5)·scale − 0.5 clamped below at 0.
std::vector<LinearTap> linear_taps(size_t in, size_t out, double scale_factor, bool align_corners);

}  // namespace dendrite
