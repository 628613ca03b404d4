// Dropout (family `dropout`), Philox4x32-10 counter-based, so the mask depends
// only on (seed, offset + index):
//   dropoutForward(x, out, mask, p, seed, offset)
//   dropoutBackward(gy, mask, p, gx)
//   dropoutBackwardUniform(g, mask, p, gx)     gy = g everywhere (a sum's gradient); n = gx.length
//   channelDropoutForward(x, out, mask, n, c, spatial, p, seed, offset)
//   channelDropoutBackward(gy, mask, n, c, spatial, p, gx)
// out (gx) may be the same array as x (gy), for in-place use.
#include <cstdint>
#include <string>

#include "addon_data.h"
#include "args.h"
#include "bindings.h"
#include "dropout/dropout.h"

namespace dendrite::addon {
namespace {

constexpr int64_t kMaxSeed = 4294967295;          // uint32
constexpr int64_t kMaxOffset = 9007199254740991;  // 2^53 − 1

double read_probability(const ArgReader& args, size_t index, const char* fn) {
  double p = args.finite_number(index, "p");
  if (!(p >= 0.0 && p < 1.0)) {
    args.range_error(std::string(fn) + ": argument 'p' must be in [0, 1), got " + std::to_string(p) +
                     (p == 1.0 ? " (p = 1 drops everything: no kernel needed)" : ""));
  }
  return p;
}

bool partly_overlaps(const void* a, size_t a_bytes, const void* b, size_t b_bytes) {
  auto a0 = reinterpret_cast<uintptr_t>(a), b0 = reinterpret_cast<uintptr_t>(b);
  return a_bytes > 0 && b_bytes > 0 && a0 < b0 + b_bytes && b0 < a0 + a_bytes;
}

// The output may be the input itself, but no other overlap is allowed, and the
// mask must be apart from both.
void check_separate(const ArgReader& args, const char* fn, const float* in, const float* out, size_t n,
                    const uint8_t* mask, size_t mask_n, const char* in_name, const char* out_name) {
  if (in != out && partly_overlaps(in, n * 4, out, n * 4)) {
    args.range_error(std::string(fn) + ": argument '" + out_name + "' partly overlaps argument '" + in_name +
                     "' (the same array is fine)");
  }
  if (partly_overlaps(mask, mask_n, in, n * 4) || partly_overlaps(mask, mask_n, out, n * 4)) {
    args.range_error(std::string(fn) + ": argument 'mask' overlaps a float argument");
  }
}

Napi::Value dropout_forward_binding(const Napi::CallbackInfo& info) {
  const char* fn = "dropoutForward";
  ArgReader args(info, fn, 6);
  auto x = args.float32_array(0, "x");
  auto out = args.float32_array(1, "out");
  auto mask = args.uint8_array(2, "mask");
  double p = read_probability(args, 3, fn);
  uint32_t seed = static_cast<uint32_t>(args.integer(4, "seed", 0, kMaxSeed));
  uint64_t offset = static_cast<uint64_t>(args.integer(5, "offset", 0, kMaxOffset));
  const size_t n = x.length;
  args.require_length(out, n, "out");
  args.require_length(mask, n, "mask");
  check_separate(args, fn, x.data, out.data, n, mask.data, n, "x", "out");
  dropout_forward(AddonData::of(info.Env()).context(), x.data, out.data, mask.data, n, p, seed, offset);
  return info.Env().Undefined();
}

Napi::Value dropout_backward_binding(const Napi::CallbackInfo& info) {
  const char* fn = "dropoutBackward";
  ArgReader args(info, fn, 4);
  auto gy = args.float32_array(0, "gy");
  auto mask = args.uint8_array(1, "mask");
  double p = read_probability(args, 2, fn);
  auto gx = args.float32_array(3, "gx");
  const size_t n = gy.length;
  args.require_length(mask, n, "mask");
  args.require_length(gx, n, "gx");
  check_separate(args, fn, gy.data, gx.data, n, mask.data, n, "gy", "gx");
  dropout_backward(AddonData::of(info.Env()).context(), gy.data, mask.data, n, p, gx.data);
  return info.Env().Undefined();
}

Napi::Value dropout_backward_uniform_binding(const Napi::CallbackInfo& info) {
  const char* fn = "dropoutBackwardUniform";
  ArgReader args(info, fn, 4);
  const double g = args.number(0, "g");
  auto mask = args.uint8_array(1, "mask");
  double p = read_probability(args, 2, fn);
  auto gx = args.float32_array(3, "gx");
  const size_t n = gx.length;
  args.require_length(mask, n, "mask");
  if (partly_overlaps(mask.data, n, gx.data, n * 4)) args.range_error(std::string(fn) + ": argument 'mask' overlaps argument 'gx'");
  dropout_backward_uniform(AddonData::of(info.Env()).context(), static_cast<float>(g), mask.data, n, p, gx.data);
  return info.Env().Undefined();
}

struct ChannelSizes {
  size_t planes, spatial, total;
};

ChannelSizes channel_sizes(const ArgReader& args, size_t first) {
  size_t n = args.size(first, "n"), c = args.size(first + 1, "c"), spatial = args.size(first + 2, "spatial");
  size_t planes = args.multiply(n, c, "planes n·c");
  return {planes, spatial, args.multiply(planes, spatial, "size n·c·spatial")};
}

Napi::Value channel_dropout_forward_binding(const Napi::CallbackInfo& info) {
  const char* fn = "channelDropoutForward";
  ArgReader args(info, fn, 9);
  auto x = args.float32_array(0, "x");
  auto out = args.float32_array(1, "out");
  auto mask = args.uint8_array(2, "mask");
  ChannelSizes s = channel_sizes(args, 3);
  double p = read_probability(args, 6, fn);
  uint32_t seed = static_cast<uint32_t>(args.integer(7, "seed", 0, kMaxSeed));
  uint64_t offset = static_cast<uint64_t>(args.integer(8, "offset", 0, kMaxOffset));
  args.require_length(x, s.total, "x");
  args.require_length(out, s.total, "out");
  args.require_length(mask, s.planes, "mask");
  check_separate(args, fn, x.data, out.data, s.total, mask.data, s.planes, "x", "out");
  channel_dropout_forward(AddonData::of(info.Env()).context(), x.data, out.data, mask.data, s.planes, s.spatial, p,
                          seed, offset);
  return info.Env().Undefined();
}

Napi::Value channel_dropout_backward_binding(const Napi::CallbackInfo& info) {
  const char* fn = "channelDropoutBackward";
  ArgReader args(info, fn, 7);
  auto gy = args.float32_array(0, "gy");
  auto mask = args.uint8_array(1, "mask");
  ChannelSizes s = channel_sizes(args, 2);
  double p = read_probability(args, 5, fn);
  auto gx = args.float32_array(6, "gx");
  args.require_length(gy, s.total, "gy");
  args.require_length(mask, s.planes, "mask");
  args.require_length(gx, s.total, "gx");
  check_separate(args, fn, gy.data, gx.data, s.total, mask.data, s.planes, "gy", "gx");
  channel_dropout_backward(AddonData::of(info.Env()).context(), gy.data, mask.data, s.planes, s.spatial, p, gx.data);
  return info.Env().Undefined();
}

}  // namespace

void register_dropout(Napi::Env env, Napi::Object exports) {
  exports.Set("dropoutForward", make_function(env, "dropoutForward", dropout_forward_binding));
  exports.Set("dropoutBackward", make_function(env, "dropoutBackward", dropout_backward_binding));
  exports.Set("dropoutBackwardUniform", make_function(env, "dropoutBackwardUniform", dropout_backward_uniform_binding));
  exports.Set("channelDropoutForward", make_function(env, "channelDropoutForward", channel_dropout_forward_binding));
  exports.Set("channelDropoutBackward", make_function(env, "channelDropoutBackward", channel_dropout_backward_binding));
}

}  // namespace dendrite::addon
