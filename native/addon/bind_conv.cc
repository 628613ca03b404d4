// 2-D convolution (family `conv`), NCHW input, OIHW weight, groups = 1:
//   conv2dForward(x, w, bias | null, out, n, c, h, w_, o, kh, kw,
//                 strideH, strideW, padH, padW, dilationH, dilationW)
//   conv2dBackward(x, w, gy, gx | null, gw | null, gb | null, <the same 13 numbers>)
// out/gy are [n, o, oh, ow] with oh = floor((h + 2padH − dilationH(kh − 1) − 1)/strideH) + 1.
#include <cstdint>
#include <optional>
#include <string>

#include "addon_data.h"
#include "args.h"
#include "bindings.h"
#include "conv/conv2d.h"

namespace dendrite::addon {
namespace {

// A Float32Array, or nothing when the argument is null or undefined.
std::optional<ArrayArg<float>> optional_float32(const ArgReader& args, size_t index, const char* name) {
  if (args.is_absent(index)) return std::nullopt;
  return args.float32_array(index, name);
}

bool overlaps(const float* a, size_t a_len, const float* b, size_t b_len) {
  return a_len > 0 && b_len > 0 && a < b + b_len && b < a + a_len;
}

// Reads the 13 geometry numbers starting at `first` and checks that the
// output is at least 1×1, naming the arguments when it is not.
Conv2dGeometry read_geometry(const ArgReader& args, size_t first, const char* fn) {
  static const char* const names[13] = {"n",       "c",       "h",    "w_",   "o",         "kh",       "kw",
                                        "strideH", "strideW", "padH", "padW", "dilationH", "dilationW"};
  size_t v[13];
  for (size_t i = 0; i < 13; ++i) v[i] = args.size(first + i, names[i]);
  for (size_t i : {5, 6, 7, 8, 11, 12}) {
    if (v[i] == 0) args.range_error(std::string(fn) + ": argument '" + names[i] + "' must be at least 1, got 0");
  }
  Conv2dGeometry g;
  g.n = v[0], g.c = v[1], g.h = v[2], g.w = v[3], g.o = v[4], g.kh = v[5], g.kw = v[6];
  g.stride_h = v[7], g.stride_w = v[8], g.pad_h = v[9], g.pad_w = v[10], g.dilation_h = v[11], g.dilation_w = v[12];
  if (!conv_output_extent(g.h, g.kh, g.stride_h, g.pad_h, g.dilation_h, &g.oh)) {
    args.range_error(std::string(fn) + ": output height would be < 1: the dilated kernel (dilationH·(kh−1)+1 = " +
                     std::to_string(g.dilation_h) + "·" + std::to_string(g.kh - 1) + "+1) is taller than the padded input (h + 2·padH = " +
                     std::to_string(g.h) + " + 2·" + std::to_string(g.pad_h) + ")");
  }
  if (!conv_output_extent(g.w, g.kw, g.stride_w, g.pad_w, g.dilation_w, &g.ow)) {
    args.range_error(std::string(fn) + ": output width would be < 1: the dilated kernel (dilationW·(kw−1)+1 = " +
                     std::to_string(g.dilation_w) + "·" + std::to_string(g.kw - 1) + "+1) is wider than the padded input (w_ + 2·padW = " +
                     std::to_string(g.w) + " + 2·" + std::to_string(g.pad_w) + ")");
  }
  return g;
}

struct ConvSizes {
  size_t input, weight, output;
};

// Element counts of x, w and out; RangeError when any overflows.
ConvSizes conv_sizes(const ArgReader& args, const Conv2dGeometry& g) {
  ConvSizes s;
  s.input = args.multiply(args.multiply(args.multiply(g.n, g.c, "n·c"), g.h, "n·c·h"), g.w, "input size n·c·h·w_");
  size_t patch = args.multiply(args.multiply(g.c, g.kh, "c·kh"), g.kw, "patch size c·kh·kw");
  s.weight = args.multiply(g.o, patch, "weight size o·c·kh·kw");
  s.output = args.multiply(args.multiply(args.multiply(g.n, g.o, "n·o"), g.oh, "n·o·oh"), g.ow,
                           "output size n·o·oh·ow");
  return s;
}

Napi::Value conv2d_forward_binding(const Napi::CallbackInfo& info) {
  const char* fn = "conv2dForward";
  ArgReader args(info, fn, 17);
  auto x = args.float32_array(0, "x");
  auto w = args.float32_array(1, "w");
  auto bias = optional_float32(args, 2, "bias");
  auto out = args.float32_array(3, "out");
  Conv2dGeometry g = read_geometry(args, 4, fn);
  ConvSizes s = conv_sizes(args, g);
  args.require_length(x, s.input, "x");
  args.require_length(w, s.weight, "w");
  if (bias) args.require_length(*bias, g.o, "bias");
  args.require_length(out, s.output, "out");
  if (overlaps(out.data, s.output, x.data, s.input) || overlaps(out.data, s.output, w.data, s.weight) ||
      (bias && overlaps(out.data, s.output, bias->data, g.o))) {
    args.range_error(std::string(fn) + ": argument 'out' overlaps an input");
  }
  AddonData& data = AddonData::of(info.Env());
  Context ctx = data.context();
  conv2d_forward(ctx, g, x.data, w.data, bias ? bias->data : nullptr, out.data);
  data.report_external_memory(info.Env());
  return info.Env().Undefined();
}

Napi::Value conv2d_backward_binding(const Napi::CallbackInfo& info) {
  const char* fn = "conv2dBackward";
  ArgReader args(info, fn, 19);
  auto x = args.float32_array(0, "x");
  auto w = args.float32_array(1, "w");
  auto gy = args.float32_array(2, "gy");
  auto gx = optional_float32(args, 3, "gx");
  auto gw = optional_float32(args, 4, "gw");
  auto gb = optional_float32(args, 5, "gb");
  Conv2dGeometry g = read_geometry(args, 6, fn);
  ConvSizes s = conv_sizes(args, g);
  args.require_length(x, s.input, "x");
  args.require_length(w, s.weight, "w");
  args.require_length(gy, s.output, "gy");
  if (gx) args.require_length(*gx, s.input, "gx");
  if (gw) args.require_length(*gw, s.weight, "gw");
  if (gb) args.require_length(*gb, g.o, "gb");
  // Each gradient must be separate from every input and from the others.
  struct Span {
    const float* data;
    size_t len;
    const char* name;
  };
  const Span inputs[3] = {{x.data, s.input, "x"}, {w.data, s.weight, "w"}, {gy.data, s.output, "gy"}};
  const Span outputs[3] = {{gx ? gx->data : nullptr, gx ? s.input : 0, "gx"},
                           {gw ? gw->data : nullptr, gw ? s.weight : 0, "gw"},
                           {gb ? gb->data : nullptr, gb ? g.o : 0, "gb"}};
  for (size_t i = 0; i < 3; ++i) {
    for (const Span& in : inputs) {
      if (overlaps(outputs[i].data, outputs[i].len, in.data, in.len)) {
        args.range_error(std::string(fn) + ": argument '" + outputs[i].name + "' overlaps argument '" + in.name + "'");
      }
    }
    for (size_t j = i + 1; j < 3; ++j) {
      if (overlaps(outputs[i].data, outputs[i].len, outputs[j].data, outputs[j].len)) {
        args.range_error(std::string(fn) + ": arguments '" + outputs[i].name + "' and '" + outputs[j].name + "' overlap");
      }
    }
  }
  AddonData& data = AddonData::of(info.Env());
  Context ctx = data.context();
  conv2d_backward(ctx, g, x.data, w.data, gy.data, gx ? gx->data : nullptr, gw ? gw->data : nullptr,
                  gb ? gb->data : nullptr);
  data.report_external_memory(info.Env());
  return info.Env().Undefined();
}

}  // namespace

void register_conv(Napi::Env env, Napi::Object exports) {
  exports.Set("conv2dForward", make_function(env, "conv2dForward", conv2d_forward_binding));
  exports.Set("conv2dBackward", make_function(env, "conv2dBackward", conv2d_backward_binding));
}

}  // namespace dendrite::addon
