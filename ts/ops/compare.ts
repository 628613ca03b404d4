/**
 * Elementwise comparisons with broadcasting: eq, ne, gt, ge, lt, le. They
 * give float32 0/1 masks (there is no bool dtype), so `pred.eq(labels).mean()`
 * is an accuracy. Not differentiable. Operands are two tensors of one dtype,
 * or a tensor and a number; the loop is plain TypeScript (no kernel needed
 * for what is usually a metric over a batch).
 */
import { allocFloat32 } from '../tensor/alloc';
import { broadcastShapes, contiguousStrides, numel, shapesEqual } from '../tensor/shape';
import { Tensor, wrap } from '../tensor/tensor';
import { broadcastStrides } from './broadcast';
import { checkTensor } from './checks';

type Test = (a: number, b: number) => boolean;

const tests: Record<'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le', Test> = {
  eq: (a, b) => a === b,
  ne: (a, b) => a !== b,
  gt: (a, b) => a > b,
  ge: (a, b) => a >= b,
  lt: (a, b) => a < b,
  le: (a, b) => a <= b,
};

function compare(name: keyof typeof tests, a: Tensor, b: Tensor | number): Tensor {
  checkTensor(a, name, 'input 0');
  const test = tests[name];
  const x = a._typed();
  if (typeof b === 'number') {
    const out = allocFloat32(x.length);
    for (let i = 0; i < x.length; i++) out[i] = test(x[i], b) ? 1 : 0;
    return wrap(out, a.shape);
  }
  checkTensor(b, name, 'input 1', a.dtype);
  const shape = broadcastShapes(a.shape, b.shape, name);
  const y = b._typed();
  if (shapesEqual(a.shape, b.shape)) {
    const out = allocFloat32(x.length);
    for (let i = 0; i < x.length; i++) out[i] = test(x[i], y[i]) ? 1 : 0;
    return wrap(out, shape);
  }
  const out = allocFloat32(numel(shape));
  const sa = broadcastStrides(a.shape, shape), sb = broadcastStrides(b.shape, shape);
  const strides = contiguousStrides(shape);
  for (let f = 0; f < out.length; f++) {
    let ia = 0, ib = 0, rest = f;
    for (let d = 0; d < shape.length; d++) {
      const k = Math.floor(rest / strides[d]);
      rest -= k * strides[d];
      ia += k * sa[d];
      ib += k * sb[d];
    }
    out[f] = test(x[ia], y[ib]) ? 1 : 0;
  }
  return wrap(out, shape);
}

export const eq = (a: Tensor, b: Tensor | number): Tensor => compare('eq', a, b);
export const ne = (a: Tensor, b: Tensor | number): Tensor => compare('ne', a, b);
export const gt = (a: Tensor, b: Tensor | number): Tensor => compare('gt', a, b);
export const ge = (a: Tensor, b: Tensor | number): Tensor => compare('ge', a, b);
export const lt = (a: Tensor, b: Tensor | number): Tensor => compare('lt', a, b);
export const le = (a: Tensor, b: Tensor | number): Tensor => compare('le', a, b);
