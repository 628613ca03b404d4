// Operation codes of the elementwise family. The numeric values are part of
// the binding contract (ts/bindings/elementwise.ts mirrors them): never
// renumber, only append.
#pragma once

namespace dendrite {

enum class BinaryOp : int { Add = 0, Sub = 1, Mul = 2, Div = 3, Pow = 4, Maximum = 5, Minimum = 6 };
constexpr int kBinaryOpCount = 7;

// x op s; RSub is s - x and RDiv is s / x.
enum class ScalarOp : int { Add = 0, Mul = 1, Pow = 2, RSub = 3, RDiv = 4, Maximum = 5, Minimum = 6 };
constexpr int kScalarOpCount = 7;

// Unary math and activations. `param` is the negative slope of LeakyRelu and
// the alpha of Elu; the other ops ignore it.
enum class UnaryOp : int {
  Neg = 0,
  Abs = 1,
  Exp = 2,
  Log = 3,
  Sqrt = 4,
  Relu = 5,
  Sigmoid = 6,
  Tanh = 7,
  LeakyRelu = 8,
  Elu = 9,
  Gelu = 10,  // x·Φ(x) with the exact normal CDF (erf form), as PyTorch's default
  Silu = 11,
  Softplus = 12,
  Sign = 13,
  Square = 14,
  Reciprocal = 15,
};
constexpr int kUnaryOpCount = 16;

// Activations live in native/kernels/activation/, the rest in elementwise/.
constexpr bool is_activation(UnaryOp op) {
  return op == UnaryOp::Relu || op == UnaryOp::Sigmoid || op == UnaryOp::Tanh || op == UnaryOp::LeakyRelu ||
         op == UnaryOp::Elu || op == UnaryOp::Gelu || op == UnaryOp::Silu || op == UnaryOp::Softplus;
}

}  // namespace dendrite
