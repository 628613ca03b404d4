/**
 * In-place writes, as PyTorch's copy_, fill_ and zero_: for optimizer steps
 * and initialisation under noGrad. Autograd does not track them, so they are
 * refused where a recorded graph could see the change (a tensor that
 * requires grad while recording is on).
 */
import { isGradEnabled } from '../autograd/grad-mode';
import { formatShape, shapesEqual } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { checkTensor } from './checks';

function checkWritable(t: Tensor, op: string): void {
  if (t._requiresGrad && isGradEnabled()) {
    throw new Error(
      `${op}: this tensor requires grad, and an in-place change would be invisible to autograd; ` +
        'do it inside dd.noGrad(() => ...) (as optimizer steps do)',
    );
  }
}

/** Copies src's values into dst (same shape and dtype); returns dst. */
export function copyInto(dst: Tensor, src: Tensor): Tensor {
  const op = 'copy_';
  checkTensor(dst, op, 'destination');
  checkTensor(src, op, 'source', dst.dtype);
  if (!shapesEqual(dst.shape, src.shape)) {
    throw new RangeError(`${op}: source of shape ${formatShape(src.shape)} does not match destination of shape ${formatShape(dst.shape)}`);
  }
  checkWritable(dst, op);
  dst._typed().set(src._typed());
  return dst;
}

/** Sets every element to value; returns t. */
export function fillInPlace(t: Tensor, value: number): Tensor {
  const op = 'fill_';
  checkTensor(t, op, 'input');
  if (typeof value !== 'number') throw new TypeError(`${op}: value must be a number, got ${typeof value}`);
  if (t.dtype === 'int32' && !Number.isInteger(value)) throw new RangeError(`${op}: value ${value} is not an integer, the tensor is int32`);
  checkWritable(t, op);
  t._typed().fill(value);
  return t;
}
