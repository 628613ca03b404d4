/**
 * Batches from a Dataset: optionally shuffled with a new permutation each
 * epoch (derived from the seed and the epoch number, so any epoch can be
 * reproduced on its own), optionally augmented, with the last partial batch
 * kept unless dropLast is set.
 *
 * Buffer reuse. By default a loader assembles batches into a ring of two
 * buffer sets that it owns, instead of allocating new arrays per batch. The
 * rule: a batch stays intact while the loader yields the next batch; when the
 * batch after that is assembled, the first batch's arrays are detached (their
 * memory moves to the new batch, and the old views read as length 0). So the
 * current and the previous batch are always safe (enough for a loop that
 * prefetches one batch), and code that keeps a batch longer gets empty arrays
 * (and errors from anything that checks lengths), never silently changed data.
 * To keep batches, copy them (`batch.x.data.slice()`) or create the loader
 * with `reuseBuffers: false`, which gives every batch fresh arrays.
 */
import { ShapedArray, productOf } from './arrays';
import { Dataset, LabelArray } from './dataset';
import type { BatchAugmenter } from './augment';
import { SeededRandom, deriveSeed } from './random';
import { rejectUnknownOptions } from '../options';

export interface DataLoaderOptions {
  batchSize: number;
  /** Visit the samples in a new random order each epoch (default false: dataset order). */
  shuffle?: boolean;
  /** Seed of the shuffling and augmentation (default 0). */
  seed?: number;
  /** Skip the last batch when it would be smaller than batchSize (default false). */
  dropLast?: boolean;
  /**
   * Augmentation applied to each batch's x (NCHW samples), seeded per (epoch, batch):
   * dd.data.augment.compose([...]) or an ImageAugmenter.
   */
  augment?: BatchAugmenter;
  /** Reuse a ring of two buffer sets (default true); see the module comment for when a batch is overwritten. */
  reuseBuffers?: boolean;
}

export interface Batch {
  x: ShapedArray<Float32Array>;
  y: ShapedArray<LabelArray>;
  /** Positions in the dataset of this batch's samples. */
  indices: Int32Array;
  epoch: number;
  /** Batch number within the epoch. */
  index: number;
}

// Stream ids for deriveSeed, so shuffling and augmentation never share random numbers.
const SHUFFLE_STREAM = 1;
const AUGMENT_STREAM = 2;

/** The same memory under a new ArrayBuffer object; views of the old one become detached (length 0). */
function moveBuffer(buffer: ArrayBuffer): ArrayBuffer {
  return structuredClone(buffer, { transfer: [buffer] });
}

interface BufferSet {
  x: Float32Array;
  y: LabelArray;
}

export class DataLoader implements Iterable<Batch> {
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly seed: number;
  readonly dropLast: boolean;
  private readonly augment: BatchAugmenter | undefined;
  private readonly reuseBuffers: boolean;
  private ring: BufferSet[] = [];
  private assembled = 0; // batches assembled so far, across epochs: picks the ring slot
  private gatherScratch = new Float32Array(0);
  private nextEpoch = 0;

  constructor(readonly dataset: Dataset, options: DataLoaderOptions) {
    if (!(dataset instanceof Dataset)) throw new TypeError('DataLoader: expected a Dataset');
    rejectUnknownOptions(options, ['batchSize', 'shuffle', 'seed', 'dropLast', 'augment', 'reuseBuffers'], 'DataLoader');
    const { batchSize } = options;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`DataLoader: batchSize must be a positive integer, got ${batchSize}`);
    this.batchSize = batchSize;
    this.shuffle = options.shuffle ?? false;
    this.seed = options.seed ?? 0;
    if (!Number.isInteger(this.seed)) throw new RangeError(`DataLoader: seed must be an integer, got ${this.seed}`);
    this.dropLast = options.dropLast ?? false;
    const augment = options.augment;
    if (augment !== undefined && (typeof augment?.apply !== 'function' || typeof augment.outputShape !== 'function')) {
      throw new TypeError('DataLoader: augment must have apply(batch, seed, out) and outputShape(shape) (e.g. dd.data.augment.compose([...]))');
    }
    this.augment = augment;
    this.reuseBuffers = options.reuseBuffers ?? true;
    if (this.augment && dataset.sampleShape.length !== 3) {
      throw new RangeError(`DataLoader: augmentation needs image samples [c, h, w], got [${dataset.sampleShape}]`);
    }
  }

  /** Batches per epoch. */
  get length(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** The order samples are visited in during `epoch`. */
  order(epoch: number): Int32Array {
    const n = this.dataset.length;
    if (!this.shuffle) return Int32Array.from({ length: n }, (_, i) => i);
    return new SeededRandom(deriveSeed(this.seed, SHUFFLE_STREAM, epoch)).permutation(n);
  }

  /** The batches of epoch `epoch` (0-based); the same epoch always gives the same batches. */
  *epoch(epoch: number): Generator<Batch> {
    if (!Number.isInteger(epoch) || epoch < 0) throw new RangeError(`DataLoader: epoch must be a non-negative integer, got ${epoch}`);
    const order = this.order(epoch);
    for (let b = 0; b < this.length; b++) {
      const start = b * this.batchSize;
      const end = Math.min(start + this.batchSize, order.length);
      yield this.assemble(order, start, end, epoch, b);
    }
  }

  /** Iterating the loader runs the next epoch: 0, then 1, ... */
  [Symbol.iterator](): Iterator<Batch> {
    return this.epoch(this.nextEpoch++);
  }

  private buffers(): BufferSet {
    const ds = this.dataset;
    const make = (): BufferSet => {
      const x = this.augment ? productOf(this.augment.outputShape([this.batchSize, ...ds.sampleShape])) : ds.sampleSize * this.batchSize;
      const y = ds.labelSize * this.batchSize;
      return { x: new Float32Array(x), y: ds.labelDtype === 'int32' ? new Int32Array(y) : new Float32Array(y) };
    };
    if (!this.reuseBuffers) return make();
    const slot = this.assembled % 2;
    const previous = this.ring[slot];
    if (!previous) return (this.ring[slot] = make());
    // Move the memory to fresh ArrayBuffer objects (no copy): the batch that used it is detached.
    const x = moveBuffer(previous.x.buffer as ArrayBuffer);
    const y = moveBuffer(previous.y.buffer as ArrayBuffer);
    this.ring[slot] = { x: new Float32Array(x), y: previous.y instanceof Int32Array ? new Int32Array(y) : new Float32Array(y) };
    return this.ring[slot];
  }

  private assemble(order: Int32Array, start: number, end: number, epoch: number, index: number): Batch {
    const ds = this.dataset;
    const n = end - start;
    const set = this.buffers();
    this.assembled++;
    const y = set.y.subarray(0, n * ds.labelSize);
    let x: ShapedArray<Float32Array>;
    if (this.augment) {
      if (this.gatherScratch.length < n * ds.sampleSize) this.gatherScratch = new Float32Array(this.batchSize * ds.sampleSize);
      const raw = this.gatherScratch.subarray(0, n * ds.sampleSize);
      ds.gather(order, start, end, raw, y);
      x = this.augment.apply({ data: raw, shape: [n, ...ds.sampleShape] }, deriveSeed(this.seed, AUGMENT_STREAM, epoch, index), set.x);
    } else {
      const data = set.x.subarray(0, n * ds.sampleSize);
      ds.gather(order, start, end, data, y);
      x = { data, shape: [n, ...ds.sampleShape] };
    }
    return { x, y: { data: y, shape: [n, ...ds.labelShape] }, indices: order.slice(start, end), epoch, index };
  }
}
