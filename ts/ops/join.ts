/**
 * Joining tensors: concat along an existing axis, stack along a new one.
 * Viewed as [outer, axis·inner], each input is one strided block copy into
 * the output; the gradient of each input is the matching block copy back.
 */
import { native } from '../native';
import { allocFloat32 } from '../tensor/alloc';
import { formatShape, normalizeAxis, numel } from '../tensor/shape';
import { Tensor, wrap } from '../tensor/tensor';
import { checkTensor } from './checks';
import { applyLayout, bitsOf, OpDef } from './define';
import { unsqueeze } from './view';

interface Blocks {
  axis: number;
  outer: number;
  inner: number;
}

function concatLayout(inputs: readonly Tensor[], axis: number): Blocks {
  const shape = inputs[0].shape;
  return { axis, outer: numel(shape.slice(0, axis)), inner: numel(shape.slice(axis + 1)) };
}

const concatDef: OpDef<number> = {
  name: 'concat',
  shape(inputs, axis) {
    const first = inputs[0].shape;
    let total = 0;
    inputs.forEach((t, k) => {
      const ok = t.shape.length === first.length && t.shape.every((d, i) => i === axis || d === first[i]);
      if (!ok) {
        throw new RangeError(
          `concat: tensor ${k} has shape ${formatShape(t.shape)} but tensor 0 has ${formatShape(first)}; all sizes except along axis ${axis} must match`,
        );
      }
      total += t.shape[axis];
    });
    const out = first.slice();
    out[axis] = total;
    return out;
  },
  forward(inputs, out, axis, outShape) {
    const { outer, inner } = concatLayout(inputs, axis);
    const outBlock = outShape[axis] * inner;
    let offset = 0;
    for (const t of inputs) {
      const block = t.shape[axis] * inner;
      native().copyBlocks(bitsOf(t), 0, out, offset, outer, block, block, outBlock);
      offset += block;
    }
    return undefined;
  },
  backward(g, { inputs, attrs: axis, needs }) {
    const { outer, inner } = concatLayout(inputs, axis);
    const outBlock = g.shape[axis] * inner;
    const gy = g._f32('concat');
    let offset = 0;
    return inputs.map((t, k) => {
      const block = t.shape[axis] * inner;
      const start = offset;
      offset += block;
      if (!needs[k]) return null;
      const gx = allocFloat32(t.numel);
      native().copyBlocks(gy, start, gx, 0, outer, block, outBlock, block);
      return wrap(gx, t.shape);
    });
  },
};

function checkList(tensors: unknown, op: string): Tensor[] {
  if (!Array.isArray(tensors) || tensors.length === 0) {
    throw new TypeError(`${op}: expected a non-empty array of tensors`);
  }
  tensors.forEach((t, i) => checkTensor(t, op, `tensor ${i}`));
  const dtype = (tensors[0] as Tensor).dtype;
  tensors.forEach((t: Tensor, i) => {
    if (t.dtype !== dtype) throw new TypeError(`${op}: tensor ${i} is ${t.dtype} but tensor 0 is ${dtype}`);
  });
  return tensors as Tensor[];
}

/** Joins tensors along an existing axis (all other sizes equal). */
export function concat(tensors: readonly Tensor[], axis = 0): Tensor {
  const list = checkList(tensors, 'concat');
  if (list[0].ndim === 0) throw new RangeError('concat: 0-d tensors cannot be concatenated; use stack');
  const a = normalizeAxis(axis, list[0].ndim, 'concat');
  return applyLayout(concatDef, list, a);
}

/** PyTorch's other name for concat. */
export const cat = concat;

/** Joins tensors of one shape along a new axis. */
export function stack(tensors: readonly Tensor[], axis = 0): Tensor {
  const list = checkList(tensors, 'stack');
  const first = list[0].shape;
  list.forEach((t, k) => {
    if (t.shape.length !== first.length || t.shape.some((d, i) => d !== first[i])) {
      throw new RangeError(`stack: tensor ${k} has shape ${formatShape(t.shape)} but tensor 0 has ${formatShape(first)}; all must match`);
    }
  });
  const a = normalizeAxis(axis, first.length + 1, 'stack');
  return concat(list.map((t) => unsqueeze(t, a)), a);
}
