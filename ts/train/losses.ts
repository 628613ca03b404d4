/** Loss functions `fit` and `evaluate` accept by name, or any (pred, target) → scalar function. */
import type { Tensor } from '../tensor/tensor';
import { binaryCrossEntropyWithLogits, crossEntropy, mse } from '../nn/functional';

export type LossFn = (pred: Tensor, target: Tensor) => Tensor;
export type LossName = 'crossEntropy' | 'mse' | 'binaryCrossEntropyWithLogits';
export type LossSpec = LossName | LossFn;

const byName: Record<LossName, LossFn> = {
  /** Logits [N, C] and int32 labels [N]: mean of −log softmax[label]. */
  crossEntropy: (pred, target) => crossEntropy(pred, target),
  /** Mean squared error. */
  mse: (pred, target) => mse(pred, target),
  /** Logits and 0/1 float targets of the same shape, mean over elements. */
  binaryCrossEntropyWithLogits: (pred, target) => binaryCrossEntropyWithLogits(pred, target),
};

export function resolveLoss(loss: LossSpec, where: string): LossFn {
  if (typeof loss === 'function') return loss;
  const fn = byName[loss as LossName];
  if (fn === undefined) {
    throw new RangeError(`${where}: unknown loss ${JSON.stringify(loss)}; use ${Object.keys(byName).join(', ')} or a function (pred, target) => scalar tensor`);
  }
  return fn;
}
