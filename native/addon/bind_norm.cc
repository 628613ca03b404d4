// Normalization (family `norm`). Batch norm views x as [n, c, plane]
// (NCHW: plane = h·w), layer norm as [rows, cols], local response norm as
// [n, c, plane]. Optional arrays may be null; outputs must not overlap any
// input or each other.
//   batchNormForwardTraining(x, weight, bias, n, c, plane, eps, y, mean, invstd, runningMean, runningVar, momentum)
//   batchNormForwardInference(x, runningMean, runningVar, weight, bias, n, c, plane, eps, y)
//   batchNormBackward(x, gy, mean, invstd, weight, n, c, plane, batchStats, gx, gweight, gbias)
//   layerNormForward(x, weight, bias, rows, cols, eps, y, mean, invstd)
//   layerNormBackward(x, gy, mean, invstd, weight, rows, cols, gx, gweight, gbias)
//   localResponseNormForward(x, n, c, plane, size, alpha, beta, k, y, multiplier)
//   localResponseNormBackward(x, gy, multiplier, n, c, plane, size, alpha, beta, k, gx)
#include <cstdint>
#include <initializer_list>
#include <string>

#include "addon_data.h"
#include "args.h"
#include "bindings.h"
#include "norm/batch_norm.h"
#include "norm/layer_norm.h"
#include "norm/local_response_norm.h"

namespace dendrite::addon {
namespace {

// A float array argument with the element count the call uses of it (0 when absent).
struct Buffer {
  const char* name;
  float* data = nullptr;
  size_t used = 0;
};

Buffer required(const ArgReader& args, size_t index, const char* name, size_t used) {
  ArrayArg<float> a = args.float32_array(index, name);
  args.require_length(a, used, name);
  return {name, a.data, used};
}

Buffer optional(const ArgReader& args, size_t index, const char* name, size_t used) {
  if (args.is_absent(index)) return {name, nullptr, 0};
  return required(args, index, name, used);
}

bool overlaps(const Buffer& a, const Buffer& b) {
  if (a.data == nullptr || b.data == nullptr || a.used == 0 || b.used == 0) return false;
  auto a0 = reinterpret_cast<uintptr_t>(a.data), b0 = reinterpret_cast<uintptr_t>(b.data);
  return a0 < b0 + b.used * sizeof(float) && b0 < a0 + a.used * sizeof(float);
}

// RangeError when an output shares memory with an input or with another output.
void require_separate(const ArgReader& args, const char* fn, std::initializer_list<Buffer> inputs,
                      std::initializer_list<Buffer> outputs) {
  for (auto out = outputs.begin(); out != outputs.end(); ++out) {
    for (const Buffer& in : inputs) {
      if (overlaps(*out, in)) {
        args.range_error(std::string(fn) + ": argument '" + out->name + "' overlaps argument '" + in.name + "'");
      }
    }
    for (auto other = out + 1; other != outputs.end(); ++other) {
      if (overlaps(*out, *other)) {
        args.range_error(std::string(fn) + ": arguments '" + out->name + "' and '" + other->name + "' overlap");
      }
    }
  }
}

// n, c, plane at `first`, and n·c·plane.
BatchNormShape read_shape(const ArgReader& args, size_t first, size_t* total) {
  BatchNormShape s;
  s.n = args.size(first, "n"), s.c = args.size(first + 1, "c"), s.plane = args.size(first + 2, "plane");
  *total = args.multiply(args.multiply(s.n, s.c, "n·c"), s.plane, "size n·c·plane");
  return s;
}

double read_eps(const ArgReader& args, size_t index, const char* fn) {
  const double eps = args.finite_number(index, "eps");
  if (eps < 0) args.range_error(std::string(fn) + ": argument 'eps' must be >= 0, got " + std::to_string(eps));
  return eps;
}

const float* in(const Buffer& b) { return b.data; }

Napi::Value batch_norm_forward_training_binding(const Napi::CallbackInfo& info) {
  const char* fn = "batchNormForwardTraining";
  ArgReader args(info, fn, 13);
  size_t total = 0;
  const BatchNormShape s = read_shape(args, 3, &total);
  const Buffer x = required(args, 0, "x", total);
  const Buffer weight = optional(args, 1, "weight", s.c), bias = optional(args, 2, "bias", s.c);
  const double eps = read_eps(args, 6, fn);
  const Buffer y = required(args, 7, "y", total);
  const Buffer mean = required(args, 8, "mean", s.c), invstd = required(args, 9, "invstd", s.c);
  const Buffer running_mean = optional(args, 10, "runningMean", s.c), running_var = optional(args, 11, "runningVar", s.c);
  const double momentum = args.finite_number(12, "momentum");
  if ((running_mean.data != nullptr || running_var.data != nullptr) && s.c > 0 && s.count() < 2) {
    args.range_error(std::string(fn) + ": updating the running statistics needs at least 2 values per channel (n·plane = " +
                     std::to_string(s.count()) + ") for the unbiased variance");
  }
  require_separate(args, fn, {x, weight, bias}, {y, mean, invstd, running_mean, running_var});
  batch_norm_forward_training(AddonData::of(info.Env()).context(), s, in(x), in(weight), in(bias), eps, y.data,
                              mean.data, invstd.data, running_mean.data, running_var.data, momentum);
  return info.Env().Undefined();
}

Napi::Value batch_norm_forward_inference_binding(const Napi::CallbackInfo& info) {
  const char* fn = "batchNormForwardInference";
  ArgReader args(info, fn, 10);
  size_t total = 0;
  const BatchNormShape s = read_shape(args, 5, &total);
  const Buffer x = required(args, 0, "x", total);
  const Buffer running_mean = required(args, 1, "runningMean", s.c), running_var = required(args, 2, "runningVar", s.c);
  const Buffer weight = optional(args, 3, "weight", s.c), bias = optional(args, 4, "bias", s.c);
  const double eps = read_eps(args, 8, fn);
  const Buffer y = required(args, 9, "y", total);
  require_separate(args, fn, {x, running_mean, running_var, weight, bias}, {y});
  batch_norm_forward_inference(AddonData::of(info.Env()).context(), s, in(x), in(running_mean), in(running_var),
                               in(weight), in(bias), eps, y.data);
  return info.Env().Undefined();
}

Napi::Value batch_norm_backward_binding(const Napi::CallbackInfo& info) {
  const char* fn = "batchNormBackward";
  ArgReader args(info, fn, 12);
  size_t total = 0;
  const BatchNormShape s = read_shape(args, 5, &total);
  const Buffer x = required(args, 0, "x", total), gy = required(args, 1, "gy", total);
  const Buffer mean = required(args, 2, "mean", s.c), invstd = required(args, 3, "invstd", s.c);
  const Buffer weight = optional(args, 4, "weight", s.c);
  const bool batch_stats = args.boolean(8, "batchStats");
  const Buffer gx = optional(args, 9, "gx", total);
  const Buffer gweight = optional(args, 10, "gweight", s.c), gbias = optional(args, 11, "gbias", s.c);
  require_separate(args, fn, {x, gy, mean, invstd, weight}, {gx, gweight, gbias});
  batch_norm_backward(AddonData::of(info.Env()).context(), s, in(x), in(gy), in(mean), in(invstd), in(weight),
                      batch_stats, gx.data, gweight.data, gbias.data);
  return info.Env().Undefined();
}

Napi::Value layer_norm_forward_binding(const Napi::CallbackInfo& info) {
  const char* fn = "layerNormForward";
  ArgReader args(info, fn, 9);
  const size_t rows = args.size(3, "rows"), cols = args.size(4, "cols");
  const size_t total = args.multiply(rows, cols, "size rows·cols");
  const Buffer x = required(args, 0, "x", total);
  const Buffer weight = optional(args, 1, "weight", cols), bias = optional(args, 2, "bias", cols);
  const double eps = read_eps(args, 5, fn);
  const Buffer y = required(args, 6, "y", total);
  const Buffer mean = required(args, 7, "mean", rows), invstd = required(args, 8, "invstd", rows);
  require_separate(args, fn, {x, weight, bias}, {y, mean, invstd});
  layer_norm_forward(AddonData::of(info.Env()).context(), rows, cols, in(x), in(weight), in(bias), eps, y.data,
                     mean.data, invstd.data);
  return info.Env().Undefined();
}

Napi::Value layer_norm_backward_binding(const Napi::CallbackInfo& info) {
  const char* fn = "layerNormBackward";
  ArgReader args(info, fn, 10);
  const size_t rows = args.size(5, "rows"), cols = args.size(6, "cols");
  const size_t total = args.multiply(rows, cols, "size rows·cols");
  const Buffer x = required(args, 0, "x", total), gy = required(args, 1, "gy", total);
  const Buffer mean = required(args, 2, "mean", rows), invstd = required(args, 3, "invstd", rows);
  const Buffer weight = optional(args, 4, "weight", cols);
  const Buffer gx = optional(args, 7, "gx", total);
  const Buffer gweight = optional(args, 8, "gweight", cols), gbias = optional(args, 9, "gbias", cols);
  require_separate(args, fn, {x, gy, mean, invstd, weight}, {gx, gweight, gbias});
  layer_norm_backward(AddonData::of(info.Env()).context(), rows, cols, in(x), in(gy), in(mean), in(invstd),
                      in(weight), gx.data, gweight.data, gbias.data);
  return info.Env().Undefined();
}

// size, alpha, beta, k at `first`.
LrnParams read_lrn_params(const ArgReader& args, size_t first, const char* fn) {
  LrnParams p;
  p.size = args.size(first, "size");
  if (p.size == 0) args.range_error(std::string(fn) + ": argument 'size' must be at least 1, got 0");
  p.alpha = static_cast<float>(args.finite_number(first + 1, "alpha"));
  p.beta = static_cast<float>(args.finite_number(first + 2, "beta"));
  p.k = static_cast<float>(args.finite_number(first + 3, "k"));
  return p;
}

Napi::Value local_response_norm_forward_binding(const Napi::CallbackInfo& info) {
  const char* fn = "localResponseNormForward";
  ArgReader args(info, fn, 10);
  size_t total = 0;
  const BatchNormShape s = read_shape(args, 1, &total);
  const LrnParams p = read_lrn_params(args, 4, fn);
  const Buffer x = required(args, 0, "x", total);
  const Buffer y = required(args, 8, "y", total), multiplier = required(args, 9, "multiplier", total);
  require_separate(args, fn, {x}, {y, multiplier});
  local_response_norm_forward(AddonData::of(info.Env()).context(), s.n, s.c, s.plane, p, in(x), y.data,
                              multiplier.data);
  return info.Env().Undefined();
}

Napi::Value local_response_norm_backward_binding(const Napi::CallbackInfo& info) {
  const char* fn = "localResponseNormBackward";
  ArgReader args(info, fn, 11);
  size_t total = 0;
  const BatchNormShape s = read_shape(args, 3, &total);
  const LrnParams p = read_lrn_params(args, 6, fn);
  const Buffer x = required(args, 0, "x", total), gy = required(args, 1, "gy", total);
  const Buffer multiplier = required(args, 2, "multiplier", total);
  const Buffer gx = required(args, 10, "gx", total);
  require_separate(args, fn, {x, gy, multiplier}, {gx});
  local_response_norm_backward(AddonData::of(info.Env()).context(), s.n, s.c, s.plane, p, in(x), in(gy),
                               in(multiplier), gx.data);
  return info.Env().Undefined();
}

}  // namespace

void register_norm(Napi::Env env, Napi::Object exports) {
  exports.Set("batchNormForwardTraining", make_function(env, "batchNormForwardTraining", batch_norm_forward_training_binding));
  exports.Set("batchNormForwardInference",
              make_function(env, "batchNormForwardInference", batch_norm_forward_inference_binding));
  exports.Set("batchNormBackward", make_function(env, "batchNormBackward", batch_norm_backward_binding));
  exports.Set("layerNormForward", make_function(env, "layerNormForward", layer_norm_forward_binding));
  exports.Set("layerNormBackward", make_function(env, "layerNormBackward", layer_norm_backward_binding));
  exports.Set("localResponseNormForward", make_function(env, "localResponseNormForward", local_response_norm_forward_binding));
  exports.Set("localResponseNormBackward",
              make_function(env, "localResponseNormBackward", local_response_norm_backward_binding));
}

}  // namespace dendrite::addon
