/**
 * NumPy broadcasting on buffers: the strides a broadcast input is read with,
 * axis merging so any rank fits the kernels' limit of 8, and the two
 * directions a gradient takes — summed back to an input's shape, or expanded
 * to the broadcast shape.
 */
import { BinaryOpCode, binaryOpCode, MAX_BROADCAST_RANK } from '../bindings/elementwise';
import { native } from '../native';
import { allocFloat32 } from '../tensor/alloc';
import { contiguousStrides, formatShape, numel, Shape, shapesEqual } from '../tensor/shape';
import { Tensor, wrap } from '../tensor/tensor';
import { int32Arg } from './int-args';


/** Strides (elements) of a dense tensor of `shape` read in the broadcast `outShape`: 0 on broadcast axes. */
export function broadcastStrides(shape: Shape, outShape: Shape): number[] {
  const lead = outShape.length - shape.length;
  const own = contiguousStrides(shape);
  return outShape.map((_, i) => (i < lead || shape[i - lead] === 1 ? 0 : own[i - lead]));
}

/**
 * Merges adjacent output axes that every operand walks as one (and drops
 * size-1 axes), so the kernel loops over as few axes as possible.
 */
export function coalesce(outShape: Shape, strides: number[][]): { shape: number[]; strides: number[][] } {
  const shape: number[] = [];
  const merged: number[][] = strides.map(() => []);
  for (let i = 0; i < outShape.length; i++) {
    const d = outShape[i];
    if (d === 1) continue;
    const last = shape.length - 1;
    const joinable = last >= 0 && strides.every((s, k) => merged[k][last] === s[i] * d);
    if (joinable) {
      shape[last] *= d;
      strides.forEach((s, k) => (merged[k][last] = s[i]));
    } else {
      shape.push(d);
      strides.forEach((s, k) => merged[k].push(s[i]));
    }
  }
  // A single element: one axis of size 1 (kernels are not asked to handle rank 0).
  if (shape.length === 0) return { shape: [1], strides: strides.map(() => [0]) };
  return { shape, strides: merged };
}

const ONE = [1];
const ZERO_STRIDE = [0];

/** out = a (op) b with broadcasting, through the native binaryOp. */
export function binaryKernel(code: BinaryOpCode, a: Tensor, b: Tensor, out: Float32Array, outShape: Shape, op: string): void {
  const n = out.length;
  if (n === 0) return;
  // Common cases as one flat axis: equal shapes, or one side a single element.
  const an = a.numel, bn = b.numel;
  if ((an === n || an === 1) && (bn === n || bn === 1)) {
    native().binaryOp(code, a._f32(op), int32Arg(0, an === n ? ONE : ZERO_STRIDE), b._f32(op), int32Arg(1, bn === n ? ONE : ZERO_STRIDE), out, int32Arg(2, [n]));
    return;
  }
  const c = coalesce(outShape, [broadcastStrides(a.shape, outShape), broadcastStrides(b.shape, outShape)]);
  if (c.shape.length > MAX_BROADCAST_RANK) {
    throw new RangeError(`${op}: broadcasting ${formatShape(a.shape)} with ${formatShape(b.shape)} needs more than ${MAX_BROADCAST_RANK} axes`);
  }
  native().binaryOp(code, a._f32(op), int32Arg(0, c.strides[0]), b._f32(op), int32Arg(1, c.strides[1]), out, int32Arg(2, c.shape));
}

const ZERO = new Float32Array(new ArrayBuffer(4));

/** Writes src (of `shape`) read in the larger broadcast `outShape` into out: a strided copy. */
export function expandInto(src: Float32Array, shape: Shape, outShape: Shape, out: Float32Array): void {
  if (out.length === 0) return;
  const c = coalesce(outShape, [broadcastStrides(shape, outShape), outShape.map(() => 0)]);
  if (c.shape.length > MAX_BROADCAST_RANK) throw new RangeError(`expand: ${formatShape(outShape)} needs more than ${MAX_BROADCAST_RANK} axes`);
  // src + 0 read with broadcast strides: a strided copy through the binary kernel.
  native().binaryOp(binaryOpCode('add'), src, int32Arg(0, c.strides[0]), ZERO, int32Arg(1, c.strides[1]), out, int32Arg(2, c.shape));
}

/** A new buffer holding g expanded to outShape: the gradient of a sum. */
export function expandBuffer(g: Float32Array, shape: Shape, outShape: Shape): Float32Array {
  const out = allocFloat32(numel(outShape));
  expandInto(g, shape, outShape, out);
  return out;
}

/**
 * Sums `data` (of `shape`) over the axes marked in `reduced`, giving the
 * shape with those axes removed. Each run of adjacent reduced axes is one
 * kernel call (innermost first); returns `data` itself when nothing is reduced.
 */
export function sumOverAxes(data: Float32Array, shape: Shape, reduced: readonly boolean[]): Float32Array {
  let dims = shape.slice();
  let i = dims.length - 1;
  while (i >= 0) {
    if (!reduced[i]) {
      i--;
      continue;
    }
    let j = i;
    while (j - 1 >= 0 && reduced[j - 1]) j--;
    const outer = numel(dims.slice(0, j));
    const len = numel(dims.slice(j, i + 1));
    const inner = numel(dims.slice(i + 1));
    const out = allocFloat32(outer * inner);
    if (len === 0) out.fill(0);
    else if (out.length > 0) native().reduceSum(data, outer, len, inner, out);
    data = out;
    dims = [...dims.slice(0, j), ...dims.slice(i + 1)];
    i = j - 1;
  }
  return data;
}

/** Sums g (of the broadcast shape) over the axes where `shape` was broadcast, giving `shape`. */
export function sumToShape(g: Tensor, shape: Shape): Tensor {
  if (shapesEqual(g.shape, shape)) return g;
  const lead = g.shape.length - shape.length;
  const reduced = g.shape.map((d, i) => i < lead || (shape[i - lead] === 1 && d !== 1));
  return wrap(sumOverAxes(g._f32('sumToShape'), g.shape, reduced), shape);
}
