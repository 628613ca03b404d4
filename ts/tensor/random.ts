/**
 * Seeded random tensors. One process-wide Philox4x32-10 stream (see
 * ./philox.ts) keyed by the seed: dd.manualSeed(n) restarts it, so a program
 * that seeds first draws the same numbers on every run and machine. Without
 * a call the seed is 0 (runs are reproducible by default, as in PyTorch).
 *   rand:    uniform float32 in [0, 1): the top 24 bits of a word times 2^-24
 *   randn:   standard normal, Box-Muller on pairs of words
 *   randint: uniform integers in [low, high) from 53-bit uniforms
 * Dropout takes one word of the stream as the seed of its own Philox stream.
 */
import { allocFloat32, allocInt32 } from './alloc';
import { checkDType } from './dtype';
import { checkShape, describe, numel } from './shape';
import { leaf, TensorOptions } from './create';
import { PhiloxStream } from './philox';
import { Tensor } from './tensor';

const stream = new PhiloxStream(0);

/** Restarts the global random stream at `seed` (an integer in [0, 2^53)). */
export function manualSeed(seed: number): void {
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > Number.MAX_SAFE_INTEGER) {
    throw new RangeError(`manualSeed: seed must be an integer in [0, 2^53), got ${describe(seed)}`);
  }
  stream.seed(seed);
}

export interface RngState {
  seed: number;
  /** Philox blocks consumed since the seed was set. */
  offset: number;
}

/** The position of the global stream, to restore later with setRngState(). */
export function getRngState(): RngState {
  return { seed: stream.currentSeed, offset: stream.offset };
}

export function setRngState(state: RngState): void {
  manualSeed(state?.seed);
  if (!Number.isInteger(state.offset) || state.offset < 0) {
    throw new RangeError(`setRngState: offset must be a non-negative integer, got ${describe(state.offset)}`);
  }
  stream.offset = state.offset;
}

/** @internal A uint32 seed for a native kernel's own stream (dropout). */
export function nextKernelSeed(): number {
  return stream.words(1)[0];
}

function floatOptions(options: TensorOptions | undefined, op: string): TensorOptions {
  const o = options ?? {};
  if (o.dtype !== undefined && checkDType(o.dtype, op) !== 'float32') {
    throw new TypeError(`${op}: makes float32 tensors; use randint for integers`);
  }
  return o;
}

/** Uniform samples in [0, 1). */
export function rand(shape: readonly number[], options?: TensorOptions): Tensor {
  const s = checkShape(shape, 'rand');
  const n = numel(s);
  const words = stream.words(n);
  const out = allocFloat32(n);
  for (let i = 0; i < n; i++) out[i] = (words[i] >>> 8) * 2 ** -24;
  return leaf(out, s, floatOptions(options, 'rand'), 'rand');
}

/** Standard normal samples (mean 0, variance 1). */
export function randn(shape: readonly number[], options?: TensorOptions): Tensor {
  const s = checkShape(shape, 'randn');
  const n = numel(s);
  const words = stream.words(n + (n % 2));
  const out = allocFloat32(n);
  for (let i = 0; i < n; i += 2) {
    const u1 = (words[i] + 0.5) * 2 ** -32; // in (0, 1): log is finite
    const u2 = words[i + 1] * 2 ** -32;
    const r = Math.sqrt(-2 * Math.log(u1));
    out[i] = r * Math.cos(2 * Math.PI * u2);
    if (i + 1 < n) out[i + 1] = r * Math.sin(2 * Math.PI * u2);
  }
  return leaf(out, s, floatOptions(options, 'randn'), 'randn');
}

function checkInt(name: string, v: unknown, op: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < -(2 ** 31) || v > 2 ** 31) {
    throw new RangeError(`${op}: ${name} must be an integer in [-2^31, 2^31], got ${describe(v)}`);
  }
  return v;
}

/** Uniform integers in [low, high) (int32 unless options.dtype is 'float32'). */
export function randint(low: number, high: number, shape: readonly number[], options?: TensorOptions): Tensor {
  const op = 'randint';
  checkInt('low', low, op);
  checkInt('high', high, op);
  if (high <= low) throw new RangeError(`${op}: high (${high}) must be greater than low (${low})`);
  const s = checkShape(shape, op);
  const n = numel(s);
  const dtype = options?.dtype === undefined ? 'int32' : checkDType(options.dtype, op);
  const words = stream.words(2 * n);
  const out = dtype === 'int32' ? allocInt32(n) : allocFloat32(n);
  const range = high - low;
  for (let i = 0; i < n; i++) {
    const u = ((words[2 * i] >>> 5) * 2 ** 26 + (words[2 * i + 1] >>> 6)) * 2 ** -53;
    out[i] = low + Math.floor(u * range);
  }
  return leaf(out, s, { ...options, dtype }, op);
}

/** A random permutation of 0..n-1 (int32), e.g. to shuffle a data set. */
export function randperm(n: number): Tensor {
  const op = 'randperm';
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 2 ** 31 - 1) {
    throw new RangeError(`${op}: n must be a non-negative int32, got ${describe(n)}`);
  }
  const out = allocInt32(n);
  for (let i = 0; i < n; i++) out[i] = i;
  const words = stream.words(2 * n);
  for (let i = n - 1; i > 0; i--) {
    const u = ((words[2 * i] >>> 5) * 2 ** 26 + (words[2 * i + 1] >>> 6)) * 2 ** -53;
    const j = Math.floor(u * (i + 1));
    const t = out[i];
    out[i] = out[j];
    out[j] = t;
  }
  return leaf(out, [n], {}, op);
}

export function randLike(t: Tensor, options?: TensorOptions): Tensor {
  return rand(t.shape, options);
}

export function randnLike(t: Tensor, options?: TensorOptions): Tensor {
  return randn(t.shape, options);
}
