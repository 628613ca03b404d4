/** Ops that copy: clone (a differentiable copy) and expand (broadcast to a larger shape). */
import { formatShape, broadcastShapes, shapesEqual, checkShape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { expandInto, sumToShape } from './broadcast';
import { checkTensor } from './checks';
import { apply, applyLayout, bitsOf, OpDef } from './define';

const cloneDef: OpDef<undefined> = {
  name: 'clone',
  shape: ([x]) => x.shape,
  forward([x], out) {
    out.set(bitsOf(x));
    return undefined;
  },
  backward: (g) => [g],
};

/** A copy with its own memory; gradients flow through it to x. */
export function clone(x: Tensor): Tensor {
  checkTensor(x, 'clone', 'input');
  return applyLayout(cloneDef, [x], undefined);
}

const expandDef: OpDef<readonly number[]> = {
  name: 'expand',
  shape: (_, shape) => shape,
  forward([x], out, shape) {
    expandInto(x._f32('expand'), x.shape, shape, out);
    return undefined;
  },
  backward: (g, { inputs: [x] }) => [sumToShape(g, x.shape)],
};

/**
 * x broadcast to `shape` (NumPy rules; -1 keeps a size), as a new tensor.
 * The gradient sums over the broadcast axes.
 */
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  const op = 'expand';
  checkTensor(x, op, 'input', 'float32');
  if (!Array.isArray(shape)) throw new TypeError(`${op}: shape must be an array`);
  const lead = shape.length - x.ndim;
  const target = checkShape(shape.map((d, i) => (d === -1 && i >= lead ? x.shape[i - lead] : d)), op);
  if (lead < 0 || !shapesEqual(broadcastShapes(x.shape, target, op), target)) {
    throw new RangeError(`${op}: shape ${formatShape(x.shape)} cannot be expanded to ${formatShape(shape)}`);
  }
  return apply(expandDef, [x], target);
}

/** PyTorch's other name for expand. */
export const broadcastTo = expand;
