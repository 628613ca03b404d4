// Turns a run-time op code into the compile-time template argument of a
// kernel, with the switches expanded from the op lists of ops.h. Every ISA's
// translation unit passes its own Entry type, whose
// `template <Op> R make() const` names that ISA's instantiation; a code
// outside the list (or, for unary ops, of another home) gives R{} (no kernel).
#pragma once

#include "elementwise/ops.h"

namespace dendrite {

// For the last branch of a kernel's `if constexpr` chain over ops:
// `else static_assert(kNoKernelFor<Op>, "...")` turns an op added to a list
// but not to that kernel into a compile error naming the file.
template <auto Op>
inline constexpr bool kNoKernelFor = false;

template <class Entry>
auto select_binary(BinaryOp op, const Entry& entry) -> decltype(entry.template make<BinaryOp{}>()) {
  switch (op) {
#define DENDRITE_BINARY_CASE(Op, name) \
  case BinaryOp::Op:                   \
    return entry.template make<BinaryOp::Op>();
    DENDRITE_BINARY_OPS(DENDRITE_BINARY_CASE)
#undef DENDRITE_BINARY_CASE
  }
  return {};
}

template <class Entry>
auto select_scalar(ScalarOp op, const Entry& entry) -> decltype(entry.template make<ScalarOp{}>()) {
  switch (op) {
#define DENDRITE_SCALAR_CASE(Op, name) \
  case ScalarOp::Op:                   \
    return entry.template make<ScalarOp::Op>();
    DENDRITE_SCALAR_OPS(DENDRITE_SCALAR_CASE)
#undef DENDRITE_SCALAR_CASE
  }
  return {};
}

// Only the ops whose home is `Home` are instantiated, so each kernel file
// defines the math of its own ops and no other.
template <UnaryHome Home, class Entry>
auto select_unary(UnaryOp op, const Entry& entry) -> decltype(entry.template make<UnaryOp{}>()) {
  switch (op) {
#define DENDRITE_UNARY_CASE(Op, name, home, cost)                                    \
  case UnaryOp::Op:                                                                  \
    if constexpr (UnaryHome::home == Home) return entry.template make<UnaryOp::Op>(); \
    break;
    DENDRITE_UNARY_OPS(DENDRITE_UNARY_CASE)
#undef DENDRITE_UNARY_CASE
  }
  return {};
}

}  // namespace dendrite
