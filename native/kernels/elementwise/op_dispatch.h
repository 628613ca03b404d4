// Turns a run-time op code into the compile-time template argument of a
// kernel, with each op list written once. Every ISA's translation unit passes
// its own Entry type, whose `template <Op> R make() const` names that ISA's
// instantiation; an op outside the list gives R{} (no kernel).
#pragma once

#include "elementwise/ops.h"

namespace dendrite {

template <class Entry>
auto select_activation(UnaryOp op, const Entry& entry) -> decltype(entry.template make<UnaryOp::Relu>()) {
  switch (op) {
    case UnaryOp::Relu: return entry.template make<UnaryOp::Relu>();
    case UnaryOp::Sigmoid: return entry.template make<UnaryOp::Sigmoid>();
    case UnaryOp::Tanh: return entry.template make<UnaryOp::Tanh>();
    case UnaryOp::LeakyRelu: return entry.template make<UnaryOp::LeakyRelu>();
    case UnaryOp::Elu: return entry.template make<UnaryOp::Elu>();
    case UnaryOp::Gelu: return entry.template make<UnaryOp::Gelu>();
    case UnaryOp::Silu: return entry.template make<UnaryOp::Silu>();
    case UnaryOp::Softplus: return entry.template make<UnaryOp::Softplus>();
    default: return {};
  }
}

template <class Entry>
auto select_math_unary(UnaryOp op, const Entry& entry) -> decltype(entry.template make<UnaryOp::Neg>()) {
  switch (op) {
    case UnaryOp::Neg: return entry.template make<UnaryOp::Neg>();
    case UnaryOp::Abs: return entry.template make<UnaryOp::Abs>();
    case UnaryOp::Exp: return entry.template make<UnaryOp::Exp>();
    case UnaryOp::Log: return entry.template make<UnaryOp::Log>();
    case UnaryOp::Sqrt: return entry.template make<UnaryOp::Sqrt>();
    case UnaryOp::Sign: return entry.template make<UnaryOp::Sign>();
    case UnaryOp::Square: return entry.template make<UnaryOp::Square>();
    case UnaryOp::Reciprocal: return entry.template make<UnaryOp::Reciprocal>();
    default: return {};
  }
}

template <class Entry>
auto select_binary(BinaryOp op, const Entry& entry) -> decltype(entry.template make<BinaryOp::Add>()) {
  switch (op) {
    case BinaryOp::Add: return entry.template make<BinaryOp::Add>();
    case BinaryOp::Sub: return entry.template make<BinaryOp::Sub>();
    case BinaryOp::Mul: return entry.template make<BinaryOp::Mul>();
    case BinaryOp::Div: return entry.template make<BinaryOp::Div>();
    case BinaryOp::Pow: return entry.template make<BinaryOp::Pow>();
    case BinaryOp::Maximum: return entry.template make<BinaryOp::Maximum>();
    case BinaryOp::Minimum: return entry.template make<BinaryOp::Minimum>();
  }
  return {};
}

}  // namespace dendrite
