// Image augmentation on NCHW float batches (kernels in native/kernels/augment/):
//   augmentShiftFlip(x, out, n, c, h, w, outH, outW, offsetY: Int32Array, offsetX: Int32Array, flip: Uint8Array, fill)
//   augmentRotate(x, out, n, c, h, w, angles: Float32Array, fill)
//   augmentGaussianNoise(x, out, stddev, seed, offset, clamp, lo, hi)
// The geometric ones need `out` apart from `x`; the noise may run in place.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "addon_data.h"
#include "args.h"
#include "augment/augment.h"
#include "bindings.h"

namespace dendrite::addon {
namespace {

// Largest image side accepted: keeps every coordinate far from overflow.
constexpr size_t kMaxSide = size_t{1} << 24;
// Offsets beyond this only ever read padding; bounding them keeps y + offset exact.
constexpr int64_t kMaxOffset = int64_t{1} << 30;

bool overlaps(const void* a, size_t a_bytes, const void* b, size_t b_bytes) {
  auto pa = reinterpret_cast<uintptr_t>(a), pb = reinterpret_cast<uintptr_t>(b);
  return a_bytes > 0 && b_bytes > 0 && pa < pb + b_bytes && pb < pa + a_bytes;
}

Napi::Value augment_shift_flip(const Napi::CallbackInfo& info) {
  ArgReader args(info, "augmentShiftFlip", 12);
  auto x = args.float32_array(0, "x");
  auto out = args.float32_array(1, "out");
  size_t n = args.size(2, "n"), c = args.size(3, "c");
  size_t h = args.size(4, "h", kMaxSide), w = args.size(5, "w", kMaxSide);
  size_t out_h = args.size(6, "outH", kMaxSide), out_w = args.size(7, "outW", kMaxSide);
  auto offset_y = args.int32_array(8, "offsetY");
  auto offset_x = args.int32_array(9, "offsetX");
  auto flip = args.uint8_array(10, "flip");
  float fill = static_cast<float>(args.finite_number(11, "fill"));

  size_t planes = args.multiply(n, c, "n*c");
  size_t in_count = args.multiply(planes, args.multiply(h, w, "h*w"), "x size");
  size_t out_count = args.multiply(planes, args.multiply(out_h, out_w, "outH*outW"), "out size");
  args.require_length(x, in_count, "x");
  args.require_length(out, out_count, "out");
  args.require_length(offset_y, n, "offsetY");
  args.require_length(offset_x, n, "offsetX");
  args.require_length(flip, n, "flip");
  for (size_t i = 0; i < n; ++i) {
    if (std::llabs(offset_y.data[i]) > kMaxOffset || std::llabs(offset_x.data[i]) > kMaxOffset) {
      args.range_error("augmentShiftFlip: offsets of image " + std::to_string(i) + " exceed 2^30 in magnitude");
    }
  }
  if (overlaps(x.data, in_count * sizeof(float), out.data, out_count * sizeof(float))) {
    args.range_error("augmentShiftFlip: argument 'out' must not overlap 'x'");
  }
  // Nothing to write: return before the kernel walks n·c empty planes.
  if (out_count == 0) return info.Env().Undefined();
  Context ctx = AddonData::of(info.Env()).context();
  augment_shift_flip_nchw(ctx, x.data, out.data, n, c, h, w, out_h, out_w, offset_y.data, offset_x.data,
                          flip.data, fill);
  return info.Env().Undefined();
}

Napi::Value augment_rotate(const Napi::CallbackInfo& info) {
  ArgReader args(info, "augmentRotate", 8);
  auto x = args.float32_array(0, "x");
  auto out = args.float32_array(1, "out");
  size_t n = args.size(2, "n"), c = args.size(3, "c");
  size_t h = args.size(4, "h", kMaxSide), w = args.size(5, "w", kMaxSide);
  auto angles = args.float32_array(6, "angles");
  float fill = static_cast<float>(args.finite_number(7, "fill"));

  size_t count = args.multiply(args.multiply(n, c, "n*c"), args.multiply(h, w, "h*w"), "x size");
  args.require_length(x, count, "x");
  args.require_length(out, count, "out");
  args.require_length(angles, n, "angles");
  for (size_t i = 0; i < n; ++i) {
    if (!std::isfinite(angles.data[i])) {
      args.range_error("augmentRotate: angle of image " + std::to_string(i) + " is not finite");
    }
  }
  if (overlaps(x.data, count * sizeof(float), out.data, count * sizeof(float))) {
    args.range_error("augmentRotate: argument 'out' must not overlap 'x'");
  }
  if (count == 0) return info.Env().Undefined();
  Context ctx = AddonData::of(info.Env()).context();
  augment_rotate_bilinear_nchw(ctx, x.data, out.data, n, c, h, w, angles.data, fill);
  return info.Env().Undefined();
}

Napi::Value augment_gaussian_noise(const Napi::CallbackInfo& info) {
  ArgReader args(info, "augmentGaussianNoise", 8);
  auto x = args.float32_array(0, "x");
  auto out = args.float32_array(1, "out");
  double stddev = args.finite_number(2, "stddev");
  auto seed = static_cast<uint32_t>(args.integer(3, "seed", 0, 0xffffffffLL));
  size_t offset = args.size(4, "offset", size_t{1} << 53);
  bool clamp = args.boolean(5, "clamp");
  float lo = static_cast<float>(args.finite_number(6, "lo"));
  float hi = static_cast<float>(args.finite_number(7, "hi"));
  if (stddev < 0) args.range_error("augmentGaussianNoise: argument 'stddev' must be non-negative");
  if (clamp && lo > hi) args.range_error("augmentGaussianNoise: 'lo' is greater than 'hi'");
  args.require_length(out, x.length, "out");
  size_t bytes = x.length * sizeof(float);
  if (x.data != out.data && overlaps(x.data, bytes, out.data, bytes)) {
    args.range_error("augmentGaussianNoise: argument 'out' must be 'x' itself or not overlap it");
  }
  Context ctx = AddonData::of(info.Env()).context();
  dendrite::augment_gaussian_noise(ctx, x.data, out.data, x.length, static_cast<float>(stddev), seed, offset,
                                   clamp, lo, hi);
  return info.Env().Undefined();
}

}  // namespace

void register_augment(Napi::Env env, Napi::Object exports) {
  exports.Set("augmentShiftFlip", make_function(env, "augmentShiftFlip", augment_shift_flip));
  exports.Set("augmentRotate", make_function(env, "augmentRotate", augment_rotate));
  exports.Set("augmentGaussianNoise", make_function(env, "augmentGaussianNoise", augment_gaussian_noise));
}

}  // namespace dendrite::addon
