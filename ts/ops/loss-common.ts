/** What the losses share: the reduction option and the check of (input, target) pairs. */
import { formatShape, shapesEqual } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { checkTensor } from './checks';
import { mean, sum } from './reduce';
import { rejectUnknownOptions } from '../options';

export type Reduction = 'mean' | 'sum' | 'none';

export interface LossOptions {
  /** 'mean' (default), 'sum', or 'none' (one loss per element). */
  reduction?: Reduction;
}

/** The reduction of a loss's options, which may hold only `reduction` and the loss's own `extra` settings. */
export function readReduction(options: LossOptions | undefined, op: string, extra: readonly string[] = []): Reduction {
  if (options !== undefined) rejectUnknownOptions(options, ['reduction', ...extra], op);
  const r = options?.reduction ?? 'mean';
  if (r !== 'mean' && r !== 'sum' && r !== 'none') {
    throw new TypeError(`${op}: reduction must be 'mean', 'sum' or 'none', got ${JSON.stringify(r)}`);
  }
  return r;
}

export function reduceLoss(x: Tensor, r: Reduction): Tensor {
  return r === 'none' ? x : r === 'sum' ? sum(x) : mean(x);
}

/** Input and target: float32 tensors of one shape. */
export function checkPair(input: Tensor, target: Tensor, op: string): void {
  checkTensor(input, op, 'input', 'float32');
  checkTensor(target, op, 'target', 'float32');
  if (!shapesEqual(input.shape, target.shape)) {
    throw new RangeError(`${op}: input of shape ${formatShape(input.shape)} and target of shape ${formatShape(target.shape)} differ`);
  }
}
