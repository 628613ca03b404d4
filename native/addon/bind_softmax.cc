// Softmax family (along the last axis of [rows, cols]):
//   softmax(x, rows, cols, out)   logSoftmax(x, rows, cols, out)
//   softmaxBackward(y, gy, rows, cols, gx)   logSoftmaxBackward(y, gy, rows, cols, gx)
//   softmaxCrossEntropy(logits, labels, rows, cols, grad) -> Σ loss; grad = softmax - onehot
#include <string>

#include "addon_data.h"
#include "args.h"
#include "bindings.h"
#include "softmax/softmax.h"

namespace dendrite::addon {
namespace {

using ForwardKernel = void (*)(const Context&, const float*, size_t, size_t, float*);
using BackwardKernel = void (*)(const Context&, const float*, const float*, size_t, size_t, float*);

Napi::Value forward(const Napi::CallbackInfo& info, const char* name, ForwardKernel kernel) {
  ArgReader args(info, name, 4);
  auto x = args.float32_array(0, "x");
  size_t rows = args.size(1, "rows"), cols = args.size(2, "cols");
  auto out = args.float32_array(3, "out");
  size_t n = args.multiply(rows, cols, "rows x cols");
  args.require_length(x, n, "x");
  args.require_length(out, n, "out");
  kernel(AddonData::of(info.Env()).context(), x.data, rows, cols, out.data);
  return info.Env().Undefined();
}

Napi::Value backward(const Napi::CallbackInfo& info, const char* name, BackwardKernel kernel) {
  ArgReader args(info, name, 5);
  auto y = args.float32_array(0, "y");
  auto gy = args.float32_array(1, "gy");
  size_t rows = args.size(2, "rows"), cols = args.size(3, "cols");
  auto gx = args.float32_array(4, "gx");
  size_t n = args.multiply(rows, cols, "rows x cols");
  args.require_length(y, n, "y");
  args.require_length(gy, n, "gy");
  args.require_length(gx, n, "gx");
  kernel(AddonData::of(info.Env()).context(), y.data, gy.data, rows, cols, gx.data);
  return info.Env().Undefined();
}

Napi::Value softmax_binding(const Napi::CallbackInfo& info) { return forward(info, "softmax", softmax_forward); }
Napi::Value log_softmax_binding(const Napi::CallbackInfo& info) {
  return forward(info, "logSoftmax", log_softmax_forward);
}
Napi::Value softmax_backward_binding(const Napi::CallbackInfo& info) {
  return backward(info, "softmaxBackward", softmax_backward);
}
Napi::Value log_softmax_backward_binding(const Napi::CallbackInfo& info) {
  return backward(info, "logSoftmaxBackward", log_softmax_backward);
}

Napi::Value cross_entropy_binding(const Napi::CallbackInfo& info) {
  ArgReader args(info, "softmaxCrossEntropy", 5);
  auto logits = args.float32_array(0, "logits");
  auto labels = args.int32_array(1, "labels");
  size_t rows = args.size(2, "rows"), cols = args.size(3, "cols");
  auto grad = args.float32_array(4, "grad");
  size_t n = args.multiply(rows, cols, "rows x cols");
  args.require_length(logits, n, "logits");
  args.require_length(labels, rows, "labels");
  args.require_length(grad, n, "grad");
  size_t bad = first_bad_label(labels.data, rows, cols);
  if (bad < rows) {
    args.range_error("softmaxCrossEntropy: label " + std::to_string(labels.data[bad]) + " at row " +
                     std::to_string(bad) + " is outside [0, " + std::to_string(cols) + ")");
  }
  double loss = softmax_cross_entropy(AddonData::of(info.Env()).context(), logits.data, labels.data, rows, cols,
                                      grad.data);
  return Napi::Number::New(info.Env(), loss);
}

}  // namespace

void register_softmax(Napi::Env env, Napi::Object exports) {
  exports.Set("softmax", make_function(env, "softmax", softmax_binding));
  exports.Set("logSoftmax", make_function(env, "logSoftmax", log_softmax_binding));
  exports.Set("softmaxBackward", make_function(env, "softmaxBackward", softmax_backward_binding));
  exports.Set("logSoftmaxBackward", make_function(env, "logSoftmaxBackward", log_softmax_backward_binding));
  exports.Set("softmaxCrossEntropy", make_function(env, "softmaxCrossEntropy", cross_entropy_binding));
}

}  // namespace dendrite::addon
