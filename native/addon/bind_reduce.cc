// Reductions family:
//   reduceSum(x, outer, len, inner, out)            x viewed as [outer, len, inner], out [outer, inner]
//   reduceMax(x, outer, len, inner, out, indices)   with the first argmax along len
//   sumAll(x) -> number   sumSquares(x) -> number   (double accumulation)
#include <cstdint>
#include <string>

#include "addon_data.h"
#include "args.h"
#include "bindings.h"
#include "reduce/reduce.h"

namespace dendrite::addon {
namespace {

struct AxisShape {
  size_t outer, len, inner, in_count, out_count;
};

AxisShape read_axis_shape(const ArgReader& args) {
  AxisShape s;
  s.outer = args.size(1, "outer");
  s.len = args.size(2, "len");
  s.inner = args.size(3, "inner");
  s.out_count = args.multiply(s.outer, s.inner, "outer x inner");
  s.in_count = args.multiply(s.out_count, s.len, "outer x len x inner");
  return s;
}

Napi::Value reduce_sum_binding(const Napi::CallbackInfo& info) {
  ArgReader args(info, "reduceSum", 5);
  auto x = args.float32_array(0, "x");
  AxisShape s = read_axis_shape(args);
  auto out = args.float32_array(4, "out");
  args.require_length(x, s.in_count, "x");
  args.require_length(out, s.out_count, "out");
  reduce_sum(AddonData::of(info.Env()).context(), x.data, s.outer, s.len, s.inner, out.data);
  return info.Env().Undefined();
}

Napi::Value reduce_max_binding(const Napi::CallbackInfo& info) {
  ArgReader args(info, "reduceMax", 6);
  auto x = args.float32_array(0, "x");
  AxisShape s = read_axis_shape(args);
  auto out = args.float32_array(4, "out");
  auto indices = args.int32_array(5, "indices");
  args.require_length(x, s.in_count, "x");
  args.require_length(out, s.out_count, "out");
  args.require_length(indices, s.out_count, "indices");
  if (s.len == 0 && s.out_count > 0) {
    args.range_error("reduceMax: argument 'len' is 0: the max of an empty axis is undefined");
  }
  if (s.len > static_cast<size_t>(INT32_MAX)) {
    args.range_error("reduceMax: argument 'len' (" + std::to_string(s.len) + ") does not fit the Int32 indices");
  }
  reduce_max(AddonData::of(info.Env()).context(), x.data, s.outer, s.len, s.inner, out.data, indices.data);
  return info.Env().Undefined();
}

Napi::Value sum_all_binding(const Napi::CallbackInfo& info) {
  ArgReader args(info, "sumAll", 1);
  auto x = args.float32_array(0, "x");
  return Napi::Number::New(info.Env(), sum_all(AddonData::of(info.Env()).context(), x.data, x.length));
}

Napi::Value sum_squares_binding(const Napi::CallbackInfo& info) {
  ArgReader args(info, "sumSquares", 1);
  auto x = args.float32_array(0, "x");
  return Napi::Number::New(info.Env(), sum_squares(AddonData::of(info.Env()).context(), x.data, x.length));
}

}  // namespace

void register_reduce(Napi::Env env, Napi::Object exports) {
  exports.Set("reduceSum", make_function(env, "reduceSum", reduce_sum_binding));
  exports.Set("reduceMax", make_function(env, "reduceMax", reduce_max_binding));
  exports.Set("sumAll", make_function(env, "sumAll", sum_all_binding));
  exports.Set("sumSquares", make_function(env, "sumSquares", sum_squares_binding));
}

}  // namespace dendrite::addon
