/**
 * rowLookup(table, indices): rows of a [V, D] table for int32 indices of any
 * shape, like embedding(), but when the table is marked with
 * dd.nn.sparseGrad() its gradient arrives as row gradients (see
 * ts/nn/sparse-grad.ts) instead of a dense [V, D] tensor.
 */
import { native } from '../native';
import { allocZeros } from '../tensor/alloc';
import { formatShape } from '../tensor/shape';
import { Tensor, wrap } from '../tensor/tensor';
import { checkTensor } from './checks';
import { apply, OpDef } from './define';
import { accumulateRows, isSparseGrad } from '../nn/sparse-grad';

interface Attrs {
  indices: Int32Array;
  indexShape: readonly number[];
}

const rowLookupDef: OpDef<Attrs> = {
  name: 'rowLookup',
  shape: ([table], a) => [...a.indexShape, table.shape[1]],
  forward([table], out, a) {
    native().gatherRows(table._f32('rowLookup'), table.shape[0], table.shape[1], a.indices, out);
    return undefined;
  },
  backward(g, { inputs: [table], attrs: a }) {
    const d = table.shape[1];
    const gy = g._f32('rowLookup');
    if (isSparseGrad(table)) {
      accumulateRows(table, a.indices.slice(), gy.slice());
      return [null];
    }
    const gt = allocZeros(table.numel);
    native().scatterAddRows(gy, a.indices, d, gt, table.shape[0]);
    return [wrap(gt, table.shape)];
  },
};

export function rowLookup(table: Tensor, indices: Tensor): Tensor {
  checkTensor(table, 'rowLookup', 'table', 'float32');
  checkTensor(indices, 'rowLookup', 'indices', 'int32');
  if (table.shape.length !== 2) throw new RangeError(`rowLookup: table must be 2-D, got ${formatShape(table.shape)}`);
  return apply(rowLookupDef, [table], { indices: indices.int32Data, indexShape: indices.shape });
}
