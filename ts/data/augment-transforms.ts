/**
 * Composable per-batch image augmentation (dd.data.augment):
 *
 *   const augment = dd.data.augment.compose(
 *     [randomShift({ pad: 2 }), horizontalFlip(), randomRotation(10), gaussianNoise(0.05)], { seed: 1 });
 *   await dd.fit(model, train, { augment, ... });     // or a data loader's `augment`
 *
 * Each transform works on a whole NCHW float32 batch through one native
 * kernel (augmentShiftFlip, augmentRotate, augmentGaussianNoise). The random
 * choices — offsets, flips, angles, the noise stream — come from Philox4x32-10
 * (the generator dropout uses), keyed by the pipeline's seed and counted by
 * (epoch, batch, transform), so batch b of epoch e is augmented the same way
 * on every run, whatever ran before it and on any number of threads.
 */
import { native } from '../native';
import type { BatchAugmenter } from './augment';
import { allocFloat32 } from '../tensor/alloc';
import { philoxBlock } from '../tensor/philox';
import { formatShape } from '../tensor/shape';
import { Tensor, wrap } from '../tensor/tensor';
import { rejectUnknownOptions } from '../options';

export type ImageShape = [number, number, number, number];

/** The random numbers of one transform for one batch: Philox blocks at counters (i, epoch, batch, stage). */
export class BatchRandom {
  private readonly block = new Uint32Array(4);
  private used = 4;
  private counter = 0;

  constructor(
    private readonly k0: number,
    private readonly k1: number,
    private readonly epoch: number,
    private readonly batch: number,
    private readonly stage: number,
  ) {}

  /** A uniform uint32. */
  uint32(): number {
    if (this.used === 4) {
      philoxBlock(this.counter++, this.epoch, this.batch, this.stage, this.k0, this.k1, this.block);
      this.used = 0;
    }
    return this.block[this.used++];
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return this.uint32() / 4294967296;
  }

  /** Uniform integer in [0, n) without modulo bias. */
  int(n: number): number {
    const limit = 4294967296 - (4294967296 % n);
    for (;;) {
      const r = this.uint32();
      if (r < limit) return r % n;
    }
  }
}

/** One step of a pipeline. */
export interface ImageTransform {
  readonly name: string;
  /** The batch shape this transform produces from `shape`; throws when it cannot take it. */
  outputShape(shape: ImageShape): ImageShape;
  /** Transforms x (of `shape`) into out (of outputShape(shape)); out never overlaps x. */
  run(x: Float32Array, shape: ImageShape, out: Float32Array, random: BatchRandom): void;
}

function nonNegative(where: string, name: string, v: unknown, integer = false): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (integer && !Number.isInteger(v))) {
    throw new RangeError(`${where}: ${name} must be a ${integer ? 'non-negative integer' : 'finite number >= 0'}, got ${String(v)}`);
  }
  return v;
}

function finite(where: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new RangeError(`${where}: ${name} must be a finite number, got ${String(v)}`);
  return v;
}

/** Integer crop/shift with optional flip, all through augmentShiftFlip. */
function shiftFlip(
  x: Float32Array, [n, c, h, w]: ImageShape, out: Float32Array, outH: number, outW: number,
  offsetY: Int32Array, offsetX: Int32Array, flip: Uint8Array, fill: number,
): void {
  native().augmentShiftFlip(x, out, n, c, h, w, outH, outW, offsetY, offsetX, flip, fill);
}

/** Shifts each image by a uniform whole number of pixels in [-pad, pad] along each axis; uncovered pixels read `fill`. */
export function randomShift(options: { pad: number; fill?: number }): ImageTransform {
  const where = 'randomShift';
  if (typeof options !== 'object' || options === null) throw new TypeError(`${where}: expected options { pad }`);
  rejectUnknownOptions(options, ['pad', 'fill'], where);
  const pad = nonNegative(where, 'pad', options.pad, true);
  const fill = finite(where, 'fill', options.fill ?? 0);
  return {
    name: `randomShift(${pad})`,
    outputShape: (s) => s,
    run(x, shape, out, random) {
      const n = shape[0];
      const dy = new Int32Array(n), dx = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        dy[i] = random.int(2 * pad + 1) - pad;
        dx[i] = random.int(2 * pad + 1) - pad;
      }
      shiftFlip(x, shape, out, shape[2], shape[3], dy, dx, new Uint8Array(n), fill);
    },
  };
}

/** Crops a random `size` window from each image padded by `padding` pixels of `fill` (the CIFAR-style crop). */
export function randomCrop(options: { size: number | [number, number]; padding?: number; fill?: number }): ImageTransform {
  const where = 'randomCrop';
  if (typeof options !== 'object' || options === null) throw new TypeError(`${where}: expected options { size, padding }`);
  rejectUnknownOptions(options, ['size', 'padding', 'fill'], where);
  const size = Array.isArray(options.size) ? options.size : [options.size, options.size];
  const outH = nonNegative(where, 'size (height)', size[0], true);
  const outW = nonNegative(where, 'size (width)', size[1], true);
  if (outH === 0 || outW === 0) throw new RangeError(`${where}: size must be positive, got ${JSON.stringify(options.size)}`);
  const padding = nonNegative(where, 'padding', options.padding ?? 0, true);
  const fill = finite(where, 'fill', options.fill ?? 0);
  return {
    name: `randomCrop(${outH}x${outW}, padding ${padding})`,
    outputShape([n, c, h, w]) {
      if (outH > h + 2 * padding || outW > w + 2 * padding) {
        throw new RangeError(`${where}: a ${outH}x${outW} crop does not fit ${h}x${w} images padded by ${padding}`);
      }
      return [n, c, outH, outW];
    },
    run(x, shape, out, random) {
      const [n, , h, w] = shape;
      const dy = new Int32Array(n), dx = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        dy[i] = random.int(h + 2 * padding - outH + 1) - padding;
        dx[i] = random.int(w + 2 * padding - outW + 1) - padding;
      }
      shiftFlip(x, shape, out, outH, outW, dy, dx, new Uint8Array(n), fill);
    },
  };
}

/** Mirrors each image left-right with probability p (default 0.5). */
export function horizontalFlip(options: { p?: number } = {}): ImageTransform {
  rejectUnknownOptions(options, ['p'], 'horizontalFlip');
  const p = options.p ?? 0.5;
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new RangeError(`horizontalFlip: p must be in [0, 1], got ${String(options.p)}`);
  return {
    name: `horizontalFlip(${p})`,
    outputShape: (s) => s,
    run(x, shape, out, random) {
      const n = shape[0];
      const flip = new Uint8Array(n);
      for (let i = 0; i < n; i++) flip[i] = random.uniform() < p ? 1 : 0;
      shiftFlip(x, shape, out, shape[2], shape[3], new Int32Array(n), new Int32Array(n), flip, 0);
    },
  };
}

/** Rotates each image about its centre by a uniform angle in [-degrees, degrees] (bilinear; outside reads `fill`). */
export function randomRotation(degrees: number, options: { fill?: number } = {}): ImageTransform {
  const where = 'randomRotation';
  rejectUnknownOptions(options, ['fill'], where);
  const maxRadians = (nonNegative(where, 'degrees', degrees) * Math.PI) / 180;
  const fill = finite(where, 'fill', options.fill ?? 0);
  return {
    name: `randomRotation(${degrees})`,
    outputShape: (s) => s,
    run(x, [n, c, h, w], out, random) {
      const angles = new Float32Array(n);
      for (let i = 0; i < n; i++) angles[i] = (2 * random.uniform() - 1) * maxRadians;
      native().augmentRotate(x, out, n, c, h, w, angles, fill);
    },
  };
}

/** Adds N(0, stddev²) noise to every pixel, clamped to `clamp` (e.g. [0, 1]) when given. */
export function gaussianNoise(stddev: number, options: { clamp?: [number, number] } = {}): ImageTransform {
  const where = 'gaussianNoise';
  rejectUnknownOptions(options, ['clamp'], where);
  nonNegative(where, 'stddev', stddev);
  const clamp = options.clamp;
  if (clamp !== undefined && !(Array.isArray(clamp) && clamp.length === 2 && clamp[0] <= clamp[1])) {
    throw new RangeError(`${where}: clamp must be [lo, hi] with lo <= hi`);
  }
  return {
    name: `gaussianNoise(${stddev})`,
    outputShape: (s) => s,
    run(x, _shape, out, random) {
      native().augmentGaussianNoise(x, out, stddev, random.uint32(), 0, clamp !== undefined, clamp?.[0] ?? 0, clamp?.[1] ?? 0);
    },
  };
}

function imageShape(shape: readonly number[], where: string): ImageShape {
  if (shape.length === 4) return [shape[0], shape[1], shape[2], shape[3]];
  if (shape.length === 3) return [shape[0], 1, shape[1], shape[2]];
  throw new RangeError(`${where}: expected images [n, c, h, w] (or [n, h, w]), got ${formatShape(shape)}; reshape flat rows to images first`);
}

function checkCounter(where: string, name: string, v: unknown): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= 4294967296) {
    throw new RangeError(`${where}: ${name} must be an integer in [0, 2^32), got ${String(v)}`);
  }
}

function product(s: readonly number[]): number {
  return s.reduce((a, b) => a * b, 1);
}

export interface ComposeOptions {
  /** Seed of every random choice (default 0); an integer below 2^53. */
  seed?: number;
}

/** Transforms applied in order to each batch; see the module comment for how its randomness is seeded. */
export class AugmentPipeline implements BatchAugmenter {
  readonly transforms: readonly ImageTransform[];
  readonly seed: number;
  private scratch: [Float32Array, Float32Array] = [new Float32Array(0), new Float32Array(0)];

  constructor(transforms: readonly ImageTransform[], options: ComposeOptions = {}) {
    if (!Array.isArray(transforms)) throw new TypeError('augment.compose: expected a list of transforms');
    transforms.forEach((t, i) => {
      if (!t || typeof t.run !== 'function' || typeof t.outputShape !== 'function') {
        throw new TypeError(`augment.compose: item ${i} is not a transform (use randomShift, randomCrop, horizontalFlip, randomRotation, gaussianNoise)`);
      }
    });
    rejectUnknownOptions(options, ['seed'], 'augment.compose');
    const seed = options.seed ?? 0;
    if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`augment.compose: seed must be a non-negative integer below 2^53, got ${String(seed)}`);
    this.transforms = [...transforms];
    this.seed = seed;
  }

  /** The shape of an augmented batch of `shape` ([n, c, h, w], or [n, h, w] kept 3-D). */
  outputShape(shape: readonly number[]): number[] {
    let s = imageShape(shape, 'augment');
    for (const t of this.transforms) s = t.outputShape(s);
    return shape.length === 3 ? [s[0], s[2], s[3]] : s;
  }

  private buffer(i: 0 | 1, size: number): Float32Array {
    if (this.scratch[i].length < size) this.scratch[i] = new Float32Array(size);
    return this.scratch[i].subarray(0, size);
  }

  /** Runs the transforms from x into out, with Philox key (k0, k1) and counters (epoch, batch, stage). */
  private run(x: Float32Array, shape: ImageShape, out: Float32Array, k0: number, k1: number, epoch: number, batch: number): void {
    if (this.transforms.length === 0) {
      out.set(x);
      return;
    }
    let current = x;
    let currentShape = shape;
    this.transforms.forEach((t, stage) => {
      const nextShape = t.outputShape(currentShape);
      const last = stage === this.transforms.length - 1;
      const target = last ? out : this.buffer((stage % 2) as 0 | 1, product(nextShape));
      t.run(current, currentShape, target, new BatchRandom(k0, k1, epoch, batch, stage));
      current = target;
      currentShape = nextShape;
    });
  }

  /** Augments batch `batch` of epoch `epoch` (what fit's `augment` option calls). x is [n, c, h, w] or [n, h, w]. */
  transform(x: Tensor, epoch = 0, batch = 0): Tensor {
    const where = 'augment';
    if (!(x instanceof Tensor)) throw new TypeError(`${where}: expected a Tensor batch`);
    checkCounter(where, 'epoch', epoch);
    checkCounter(where, 'batch', batch);
    const shape = imageShape(x.shape, where);
    const outShape = this.outputShape(x.shape);
    const out = allocFloat32(product(outShape));
    this.run(x._f32(where), shape, out, this.seed % 4294967296, Math.floor(this.seed / 4294967296), epoch, batch);
    return wrap(out, outShape);
  }

  /**
   * Augments a plain batch { data, shape } with the random choices of `seed`
   * (a uint32, e.g. one a data loader derives per batch), into `out` when
   * given. The same interface as data.ImageAugmenter's apply.
   */
  apply(batch: { data: Float32Array; shape: number[] }, seed: number, out?: Float32Array): { data: Float32Array; shape: number[] } {
    const where = 'augment';
    checkCounter(where, 'seed', seed);
    const shape = imageShape(batch.shape, where);
    if (batch.data.length !== product(shape)) throw new RangeError(`${where}: shape ${formatShape(batch.shape)} does not match ${batch.data.length} values`);
    const outShape = this.outputShape(batch.shape);
    const size = product(outShape);
    if (out !== undefined && out.length < size) throw new RangeError(`${where}: out needs ${size} elements, has ${out.length}`);
    const result = out === undefined ? new Float32Array(size) : out.subarray(0, size);
    // The batch seed keys one half of Philox and the pipeline seed the other.
    this.run(batch.data, shape, result, seed, this.seed % 4294967296, 0, 0);
    return { data: result, shape: outShape };
  }

  toString(): string {
    return `compose([${this.transforms.map((t) => t.name).join(', ')}], { seed: ${this.seed} })`;
  }
}

/** A pipeline of transforms applied in order to each training batch. */
export function compose(transforms: readonly ImageTransform[], options: ComposeOptions = {}): AugmentPipeline {
  return new AugmentPipeline(transforms, options);
}
