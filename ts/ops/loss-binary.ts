/** Binary classification losses, in numerically stable forms. */
import { Tensor } from '../tensor/tensor';
import { checkFinite } from './checks';
import { clamp } from './clamp';
import { add, mul, mulScalar, rsub, sub } from './elementwise';
import { softplus } from './activation';
import { checkPair, LossOptions, readReduction, reduceLoss } from './loss-common';
import { log, neg } from './unary';

/**
 * Binary cross-entropy on logits, stable for any magnitude:
 * (1 - t)·x + w·softplus(-x) with w = 1 + (posWeight - 1)·t
 * (= softplus(x) - t·x without posWeight).
 */
export function binaryCrossEntropyWithLogits(
  logits: Tensor, target: Tensor, options?: LossOptions & { posWeight?: Tensor | number },
): Tensor {
  const op = 'binaryCrossEntropyWithLogits';
  const reduction = readReduction(options, op, ['posWeight']);
  checkPair(logits, target, op);
  const pw = options?.posWeight;
  if (pw === undefined) return reduceLoss(sub(softplus(logits), mul(logits, target)), reduction);
  const w = typeof pw === 'number' ? add(mulScalar(target, checkFinite(pw, op, 'posWeight') - 1), 1) : add(mul(target, add(pw, -1)), 1);
  return reduceLoss(add(mul(rsub(target, 1), logits), mul(w, softplus(neg(logits)))), reduction);
}

/** Binary cross-entropy of probabilities in [0, 1]; logs are clamped at -100 as in PyTorch. */
export function binaryCrossEntropy(probs: Tensor, target: Tensor, options?: LossOptions): Tensor {
  const op = 'binaryCrossEntropy';
  const reduction = readReduction(options, op);
  checkPair(probs, target, op);
  const logP = clamp(log(probs), -100);
  const log1mP = clamp(log(rsub(probs, 1)), -100);
  return reduceLoss(neg(add(mul(target, logP), mul(rsub(target, 1), log1mP))), reduction);
}
