// Pooling (family `pool`), NCHW:
//   maxPool2dForward(x, out, indices, n, c, h, w, kh, kw, strideH, strideW, padH, padW)
//   maxPool2dBackward(gy, indices, gx, n, c, h, w, oh, ow)
//   avgPool2dForward(x, out, n, c, h, w, kh, kw, strideH, strideW, padH, padW, countIncludePad)
//   avgPool2dBackward(gy, gx, n, c, h, w, kh, kw, strideH, strideW, padH, padW, countIncludePad)
// Output size floor((h + 2pad − k)/stride) + 1; pad may be at most k/2.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>

#include "addon_data.h"
#include "args.h"
#include "bindings.h"
#include "pool/pool2d.h"

namespace dendrite::addon {
namespace {

bool overlaps(const void* a, size_t a_bytes, const void* b, size_t b_bytes) {
  auto a0 = reinterpret_cast<uintptr_t>(a), b0 = reinterpret_cast<uintptr_t>(b);
  return a_bytes > 0 && b_bytes > 0 && a0 < b0 + b_bytes && b0 < a0 + a_bytes;
}

// n, c, h, w at `first`; a plane must be indexable by int32 (arg-max indices).
void read_planes(const ArgReader& args, size_t first, const char* fn, Pool2dGeometry& g) {
  g.n = args.size(first, "n"), g.c = args.size(first + 1, "c");
  g.h = args.size(first + 2, "h"), g.w = args.size(first + 3, "w");
  if (args.multiply(g.h, g.w, "plane size h·w") > static_cast<size_t>(std::numeric_limits<int32_t>::max())) {
    args.range_error(std::string(fn) + ": plane size h·w = " + std::to_string(g.h * g.w) +
                     " exceeds what int32 indices can address");
  }
}

// kh, kw, strideH, strideW, padH, padW at `first`, then the output size.
void read_window(const ArgReader& args, size_t first, const char* fn, Pool2dGeometry& g) {
  g.kh = args.size(first, "kh"), g.kw = args.size(first + 1, "kw");
  g.stride_h = args.size(first + 2, "strideH"), g.stride_w = args.size(first + 3, "strideW");
  g.pad_h = args.size(first + 4, "padH"), g.pad_w = args.size(first + 5, "padW");
  const std::string f(fn);
  if (g.kh == 0) args.range_error(f + ": argument 'kh' must be at least 1, got 0");
  if (g.kw == 0) args.range_error(f + ": argument 'kw' must be at least 1, got 0");
  if (g.stride_h == 0) args.range_error(f + ": argument 'strideH' must be at least 1, got 0");
  if (g.stride_w == 0) args.range_error(f + ": argument 'strideW' must be at least 1, got 0");
  if (g.pad_h > g.kh / 2) {
    args.range_error(f + ": argument 'padH' (" + std::to_string(g.pad_h) + ") must be at most half of kh (" +
                     std::to_string(g.kh) + ")");
  }
  if (g.pad_w > g.kw / 2) {
    args.range_error(f + ": argument 'padW' (" + std::to_string(g.pad_w) + ") must be at most half of kw (" +
                     std::to_string(g.kw) + ")");
  }
  if (g.h == 0 || g.w == 0) args.range_error(f + ": arguments 'h' and 'w' must be at least 1");
  if (!pool_output_extent(g.h, g.kh, g.stride_h, g.pad_h, &g.oh)) {
    args.range_error(f + ": output height would be < 1: kh (" + std::to_string(g.kh) +
                     ") is larger than the padded input h + 2·padH (" + std::to_string(g.h) + " + 2·" +
                     std::to_string(g.pad_h) + ")");
  }
  if (!pool_output_extent(g.w, g.kw, g.stride_w, g.pad_w, &g.ow)) {
    args.range_error(f + ": output width would be < 1: kw (" + std::to_string(g.kw) +
                     ") is larger than the padded input w + 2·padW (" + std::to_string(g.w) + " + 2·" +
                     std::to_string(g.pad_w) + ")");
  }
}

struct PoolSizes {
  size_t input, output;
};

PoolSizes pool_sizes(const ArgReader& args, const Pool2dGeometry& g) {
  const size_t planes = args.multiply(g.n, g.c, "n·c");
  return {args.multiply(planes, g.h * g.w, "input size n·c·h·w"),
          args.multiply(planes, args.multiply(g.oh, g.ow, "oh·ow"), "output size n·c·oh·ow")};
}

Napi::Value max_pool2d_forward(const Napi::CallbackInfo& info) {
  const char* fn = "maxPool2dForward";
  ArgReader args(info, fn, 13);
  auto x = args.float32_array(0, "x");
  auto out = args.float32_array(1, "out");
  auto indices = args.int32_array(2, "indices");
  Pool2dGeometry g;
  read_planes(args, 3, fn, g);
  read_window(args, 7, fn, g);
  PoolSizes s = pool_sizes(args, g);
  args.require_length(x, s.input, "x");
  args.require_length(out, s.output, "out");
  args.require_length(indices, s.output, "indices");
  if (overlaps(out.data, s.output * 4, x.data, s.input * 4) || overlaps(indices.data, s.output * 4, x.data, s.input * 4) ||
      overlaps(out.data, s.output * 4, indices.data, s.output * 4)) {
    args.range_error(std::string(fn) + ": arguments 'x', 'out' and 'indices' must not overlap");
  }
  Context ctx = AddonData::of(info.Env()).context();
  maxpool2d_forward(ctx, g, x.data, out.data, indices.data);
  return info.Env().Undefined();
}

Napi::Value max_pool2d_backward(const Napi::CallbackInfo& info) {
  const char* fn = "maxPool2dBackward";
  ArgReader args(info, fn, 9);
  auto gy = args.float32_array(0, "gy");
  auto indices = args.int32_array(1, "indices");
  auto gx = args.float32_array(2, "gx");
  Pool2dGeometry g;
  read_planes(args, 3, fn, g);
  g.oh = args.size(7, "oh"), g.ow = args.size(8, "ow");
  PoolSizes s = pool_sizes(args, g);
  args.require_length(gy, s.output, "gy");
  args.require_length(indices, s.output, "indices");
  args.require_length(gx, s.input, "gx");
  if (overlaps(gx.data, s.input * 4, gy.data, s.output * 4) || overlaps(gx.data, s.input * 4, indices.data, s.output * 4)) {
    args.range_error(std::string(fn) + ": argument 'gx' overlaps an input");
  }
  // Work is bounded by the buffers, not by n·c: an empty input has nothing to write, and an
  // empty output leaves only zeros to write (every plane then has at least one input element).
  if (s.input == 0) return info.Env().Undefined();
  if (s.output == 0) {
    std::fill(gx.data, gx.data + s.input, 0.0f);
    return info.Env().Undefined();
  }
  Context ctx = AddonData::of(info.Env()).context();
  if (!maxpool2d_backward(ctx, gy.data, indices.data, gx.data, g.planes(), g.h * g.w, g.oh * g.ow)) {
    // Find the first offender for the message (the error path only).
    const size_t plane = g.h * g.w;
    for (size_t i = 0; i < s.output; ++i) {
      if (indices.data[i] < 0 || static_cast<size_t>(indices.data[i]) >= plane) {
        args.range_error(std::string(fn) + ": argument 'indices' holds " + std::to_string(indices.data[i]) +
                         " at element " + std::to_string(i) + ", outside the plane of h·w = " +
                         std::to_string(plane) + " positions");
      }
    }
  }
  return info.Env().Undefined();
}

Napi::Value avg_pool2d_forward(const Napi::CallbackInfo& info) {
  const char* fn = "avgPool2dForward";
  ArgReader args(info, fn, 13);
  auto x = args.float32_array(0, "x");
  auto out = args.float32_array(1, "out");
  Pool2dGeometry g;
  read_planes(args, 2, fn, g);
  read_window(args, 6, fn, g);
  bool count_include_pad = args.boolean(12, "countIncludePad");
  PoolSizes s = pool_sizes(args, g);
  args.require_length(x, s.input, "x");
  args.require_length(out, s.output, "out");
  if (overlaps(out.data, s.output * 4, x.data, s.input * 4)) {
    args.range_error(std::string(fn) + ": argument 'out' overlaps argument 'x'");
  }
  Context ctx = AddonData::of(info.Env()).context();
  avgpool2d_forward(ctx, g, x.data, out.data, count_include_pad);
  return info.Env().Undefined();
}

Napi::Value avg_pool2d_backward(const Napi::CallbackInfo& info) {
  const char* fn = "avgPool2dBackward";
  ArgReader args(info, fn, 13);
  auto gy = args.float32_array(0, "gy");
  auto gx = args.float32_array(1, "gx");
  Pool2dGeometry g;
  read_planes(args, 2, fn, g);
  read_window(args, 6, fn, g);
  bool count_include_pad = args.boolean(12, "countIncludePad");
  PoolSizes s = pool_sizes(args, g);
  args.require_length(gy, s.output, "gy");
  args.require_length(gx, s.input, "gx");
  if (overlaps(gx.data, s.input * 4, gy.data, s.output * 4)) {
    args.range_error(std::string(fn) + ": argument 'gx' overlaps argument 'gy'");
  }
  Context ctx = AddonData::of(info.Env()).context();
  avgpool2d_backward(ctx, g, gy.data, gx.data, count_include_pad);
  return info.Env().Undefined();
}

}  // namespace

void register_pool(Napi::Env env, Napi::Object exports) {
  exports.Set("maxPool2dForward", make_function(env, "maxPool2dForward", max_pool2d_forward));
  exports.Set("maxPool2dBackward", make_function(env, "maxPool2dBackward", max_pool2d_backward));
  exports.Set("avgPool2dForward", make_function(env, "avgPool2dForward", avg_pool2d_forward));
  exports.Set("avgPool2dBackward", make_function(env, "avgPool2dBackward", avg_pool2d_backward));
}

}  // namespace dendrite::addon
