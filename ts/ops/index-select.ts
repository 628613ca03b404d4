/**
 * Selecting rows by index: indexSelect(x, axis, indices) and
 * embedding(indices, weight). Forward gathers rows; the gradient
 * scatter-adds them back (an index used twice gets the sum).
 */
import { native } from '../native';
import { allocZeros } from '../tensor/alloc';
import { formatShape, normalizeAxis, numel } from '../tensor/shape';
import { Tensor, wrap } from '../tensor/tensor';
import { checkTensor } from './checks';
import { applyLayout, bitsOf, OpDef } from './define';

interface Selection {
  axis: number;
  indices: Int32Array;
  /** Shape the selected axis becomes (indices' shape). */
  indexShape: readonly number[];
}

/** x viewed as [outer, size, inner]: rows of `inner` elements selected per outer block. */
function geometry(shape: readonly number[], axis: number) {
  return { outer: numel(shape.slice(0, axis)), size: shape[axis], inner: numel(shape.slice(axis + 1)) };
}

const indexSelectDef: OpDef<Selection> = {
  name: 'indexSelect',
  shape: ([x], s) => [...x.shape.slice(0, s.axis), ...s.indexShape, ...x.shape.slice(s.axis + 1)],
  forward([x], out, s) {
    const { outer, size, inner } = geometry(x.shape, s.axis);
    const table = bitsOf(x);
    const k = s.indices.length;
    for (let o = 0; o < outer; o++) {
      native().gatherRows(
        table.subarray(o * size * inner, (o + 1) * size * inner), size, inner, s.indices,
        out.subarray(o * k * inner, (o + 1) * k * inner),
      );
    }
    return undefined;
  },
  backward(g, { inputs: [x], attrs: s }) {
    const { outer, size, inner } = geometry(x.shape, s.axis);
    const gx = allocZeros(x.numel);
    const gy = g._f32('indexSelect');
    const k = s.indices.length;
    for (let o = 0; o < outer; o++) {
      native().scatterAddRows(
        gy.subarray(o * k * inner, (o + 1) * k * inner), s.indices, inner,
        gx.subarray(o * size * inner, (o + 1) * size * inner), size,
      );
    }
    return [wrap(gx, x.shape)];
  },
};

function checkIndices(indices: unknown, op: string): Tensor {
  return checkTensor(indices, op, 'indices', 'int32');
}

/**
 * The entries of x at `indices` along `axis` (indices: an int32 tensor of
 * any shape, which replaces that axis in the result). A bad index is a
 * RangeError naming it.
 */
export function indexSelect(x: Tensor, axis: number, indices: Tensor): Tensor {
  const op = 'indexSelect';
  checkTensor(x, op, 'input');
  const idx = checkIndices(indices, op);
  const a = normalizeAxis(axis, x.ndim, op);
  return applyLayout(indexSelectDef, [x], { axis: a, indices: idx._typed() as Int32Array, indexShape: idx.shape });
}

/** Looks up rows of `weight` ([rows, dim]) for int32 `indices` of any shape: result [...indices.shape, dim]. */
export function embedding(indices: Tensor, weight: Tensor): Tensor {
  const op = 'embedding';
  const idx = checkIndices(indices, op);
  checkTensor(weight, op, 'weight', 'float32');
  if (weight.ndim !== 2) throw new RangeError(`${op}: weight must be 2-D [rows, dim], got shape ${formatShape(weight.shape)}`);
  return applyLayout(indexSelectDef, [weight], { axis: 0, indices: idx._typed() as Int32Array, indexShape: idx.shape });
}
