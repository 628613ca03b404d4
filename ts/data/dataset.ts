/**
 * A dataset is samples with labels, held as two row-major arrays whose first
 * dimension is the sample index: x [N, ...sampleShape] (float32) and
 * y [N, ...labelShape] (int32 class indices or float32 targets). A subset is a
 * view (a list of row numbers into the same arrays), so splitting or
 * shuffling never copies the data.
 */
import { ShapedArray, checkShape, productOf } from './arrays';
import { SeededRandom } from './random';

export type LabelArray = Int32Array | Float32Array;

export class Dataset {
  private readonly features: ShapedArray<Float32Array>;
  private readonly targets: ShapedArray<LabelArray>;
  /** Rows of the arrays this dataset consists of, in order; null for all rows. */
  private readonly rows: Int32Array | null;
  private materialized: { x: ShapedArray<Float32Array>; y: ShapedArray<LabelArray> } | null = null;

  /** Samples x [N, ...] and labels y [N, ...] (the arrays are used as they are, not copied). */
  constructor(x: ShapedArray<Float32Array>, y: ShapedArray<LabelArray>, rows: Int32Array | null = null) {
    if (!(x?.data instanceof Float32Array)) throw new TypeError('Dataset: x.data must be a Float32Array');
    if (!(y?.data instanceof Int32Array || y?.data instanceof Float32Array)) throw new TypeError('Dataset: y.data must be an Int32Array or Float32Array');
    checkShape(x.shape, x.data.length, 'Dataset x');
    checkShape(y.shape, y.data.length, 'Dataset y');
    if (x.shape.length < 1 || y.shape.length < 1 || x.shape[0] !== y.shape[0]) {
      throw new RangeError(`Dataset: x [${x.shape}] and y [${y.shape}] must have the same first dimension (the sample count)`);
    }
    this.features = { data: x.data, shape: [...x.shape] };
    this.targets = { data: y.data, shape: [...y.shape] };
    this.rows = rows;
  }

  /** Number of samples. */
  get length(): number {
    return this.rows ? this.rows.length : this.features.shape[0];
  }

  /** Shape of one sample, e.g. [1, 28, 28]. */
  get sampleShape(): number[] {
    return this.features.shape.slice(1);
  }

  /** Shape of one label ([] for a class index). */
  get labelShape(): number[] {
    return this.targets.shape.slice(1);
  }

  get labelDtype(): 'int32' | 'float32' {
    return this.targets.data instanceof Int32Array ? 'int32' : 'float32';
  }

  /** Elements per sample and per label. */
  get sampleSize(): number {
    return productOf(this.sampleShape);
  }
  get labelSize(): number {
    return productOf(this.labelShape);
  }

  /** The row of the underlying arrays that holds sample i. */
  rowOf(i: number): number {
    if (!Number.isInteger(i) || i < 0 || i >= this.length) throw new RangeError(`Dataset: index ${i} is outside [0, ${this.length})`);
    return this.rows ? this.rows[i] : i;
  }

  /** Sample i as views into the dataset's arrays (no copy). */
  get(i: number): { x: Float32Array; y: LabelArray } {
    const r = this.rowOf(i);
    const s = this.sampleSize, l = this.labelSize;
    return { x: this.features.data.subarray(r * s, (r + 1) * s), y: this.targets.data.subarray(r * l, (r + 1) * l) };
  }

  /**
   * All samples as contiguous arrays. For a dataset made from arrays these are
   * those arrays; a subset gathers its rows into new arrays on first use and keeps them.
   */
  get x(): ShapedArray<Float32Array> {
    return this.arrays().x;
  }
  get y(): ShapedArray<LabelArray> {
    return this.arrays().y;
  }

  private arrays(): { x: ShapedArray<Float32Array>; y: ShapedArray<LabelArray> } {
    if (!this.rows) return { x: this.features, y: this.targets };
    if (!this.materialized) {
      const n = this.length;
      const x = new Float32Array(n * this.sampleSize);
      const y = this.targets.data instanceof Int32Array ? new Int32Array(n * this.labelSize) : new Float32Array(n * this.labelSize);
      this.gather(Int32Array.from({ length: n }, (_, i) => i), 0, n, x, y);
      this.materialized = { x: { data: x, shape: [n, ...this.sampleShape] }, y: { data: y, shape: [n, ...this.labelShape] } };
    }
    return this.materialized;
  }

  /**
   * Copies samples positions[start..end) into xOut and yOut from their start
   * (xOut needs (end-start)·sampleSize elements, yOut (end-start)·labelSize).
   */
  gather(positions: ArrayLike<number>, start: number, end: number, xOut: Float32Array, yOut: LabelArray): void {
    const s = this.sampleSize, l = this.labelSize;
    const xs = this.features.data, ys = this.targets.data;
    if (xOut.length < (end - start) * s || yOut.length < (end - start) * l) throw new RangeError('Dataset.gather: output arrays are too small');
    for (let k = start; k < end; k++) {
      const r = this.rowOf(positions[k]);
      const o = k - start;
      if (s === 1) xOut[o] = xs[r];
      else xOut.set(xs.subarray(r * s, (r + 1) * s), o * s);
      if (l === 1) yOut[o] = ys[r];
      else yOut.set(ys.subarray(r * l, (r + 1) * l), o * l);
    }
  }

  /** The samples at `indices` (positions in this dataset), as a view sharing the arrays. */
  subset(indices: ArrayLike<number>): Dataset {
    const rows = new Int32Array(indices.length);
    for (let k = 0; k < indices.length; k++) rows[k] = this.rowOf(indices[k]);
    return new Dataset(this.features, this.targets, rows);
  }
}

/**
 * Splits a dataset at random into a training part and a validation part
 * holding round(fraction · N) samples. The same seed gives the same split.
 */
export function trainValidationSplit(dataset: Dataset, validationFraction: number, seed = 0): { train: Dataset; validation: Dataset } {
  if (!(validationFraction >= 0 && validationFraction <= 1)) {
    throw new RangeError(`trainValidationSplit: fraction must be in [0, 1], got ${validationFraction}`);
  }
  const order = new SeededRandom(seed).permutation(dataset.length);
  const cut = Math.round(validationFraction * dataset.length);
  const validation = order.slice(0, cut).sort();
  const train = order.slice(cut).sort();
  return { train: dataset.subset(train), validation: dataset.subset(validation) };
}
