// 2-D transposed convolution (family `conv`), NCHW input x [n, inChannels, h, w_],
// weight [inChannels, outChannels/groups, kh, kw] as PyTorch's:
//   convTranspose2dForward(x, w, bias | null, y, n, inChannels, h, w_, outChannels, kh, kw,
//                          strideH, strideW, padH, padW, outputPaddingH, outputPaddingW,
//                          dilationH, dilationW, groups)
//   convTranspose2dBackward(x, w, gy, gx | null, gw | null, gb | null, <the same 16 numbers>)
// y/gy are [n, outChannels, oh, ow] with
// oh = (h − 1)·strideH − 2·padH + dilationH·(kh − 1) + outputPaddingH + 1 (likewise ow);
// outputPadding must be smaller than the stride or the dilation.
#include <string>

#include "addon_data.h"
#include "args.h"
#include "conv/conv_transpose2d.h"
#include "conv_args.h"

namespace dendrite::addon {
namespace {

// Reads the 16 shape numbers starting at `first`; RangeError naming what is
// wrong when the shape has no transposed convolution.
Conv2dGeometry read_transposed(const ArgReader& args, size_t first, const char* fn) {
  static const char* const names[16] = {"n",       "inChannels",     "h",              "w_",
                                        "outChannels", "kh",         "kw",             "strideH",
                                        "strideW", "padH",           "padW",           "outputPaddingH",
                                        "outputPaddingW", "dilationH", "dilationW",    "groups"};
  size_t v[16];
  for (size_t i = 0; i < 16; ++i) v[i] = args.size(first + i, names[i]);
  for (size_t i : {2, 3, 5, 6, 7, 8, 13, 14, 15}) {
    if (v[i] == 0) args.range_error(std::string(fn) + ": argument '" + names[i] + "' must be at least 1, got 0");
  }
  ConvTranspose2dShape s;
  s.n = v[0], s.in = v[1], s.h = v[2], s.w = v[3], s.out = v[4], s.kh = v[5], s.kw = v[6];
  s.stride_h = v[7], s.stride_w = v[8], s.pad_h = v[9], s.pad_w = v[10];
  s.output_padding_h = v[11], s.output_padding_w = v[12], s.dilation_h = v[13], s.dilation_w = v[14];
  s.groups = v[15];
  if (const char* problem = conv_transpose2d_problem(s)) {
    args.range_error(std::string(fn) + ": " + problem + " (inChannels " + std::to_string(s.in) + ", outChannels " +
                     std::to_string(s.out) + ", groups " + std::to_string(s.groups) + ", outputPadding [" +
                     std::to_string(s.output_padding_h) + ", " + std::to_string(s.output_padding_w) + "], stride [" +
                     std::to_string(s.stride_h) + ", " + std::to_string(s.stride_w) + "], dilation [" +
                     std::to_string(s.dilation_h) + ", " + std::to_string(s.dilation_w) + "])");
  }
  return conv_transpose2d_geometry(s);
}

// The buffer sizes: the transposed input x is the convolution's output, its
// output y the convolution's input, its bias one per output channel (g.c).
BufferSizes transposed_sizes(const ArgReader& args, const Conv2dGeometry& g) {
  const ConvSizes s = conv_sizes(args, g);
  return {s.output, s.weight, s.input, g.c};
}

Napi::Value conv_transpose2d_forward_binding(const Napi::CallbackInfo& info) {
  const char* fn = "convTranspose2dForward";
  ArgReader args(info, fn, 20);
  const Conv2dGeometry g = read_transposed(args, 4, fn);
  const ForwardBuffers b = read_forward_buffers(args, fn, "y", transposed_sizes(args, g));
  AddonData& data = AddonData::of(info.Env());
  Context ctx = data.context();
  conv_transpose2d_forward(ctx, g, b.x, b.w, b.bias, b.y);
  data.report_external_memory(info.Env());
  return info.Env().Undefined();
}

Napi::Value conv_transpose2d_backward_binding(const Napi::CallbackInfo& info) {
  const char* fn = "convTranspose2dBackward";
  ArgReader args(info, fn, 22);
  const Conv2dGeometry g = read_transposed(args, 6, fn);
  const BackwardBuffers b = read_backward_buffers(args, fn, transposed_sizes(args, g));
  AddonData& data = AddonData::of(info.Env());
  Context ctx = data.context();
  conv_transpose2d_backward(ctx, g, b.x, b.w, b.gy, b.gx, b.gw, b.gb);
  data.report_external_memory(info.Env());
  return info.Env().Undefined();
}

}  // namespace

void register_conv_transpose(Napi::Env env, Napi::Object exports) {
  exports.Set("convTranspose2dForward",
              make_function(env, "convTranspose2dForward", conv_transpose2d_forward_binding));
  exports.Set("convTranspose2dBackward",
              make_function(env, "convTranspose2dBackward", conv_transpose2d_backward_binding));
}

}  // namespace dendrite::addon
