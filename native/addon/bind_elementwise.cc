// Elementwise family:
//   binaryOp(op, a, aStrides, b, bStrides, out, outShape)   NumPy broadcasting by strides
//   scalarOp(op, x, scalar, out)   unaryOp(op, x, out, param)   clampOp(x, lo, hi, out)
//   unaryBackward(op, x, y, gy, gx, param)   fill(out, value)   axpy(alpha, x, y)
//   elementwiseOps   { binary, scalar, unary }: each op's code by its name, from
//                    the lists of native/kernels/elementwise/ops.h (TypeScript
//                    takes its codes from here, see ts/bindings/elementwise.ts)
#include <string>

#include "addon_data.h"
#include "args.h"
#include "bindings.h"
#include "elementwise/binary.h"
#include "elementwise/scalar_ops.h"
#include "elementwise/unary.h"

namespace dendrite::addon {
namespace {

// RangeError unless `array` has exactly n elements (the length of `other`).
void require_same_length(const ArgReader& args, const char* function, const ArrayArg<float>& array, size_t n,
                         const char* name, const char* other) {
  if (array.length != n) {
    args.range_error(std::string(function) + ": argument '" + name + "' must have the same length as '" + other +
                     "' (" + std::to_string(n) + "), got " + std::to_string(array.length));
  }
}

// Elements an input spans when read with `strides` over `shape` (0 if the shape is empty).
size_t strided_span(const ArgReader& args, const int64_t* shape, const int64_t* strides, int rank, const char* name) {
  size_t last = 0;
  for (int d = 0; d < rank; ++d) {
    if (shape[d] == 0) return 0;
    last += args.multiply(static_cast<size_t>(shape[d] - 1), static_cast<size_t>(strides[d]), name);
    if (last > kMaxElements) args.range_error(std::string("binaryOp: ") + name + " is too large");
  }
  return last + 1;
}

void read_dims(const ArgReader& args, const ArrayArg<int32_t>& from, int64_t* to, const char* name) {
  for (size_t d = 0; d < from.length; ++d) {
    if (from.data[d] < 0) {
      args.range_error(std::string("binaryOp: argument '") + name + "' must not hold negative values, got " +
                       std::to_string(from.data[d]) + " at " + std::to_string(d));
    }
    to[d] = from.data[d];
  }
}

Napi::Value binary_op_binding(const Napi::CallbackInfo& info) {
  ArgReader args(info, "binaryOp", 7);
  auto op = static_cast<BinaryOp>(args.integer(0, "op", 0, kBinaryOpCount - 1));
  auto a = args.float32_array(1, "a");
  auto a_strides = args.int32_array(2, "aStrides");
  auto b = args.float32_array(3, "b");
  auto b_strides = args.int32_array(4, "bStrides");
  auto out = args.float32_array(5, "out");
  auto out_shape = args.int32_array(6, "outShape");

  if (out_shape.length > static_cast<size_t>(kMaxBroadcastRank)) {
    args.range_error("binaryOp: argument 'outShape' has rank " + std::to_string(out_shape.length) +
                     "; at most " + std::to_string(kMaxBroadcastRank) + " is supported");
  }
  const int rank = static_cast<int>(out_shape.length);
  if (a_strides.length != out_shape.length || b_strides.length != out_shape.length) {
    args.range_error("binaryOp: arguments 'aStrides' and 'bStrides' must have one entry per dimension of "
                     "'outShape' (" + std::to_string(rank) + "), got " + std::to_string(a_strides.length) + " and " +
                     std::to_string(b_strides.length));
  }
  int64_t shape[kMaxBroadcastRank], sa[kMaxBroadcastRank], sb[kMaxBroadcastRank];
  read_dims(args, out_shape, shape, "outShape");
  read_dims(args, a_strides, sa, "aStrides");
  read_dims(args, b_strides, sb, "bStrides");
  size_t total = 1;
  for (int d = 0; d < rank; ++d) total = args.multiply(total, static_cast<size_t>(shape[d]), "outShape");
  args.require_length(out, total, "out");
  args.require_length(a, strided_span(args, shape, sa, rank, "a"), "a");
  args.require_length(b, strided_span(args, shape, sb, rank, "b"), "b");

  binary_op(AddonData::of(info.Env()).context(), op, a.data, sa, b.data, sb, out.data, shape, rank);
  return info.Env().Undefined();
}

Napi::Value scalar_op_binding(const Napi::CallbackInfo& info) {
  ArgReader args(info, "scalarOp", 4);
  auto op = static_cast<ScalarOp>(args.integer(0, "op", 0, kScalarOpCount - 1));
  auto x = args.float32_array(1, "x");
  float s = static_cast<float>(args.finite_number(2, "scalar"));
  auto out = args.float32_array(3, "out");
  require_same_length(args, "scalarOp", out, x.length, "out", "x");
  scalar_op(AddonData::of(info.Env()).context(), op, x.data, s, out.data, x.length);
  return info.Env().Undefined();
}

Napi::Value unary_op_binding(const Napi::CallbackInfo& info) {
  ArgReader args(info, "unaryOp", 4);
  auto op = static_cast<UnaryOp>(args.integer(0, "op", 0, kUnaryOpCount - 1));
  auto x = args.float32_array(1, "x");
  auto out = args.float32_array(2, "out");
  float param = static_cast<float>(args.finite_number(3, "param"));
  require_same_length(args, "unaryOp", out, x.length, "out", "x");
  unary_op(AddonData::of(info.Env()).context(), op, x.data, out.data, x.length, param);
  return info.Env().Undefined();
}

Napi::Value unary_backward_binding(const Napi::CallbackInfo& info) {
  ArgReader args(info, "unaryBackward", 6);
  auto op = static_cast<UnaryOp>(args.integer(0, "op", 0, kUnaryOpCount - 1));
  auto x = args.float32_array(1, "x");
  auto y = args.float32_array(2, "y");
  auto gy = args.float32_array(3, "gy");
  auto gx = args.float32_array(4, "gx");
  float param = static_cast<float>(args.finite_number(5, "param"));
  require_same_length(args, "unaryBackward", y, x.length, "y", "x");
  require_same_length(args, "unaryBackward", gy, x.length, "gy", "x");
  require_same_length(args, "unaryBackward", gx, x.length, "gx", "x");
  unary_backward(AddonData::of(info.Env()).context(), op, x.data, y.data, gy.data, gx.data, x.length, param);
  return info.Env().Undefined();
}

Napi::Value clamp_binding(const Napi::CallbackInfo& info) {
  ArgReader args(info, "clampOp", 4);
  auto x = args.float32_array(0, "x");
  float lo = static_cast<float>(args.finite_number(1, "lo"));
  float hi = static_cast<float>(args.finite_number(2, "hi"));
  auto out = args.float32_array(3, "out");
  require_same_length(args, "clampOp", out, x.length, "out", "x");
  clamp(AddonData::of(info.Env()).context(), x.data, lo, hi, out.data, x.length);
  return info.Env().Undefined();
}

Napi::Value fill_binding(const Napi::CallbackInfo& info) {
  ArgReader args(info, "fill", 2);
  auto out = args.float32_array(0, "out");
  float value = static_cast<float>(args.finite_number(1, "value"));
  fill(AddonData::of(info.Env()).context(), out.data, out.length, value);
  return info.Env().Undefined();
}

Napi::Value axpy_binding(const Napi::CallbackInfo& info) {
  ArgReader args(info, "axpy", 3);
  float alpha = static_cast<float>(args.finite_number(0, "alpha"));
  auto x = args.float32_array(1, "x");
  auto y = args.float32_array(2, "y");
  require_same_length(args, "axpy", y, x.length, "y", "x");
  axpy(AddonData::of(info.Env()).context(), alpha, x.data, y.data, x.length);
  return info.Env().Undefined();
}

// { name: code } for one op list, frozen: the codes are the addon's, not the caller's.
Napi::Object op_codes(Napi::Env env, const char* const* names, int count) {
  Napi::Object table = Napi::Object::New(env);
  for (int code = 0; code < count; ++code) table.Set(names[code], Napi::Number::New(env, code));
  table.Freeze();
  return table;
}

}  // namespace

void register_elementwise(Napi::Env env, Napi::Object exports) {
  Napi::Object ops = Napi::Object::New(env);
  ops.Set("binary", op_codes(env, kBinaryOpNames, kBinaryOpCount));
  ops.Set("scalar", op_codes(env, kScalarOpNames, kScalarOpCount));
  ops.Set("unary", op_codes(env, kUnaryOpNames, kUnaryOpCount));
  ops.Freeze();
  exports.Set("elementwiseOps", ops);
  exports.Set("binaryOp", make_function(env, "binaryOp", binary_op_binding));
  exports.Set("scalarOp", make_function(env, "scalarOp", scalar_op_binding));
  exports.Set("unaryOp", make_function(env, "unaryOp", unary_op_binding));
  exports.Set("unaryBackward", make_function(env, "unaryBackward", unary_backward_binding));
  exports.Set("clampOp", make_function(env, "clampOp", clamp_binding));
  exports.Set("fill", make_function(env, "fill", fill_binding));
  exports.Set("axpy", make_function(env, "axpy", axpy_binding));
}

}  // namespace dendrite::addon
