// Pooling (family `pool`), NCHW:
//   maxPool2dForward(x, out, indices, n, c, h, w, kh, kw, strideH, strideW, padH, padW[, dilationH, dilationW, ceilMode])
//   maxPool2dBackward(gy, indices, gx, n, c, h, w, oh, ow)
//   avgPool2dForward(x, out, n, c, h, w, kh, kw, strideH, strideW, padH, padW, countIncludePad[, ceilMode])
//   avgPool2dBackward(gy, gx, n, c, h, w, kh, kw, strideH, strideW, padH, padW, countIncludePad[, ceilMode])
//   adaptiveAvgPool2dForward(x, out, n, c, h, w, oh, ow)
//   adaptiveAvgPool2dBackward(gy, gx, n, c, h, w, oh, ow)
//   adaptiveMaxPool2dForward(x, out, indices, n, c, h, w, oh, ow)   (backward: maxPool2dBackward)
// Window output size as PyTorch's (pool2d_geometry.h); pad may be at most k/2.
// Optional trailing arguments default to dilation 1 and ceilMode false.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>

#include "addon_data.h"
#include "args.h"
#include "bindings.h"
#include "plane_args.h"
#include "pool/adaptive_pool2d.h"
#include "pool/pool2d.h"

namespace dendrite::addon {
namespace {

// n, c, h, w at `first`; a plane must be indexable by int32 (arg-max indices).
void read_planes(const ArgReader& args, size_t first, const char* fn, size_t* n, size_t* c, size_t* h, size_t* w) {
  *n = args.size(first, "n"), *c = args.size(first + 1, "c");
  *h = args.size(first + 2, "h"), *w = args.size(first + 3, "w");
  if (args.multiply(*h, *w, "plane size h·w") > static_cast<size_t>(std::numeric_limits<int32_t>::max())) {
    args.range_error(std::string(fn) + ": plane size h·w = " + std::to_string(*h * *w) +
                     " exceeds what int32 indices can address");
  }
}

void read_planes(const ArgReader& args, size_t first, const char* fn, Pool2dGeometry& g) {
  read_planes(args, first, fn, &g.n, &g.c, &g.h, &g.w);
}

// Resolves one axis of the window, or throws naming its arguments (`axis` is
// "height" or "width", the names those of its arguments).
struct AxisNames {
  const char *axis, *in, *k, *pad, *dilation;
};

size_t resolve_axis(const ArgReader& args, const std::string& f, const AxisNames& a, size_t in, size_t k,
                    size_t stride, size_t pad, size_t dilation, bool ceil_mode) {
  size_t out = 0;
  if (pool_output_extent(in, k, stride, pad, dilation, ceil_mode, &out)) return out;
  const std::string dilated = dilation == 1 ? "" : std::string(" dilated by ") + a.dilation + " (" + std::to_string(dilation) + ")";
  const uint64_t padded = static_cast<uint64_t>(in) + 2 * static_cast<uint64_t>(pad);
  if (static_cast<uint64_t>(k - 1) > (padded - 1) / dilation) {
    args.range_error(f + ": output " + a.axis + " would be < 1: " + a.k + " (" + std::to_string(k) + ")" + dilated +
                     " is larger than the padded input " + a.in + " + 2·" + a.pad + " (" + std::to_string(in) +
                     " + 2·" + std::to_string(pad) + ")");
  }
  args.range_error(f + ": a window of " + a.k + " (" + std::to_string(k) + ")" + dilated + " that starts in the " +
                   a.pad + " (" + std::to_string(pad) + ") padding covers no position of the input " + a.in + " = " +
                   std::to_string(in));
}

// kh, kw, strideH, strideW, padH, padW at `first`, then the output size.
void read_window(const ArgReader& args, size_t first, const char* fn, Pool2dGeometry& g) {
  g.kh = args.size(first, "kh"), g.kw = args.size(first + 1, "kw");
  g.stride_h = args.size(first + 2, "strideH"), g.stride_w = args.size(first + 3, "strideW");
  g.pad_h = args.size(first + 4, "padH"), g.pad_w = args.size(first + 5, "padW");
  require_positive(args, fn, "kh", g.kh);
  require_positive(args, fn, "kw", g.kw);
  require_positive(args, fn, "strideH", g.stride_h);
  require_positive(args, fn, "strideW", g.stride_w);
  require_positive(args, fn, "dilationH", g.dilation_h);
  require_positive(args, fn, "dilationW", g.dilation_w);
  const std::string f(fn);
  if (g.pad_h > g.kh / 2) {
    args.range_error(f + ": argument 'padH' (" + std::to_string(g.pad_h) + ") must be at most half of kh (" +
                     std::to_string(g.kh) + ")");
  }
  if (g.pad_w > g.kw / 2) {
    args.range_error(f + ": argument 'padW' (" + std::to_string(g.pad_w) + ") must be at most half of kw (" +
                     std::to_string(g.kw) + ")");
  }
  if (g.h == 0 || g.w == 0) args.range_error(f + ": arguments 'h' and 'w' must be at least 1");
  g.oh = resolve_axis(args, f, {"height", "h", "kh", "padH", "dilationH"}, g.h, g.kh, g.stride_h, g.pad_h,
                      g.dilation_h, g.ceil_mode);
  g.ow = resolve_axis(args, f, {"width", "w", "kw", "padW", "dilationW"}, g.w, g.kw, g.stride_w, g.pad_w,
                      g.dilation_w, g.ceil_mode);
}

bool optional_boolean(const ArgReader& args, size_t index, const char* name) {
  return args.is_absent(index) ? false : args.boolean(index, name);
}

size_t optional_size(const ArgReader& args, size_t index, const char* name) {
  return args.is_absent(index) ? 1 : args.size(index, name);
}

PlaneSizes pool_sizes(const ArgReader& args, const Pool2dGeometry& g) {
  return plane_sizes(args, g.n, g.c, g.h, g.w, g.oh, g.ow);
}

// x [input elements], out and indices [output elements]: lengths, and no two overlapping.
void check_max_buffers(const ArgReader& args, const char* fn, const ArrayArg<float>& x, const ArrayArg<float>& out,
                       const ArrayArg<int32_t>& indices, const PlaneSizes& s) {
  args.require_length(x, s.input, "x");
  args.require_length(out, s.output, "out");
  args.require_length(indices, s.output, "indices");
  if (buffers_overlap(out.data, s.output * 4, x.data, s.input * 4) ||
      buffers_overlap(indices.data, s.output * 4, x.data, s.input * 4) ||
      buffers_overlap(out.data, s.output * 4, indices.data, s.output * 4)) {
    args.range_error(std::string(fn) + ": arguments 'x', 'out' and 'indices' must not overlap");
  }
}

Napi::Value max_pool2d_forward(const Napi::CallbackInfo& info) {
  const char* fn = "maxPool2dForward";
  ArgReader args(info, fn, 13);
  auto x = args.float32_array(0, "x");
  auto out = args.float32_array(1, "out");
  auto indices = args.int32_array(2, "indices");
  Pool2dGeometry g;
  read_planes(args, 3, fn, g);
  g.dilation_h = optional_size(args, 13, "dilationH");
  g.dilation_w = optional_size(args, 14, "dilationW");
  g.ceil_mode = optional_boolean(args, 15, "ceilMode");
  read_window(args, 7, fn, g);
  PlaneSizes s = pool_sizes(args, g);
  check_max_buffers(args, fn, x, out, indices, s);
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
  PlaneSizes s = pool_sizes(args, g);
  args.require_length(gy, s.output, "gy");
  args.require_length(indices, s.output, "indices");
  args.require_length(gx, s.input, "gx");
  if (buffers_overlap(gx.data, s.input * 4, gy.data, s.output * 4) ||
      buffers_overlap(gx.data, s.input * 4, indices.data, s.output * 4)) {
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

// avgPool2dForward and avgPool2dBackward take the same arguments: the source
// buffer, the destination buffer, then the geometry.
template <bool kForward>
Napi::Value avg_pool2d(const Napi::CallbackInfo& info) {
  const char* fn = kForward ? "avgPool2dForward" : "avgPool2dBackward";
  ArgReader args(info, fn, 13);
  auto src = args.float32_array(0, kForward ? "x" : "gy");
  auto dst = args.float32_array(1, kForward ? "out" : "gx");
  Pool2dGeometry g;
  read_planes(args, 2, fn, g);
  g.ceil_mode = optional_boolean(args, 13, "ceilMode");
  read_window(args, 6, fn, g);
  const bool count_include_pad = args.boolean(12, "countIncludePad");
  PlaneSizes s = pool_sizes(args, g);
  check_source_and_destination(args, fn, kForward, src, dst, s);
  Context ctx = AddonData::of(info.Env()).context();
  if (kForward) {
    avgpool2d_forward(ctx, g, src.data, dst.data, count_include_pad);
  } else {
    avgpool2d_backward(ctx, g, src.data, dst.data, count_include_pad);
  }
  return info.Env().Undefined();
}

// n, c, h, w, oh, ow at `first`: all sizes at least 1 (n and c may be 0), and
// bin bounds i·h and i·w computable.
AdaptivePool2dGeometry read_adaptive(const ArgReader& args, size_t first, const char* fn, PlaneSizes* sizes) {
  AdaptivePool2dGeometry g;
  read_planes(args, first, fn, &g.n, &g.c, &g.h, &g.w);
  g.oh = args.size(first + 4, "oh"), g.ow = args.size(first + 5, "ow");
  require_positive(args, fn, "h", g.h);
  require_positive(args, fn, "w", g.w);
  require_positive(args, fn, "oh", g.oh);
  require_positive(args, fn, "ow", g.ow);
  args.multiply(g.oh, g.h, "oh·h");
  args.multiply(g.ow, g.w, "ow·w");
  *sizes = plane_sizes(args, g.n, g.c, g.h, g.w, g.oh, g.ow);
  return g;
}

template <bool kForward>
Napi::Value adaptive_avg_pool2d(const Napi::CallbackInfo& info) {
  const char* fn = kForward ? "adaptiveAvgPool2dForward" : "adaptiveAvgPool2dBackward";
  ArgReader args(info, fn, 8);
  auto src = args.float32_array(0, kForward ? "x" : "gy");
  auto dst = args.float32_array(1, kForward ? "out" : "gx");
  PlaneSizes s;
  const AdaptivePool2dGeometry g = read_adaptive(args, 2, fn, &s);
  check_source_and_destination(args, fn, kForward, src, dst, s);
  Context ctx = AddonData::of(info.Env()).context();
  if (kForward) {
    adaptive_avgpool2d_forward(ctx, g, src.data, dst.data);
  } else {
    adaptive_avgpool2d_backward(ctx, g, src.data, dst.data);
  }
  return info.Env().Undefined();
}

Napi::Value adaptive_max_pool2d_forward(const Napi::CallbackInfo& info) {
  const char* fn = "adaptiveMaxPool2dForward";
  ArgReader args(info, fn, 9);
  auto x = args.float32_array(0, "x");
  auto out = args.float32_array(1, "out");
  auto indices = args.int32_array(2, "indices");
  PlaneSizes s;
  const AdaptivePool2dGeometry g = read_adaptive(args, 3, fn, &s);
  check_max_buffers(args, fn, x, out, indices, s);
  Context ctx = AddonData::of(info.Env()).context();
  adaptive_maxpool2d_forward(ctx, g, x.data, out.data, indices.data);
  return info.Env().Undefined();
}

}  // namespace

void register_pool(Napi::Env env, Napi::Object exports) {
  exports.Set("maxPool2dForward", make_function(env, "maxPool2dForward", max_pool2d_forward));
  exports.Set("maxPool2dBackward", make_function(env, "maxPool2dBackward", max_pool2d_backward));
  exports.Set("avgPool2dForward", make_function(env, "avgPool2dForward", avg_pool2d<true>));
  exports.Set("avgPool2dBackward", make_function(env, "avgPool2dBackward", avg_pool2d<false>));
  exports.Set("adaptiveAvgPool2dForward", make_function(env, "adaptiveAvgPool2dForward", adaptive_avg_pool2d<true>));
  exports.Set("adaptiveAvgPool2dBackward", make_function(env, "adaptiveAvgPool2dBackward", adaptive_avg_pool2d<false>));
  exports.Set("adaptiveMaxPool2dForward", make_function(env, "adaptiveMaxPool2dForward", adaptive_max_pool2d_forward));
}

}  // namespace dendrite::addon
