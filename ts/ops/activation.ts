/**
 * Activation functions. Native ones are unary kernels (one entry each: name,
 * op code, parameter); the rest are compositions whose gradients autograd
 * derives from their parts.
 */
import { Tensor } from '../tensor/tensor';
import { checkFinite } from './checks';
import { clamp } from './clamp';
import { mul, mulScalar } from './elementwise';
import { UnaryOpCode } from '../bindings/elementwise';
import { unary } from './unary';

export const activationTable = {
  relu: UnaryOpCode.RELU,
  sigmoid: UnaryOpCode.SIGMOID,
  tanh: UnaryOpCode.TANH,
  leakyRelu: UnaryOpCode.LEAKY_RELU, // param: negative slope
  elu: UnaryOpCode.ELU, // param: alpha
  gelu: UnaryOpCode.GELU, // erf form
  silu: UnaryOpCode.SILU,
  softplus: UnaryOpCode.SOFTPLUS,
} as const;

export const relu = (x: Tensor): Tensor => unary('relu', activationTable.relu, x);
/** 1 / (1 + e^-x). */
export const sigmoid = (x: Tensor): Tensor => unary('sigmoid', activationTable.sigmoid, x);
/** The logistic function: sigmoid under its other name. */
export const logistic = sigmoid;
export const tanh = (x: Tensor): Tensor => unary('tanh', activationTable.tanh, x);
/** x for x > 0, negativeSlope·x otherwise. */
export const leakyRelu = (x: Tensor, negativeSlope = 0.01): Tensor =>
  unary('leakyRelu', activationTable.leakyRelu, x, checkFinite(negativeSlope, 'leakyRelu', 'negativeSlope'));
/** x for x > 0, alpha·(e^x - 1) otherwise. */
export const elu = (x: Tensor, alpha = 1): Tensor => unary('elu', activationTable.elu, x, checkFinite(alpha, 'elu', 'alpha'));
/** x·Φ(x) with the exact (erf) normal CDF. */
export const gelu = (x: Tensor): Tensor => unary('gelu', activationTable.gelu, x);
/** x·sigmoid(x) (also called swish). */
export const silu = (x: Tensor): Tensor => unary('silu', activationTable.silu, x);

/** log(1 + e^(beta·x)) / beta, computed without overflow. */
export function softplus(x: Tensor, beta = 1): Tensor {
  checkFinite(beta, 'softplus', 'beta');
  if (beta <= 0) throw new RangeError(`softplus: beta must be positive, got ${beta}`);
  if (beta === 1) return unary('softplus', activationTable.softplus, x);
  return mulScalar(unary('softplus', activationTable.softplus, mulScalar(x, beta)), 1 / beta);
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
