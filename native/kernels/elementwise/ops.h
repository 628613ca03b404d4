// The ops of the elementwise family, each list written once. The enums, the
// op counts, the names the addon exports (native().elementwiseOps, from which
// TypeScript takes the codes) and the dispatch switches of op_dispatch.h are
// all expanded from these lists; the math of each op stays hand-written per
// ISA, and a kernel file missing an op of its list fails to compile.
//
// A code is the op's position in its list. Codes are never stored (files name
// layers, not ops) and TypeScript looks them up by name, so a new op may go
// anywhere in its list.
//
// Adding a unary op: one X line below, its forward/backward math in each ISA's
// kernel file of its home (scalar, AVX2, NEON), its name in
// ts/bindings/elementwise.ts, and a reference case in the kernel tests.
#pragma once

namespace dendrite {

// X(Enumerator, "name")
#define DENDRITE_BINARY_OPS(X) \
  X(Add, "add")                \
  X(Sub, "sub")                \
  X(Mul, "mul")                \
  X(Div, "div")                \
  X(Pow, "pow")                \
  X(Maximum, "maximum")        \
  X(Minimum, "minimum")

// x op s; RSub is s - x and RDiv is s / x. X(Enumerator, "name")
#define DENDRITE_SCALAR_OPS(X) \
  X(Add, "add")                \
  X(Mul, "mul")                \
  X(Pow, "pow")                \
  X(RSub, "rsub")              \
  X(RDiv, "rdiv")              \
  X(Maximum, "maximum")        \
  X(Minimum, "minimum")

// Unary math and activations: X(Enumerator, "name", home, cost).
//   home: Math (kernels in elementwise/unary_math_<isa>.cc) or Activation
//         (activation/activation_<isa>.cc).
//   cost: Cheap (memory-bound: threads pay off only on long spans) or Costly
//         (evaluates exp, log, erf or a division per element).
// `param` is the negative slope of LeakyRelu and the alpha of Elu; the other
// ops ignore it. Gelu is x·Φ(x) with the exact normal CDF (erf form), as
// PyTorch's default.
#define DENDRITE_UNARY_OPS(X)                     \
  X(Neg, "neg", Math, Cheap)                      \
  X(Abs, "abs", Math, Cheap)                      \
  X(Exp, "exp", Math, Costly)                     \
  X(Log, "log", Math, Costly)                     \
  X(Sqrt, "sqrt", Math, Costly)                   \
  X(Relu, "relu", Activation, Cheap)              \
  X(Sigmoid, "sigmoid", Activation, Costly)       \
  X(Tanh, "tanh", Activation, Costly)             \
  X(LeakyRelu, "leakyRelu", Activation, Cheap)    \
  X(Elu, "elu", Activation, Costly)               \
  X(Gelu, "gelu", Activation, Costly)             \
  X(Silu, "silu", Activation, Costly)             \
  X(Softplus, "softplus", Activation, Costly)     \
  X(Sign, "sign", Math, Cheap)                    \
  X(Square, "square", Math, Cheap)                \
  X(Reciprocal, "reciprocal", Math, Costly)

// Expansion helpers for the lists above.
#define DENDRITE_OP_ENUMERATOR(Op, ...) Op,
#define DENDRITE_OP_NAME(Op, name, ...) name,
#define DENDRITE_OP_PLUS_ONE(...) +1

enum class BinaryOp : int { DENDRITE_BINARY_OPS(DENDRITE_OP_ENUMERATOR) };
constexpr int kBinaryOpCount = 0 DENDRITE_BINARY_OPS(DENDRITE_OP_PLUS_ONE);
constexpr const char* kBinaryOpNames[] = {DENDRITE_BINARY_OPS(DENDRITE_OP_NAME)};

enum class ScalarOp : int { DENDRITE_SCALAR_OPS(DENDRITE_OP_ENUMERATOR) };
constexpr int kScalarOpCount = 0 DENDRITE_SCALAR_OPS(DENDRITE_OP_PLUS_ONE);
constexpr const char* kScalarOpNames[] = {DENDRITE_SCALAR_OPS(DENDRITE_OP_NAME)};

enum class UnaryOp : int { DENDRITE_UNARY_OPS(DENDRITE_OP_ENUMERATOR) };
constexpr int kUnaryOpCount = 0 DENDRITE_UNARY_OPS(DENDRITE_OP_PLUS_ONE);
constexpr const char* kUnaryOpNames[] = {DENDRITE_UNARY_OPS(DENDRITE_OP_NAME)};

// Which directory holds a unary op's kernels.
enum class UnaryHome { Math, Activation };
// Whether a unary op streams memory (Cheap) or computes per element (Costly).
enum class UnaryCost { Cheap, Costly };

constexpr UnaryHome home_of(UnaryOp op) {
  switch (op) {
#define DENDRITE_UNARY_HOME(Op, name, home, cost) \
  case UnaryOp::Op:                               \
    return UnaryHome::home;
    DENDRITE_UNARY_OPS(DENDRITE_UNARY_HOME)
#undef DENDRITE_UNARY_HOME
  }
  return UnaryHome::Math;
}

constexpr UnaryCost cost_of(UnaryOp op) {
  switch (op) {
#define DENDRITE_UNARY_COST(Op, name, home, cost) \
  case UnaryOp::Op:                               \
    return UnaryCost::cost;
    DENDRITE_UNARY_OPS(DENDRITE_UNARY_COST)
#undef DENDRITE_UNARY_COST
  }
  return UnaryCost::Costly;
}

// Activations live in native/kernels/activation/, the rest in elementwise/.
constexpr bool is_activation(UnaryOp op) { return home_of(op) == UnaryHome::Activation; }

}  // namespace dendrite
