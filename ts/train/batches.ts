/**
 * Where `fit`, `evaluate` and `predict` get their batches:
 *   - in-memory samples `{ x, y }`, as tensors or as `{ data, shape }` arrays
 *     (a data.Dataset is one): sliced into batches here, reshuffled every
 *     epoch when asked;
 *   - any iterable / async iterable of batches, such as a data.DataLoader
 *     (iterated afresh every epoch; it does its own batching and shuffling),
 *     whose batches hold tensors or `{ data, shape }` arrays.
 * For a model with several outputs, y is an array or a record of targets (one
 * per output), each with x's number of rows; they are shuffled with x.
 */
import { Tensor } from '../tensor/tensor';
import { asTensor, tensor } from '../tensor/create';
import { indexSelect } from '../ops';
import type { ModuleOutput } from '../nn/module';
import { Layout, PerOutput, SINGLE, Targets, layoutOf, mapLeaves, partsOf } from './outputs';

/**
 * A batch: inputs and targets, one sample per row. The targets are one tensor,
 * or one per output of a model with several (an array or a record, laid out
 * as the outputs).
 */
export interface Batch<Y extends Targets = Tensor> {
  x: Tensor;
  y: Y;
  /** Whether the batch was assembled here (its memory can be recycled after use). */
  owned?: boolean;
}

/** Inputs and targets in memory, one sample per row of the first dimension (of x and of every target). */
export interface TensorData<Y extends Targets = Tensor> {
  x: Tensor;
  y: Y;
}

/** A plain array with its shape (what data.Dataset and data.DataLoader hold). */
export interface ShapedData {
  data: Float32Array | Int32Array;
  shape: readonly number[];
}

export type TensorOrArray = Tensor | ShapedData;

/** Targets as tensors or shaped arrays: one, or one per output (an array or a record of them). */
export type TargetData = PerOutput<TensorOrArray>;

/** In-memory samples as tensors or shaped arrays (a data.Dataset has this form). */
export interface SampleData<Y = TargetData> {
  x: TensorOrArray;
  y: Y;
}

export type BatchLike<Y = TargetData> = { x: TensorOrArray; y: Y } | [TensorOrArray, Y];
export type BatchIterable<Y = TargetData> = (Iterable<BatchLike<Y>> | AsyncIterable<BatchLike<Y>>) & { length?: number; numBatches?: number };
/** Training or evaluation data: samples in memory, or an iterable of batches (a data.DataLoader). */
export type DataSpec<Y = TargetData> = SampleData<Y> | BatchIterable<Y>;

/** The targets a model with output type Out trains on: one tensor (or shaped array), or one per output laid out as the outputs. */
export type TargetsFor<Out extends ModuleOutput> = Out extends Tensor ? TensorOrArray : { readonly [K in keyof Out]: TensorOrArray };

function isShaped(v: unknown): v is ShapedData {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as ShapedData;
  return (s.data instanceof Float32Array || s.data instanceof Int32Array) && Array.isArray(s.shape);
}

function isTensorOrArray(v: unknown): v is TensorOrArray {
  return v instanceof Tensor || isShaped(v);
}

/** A tensor for a tensor or a shaped array (sharing its memory, no copy). */
export function toTensor(v: TensorOrArray, where: string, name: string): Tensor {
  if (v instanceof Tensor) return v;
  if (isShaped(v)) return asTensor(v.data, v.shape);
  throw new TypeError(`${where}: ${name} must be a Tensor or { data: Float32Array | Int32Array, shape }`);
}

/** The layout of targets given as tensors or shaped arrays, or a TypeError naming what is expected. */
function targetLayout(y: unknown, where: string, name: string): Layout {
  const layout = layoutOf(y, isTensorOrArray);
  if (layout === null) {
    throw new TypeError(
      `${where}: ${name} must be a Tensor or { data: Float32Array | Int32Array, shape }, or (for a model with several outputs) a non-empty array or record of them`,
    );
  }
  return layout;
}

/** Targets as tensors (sharing the memory of shaped arrays). */
function toTargets(y: unknown, where: string, name: string): Targets {
  const layout = targetLayout(y, where, name);
  return mapLeaves(y as TargetData, layout, (v, part) => toTensor(v, where, part === '' ? name : `${name}.${part}`)) as Targets;
}

/** The layout of targets already made tensors. */
export function targetsLayout(y: Targets): Layout {
  return layoutOf(y, (v) => v instanceof Tensor) ?? SINGLE;
}

/** Applies fn to every target tensor, keeping the layout. */
export function mapTargets(y: Targets, fn: (t: Tensor) => Tensor): Targets {
  return mapLeaves(y, targetsLayout(y), fn) as Targets;
}

/** Every target tensor, in order. */
export function targetTensors(y: Targets): Tensor[] {
  return partsOf(y, targetsLayout(y));
}

export function isTensorData(d: unknown): d is TensorData<Targets> {
  if (typeof d !== 'object' || d === null || !((d as TensorData).x instanceof Tensor)) return false;
  return layoutOf((d as TensorData).y, (v) => v instanceof Tensor) !== null;
}

function isSampleData(d: unknown): d is SampleData {
  if (typeof d !== 'object' || d === null || !('x' in d) || !('y' in d)) return false;
  const { x, y } = d as SampleData;
  return isTensorOrArray(x) && layoutOf(y, isTensorOrArray) !== null;
}

function isIterable(d: unknown): d is BatchIterable {
  return typeof d === 'object' && d !== null && (Symbol.iterator in d || Symbol.asyncIterator in d);
}

/** Checks a data argument and that x and every target agree on the number of samples. */
export function checkData(d: unknown, where: string): TensorData<Targets> | BatchIterable {
  // { x, y } with something else inside: say which part is wrong, rather than that the data is not { x, y }.
  if (typeof d === 'object' && d !== null && !isIterable(d) && 'x' in d && 'y' in d && !isSampleData(d)) {
    toTensor((d as SampleData).x, where, 'x');
    targetLayout((d as SampleData).y, where, 'y');
  }
  if (isSampleData(d)) {
    const x = toTensor(d.x, where, 'x');
    const y = toTargets(d.y, where, 'y');
    if (x.shape.length === 0) throw new RangeError(`${where}: x needs a first (sample) dimension`);
    const n = x.shape[0];
    const layout = targetsLayout(y);
    partsOf(y, layout).forEach((t, i) => {
      const name = layout.kind === 'single' ? 'y' : `y.${layout.names[i]}`;
      if (t.shape.length === 0) throw new RangeError(`${where}: ${name} needs a first (sample) dimension`);
      if (t.shape[0] !== n) throw new RangeError(`${where}: x has ${n} samples but ${name} has ${t.shape[0]}`);
    });
    return { x, y };
  }
  if (isIterable(d)) return d;
  throw new TypeError(`${where}: data must be { x, y } (tensors, or a data.Dataset) or an iterable of batches (such as a data.DataLoader)`);
}

/** Number of batches per pass, when known. */
export function batchCount(d: TensorData<Targets> | BatchIterable, batchSize: number): number | undefined {
  if (isTensorData(d)) return Math.ceil(d.x.shape[0] / batchSize);
  if (typeof d.numBatches === 'number') return d.numBatches;
  if (typeof d.length === 'number') return d.length;
  return undefined;
}

function toBatch(b: BatchLike, where: string): Batch<Targets> {
  if (Array.isArray(b) && b.length === 2) return { x: toTensor(b[0], where, 'batch x'), y: toTargets(b[1], where, 'batch y') };
  if (b && typeof b === 'object' && 'x' in b && 'y' in b) return { x: toTensor(b.x, where, 'batch x'), y: toTargets(b.y, where, 'batch y') };
  throw new TypeError(`${where}: a batch must be { x, y } or [x, y]`);
}

/** mulberry32: a small seeded generator for the order of samples. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    let t = (state = (state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Rows [start, end) of t as a new tensor. */
export function takeRows(t: Tensor, start: number, end: number): Tensor {
  const row = t.shape.slice(1).reduce((a, b) => a * b, 1);
  return tensor(t._typed().slice(start * row, end * row), [end - start, ...t.shape.slice(1)], { dtype: t.dtype });
}

/**
 * Batches of in-memory tensors, in order or permuted by `random`, gathered
 * (one native row copy) into pool buffers that the consumer may recycle.
 */
function* tensorBatches(d: TensorData<Targets>, batchSize: number, random: (() => number) | null): Generator<Batch<Targets>> {
  const n = d.x.shape[0];
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (random !== null) {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
  }
  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(n, start + batchSize);
    const idx = tensor(order.subarray(start, end), [end - start], { dtype: 'int32' });
    // Every target takes the same rows as x: one order for all.
    yield { x: indexSelect(d.x, 0, idx), y: mapTargets(d.y, (t) => indexSelect(t, 0, idx)), owned: true };
  }
}

/** One pass over the data. */
export async function* iterateBatches(d: TensorData<Targets> | BatchIterable, batchSize: number, random: (() => number) | null, where: string): AsyncGenerator<Batch<Targets>> {
  if (isTensorData(d)) {
    yield* tensorBatches(d, batchSize, random);
    return;
  }
  if (Symbol.asyncIterator in d) {
    for await (const b of d as AsyncIterable<BatchLike>) yield toBatch(b, where);
  } else {
    for (const b of d as Iterable<BatchLike>) yield toBatch(b, where);
  }
}
