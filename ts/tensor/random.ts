/**
 * Seeded random tensors. Draws come from a Philox4x32-10 stream (see
 * ./philox.ts) keyed by a seed: the process-wide one by default, which
 * dd.manualSeed(n) restarts, so a program that seeds first draws the same
 * numbers on every run and machine (without a call the seed is 0, as in
 * PyTorch). A dd.Generator is a stream of its own: withGenerator(g, fn) makes
 * everything fn runs draw from g (after its awaits too: the choice travels
 * with the async context), so two trainings interleaved on one event loop
 * each stay reproducible.
 *   rand:    uniform float32 in [0, 1): the top 24 bits of a word times 2^-24
 *   randn:   standard normal, Box-Muller on pairs of words
 *   randint: uniform integers in [low, high) from 53-bit uniforms
 * Dropout takes one word of the stream as the seed of its own Philox stream.
 */
import { AsyncLocalStorage } from 'async_hooks';
import { allocFloat32, allocInt32 } from './alloc';
import { checkDType } from './dtype';
import { checkShape, describe, numel } from './shape';
import { leaf, readTensorOptions, TensorOptions } from './create';
import { PhiloxStream } from './philox';
import { Tensor } from './tensor';

function checkSeed(seed: unknown, where: string): number {
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > Number.MAX_SAFE_INTEGER) {
    throw new RangeError(`${where}: seed must be an integer in [0, 2^53), got ${describe(seed)}`);
  }
  return seed;
}

export interface RngState {
  seed: number;
  /** Philox blocks consumed since the seed was set. */
  offset: number;
}

function checkState(state: unknown, where: string): RngState {
  const st = state as RngState;
  if (st === null || typeof st !== 'object') throw new TypeError(`${where}: expected { seed, offset }, got ${describe(state)}`);
  checkSeed(st.seed, where);
  if (!Number.isInteger(st.offset) || st.offset < 0) throw new RangeError(`${where}: offset must be a non-negative integer, got ${describe(st.offset)}`);
  return st;
}

/**
 * A random stream of its own (as torch.Generator): seeded, with a state that
 * can be saved and restored. Give it to withGenerator, or to fit's
 * `generator` option, to draw from it instead of the global stream.
 */
export class Generator {
  /** @internal */
  readonly _stream: PhiloxStream;

  constructor(seed = 0) {
    this._stream = new PhiloxStream(checkSeed(seed, 'Generator'));
  }

  /** Restarts the stream at `seed`; returns this. */
  manualSeed(seed: number): this {
    this._stream.seed(checkSeed(seed, 'Generator.manualSeed'));
    return this;
  }

  /** The seed the stream started from. */
  get seed(): number {
    return this._stream.currentSeed;
  }

  getState(): RngState {
    return { seed: this._stream.currentSeed, offset: this._stream.offset };
  }

  setState(state: RngState): this {
    const st = checkState(state, 'Generator.setState');
    this._stream.seed(st.seed);
    this._stream.offset = st.offset;
    return this;
  }
}

const globalGenerator = new Generator(0);
let scoped: AsyncLocalStorage<Generator> | null = null;

/** The generator draws come from here: the innermost withGenerator's, else the global one. */
function current(): PhiloxStream {
  return (scoped?.getStore() ?? globalGenerator)._stream;
}

/**
 * Runs fn (sync or async) with every random draw it makes (rand, randn,
 * randint, randperm, dropout masks, initialisations) taken from `generator`,
 * after its awaits too, and returns what fn returns. Code running meanwhile
 * elsewhere keeps drawing from its own stream.
 */
export function withGenerator<T>(generator: Generator, fn: () => T): T {
  if (!(generator instanceof Generator)) throw new TypeError(`withGenerator: expected a dd.Generator, got ${describe(generator)}`);
  if (typeof fn !== 'function') throw new TypeError(`withGenerator: expected a function, got ${describe(fn)}`);
  if (scoped === null) scoped = new AsyncLocalStorage<Generator>();
  return scoped.run(generator, fn);
}

/** Restarts the global random stream at `seed` (an integer in [0, 2^53)). */
export function manualSeed(seed: number): void {
  globalGenerator._stream.seed(checkSeed(seed, 'manualSeed'));
}

/** The position of the global stream, to restore later with setRngState(). */
export function getRngState(): RngState {
  return globalGenerator.getState();
}

export function setRngState(state: RngState): void {
  const st = checkState(state, 'setRngState');
  globalGenerator._stream.seed(st.seed);
  globalGenerator._stream.offset = st.offset;
}

/** @internal A uint32 seed for a native kernel's own stream (dropout). */
export function nextKernelSeed(): number {
  return current().words(1)[0];
}

function floatOptions(options: TensorOptions | undefined, op: string): TensorOptions {
  const o = readTensorOptions(options, op);
  if (o.dtype !== undefined && checkDType(o.dtype, op) !== 'float32') {
    throw new TypeError(`${op}: makes float32 tensors; use randint for integers`);
  }
  return o;
}

/** Uniform samples in [0, 1). */
export function rand(shape: readonly number[], options?: TensorOptions): Tensor {
  const s = checkShape(shape, 'rand');
  const n = numel(s);
  const words = current().words(n);
  const out = allocFloat32(n);
  for (let i = 0; i < n; i++) out[i] = (words[i] >>> 8) * 2 ** -24;
  return leaf(out, s, floatOptions(options, 'rand'), 'rand');
}

/** Standard normal samples (mean 0, variance 1). */
export function randn(shape: readonly number[], options?: TensorOptions): Tensor {
  const s = checkShape(shape, 'randn');
  const n = numel(s);
  const words = current().words(n + (n % 2));
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
  const o = readTensorOptions(options, op);
  const dtype = o.dtype === undefined ? 'int32' : checkDType(o.dtype, op);
  const words = current().words(2 * n);
  const out = dtype === 'int32' ? allocInt32(n) : allocFloat32(n);
  const range = high - low;
  for (let i = 0; i < n; i++) {
    const u = ((words[2 * i] >>> 5) * 2 ** 26 + (words[2 * i + 1] >>> 6)) * 2 ** -53;
    out[i] = low + Math.floor(u * range);
  }
  return leaf(out, s, { ...o, dtype }, op);
}

/** A random permutation of 0..n-1 (int32), e.g. to shuffle a data set. */
export function randperm(n: number): Tensor {
  const op = 'randperm';
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 2 ** 31 - 1) {
    throw new RangeError(`${op}: n must be a non-negative int32, got ${describe(n)}`);
  }
  const out = allocInt32(n);
  for (let i = 0; i < n; i++) out[i] = i;
  const words = current().words(2 * n);
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
