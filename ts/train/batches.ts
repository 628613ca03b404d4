/**
 * Where `fit`, `evaluate` and `predict` get their batches:
 *   - in-memory samples `{ x, y }`, as tensors or as `{ data, shape }` arrays
 *     (a data.Dataset is one): sliced into batches here, reshuffled every
 *     epoch when asked;
 *   - any iterable / async iterable of batches, such as a data.DataLoader
 *     (iterated afresh every epoch; it does its own batching and shuffling),
 *     whose batches hold tensors or `{ data, shape }` arrays.
 */
import { Tensor } from '../tensor/tensor';
import { asTensor, tensor } from '../tensor/create';
import { indexSelect } from '../ops';

export interface Batch {
  x: Tensor;
  y: Tensor;
  /** Whether the batch was assembled here (its memory can be recycled after use). */
  owned?: boolean;
}

/** Inputs and targets in memory, one sample per row of the first dimension. */
export interface TensorData {
  x: Tensor;
  y: Tensor;
}

/** A plain array with its shape (what data.Dataset and data.DataLoader hold). */
export interface ShapedData {
  data: Float32Array | Int32Array;
  shape: readonly number[];
}

export type TensorOrArray = Tensor | ShapedData;

/** In-memory samples as tensors or shaped arrays (a data.Dataset has this form). */
export interface SampleData {
  x: TensorOrArray;
  y: TensorOrArray;
}

export type BatchLike = { x: TensorOrArray; y: TensorOrArray } | [TensorOrArray, TensorOrArray];
export type BatchIterable = (Iterable<BatchLike> | AsyncIterable<BatchLike>) & { length?: number; numBatches?: number };
export type DataSpec = TensorData | SampleData | BatchIterable;

function isShaped(v: unknown): v is ShapedData {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as ShapedData;
  return (s.data instanceof Float32Array || s.data instanceof Int32Array) && Array.isArray(s.shape);
}

/** A tensor for a tensor or a shaped array (sharing its memory, no copy). */
export function toTensor(v: TensorOrArray, where: string, name: string): Tensor {
  if (v instanceof Tensor) return v;
  if (isShaped(v)) return asTensor(v.data, v.shape);
  throw new TypeError(`${where}: ${name} must be a Tensor or { data: Float32Array | Int32Array, shape }`);
}

export function isTensorData(d: unknown): d is TensorData {
  return typeof d === 'object' && d !== null && (d as TensorData).x instanceof Tensor && (d as TensorData).y instanceof Tensor;
}

function isSampleData(d: unknown): d is SampleData {
  if (typeof d !== 'object' || d === null || !('x' in d) || !('y' in d)) return false;
  const { x, y } = d as SampleData;
  return (x instanceof Tensor || isShaped(x)) && (y instanceof Tensor || isShaped(y));
}

function isIterable(d: unknown): d is BatchIterable {
  return typeof d === 'object' && d !== null && (Symbol.iterator in d || Symbol.asyncIterator in d);
}

/** Checks a data argument and that x and y agree on the number of samples. */
export function checkData(d: unknown, where: string): TensorData | BatchIterable {
  if (isSampleData(d)) {
    const x = toTensor(d.x, where, 'x');
    const y = toTensor(d.y, where, 'y');
    const n = x.shape[0];
    if (x.shape.length === 0 || y.shape.length === 0) throw new RangeError(`${where}: x and y need a first (sample) dimension`);
    if (y.shape[0] !== n) throw new RangeError(`${where}: x has ${n} samples but y has ${y.shape[0]}`);
    return { x, y };
  }
  if (isIterable(d)) return d;
  throw new TypeError(`${where}: data must be { x, y } (tensors, or a data.Dataset) or an iterable of batches (such as a data.DataLoader)`);
}

/** Number of batches per pass, when known. */
export function batchCount(d: TensorData | BatchIterable, batchSize: number): number | undefined {
  if (isTensorData(d)) return Math.ceil(d.x.shape[0] / batchSize);
  if (typeof d.numBatches === 'number') return d.numBatches;
  if (typeof d.length === 'number') return d.length;
  return undefined;
}

function toBatch(b: BatchLike, where: string): Batch {
  if (Array.isArray(b) && b.length === 2) return { x: toTensor(b[0], where, 'batch x'), y: toTensor(b[1], where, 'batch y') };
  if (b && typeof b === 'object' && 'x' in b && 'y' in b) return { x: toTensor(b.x, where, 'batch x'), y: toTensor(b.y, where, 'batch y') };
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
function* tensorBatches(d: TensorData, batchSize: number, random: (() => number) | null): Generator<Batch> {
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
    yield { x: indexSelect(d.x, 0, idx), y: indexSelect(d.y, 0, idx), owned: true };
  }
}

/** One pass over the data. */
export async function* iterateBatches(d: TensorData | BatchIterable, batchSize: number, random: (() => number) | null, where: string): AsyncGenerator<Batch> {
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
