/** Tensor creation: from JS data, and filled with constants or ranges. */
import { allocFloat32, allocInt32, allocZeros, allocZerosInt32 } from './alloc';
import { checkDType, DType, TypedData } from './dtype';
import { flattenInto, inferShape } from './nested';
import { checkShape, describe, formatShape, MAX_NUMEL, numel } from './shape';
import { Storage } from './storage';
import { Tensor } from './tensor';
import { rejectUnknownOptions } from '../options';

export interface TensorOptions {
  /** 'float32' (default; int32 for an Int32Array) or 'int32' for labels and indices. */
  dtype?: DType;
  /** Whether gradients flow to the new (leaf) tensor. float32 only. */
  requiresGrad?: boolean;
}

/** Data dd.tensor() accepts: a number, nested arrays of numbers, a typed array, or a Tensor (copied). */
export type TensorData = number | boolean | readonly unknown[] | ArrayLike<number> | Tensor;

/** Checks creation options (only the `known` names, a misspelt one is an error); undefined gives {}. */
export function readTensorOptions(options: unknown, op: string, known: readonly string[] = ['dtype', 'requiresGrad']): TensorOptions {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`${op}: options must be an object like { dtype, requiresGrad }, got ${describe(options)}`);
  }
  rejectUnknownOptions(options, known, op);
  const o = options as TensorOptions;
  if (o.dtype !== undefined) checkDType(o.dtype, op);
  if (o.requiresGrad !== undefined && typeof o.requiresGrad !== 'boolean') {
    throw new TypeError(`${op}: requiresGrad must be a boolean, got ${describe(o.requiresGrad)}`);
  }
  return o;
}

/** A leaf tensor on `data` (pinned: user code may hold it). */
export function leaf(data: TypedData, shape: readonly number[], options: TensorOptions, op: string): Tensor {
  const t = new Tensor(new Storage(data, true), shape, data instanceof Int32Array ? 'int32' : 'float32');
  if (options.requiresGrad) {
    if (t.dtype !== 'float32') throw new TypeError(`${op}: only float32 tensors can require gradients, not ${t.dtype}`);
    t.requiresGrad = true;
  }
  return t;
}

function alloc(dtype: DType, n: number): TypedData {
  return dtype === 'int32' ? allocInt32(n) : allocFloat32(n);
}

/** Checks that float values fit int32 exactly; RangeError naming the first that does not. */
function checkIntegers(values: ArrayLike<number>, op: string): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647) {
      throw new RangeError(`${op}: element ${i} (${v}) is not an int32 value; int32 tensors hold integers in [-2^31, 2^31)`);
    }
  }
}

/**
 * A new tensor holding a copy of `data`.
 *   dd.tensor([[1, 2], [3, 4]])                  shape [2, 2]
 *   dd.tensor(new Float32Array(6), [2, 3])       flat data with a shape
 *   dd.tensor([0, 2, 1], { dtype: 'int32' })     labels
 */
export function tensor(data: TensorData, shape?: readonly number[] | TensorOptions, options?: TensorOptions): Tensor {
  const op = 'tensor';
  if (shape !== undefined && !Array.isArray(shape)) {
    if (options !== undefined) throw new TypeError(`${op}: the second argument must be a shape array when options are given too`);
    options = shape as TensorOptions;
    shape = undefined;
  }
  const opts = readTensorOptions(options, op);
  let inferred: number[];
  let source: ArrayLike<number> | null = null;
  if (data instanceof Tensor) {
    // A copy, cut from the graph (as torch.tensor(t) gives); keeps the dtype unless told.
    return tensor(data._typed(), shape ?? data.shape, { dtype: data.dtype, ...opts });
  }
  if (typeof data === 'number' || typeof data === 'boolean') {
    inferred = [];
    source = [Number(data)];
  } else if (Array.isArray(data)) {
    inferred = inferShape(data, op);
  } else if (ArrayBuffer.isView(data) && !(data instanceof DataView)) {
    if (typeof (data as unknown as { [0]: unknown })[0] === 'bigint') {
      throw new TypeError(`${op}: BigInt arrays are not supported; convert to Int32Array or Float32Array`);
    }
    source = data as ArrayLike<number>;
    inferred = [source.length];
  } else {
    throw new TypeError(`${op}: data must be a number, nested arrays of numbers or a typed array, got ${describe(data)}`);
  }
  const n = numel(inferred);
  const finalShape = shape === undefined ? inferred : checkShape(shape, op);
  if (numel(finalShape) !== n) {
    throw new RangeError(`${op}: data has ${n} elements (shape ${formatShape(inferred)}) but shape ${formatShape(finalShape)} needs ${numel(finalShape)}`);
  }
  const dtype: DType = opts.dtype ?? (data instanceof Int32Array ? 'int32' : 'float32');
  const out = alloc(dtype, n);
  if (source !== null) {
    if (dtype === 'int32' && !(source instanceof Int32Array)) checkIntegers(source, op);
    out.set(source as ArrayLike<number>);
  } else {
    if (dtype === 'int32') {
      const tmp = new Float64Array(n);
      flattenInto(data, tmp, n);
      checkIntegers(tmp, op);
      out.set(tmp);
    } else {
      flattenInto(data, out, n);
    }
  }
  return leaf(out, finalShape, opts, op);
}

/**
 * A tensor on the given typed array's memory, without copying (as
 * torch.as_tensor): writes to either are seen by both.
 */
export function asTensor(data: Float32Array | Int32Array, shape?: readonly number[], options?: { requiresGrad?: boolean }): Tensor {
  const op = 'asTensor';
  if (!(data instanceof Float32Array) && !(data instanceof Int32Array)) {
    throw new TypeError(`${op}: data must be a Float32Array or an Int32Array (use dd.tensor() to copy other data), got ${describe(data)}`);
  }
  const s = shape === undefined ? [data.length] : checkShape(shape, op);
  if (numel(s) !== data.length) {
    throw new RangeError(`${op}: data has ${data.length} elements but shape ${formatShape(s)} needs ${numel(s)}`);
  }
  return leaf(data, s, readTensorOptions(options, op, ['requiresGrad']), op);
}

/** A tensor of the given shape filled with `value`. */
export function full(shape: readonly number[], value: number, options?: TensorOptions): Tensor {
  return filled(shape, value, options, 'full');
}

/** full() under the name of the function the caller called, for its messages. */
function filled(shape: readonly number[], value: number, options: TensorOptions | undefined, op: string): Tensor {
  const s = checkShape(shape, op);
  const opts = readTensorOptions(options, op);
  if (typeof value !== 'number') throw new TypeError(`${op}: value must be a number, got ${describe(value)}`);
  const dtype = opts.dtype ?? 'float32';
  if (dtype === 'int32') checkIntegers([value], op);
  let out: TypedData;
  if (value === 0 && !Object.is(value, -0)) {
    // Fresh memory is zero already; writing zeros would only fault its pages in.
    out = dtype === 'int32' ? allocZerosInt32(numel(s)) : allocZeros(numel(s));
  } else {
    out = alloc(dtype, numel(s));
    out.fill(value);
  }
  return leaf(out, s, opts, op);
}

export function zeros(shape: readonly number[], options?: TensorOptions): Tensor {
  return filled(shape, 0, options, 'zeros');
}

export function ones(shape: readonly number[], options?: TensorOptions): Tensor {
  return filled(shape, 1, options, 'ones');
}

function likeOptions(t: Tensor, options: TensorOptions | undefined, op: string): TensorOptions {
  if (!(t instanceof Tensor)) throw new TypeError(`${op}: expected a Tensor, got ${describe(t)}`);
  return { dtype: t.dtype, ...readTensorOptions(options, op) };
}

export function zerosLike(t: Tensor, options?: TensorOptions): Tensor {
  return full(t.shape, 0, likeOptions(t, options, 'zerosLike'));
}

export function onesLike(t: Tensor, options?: TensorOptions): Tensor {
  return full(t.shape, 1, likeOptions(t, options, 'onesLike'));
}

export function fullLike(t: Tensor, value: number, options?: TensorOptions): Tensor {
  return full(t.shape, value, likeOptions(t, options, 'fullLike'));
}

/**
 * Values from start (inclusive) to end (exclusive) in steps of step:
 * arange(5) is [0, 1, 2, 3, 4]; arange(1, 2, 0.25) is [1, 1.25, 1.5, 1.75].
 */
export function arange(start: number, end?: number, step?: number, options?: TensorOptions): Tensor {
  const op = 'arange';
  if (end === undefined) {
    end = start;
    start = 0;
  }
  step ??= 1;
  for (const [name, v] of [['start', start], ['end', end], ['step', step]] as const) {
    if (typeof v !== 'number') throw new TypeError(`${op}: ${name} must be a number, got ${describe(v)}`);
    if (!Number.isFinite(v)) throw new RangeError(`${op}: ${name} must be finite, got ${v}`);
  }
  if (step === 0) throw new RangeError(`${op}: step must not be zero`);
  const n = Math.max(0, Math.ceil((end - start) / step));
  // The same element cap as every other creation path, checked before any memory is asked for.
  if (n > MAX_NUMEL) throw new RangeError(`${op}: (end - start) / step = ${n} elements, more than ${MAX_NUMEL} (start ${start}, end ${end}, step ${step})`);
  const opts = readTensorOptions(options, op);
  const dtype = opts.dtype ?? 'float32';
  const out = alloc(dtype, n);
  for (let i = 0; i < n; i++) out[i] = start + i * step;
  if (dtype === 'int32') checkIntegers(Array.from({ length: Math.min(n, 2) }, (_, i) => start + i * step), op);
  return leaf(out, [n], opts, op);
}

/** `steps` evenly spaced values from start to end, both included. */
export function linspace(start: number, end: number, steps: number, options?: TensorOptions): Tensor {
  const op = 'linspace';
  if (!Number.isFinite(start) || !Number.isFinite(end)) throw new RangeError(`${op}: start and end must be finite, got ${start} and ${end}`);
  if (!Number.isInteger(steps) || steps < 0) throw new RangeError(`${op}: steps must be a non-negative integer, got ${steps}`);
  checkShape([steps], op);
  const out = allocFloat32(steps);
  for (let i = 0; i < steps; i++) out[i] = steps === 1 ? start : start + ((end - start) * i) / (steps - 1);
  return leaf(out, [steps], readTensorOptions(options, op), op);
}

/** The n×m identity matrix (m defaults to n). */
export function eye(n: number, m = n, options?: TensorOptions): Tensor {
  const s = checkShape([n, m], 'eye');
  const opts = readTensorOptions(options, 'eye');
  const out = alloc(opts.dtype ?? 'float32', n * m);
  out.fill(0);
  for (let i = 0; i < Math.min(n, m); i++) out[i * m + i] = 1;
  return leaf(out, s, opts, 'eye');
}
