// Optimizer family: fused in-place updates (PyTorch semantics) and regularizer terms.
//   sgdUpdate(param, grad, momentumBuf|null, lr, momentum, dampening, weightDecay, nesterov, firstStep)
//   adamUpdate(param, grad, m, v, lr, beta1, beta2, eps, weightDecay, decoupled, step)
//   rmspropUpdate(param, grad, squareAvg, momentumBuf|null, gradAvg|null, lr, alpha, eps, weightDecay,
//                 momentum, centered)
//   adagradUpdate(param, grad, sum, lr, eps, weightDecay, lrDecay, step)
//   applyRegularizer(param, grad|null, l1, l2) -> l1·Σ|p| + l2·Σp²
//   maxNormRows(param, rows, cols, maxNorm)
// Every state buffer must have exactly the length of param.
#include <string>

#include "addon_data.h"
#include "args.h"
#include "bindings.h"
#include "optim/optim.h"

namespace dendrite::addon {
namespace {

constexpr int64_t kMaxStep = int64_t{1} << 53;

// Checks for one binding: its name goes into every message.
class Checks {
 public:
  Checks(const ArgReader& args, const char* function) : args_(args), function_(function) {}

  [[noreturn]] void fail(const std::string& message) const { args_.range_error(std::string(function_) + ": " + message); }

  // A Float32Array with exactly n elements (the length of param).
  float* state(size_t index, const char* name, size_t n) const {
    auto a = args_.float32_array(index, name);
    if (a.length != n) {
      fail(std::string("argument '") + name + "' must have the same length as 'param' (" + std::to_string(n) +
           "), got " + std::to_string(a.length));
    }
    return a.data;
  }

  // Whether an optional buffer was passed (null and undefined mean absent).
  // ArgReader has no optional-array reader, so only this test looks at the
  // value directly; a given buffer is then read through state().
  bool given(size_t index) const { return !args_.is_absent(index); }

  float* optional_state(size_t index, const char* name, size_t n) const {
    return given(index) ? state(index, name, n) : nullptr;
  }

  double at_least(size_t index, const char* name, double min) const {
    double v = args_.finite_number(index, name);
    if (v < min) fail(std::string("argument '") + name + "' must be >= " + std::to_string(min) + ", got " + std::to_string(v));
    return v;
  }

  // In [0, 1).
  double fraction(size_t index, const char* name) const {
    double v = at_least(index, name, 0.0);
    if (v >= 1.0) fail(std::string("argument '") + name + "' must be < 1, got " + std::to_string(v));
    return v;
  }

 private:
  const ArgReader& args_;
  const char* function_;
};

Napi::Value sgd_binding(const Napi::CallbackInfo& info) {
  ArgReader args(info, "sgdUpdate", 9);
  Checks check(args, "sgdUpdate");
  auto param = args.float32_array(0, "param");
  const size_t n = param.length;
  const float* grad = check.state(1, "grad", n);
  SgdOptions o;
  o.lr = check.at_least(3, "lr", 0.0);
  o.momentum = check.at_least(4, "momentum", 0.0);
  o.dampening = args.finite_number(5, "dampening");
  o.weight_decay = check.at_least(6, "weightDecay", 0.0);
  o.nesterov = args.boolean(7, "nesterov");
  o.first_step = args.boolean(8, "firstStep");
  float* buf = check.optional_state(2, "momentumBuf", n);
  if (o.momentum != 0.0 && !check.given(2)) check.fail("argument 'momentumBuf' is required when momentum is not 0");
  if (o.nesterov && (o.momentum <= 0.0 || o.dampening != 0.0)) {
    check.fail("Nesterov momentum requires a momentum > 0 and zero dampening");
  }
  sgd_update(AddonData::of(info.Env()).context(), param.data, grad, buf, n, o);
  return info.Env().Undefined();
}

Napi::Value adam_binding(const Napi::CallbackInfo& info) {
  ArgReader args(info, "adamUpdate", 11);
  Checks check(args, "adamUpdate");
  auto param = args.float32_array(0, "param");
  const size_t n = param.length;
  const float* grad = check.state(1, "grad", n);
  float* m = check.state(2, "m", n);
  float* v = check.state(3, "v", n);
  AdamOptions o;
  o.lr = check.at_least(4, "lr", 0.0);
  o.beta1 = check.fraction(5, "beta1");
  o.beta2 = check.fraction(6, "beta2");
  o.eps = check.at_least(7, "eps", 0.0);
  o.weight_decay = check.at_least(8, "weightDecay", 0.0);
  o.decoupled = args.boolean(9, "decoupled");
  o.step = args.integer(10, "step", 1, kMaxStep);
  adam_update(AddonData::of(info.Env()).context(), param.data, grad, m, v, n, o);
  return info.Env().Undefined();
}

Napi::Value rmsprop_binding(const Napi::CallbackInfo& info) {
  ArgReader args(info, "rmspropUpdate", 11);
  Checks check(args, "rmspropUpdate");
  auto param = args.float32_array(0, "param");
  const size_t n = param.length;
  const float* grad = check.state(1, "grad", n);
  float* square_avg = check.state(2, "squareAvg", n);
  RmspropOptions o;
  o.lr = check.at_least(5, "lr", 0.0);
  o.alpha = check.at_least(6, "alpha", 0.0);
  if (o.alpha > 1.0) check.fail("argument 'alpha' must be <= 1, got " + std::to_string(o.alpha));
  o.eps = check.at_least(7, "eps", 0.0);
  o.weight_decay = check.at_least(8, "weightDecay", 0.0);
  o.momentum = check.at_least(9, "momentum", 0.0);
  o.centered = args.boolean(10, "centered");
  float* buf = check.optional_state(3, "momentumBuf", n);
  float* grad_avg = check.optional_state(4, "gradAvg", n);
  if (o.momentum > 0.0 && !check.given(3)) check.fail("argument 'momentumBuf' is required when momentum > 0");
  if (o.centered && !check.given(4)) check.fail("argument 'gradAvg' is required when centered is true");
  rmsprop_update(AddonData::of(info.Env()).context(), param.data, grad, square_avg, buf, grad_avg, n, o);
  return info.Env().Undefined();
}

Napi::Value adagrad_binding(const Napi::CallbackInfo& info) {
  ArgReader args(info, "adagradUpdate", 8);
  Checks check(args, "adagradUpdate");
  auto param = args.float32_array(0, "param");
  const size_t n = param.length;
  const float* grad = check.state(1, "grad", n);
  float* sum = check.state(2, "sum", n);
  AdagradOptions o;
  o.lr = check.at_least(3, "lr", 0.0);
  o.eps = check.at_least(4, "eps", 0.0);
  o.weight_decay = check.at_least(5, "weightDecay", 0.0);
  o.lr_decay = check.at_least(6, "lrDecay", 0.0);
  o.step = args.integer(7, "step", 1, kMaxStep);
  adagrad_update(AddonData::of(info.Env()).context(), param.data, grad, sum, n, o);
  return info.Env().Undefined();
}

Napi::Value regularizer_binding(const Napi::CallbackInfo& info) {
  ArgReader args(info, "applyRegularizer", 4);
  Checks check(args, "applyRegularizer");
  auto param = args.float32_array(0, "param");
  float* grad = check.optional_state(1, "grad", param.length);
  double l1 = check.at_least(2, "l1", 0.0);
  double l2 = check.at_least(3, "l2", 0.0);
  double penalty = apply_regularizer(AddonData::of(info.Env()).context(), param.data, grad, param.length, l1, l2);
  return Napi::Number::New(info.Env(), penalty);
}

Napi::Value max_norm_binding(const Napi::CallbackInfo& info) {
  ArgReader args(info, "maxNormRows", 4);
  Checks check(args, "maxNormRows");
  auto param = args.float32_array(0, "param");
  size_t rows = args.size(1, "rows"), cols = args.size(2, "cols");
  double max_norm = check.at_least(3, "maxNorm", 0.0);
  args.require_length(param, args.multiply(rows, cols, "rows x cols"), "param");
  max_norm_rows(AddonData::of(info.Env()).context(), param.data, rows, cols, max_norm);
  return info.Env().Undefined();
}

}  // namespace

void register_optim(Napi::Env env, Napi::Object exports) {
  exports.Set("sgdUpdate", make_function(env, "sgdUpdate", sgd_binding));
  exports.Set("adamUpdate", make_function(env, "adamUpdate", adam_binding));
  exports.Set("rmspropUpdate", make_function(env, "rmspropUpdate", rmsprop_binding));
  exports.Set("adagradUpdate", make_function(env, "adagradUpdate", adagrad_binding));
  exports.Set("applyRegularizer", make_function(env, "applyRegularizer", regularizer_binding));
  exports.Set("maxNormRows", make_function(env, "maxNormRows", max_norm_binding));
}

}  // namespace dendrite::addon
