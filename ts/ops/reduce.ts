/**
 * Reductions: sum, mean, max, min (whole tensor or along axes, keepDims,
 * negative axes) and argmax/argmin. Sums over several adjacent axes are one
 * kernel call; whole-tensor sums accumulate in double. The gradient of a sum
 * is the output gradient broadcast back; of max/min, it goes to the position
 * that won (the first, on ties).
 */
import { unaryOpCode } from '../bindings/elementwise';
import { native } from '../native';
import { allocFloat32, allocInt32, allocZeros, release } from '../tensor/alloc';
import { formatShape, normalizeAxis, numel, Shape } from '../tensor/shape';
import { Tensor, uniformTensor, wrap } from '../tensor/tensor';
import { checkBoolean, checkTensor } from './checks';
import { apply, OpDef } from './define';
import { expandBuffer, sumOverAxes } from './broadcast';
import { mulScalar } from './elementwise';

interface AxesPlan {
  /** reduced[i]: whether input axis i is reduced. */
  reduced: boolean[];
  keepDims: boolean;
}

function planAxes(x: Tensor, axis: number | readonly number[] | undefined | null, keepDims: unknown, op: string): AxesPlan {
  checkBoolean(keepDims, op, 'keepDims');
  const reduced = x.shape.map(() => axis === undefined || axis === null);
  if (axis !== undefined && axis !== null) {
    const axes = typeof axis === 'number' ? [axis] : axis;
    if (!Array.isArray(axes)) throw new TypeError(`${op}: axis must be an integer or an array of integers`);
    for (const a of axes) {
      const k = normalizeAxis(a, x.ndim, op);
      if (reduced[k]) throw new RangeError(`${op}: axis ${a} is given twice`);
      reduced[k] = true;
    }
  }
  return { reduced, keepDims: keepDims as boolean };
}

function reducedShape(shape: Shape, p: AxesPlan): number[] {
  return p.keepDims ? shape.map((d, i) => (p.reduced[i] ? 1 : d)) : shape.filter((_, i) => !p.reduced[i]);
}

const sumDef: OpDef<AxesPlan> = {
  name: 'sum',
  shape: ([x], p) => reducedShape(x.shape, p),
  forward([x], out, p) {
    const data = x._f32('sum');
    if (p.reduced.every(Boolean)) {
      out[0] = data.length === 0 ? 0 : native().sumAll(data);
      return undefined;
    }
    const r = sumOverAxes(data, x.shape, p.reduced);
    out.set(r);
    if (r !== data) release(r);
    return undefined;
  },
  backward(g, { inputs: [x], attrs: p }) {
    // A one-element gradient (a whole-tensor sum, a loss) repeats over all of x: autograd carries it as the number.
    if (g.numel === 1) return [uniformTensor(g._f32('sum')[0], x.shape)];
    const kept = x.shape.map((d, i) => (p.reduced[i] ? 1 : d));
    return [wrap(expandBuffer(g._f32('sum'), kept, x.shape), x.shape)];
  },
};

/** Sum of all elements (a 0-d tensor), or along axis/axes. */
export function sum(x: Tensor, axis?: number | readonly number[] | null, keepDims = false): Tensor {
  checkTensor(x, 'sum', 'input', 'float32');
  return apply(sumDef, [x], planAxes(x, axis, keepDims, 'sum'));
}

/** Mean of all elements, or along axis/axes. */
export function mean(x: Tensor, axis?: number | readonly number[] | null, keepDims = false): Tensor {
  checkTensor(x, 'mean', 'input', 'float32');
  const p = planAxes(x, axis, keepDims, 'mean');
  const count = numel(x.shape.filter((_, i) => p.reduced[i]));
  if (count === 0) throw new RangeError(`mean: cannot average over an empty axis (shape ${formatShape(x.shape)})`);
  return mulScalar(apply(sumDef, [x], p), 1 / count);
}

interface ExtremumPlan {
  axis: number | null;
  keepDims: boolean;
  /** min is the max of -x, negated back. */
  negate: boolean;
}

function extremumGeometry(shape: Shape, axis: number | null) {
  if (axis === null) return { outer: 1, len: numel(shape), inner: 1 };
  return { outer: numel(shape.slice(0, axis)), len: shape[axis], inner: numel(shape.slice(axis + 1)) };
}

function extremumShape(shape: Shape, p: { axis: number | null; keepDims: boolean }): number[] {
  if (p.axis === null) return p.keepDims ? shape.map(() => 1) : [];
  return p.keepDims ? shape.map((d, i) => (i === p.axis ? 1 : d)) : shape.filter((_, i) => i !== p.axis);
}

/** Runs the native max (of x or -x) and returns the arg-max indices along the axis. */
function extremum(x: Tensor, p: ExtremumPlan, out: Float32Array, op: string): Int32Array {
  const { outer, len, inner } = extremumGeometry(x.shape, p.axis);
  if (len === 0) throw new RangeError(`${op}: cannot reduce an empty axis (shape ${formatShape(x.shape)})`);
  const indices = allocInt32(outer * inner);
  let data = x._f32(op);
  if (p.negate) {
    const negated = allocFloat32(data.length);
    native().unaryOp(unaryOpCode('neg'), data, negated, 0);
    data = negated;
  }
  if (indices.length > 0) native().reduceMax(data, outer, len, inner, out, indices);
  if (p.negate) {
    release(data);
    for (let i = 0; i < out.length; i++) out[i] = -out[i];
  }
  return indices;
}

const extremumDef: OpDef<ExtremumPlan, Int32Array> = {
  name: 'max',
  shape: ([x], p) => extremumShape(x.shape, p),
  forward: ([x], out, p) => extremum(x, p, out, p.negate ? 'min' : 'max'),
  backward(g, { inputs: [x], attrs: p, saved: indices }) {
    // The gradient goes to the winning position of each reduced slice.
    const { len, inner } = extremumGeometry(x.shape, p.axis);
    const gx = allocZeros(x.numel);
    const gy = g._f32('max');
    for (let k = 0; k < indices.length; k++) {
      const o = Math.floor(k / inner), i = k - o * inner;
      gx[(o * len + indices[k]) * inner + i] = gy[k];
    }
    return [wrap(gx, x.shape)];
  },
  free: (indices) => release(indices),
};

function extremumPlan(x: Tensor, axis: number | null | undefined, keepDims: unknown, negate: boolean, op: string): ExtremumPlan {
  checkTensor(x, op, 'input', 'float32');
  checkBoolean(keepDims, op, 'keepDims');
  const a = axis === undefined || axis === null ? null : normalizeAxis(axis, x.ndim, op);
  return { axis: a, keepDims: keepDims as boolean, negate };
}

/** Largest element (0-d), or the largest along `axis`. NaN propagates. */
export function max(x: Tensor, axis?: number | null, keepDims = false): Tensor {
  const p = extremumPlan(x, axis, keepDims, false, 'max');
  return apply(extremumDef, [x], p);
}

const minDef: OpDef<ExtremumPlan, Int32Array> = { ...extremumDef, name: 'min' };

/** Smallest element (0-d), or the smallest along `axis`. */
export function min(x: Tensor, axis?: number | null, keepDims = false): Tensor {
  return apply(minDef, [x], extremumPlan(x, axis, keepDims, true, 'min'));
}

function argExtremum(x: Tensor, axis: number | null | undefined, keepDims: boolean, negate: boolean, op: string): Tensor {
  const p = extremumPlan(x, axis, keepDims, negate, op);
  const shape = extremumShape(x.shape, p);
  const values = allocFloat32(numel(shape));
  const indices = extremum(x, p, values, op);
  release(values);
  return wrap(indices, shape);
}

/** Index (int32) of the largest element: flat over the whole tensor, or along `axis`. First one on ties. */
export function argmax(x: Tensor, axis?: number | null, keepDims = false): Tensor {
  return argExtremum(x, axis, keepDims, false, 'argmax');
}

/** Index (int32) of the smallest element: flat over the whole tensor, or along `axis`. */
export function argmin(x: Tensor, axis?: number | null, keepDims = false): Tensor {
  return argExtremum(x, axis, keepDims, true, 'argmin');
}
