/**
 * Image augmentation for NCHW float32 batches, applied on the fly per batch.
 * The random choices (crop offsets, flips, angles, the noise seed) are drawn
 * here from a seeded generator and handed to the native kernels, so one
 * (options, seed) pair always gives the same batch, on any thread count.
 */
import { native } from '../native';
import { ShapedArray, checkShape } from './arrays';
import { SeededRandom } from './random';
import { rejectUnknownOptions } from '../options';

function imageShape(shape: readonly number[], what: string): [number, number, number, number] {
  if (!Array.isArray(shape) || shape.length !== 4) throw new RangeError(`${what}: expected an NCHW shape [n, c, h, w], got [${shape}]`);
  return shape as [number, number, number, number];
}

/**
 * Integer crop/shift with optional horizontal flip (see native augmentShiftFlip):
 * out[i,ch,y,x] = x[i,ch, y + offsetY[i], xs + offsetX[i]], xs = flip[i] ? outW-1-x : x.
 */
export function shiftFlipImages(
  x: ShapedArray<Float32Array>, outH: number, outW: number,
  offsetY: Int32Array, offsetX: Int32Array, flip: Uint8Array, fill = 0, out?: Float32Array,
): ShapedArray<Float32Array> {
  const [n, c, h, w] = imageShape(x.shape, 'shiftFlipImages');
  checkShape(x.shape, x.data.length, 'shiftFlipImages');
  const result = out ?? new Float32Array(n * c * outH * outW);
  native().augmentShiftFlip(x.data, result, n, c, h, w, outH, outW, offsetY, offsetX, flip, fill);
  return { data: result.subarray(0, n * c * outH * outW), shape: [n, c, outH, outW] };
}

/** Rotates each image about its centre by angles[i] radians (counter-clockwise), bilinear, `fill` outside. */
export function rotateImages(x: ShapedArray<Float32Array>, angles: Float32Array, fill = 0, out?: Float32Array): ShapedArray<Float32Array> {
  const [n, c, h, w] = imageShape(x.shape, 'rotateImages');
  checkShape(x.shape, x.data.length, 'rotateImages');
  const result = out ?? new Float32Array(x.data.length);
  native().augmentRotate(x.data, result, n, c, h, w, angles, fill);
  return { data: result.subarray(0, x.data.length), shape: [...x.shape] };
}

/**
 * Adds Gaussian noise of standard deviation `stddev` from the counter-based
 * stream `seed` (uint32); clamps to `clamp` when given. `out` may be x.data itself.
 */
export function addGaussianNoise(
  x: ShapedArray<Float32Array>, stddev: number, seed: number, clamp?: readonly [number, number], out?: Float32Array,
): ShapedArray<Float32Array> {
  checkShape(x.shape, x.data.length, 'addGaussianNoise');
  const result = out ?? new Float32Array(x.data.length);
  native().augmentGaussianNoise(x.data, result, stddev, seed >>> 0, 0, clamp !== undefined, clamp?.[0] ?? 0, clamp?.[1] ?? 0);
  return { data: result.subarray(0, x.data.length), shape: [...x.shape] };
}

export interface AugmentOptions {
  /** Random shift of up to this many pixels in each direction (same output size); padding reads `fill`. */
  shift?: number;
  /** Random crop of height × width (default the input size) from the image padded by `padding` pixels. */
  crop?: { padding?: number; height?: number; width?: number };
  /** Probability of a horizontal flip (true means 0.5). */
  flip?: boolean | number;
  /** Largest rotation in degrees; each image turns by a uniform angle in [-rotate, rotate]. */
  rotate?: number;
  /** Standard deviation of added Gaussian noise. */
  noise?: number;
  /** Range the result is clamped to after the noise, e.g. [0, 1]. */
  clamp?: [number, number];
  /** Value of pixels that come from outside the image (default 0). */
  fill?: number;
}

/** The random choices for one batch (what the kernels are given). */
export interface AugmentParameters {
  offsetY: Int32Array;
  offsetX: Int32Array;
  flip: Uint8Array;
  /** Radians. */
  angles: Float32Array;
  noiseSeed: number;
}

function nonNegative(value: number | undefined, name: string): number {
  const v = value ?? 0;
  if (!(Number.isFinite(v) && v >= 0)) throw new RangeError(`ImageAugmenter: '${name}' must be a non-negative number, got ${value}`);
  return v;
}

/**
 * What a DataLoader asks of its `augment` option: the augmented batch's shape,
 * and the augmentation of one batch under a per-batch seed. ImageAugmenter and
 * the pipelines of dd.data.augment.compose([...]) both are one.
 */
export interface BatchAugmenter {
  /** Shape of the augmented batch for an input batch of `shape` [n, c, h, w]. */
  outputShape(shape: readonly number[]): number[];
  /** Augments `batch` with the random choices of `seed` (a uint32), into `out` when given. */
  apply(batch: ShapedArray<Float32Array>, seed: number, out?: Float32Array): ShapedArray<Float32Array>;
}

/**
 * A seeded augmentation pipeline: crop/shift and flip, then rotation, then
 * noise, each only when asked for. Scratch buffers are kept between batches.
 */
export class ImageAugmenter implements BatchAugmenter {
  private readonly padding: number;
  private readonly cropHeight: number | undefined;
  private readonly cropWidth: number | undefined;
  private readonly flipProbability: number;
  private readonly maxRadians: number;
  private readonly noise: number;
  private readonly clamp: [number, number] | undefined;
  private readonly fill: number;
  private scratch = new Float32Array(0);

  constructor(readonly options: AugmentOptions) {
    rejectUnknownOptions(options, ['shift', 'crop', 'flip', 'rotate', 'noise', 'clamp', 'fill'], 'ImageAugmenter');
    if (options.crop !== undefined) rejectUnknownOptions(options.crop, ['padding', 'height', 'width'], 'ImageAugmenter (crop)');
    if (options.shift !== undefined && options.crop !== undefined) throw new RangeError("ImageAugmenter: give either 'shift' or 'crop', not both");
    this.padding = Math.floor(nonNegative(options.shift ?? options.crop?.padding, options.shift !== undefined ? 'shift' : 'crop.padding'));
    this.cropHeight = options.crop?.height;
    this.cropWidth = options.crop?.width;
    for (const [v, name] of [[this.cropHeight, 'crop.height'], [this.cropWidth, 'crop.width']] as const) {
      if (v !== undefined && !(Number.isInteger(v) && v >= 1)) throw new RangeError(`ImageAugmenter: '${name}' must be a positive integer, got ${v}`);
    }
    const flip = options.flip === true ? 0.5 : options.flip === false || options.flip === undefined ? 0 : options.flip;
    if (!(flip >= 0 && flip <= 1)) throw new RangeError(`ImageAugmenter: 'flip' must be a boolean or a probability, got ${options.flip}`);
    this.flipProbability = flip;
    this.maxRadians = (nonNegative(options.rotate, 'rotate') * Math.PI) / 180;
    this.noise = nonNegative(options.noise, 'noise');
    if (options.clamp !== undefined && !(options.clamp.length === 2 && options.clamp[0] <= options.clamp[1])) {
      throw new RangeError(`ImageAugmenter: 'clamp' must be [lo, hi] with lo <= hi`);
    }
    this.clamp = options.clamp;
    this.fill = options.fill ?? 0;
    if (!Number.isFinite(this.fill)) throw new RangeError(`ImageAugmenter: 'fill' must be finite`);
  }

  /** Shape of the augmented batch for an input batch of `shape` [n, c, h, w]. */
  outputShape(shape: readonly number[]): number[] {
    const [n, c, h, w] = imageShape(shape, 'ImageAugmenter');
    const outH = this.cropHeight ?? h, outW = this.cropWidth ?? w;
    if (outH > h + 2 * this.padding || outW > w + 2 * this.padding) {
      throw new RangeError(`ImageAugmenter: crop ${outH}x${outW} is larger than the padded image ${h + 2 * this.padding}x${w + 2 * this.padding}`);
    }
    return [n, c, outH, outW];
  }

  private get geometric(): boolean {
    return this.padding > 0 || this.cropHeight !== undefined || this.cropWidth !== undefined || this.flipProbability > 0;
  }

  /** The random choices for a batch of `shape` under `seed` (the same every time). */
  drawParameters(shape: readonly number[], seed: number): AugmentParameters {
    const [n, , h, w] = imageShape(shape, 'ImageAugmenter');
    const [, , outH, outW] = this.outputShape(shape);
    const rng = new SeededRandom(seed);
    const p = { offsetY: new Int32Array(n), offsetX: new Int32Array(n), flip: new Uint8Array(n), angles: new Float32Array(n), noiseSeed: 0 };
    // Offsets range over every window of the padded image: [-padding, h + padding - outH].
    const spanY = h + 2 * this.padding - outH + 1, spanX = w + 2 * this.padding - outW + 1;
    for (let i = 0; i < n; i++) {
      p.offsetY[i] = rng.int(spanY) - this.padding;
      p.offsetX[i] = rng.int(spanX) - this.padding;
      p.flip[i] = rng.next() < this.flipProbability ? 1 : 0;
      p.angles[i] = this.maxRadians > 0 ? rng.uniform(-this.maxRadians, this.maxRadians) : 0;
    }
    p.noiseSeed = rng.nextUint32();
    return p;
  }

  private scratchOf(size: number): Float32Array {
    if (this.scratch.length < size) this.scratch = new Float32Array(size);
    return this.scratch.subarray(0, size);
  }

  /**
   * Augments `batch` ([n, c, h, w]) with the choices drawn from `seed`, into
   * `out` (allocated when not given; must not overlap the input).
   */
  apply(batch: ShapedArray<Float32Array>, seed: number, out?: Float32Array): ShapedArray<Float32Array> {
    checkShape(batch.shape, batch.data.length, 'ImageAugmenter');
    const shape = this.outputShape(batch.shape);
    const size = shape[0] * shape[1] * shape[2] * shape[3];
    const result = out ? out.subarray(0, size) : new Float32Array(size);
    if (result.length < size) throw new RangeError(`ImageAugmenter: 'out' needs ${size} elements, has ${result.length}`);
    const p = this.drawParameters(batch.shape, seed);
    const rotate = this.maxRadians > 0;
    let current = batch;
    if (this.geometric) {
      current = shiftFlipImages(current, shape[2], shape[3], p.offsetY, p.offsetX, p.flip, this.fill, rotate ? this.scratchOf(size) : result);
    }
    if (rotate) current = rotateImages(current, p.angles, this.fill, result);
    if (this.noise > 0 || this.clamp) {
      addGaussianNoise(current, this.noise, p.noiseSeed, this.clamp, result);
    } else if (current.data.buffer !== result.buffer || current.data.byteOffset !== result.byteOffset) {
      result.set(current.data);
    }
    return { data: result, shape };
  }
}
