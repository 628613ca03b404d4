/**
 * Ops that only change the shape: reshape/view, flatten, squeeze, unsqueeze.
 * Tensors are always dense, so these share the input's memory (no copy);
 * their gradient is the output gradient reshaped back.
 */
import { formatShape, normalizeAxis, numel, Shape, checkShape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { checkInteger, checkTensor } from './checks';
import { recording, record, OpDef } from './define';

const viewDef: Pick<OpDef<string, undefined>, 'name' | 'backward'> = {
  name: 'reshape',
  backward: (g, { inputs }) => [reshapeTo(g, inputs[0].shape, 'reshape')],
};

/** A tensor of `shape` on x's memory, recorded as a view for autograd. */
function reshapeTo(x: Tensor, shape: Shape, op: string): Tensor {
  const out = new Tensor(x._storage, shape, x.dtype);
  if (!recording([x])) return out;
  return record({ ...viewDef, name: op }, [x], op, undefined, out);
}

/** Resolves one -1 entry and checks the element count. */
function resolveShape(x: Tensor, shape: readonly number[], op: string): number[] {
  if (!Array.isArray(shape)) throw new TypeError(`${op}: shape must be an array of integers, got ${typeof shape}`);
  const s = shape.slice();
  const free = s.indexOf(-1);
  if (free >= 0) {
    if (s.indexOf(-1, free + 1) >= 0) throw new RangeError(`${op}: only one dimension can be -1, got ${formatShape(shape)}`);
    s[free] = 1;
    checkShape(s, op);
    const known = numel(s);
    if (known === 0 || x.numel % known !== 0) {
      throw new RangeError(`${op}: cannot reshape a tensor of shape ${formatShape(x.shape)} (${x.numel} elements) into ${formatShape(shape)}`);
    }
    s[free] = x.numel / known;
  }
  checkShape(s, op);
  if (numel(s) !== x.numel) {
    throw new RangeError(`${op}: cannot reshape a tensor of shape ${formatShape(x.shape)} (${x.numel} elements) into ${formatShape(shape)}`);
  }
  return s;
}

/** The same elements with another shape (one entry may be -1: inferred). Shares memory. */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  checkTensor(x, 'reshape', 'input');
  return reshapeTo(x, resolveShape(x, shape, 'reshape'), 'reshape');
}

/** reshape under PyTorch's other name (every tensor here is dense, so a view always exists). */
export function view(x: Tensor, shape: readonly number[]): Tensor {
  checkTensor(x, 'view', 'input');
  return reshapeTo(x, resolveShape(x, shape, 'view'), 'view');
}

/** Merges axes startDim..endDim into one: flatten(x, 1) turns [N, C, H, W] into [N, C·H·W]. */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  const op = 'flatten';
  checkTensor(x, op, 'input');
  if (x.ndim === 0) return reshapeTo(x, [1], op);
  const a = normalizeAxis(startDim, x.ndim, op);
  const b = normalizeAxis(endDim, x.ndim, op);
  if (a > b) throw new RangeError(`${op}: startDim (${startDim}) comes after endDim (${endDim}) for shape ${formatShape(x.shape)}`);
  const shape = [...x.shape.slice(0, a), numel(x.shape.slice(a, b + 1)), ...x.shape.slice(b + 1)];
  return reshapeTo(x, shape, op);
}

/** Removes axes of size 1: all of them, or the given ones (an axis of another size is kept, as in PyTorch). */
export function squeeze(x: Tensor, axis?: number | readonly number[]): Tensor {
  const op = 'squeeze';
  checkTensor(x, op, 'input');
  let drop: Set<number>;
  if (axis === undefined) drop = new Set(x.shape.flatMap((d, i) => (d === 1 ? [i] : [])));
  else {
    const axes = typeof axis === 'number' ? [axis] : axis;
    if (!Array.isArray(axes)) throw new TypeError(`${op}: axis must be an integer or an array of integers`);
    drop = new Set(axes.map((a) => normalizeAxis(a, x.ndim, op)).filter((a) => x.shape[a] === 1));
  }
  return reshapeTo(x, x.shape.filter((_, i) => !drop.has(i)), op);
}

/** Inserts an axis of size 1 at `axis` (in [-(ndim+1), ndim]). */
export function unsqueeze(x: Tensor, axis: number): Tensor {
  const op = 'unsqueeze';
  checkTensor(x, op, 'input');
  checkInteger(axis, op, 'axis');
  const a = normalizeAxis(axis, x.ndim + 1, op);
  const shape = x.shape.slice();
  shape.splice(a, 0, 1);
  return reshapeTo(x, shape, op);
}
