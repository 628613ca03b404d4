/** Reading PyTorch-style geometry arguments: a number, or a [height, width] pair. */
import { describe } from '../tensor/shape';

export function pair(v: unknown, op: string, name: string, min: number): [number, number] {
  const values = typeof v === 'number' ? [v, v] : Array.isArray(v) && v.length === 2 ? v : null;
  if (values === null) throw new TypeError(`${op}: ${name} must be a number or a [height, width] pair, got ${describe(v)}`);
  for (const x of values) {
    if (typeof x !== 'number' || !Number.isInteger(x) || x < min) {
      throw new RangeError(`${op}: ${name} must be integers >= ${min}, got ${describe(v)}${Array.isArray(v) ? ` ([${v.join(', ')}])` : ''}`);
    }
  }
  return [values[0], values[1]];
}

/** Output size of a window sliding over `size` (floor mode, as PyTorch's default). */
export function slidingOutput(size: number, kernel: number, stride: number, pad: number, dilation = 1): number {
  return Math.floor((size + 2 * pad - dilation * (kernel - 1) - 1) / stride) + 1;
}
