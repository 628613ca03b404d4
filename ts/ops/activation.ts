/**
 * Activation functions. Native ones are one unary kernel each, their functional
 * forms derived from the activation table (activation-table.ts, which says how
 * to add one); the rest are compositions whose gradients autograd derives from
 * their parts.
 */
import { Tensor } from '../tensor/tensor';
import { ActivationEntry, activationEntry, ActivationOpName } from './activation-table';
import { checkFinite } from './checks';
import { clamp } from './clamp';
import { mul, mulScalar } from './elementwise';
import { unary } from './unary';

/** The functional form of a table activation: x, or x and its parameter (defaulted, checked finite). */
export type ActivationFunction<N extends ActivationOpName> = ActivationEntry<N> extends { readonly param: object }
  ? (x: Tensor, param?: number) => Tensor
  : (x: Tensor) => Tensor;

/** The functional form of activation `name` of the table. */
export function nativeActivation<N extends ActivationOpName>(name: N): ActivationFunction<N> {
  const { param } = activationEntry(name);
  const fn = param === undefined
    ? (x: Tensor) => unary(name, x)
    : (x: Tensor, value: number = param.default) => unary(name, x, checkFinite(value, name, param.name));
  return fn as ActivationFunction<N>;
}

export const relu: (x: Tensor) => Tensor = nativeActivation('relu');
/** 1 / (1 + e^-x). */
export const sigmoid: (x: Tensor) => Tensor = nativeActivation('sigmoid');
/** The logistic function: sigmoid under its other name. */
export const logistic = sigmoid;
export const tanh: (x: Tensor) => Tensor = nativeActivation('tanh');
/** x for x > 0, negativeSlope·x otherwise (negativeSlope 0.01 by default). */
export const leakyRelu: (x: Tensor, negativeSlope?: number) => Tensor = nativeActivation('leakyRelu');
/** x for x > 0, alpha·(e^x - 1) otherwise (alpha 1 by default). */
export const elu: (x: Tensor, alpha?: number) => Tensor = nativeActivation('elu');
/** x·Φ(x) with the exact (erf) normal CDF. */
export const gelu: (x: Tensor) => Tensor = nativeActivation('gelu');
/** x·sigmoid(x) (also called swish). */
export const silu: (x: Tensor) => Tensor = nativeActivation('silu');

/** log(1 + e^(beta·x)) / beta, computed without overflow. */
export function softplus(x: Tensor, beta = 1): Tensor {
  checkFinite(beta, 'softplus', 'beta');
  if (beta <= 0) throw new RangeError(`softplus: beta must be positive, got ${beta}`);
  if (beta === 1) return unary('softplus', x);
  return mulScalar(unary('softplus', mulScalar(x, beta)), 1 / beta);
}

/** min(max(x, 0), 6). */
export const relu6 = (x: Tensor): Tensor => clamp(x, 0, 6);

/** clamp(x, minVal, maxVal). */
export const hardtanh = (x: Tensor, minVal = -1, maxVal = 1): Tensor => clamp(x, minVal, maxVal);

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;
/** scale·elu(x, alpha) with the self-normalising constants of Klambauer et al. (2017). */
export const selu = (x: Tensor): Tensor => mulScalar(elu(x, SELU_ALPHA), SELU_SCALE);

/** x·tanh(softplus(x)) (Misra, 2019). */
export const mish = (x: Tensor): Tensor => mul(x, tanh(softplus(x)));
