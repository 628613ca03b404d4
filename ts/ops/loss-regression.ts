/** Regression losses, as compositions of differentiable ops: mse, l1Loss, huberLoss, smoothL1Loss. */
import { Tensor } from '../tensor/tensor';
import { checkFinite } from './checks';
import { clamp } from './clamp';
import { add, mulScalar, sub } from './elementwise';
import { checkPair, LossOptions, readReduction, reduceLoss } from './loss-common';
import { abs, square } from './unary';

/** Mean squared error (input - target)². */
export function mse(input: Tensor, target: Tensor, options?: LossOptions): Tensor {
  const reduction = readReduction(options, 'mse');
  checkPair(input, target, 'mse');
  return reduceLoss(square(sub(input, target)), reduction);
}

/** PyTorch's name for mse. */
export const mseLoss = mse;

/** Mean absolute error |input - target|. */
export function l1Loss(input: Tensor, target: Tensor, options?: LossOptions): Tensor {
  const reduction = readReduction(options, 'l1Loss');
  checkPair(input, target, 'l1Loss');
  return reduceLoss(abs(sub(input, target)), reduction);
}

/**
 * Huber loss: ½d² where |d| <= delta, delta·(|d| - ½delta) beyond, with
 * d = input - target. Written as ½m² + delta·(|d| - m) with m = min(|d|, delta).
 */
export function huberLoss(input: Tensor, target: Tensor, options?: LossOptions & { delta?: number }): Tensor {
  const op = 'huberLoss';
  const reduction = readReduction(options, op, ['delta']);
  checkPair(input, target, op);
  const delta = checkFinite(options?.delta ?? 1, op, 'delta');
  if (delta <= 0) throw new RangeError(`${op}: delta must be positive, got ${delta}`);
  const d = abs(sub(input, target));
  const m = clamp(d, null, delta);
  return reduceLoss(add(mulScalar(square(m), 0.5), mulScalar(sub(d, m), delta)), reduction);
}

/** Smooth L1 loss (huberLoss / beta, as PyTorch defines it). */
export function smoothL1Loss(input: Tensor, target: Tensor, options?: LossOptions & { beta?: number }): Tensor {
  readReduction(options, 'smoothL1Loss', ['beta']);
  const beta = checkFinite(options?.beta ?? 1, 'smoothL1Loss', 'beta');
  if (beta <= 0) throw new RangeError(`smoothL1Loss: beta must be positive, got ${beta}`);
  return mulScalar(huberLoss(input, target, { reduction: options?.reduction, delta: beta }), 1 / beta);
}
