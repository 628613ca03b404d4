/**
 * The max-norm constraint (Srebro et al. 2005; Hinton et al. 2012, with
 * dropout): after every update, each unit's weight vector whose L2 norm
 * exceeds c is scaled back to norm c. Vectors already inside the ball are
 * left exactly as they are.
 *
 * `axis` names the axes the norm is taken over, as in Keras. The default is
 * every axis but the first: with dendrite's layouts (Linear [out, in], Conv2d
 * OIHW, Embedding [num, dim]) that is one vector per output unit, filter or
 * embedding row — what Keras's maxNorm(axis=0) does for its [in, out] kernels.
 * A 1-D parameter (a bias) is one vector.
 *
 * When the norm axes are the trailing ones the native maxNormRows kernel works
 * on the parameter in place; otherwise the parameter is permuted so that they
 * are, projected, and permuted back.
 */
import { native } from '../native';
import { formatShape } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import type { Constraint } from './policy';
import { rejectUnknownOptions } from '../options';

export interface MaxNormOptions {
  /** Axis or axes the norm is computed over (negative counts from the end). Default: all but the first (rank >= 2), else all. */
  axis?: number | number[];
}

function product(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

class MaxNorm implements Constraint {
  readonly kind = 'maxNorm' as const;
  private readonly axes: number[] | undefined;
  private scratch = new Float32Array(0);

  constructor(readonly maxValue: number, axis: number | number[] | undefined) {
    if (axis === undefined) {
      this.axes = undefined;
      return;
    }
    const list = Array.isArray(axis) ? axis : [axis];
    if (list.length === 0 || list.some((a) => !Number.isInteger(a))) {
      throw new RangeError(`maxNorm: axis must be an integer or a non-empty list of integers, got ${JSON.stringify(axis)}`);
    }
    this.axes = [...list];
  }

  /** The norm axes for a parameter of `rank`, sorted, each once. */
  private normAxes(shape: readonly number[]): number[] {
    const rank = shape.length;
    if (this.axes === undefined) return rank >= 2 ? Array.from({ length: rank - 1 }, (_, i) => i + 1) : rank === 1 ? [0] : [];
    const out = new Set<number>();
    for (const a of this.axes) {
      const k = a < 0 ? a + rank : a;
      if (k < 0 || k >= rank) throw new RangeError(`maxNorm: axis ${a} is out of range for a parameter of shape ${formatShape(shape)}`);
      out.add(k);
    }
    return [...out].sort((x, y) => x - y);
  }

  apply(param: Tensor): void {
    const data = param._f32('maxNorm');
    if (data.length === 0) return;
    const shape = param.shape;
    const rank = shape.length;
    const norm = this.normAxes(shape);
    const keep = Array.from({ length: rank }, (_, i) => i).filter((i) => !norm.includes(i));
    const cols = product(norm.map((a) => shape[a]));
    const rows = product(keep.map((a) => shape[a]));
    const trailing = norm.every((a, i) => a === rank - norm.length + i);
    if (trailing) {
      native().maxNormRows(data, rows, cols, this.maxValue);
      return;
    }
    // Bring the norm axes to the end, project, and put the values back in the original order.
    if (this.scratch.length < data.length) this.scratch = new Float32Array(data.length);
    const moved = this.scratch.subarray(0, data.length);
    const perm = [...keep, ...norm];
    const inverse = new Int32Array(rank);
    perm.forEach((axis, i) => (inverse[axis] = i));
    native().permute(data, Int32Array.from(shape), Int32Array.from(perm), moved);
    native().maxNormRows(moved, rows, cols, this.maxValue);
    native().permute(moved, Int32Array.from(perm.map((a) => shape[a])), inverse, data);
  }

  afterUpdate(param: Tensor): void {
    this.apply(param);
  }

  /** A constraint adds nothing to the loss. */
  penalty(): number {
    return 0;
  }

  /** …nor to the gradient. */
  addGradient(): void {}

  toJSON(): { kind: string; maxValue: number; axis?: number[] } {
    return this.axes === undefined ? { kind: this.kind, maxValue: this.maxValue } : { kind: this.kind, maxValue: this.maxValue, axis: [...this.axes] };
  }

  toString(): string {
    return `maxNorm(${this.maxValue}${this.axes === undefined ? '' : `, { axis: [${this.axes}] }`})`;
  }
}

/** Keeps every unit's incoming weight vector inside the L2 ball of radius c (default 3, as Hinton et al.). */
export function maxNorm(c = 3, options: MaxNormOptions = {}): Constraint {
  if (typeof c !== 'number' || !Number.isFinite(c) || c < 0) throw new RangeError(`maxNorm: the maximum norm must be a finite number >= 0, got ${String(c)}`);
  if (typeof options !== 'object' || options === null) throw new TypeError('maxNorm: options must be an object { axis }');
  rejectUnknownOptions(options, ['axis'], 'maxNorm');
  return new MaxNorm(c, options.axis);
}
