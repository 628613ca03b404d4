// Argument helpers shared by the convolution bindings (bind_conv.cc,
// bind_conv_transpose.cc): the element counts of a geometry, and reading a
// forward or backward binding's buffers with their lengths checked and
// outputs that overlap nothing.
#pragma once

#include <napi.h>

#include <cstddef>
#include <optional>
#include <string>

#include "args.h"
#include "conv/conv2d_geometry.h"

namespace dendrite::addon {

// A Float32Array, or nothing when the argument is null or undefined.
inline std::optional<ArrayArg<float>> optional_float32(const ArgReader& args, size_t index, const char* name) {
  if (args.is_absent(index)) return std::nullopt;
  return args.float32_array(index, name);
}

inline bool overlaps(const float* a, size_t a_len, const float* b, size_t b_len) {
  return a_len > 0 && b_len > 0 && a < b + b_len && b < a + a_len;
}

struct ConvSizes {
  size_t input, weight, output;
};

// Element counts of the convolution's x [n,c,h,w], w [o,c/groups,kh,kw] and
// out [n,o,oh,ow] (g's groups must divide c); RangeError when any overflows.
inline ConvSizes conv_sizes(const ArgReader& args, const Conv2dGeometry& g) {
  ConvSizes s;
  s.input = args.multiply(args.multiply(args.multiply(g.n, g.c, "n·c"), g.h, "n·c·h"), g.w, "input size n·c·h·w_");
  size_t patch = args.multiply(args.multiply(g.group_channels(), g.kh, "c/groups·kh"), g.kw, "patch size c/groups·kh·kw");
  s.weight = args.multiply(g.o, patch, "weight size o·c/groups·kh·kw");
  s.output = args.multiply(args.multiply(args.multiply(g.n, g.o, "n·o"), g.oh, "n·o·oh"), g.ow,
                           "output size n·o·oh·ow");
  return s;
}

// Element counts a binding's buffers must hold: the input x, the weight w,
// the output (and its gradient gy) and the bias (and its gradient gb).
struct BufferSizes {
  size_t x, weight, y, bias;
};

// A buffer argument and its extent, for the overlap checks.
struct Span {
  const float* data;
  size_t len;
  const char* name;
};

// RangeError unless each output is separate from every input and from the
// other outputs (absent outputs have len 0).
template <size_t Inputs, size_t Outputs>
void require_separate(const ArgReader& args, const char* fn, const Span (&inputs)[Inputs], const Span (&outputs)[Outputs]) {
  for (size_t i = 0; i < Outputs; ++i) {
    for (const Span& in : inputs) {
      if (overlaps(outputs[i].data, outputs[i].len, in.data, in.len)) {
        args.range_error(std::string(fn) + ": argument '" + outputs[i].name + "' overlaps argument '" + in.name + "'");
      }
    }
    for (size_t j = i + 1; j < Outputs; ++j) {
      if (overlaps(outputs[i].data, outputs[i].len, outputs[j].data, outputs[j].len)) {
        args.range_error(std::string(fn) + ": arguments '" + outputs[i].name + "' and '" + outputs[j].name + "' overlap");
      }
    }
  }
}

struct ForwardBuffers {
  const float* x;
  const float* w;
  const float* bias;  // nullptr when the argument is null
  float* y;
};

// Arguments 0-3 of a forward binding: x, w, bias | null and the output (named
// y_name), their lengths checked against `s` and the output against overlap.
inline ForwardBuffers read_forward_buffers(const ArgReader& args, const char* fn, const char* y_name,
                                           const BufferSizes& s) {
  auto x = args.float32_array(0, "x");
  auto w = args.float32_array(1, "w");
  auto bias = optional_float32(args, 2, "bias");
  auto y = args.float32_array(3, y_name);
  args.require_length(x, s.x, "x");
  args.require_length(w, s.weight, "w");
  if (bias) args.require_length(*bias, s.bias, "bias");
  args.require_length(y, s.y, y_name);
  const Span inputs[3] = {{x.data, s.x, "x"}, {w.data, s.weight, "w"}, {bias ? bias->data : nullptr, bias ? s.bias : 0, "bias"}};
  const Span outputs[1] = {{y.data, s.y, y_name}};
  require_separate(args, fn, inputs, outputs);
  return {x.data, w.data, bias ? bias->data : nullptr, y.data};
}

struct BackwardBuffers {
  const float* x;
  const float* w;
  const float* gy;
  float* gx;  // each gradient nullptr when its argument is null (not wanted)
  float* gw;
  float* gb;
};

// Arguments 0-5 of a backward binding: x, w, gy and gx | null, gw | null,
// gb | null, their lengths checked against `s`, and each gradient separate
// from every input and from the other gradients.
inline BackwardBuffers read_backward_buffers(const ArgReader& args, const char* fn, const BufferSizes& s) {
  auto x = args.float32_array(0, "x");
  auto w = args.float32_array(1, "w");
  auto gy = args.float32_array(2, "gy");
  auto gx = optional_float32(args, 3, "gx");
  auto gw = optional_float32(args, 4, "gw");
  auto gb = optional_float32(args, 5, "gb");
  args.require_length(x, s.x, "x");
  args.require_length(w, s.weight, "w");
  args.require_length(gy, s.y, "gy");
  if (gx) args.require_length(*gx, s.x, "gx");
  if (gw) args.require_length(*gw, s.weight, "gw");
  if (gb) args.require_length(*gb, s.bias, "gb");
  const Span inputs[3] = {{x.data, s.x, "x"}, {w.data, s.weight, "w"}, {gy.data, s.y, "gy"}};
  const Span outputs[3] = {{gx ? gx->data : nullptr, gx ? s.x : 0, "gx"},
                           {gw ? gw->data : nullptr, gw ? s.weight : 0, "gw"},
                           {gb ? gb->data : nullptr, gb ? s.bias : 0, "gb"}};
  require_separate(args, fn, inputs, outputs);
  return {x.data, w.data, gy.data, gx ? gx->data : nullptr, gw ? gw->data : nullptr, gb ? gb->data : nullptr};
}

// The transposed convolution's bindings (bind_conv_transpose.cc), registered
// with the convolution's.
void register_conv_transpose(Napi::Env env, Napi::Object exports);

}  // namespace dendrite::addon
