/** Argument checks shared by the viz functions: each error names the function and the argument. */
import { Tensor } from '../tensor/tensor';
import { formatShape } from '../tensor/shape';

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v instanceof Tensor) return `a Tensor of shape ${formatShape(v.shape)}`;
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`;
}

/** An integer >= min, or `fallback` when v is undefined. */
export function integerOption(v: unknown, fallback: number, min: number, where: string, name: string): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new RangeError(`${where}: ${name} must be an integer >= ${min}, got ${describe(v)}`);
  return v;
}

/** A finite number in [lo, hi], or `fallback` when v is undefined. */
export function numberOption(v: unknown, fallback: number, lo: number, hi: number, where: string, name: string): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi) throw new RangeError(`${where}: ${name} must be a number in [${lo}, ${hi}], got ${describe(v)}`);
  return v;
}

/** An intensity in [0, 1] (0 black, 1 white) as an 8-bit level. */
export function levelOption(v: unknown, fallback: number, where: string, name: string): number {
  return Math.round(numberOption(v, fallback, 0, 1, where, name) * 255);
}

/** A float32 tensor whose rank is one of `ranks`; `shapes` says in words what is expected. */
export function floatTensor(t: unknown, ranks: readonly number[], where: string, name: string, shapes: string): Tensor {
  if (!(t instanceof Tensor)) throw new TypeError(`${where}: ${name} must be a Tensor ${shapes}, got ${describe(t)}`);
  if (t.dtype !== 'float32') throw new TypeError(`${where}: ${name} must be a float32 Tensor, got ${t.dtype}`);
  if (!ranks.includes(t.ndim)) throw new RangeError(`${where}: ${name} must have shape ${shapes}, got ${formatShape(t.shape)}`);
  if (t.numel === 0) throw new RangeError(`${where}: ${name} is empty (shape ${formatShape(t.shape)})`);
  return t;
}
