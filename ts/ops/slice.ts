/**
 * Taking part of a tensor along one axis: narrow(x, axis, start, length) and
 * slice(x, axis, start, end, step) with Python's index rules. A strided
 * block copy each way; the gradient is zero outside the part taken.
 */
import { native } from '../native';
import { allocZeros } from '../tensor/alloc';
import { formatShape, normalizeAxis, numel } from '../tensor/shape';
import { Tensor, wrap } from '../tensor/tensor';
import { checkInteger, checkTensor } from './checks';
import { applyLayout, bitsOf, OpDef } from './define';

interface Part {
  axis: number;
  start: number;
  length: number;
  step: number;
}

/** Copies the part between x (full) and y (the part), in either direction. */
function copyPart(shape: readonly number[], p: Part, full: Float32Array, part: Float32Array, toPart: boolean): void {
  if (p.length === 0) return;
  const outer = numel(shape.slice(0, p.axis));
  const inner = numel(shape.slice(p.axis + 1));
  const size = shape[p.axis];
  if (inner === 0 || outer === 0) return;
  const copy = (fullOffset: number, partOffset: number, blocks: number, blockLen: number, fullStride: number, partStride: number) => {
    if (toPart) native().copyBlocks(full, fullOffset, part, partOffset, blocks, blockLen, fullStride, partStride);
    else native().copyBlocks(part, partOffset, full, fullOffset, blocks, blockLen, partStride, fullStride);
  };
  if (p.step === 1) {
    copy(p.start * inner, 0, outer, p.length * inner, size * inner, p.length * inner);
  } else {
    for (let o = 0; o < outer; o++) {
      copy(o * size * inner + p.start * inner, o * p.length * inner, p.length, inner, p.step * inner, inner);
    }
  }
}

const sliceDef: OpDef<Part> = {
  name: 'slice',
  shape([x], p) {
    const s = x.shape.slice();
    s[p.axis] = p.length;
    return s;
  },
  forward([x], out, p) {
    copyPart(x.shape, p, bitsOf(x), out, true);
    return undefined;
  },
  backward(g, { inputs: [x], attrs: p }) {
    const gx = allocZeros(x.numel);
    copyPart(x.shape, p, gx, g._f32('slice'), false);
    return [wrap(gx, x.shape)];
  },
};

/** The `length` entries from `start` along `axis` (start may be negative). */
export function narrow(x: Tensor, axis: number, start: number, length: number): Tensor {
  const op = 'narrow';
  checkTensor(x, op, 'input');
  const a = normalizeAxis(axis, x.ndim, op);
  const size = x.shape[a];
  checkInteger(start, op, 'start', -size, size);
  checkInteger(length, op, 'length', 0);
  const s = start < 0 ? start + size : start;
  if (s + length > size) {
    throw new RangeError(`${op}: start ${start} + length ${length} exceeds size ${size} of axis ${axis} (shape ${formatShape(x.shape)})`);
  }
  return applyLayout(sliceDef, [x], { axis: a, start: s, length, step: 1 });
}

/**
 * x[start:end:step] along `axis`, with Python's rules: negative indices count
 * from the end, out-of-range bounds are clamped, step is positive.
 */
export function slice(x: Tensor, axis: number, start?: number | null, end?: number | null, step = 1): Tensor {
  const op = 'slice';
  checkTensor(x, op, 'input');
  const a = normalizeAxis(axis, x.ndim, op);
  const size = x.shape[a];
  checkInteger(step, op, 'step', 1);
  const clampIndex = (v: number | null | undefined, fallback: number, name: string) => {
    if (v === undefined || v === null) return fallback;
    checkInteger(v, op, name);
    const r = v < 0 ? v + size : v;
    return Math.min(Math.max(r, 0), size);
  };
  const s = clampIndex(start, 0, 'start');
  const e = clampIndex(end, size, 'end');
  const length = e > s ? Math.ceil((e - s) / step) : 0;
  return applyLayout(sliceDef, [x], { axis: a, start: s, length, step });
}
