// 2-D convolution (family `conv`), NCHW input, OIHW weight [o, c/groups, kh, kw]:
//   conv2dForward(x, w, bias | null, out, n, c, h, w_, o, kh, kw,
//                 strideH, strideW, padH, padW, dilationH, dilationW[, groups])
//   conv2dBackward(x, w, gy, gx | null, gw | null, gb | null, <the same 13 or 14 numbers>)
// out/gy are [n, o, oh, ow] with oh = floor((h + 2padH − dilationH(kh − 1) − 1)/strideH) + 1;
// groups (default 1) must divide c and o.
#include <cstdint>
#include <string>
#include <utility>

#include "addon_data.h"
#include "args.h"
#include "bindings.h"
#include "conv/conv2d.h"
#include "conv_args.h"

namespace dendrite::addon {
namespace {

// Reads the 13 geometry numbers starting at `first` and the optional groups
// after them, and checks that the groups divide the channels and that the
// output is at least 1×1, naming the arguments when they do not.
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
  g.groups = args.is_absent(first + 13) ? 1 : args.size(first + 13, "groups");
  if (g.groups == 0) args.range_error(std::string(fn) + ": argument 'groups' must be at least 1, got 0");
  for (auto [count, name] : {std::pair<size_t, const char*>{g.c, "input channels c"}, {g.o, "output channels o"}}) {
    if (count % g.groups != 0) {
      args.range_error(std::string(fn) + ": argument 'groups' (" + std::to_string(g.groups) + ") must divide the " +
                       name + " (" + std::to_string(count) + ")");
    }
  }
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

// The buffer sizes of geometry g: x [n,c,h,w], w [o,c/groups,kh,kw], out/gy [n,o,oh,ow], bias [o].
BufferSizes buffer_sizes(const ArgReader& args, const Conv2dGeometry& g) {
  const ConvSizes s = conv_sizes(args, g);
  return {s.input, s.weight, s.output, g.o};
}

Napi::Value conv2d_forward_binding(const Napi::CallbackInfo& info) {
  const char* fn = "conv2dForward";
  ArgReader args(info, fn, 17);
  const Conv2dGeometry g = read_geometry(args, 4, fn);
  const ForwardBuffers b = read_forward_buffers(args, fn, "out", buffer_sizes(args, g));
  AddonData& data = AddonData::of(info.Env());
  Context ctx = data.context();
  conv2d_forward(ctx, g, b.x, b.w, b.bias, b.y);
  data.report_external_memory(info.Env());
  return info.Env().Undefined();
}

Napi::Value conv2d_backward_binding(const Napi::CallbackInfo& info) {
  const char* fn = "conv2dBackward";
  ArgReader args(info, fn, 19);
  const Conv2dGeometry g = read_geometry(args, 6, fn);
  const BackwardBuffers b = read_backward_buffers(args, fn, buffer_sizes(args, g));
  AddonData& data = AddonData::of(info.Env());
  Context ctx = data.context();
  conv2d_backward(ctx, g, b.x, b.w, b.gy, b.gx, b.gw, b.gb);
  data.report_external_memory(info.Env());
  return info.Env().Undefined();
}

}  // namespace

void register_conv(Napi::Env env, Napi::Object exports) {
  exports.Set("conv2dForward", make_function(env, "conv2dForward", conv2d_forward_binding));
  exports.Set("conv2dBackward", make_function(env, "conv2dBackward", conv2d_backward_binding));
  register_conv_transpose(env, exports);
}

}  // namespace dendrite::addon
