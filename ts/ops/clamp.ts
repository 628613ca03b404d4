/** clamp(x, min, max): the gradient passes where x lies within [min, max], bounds included (as PyTorch). */
import { native } from '../native';
import { Tensor } from '../tensor/tensor';
import { checkTensor } from './checks';
import { apply, OpDef } from './define';
import { mul, rsub, sub } from './elementwise';
import { abs, sign } from './unary';

/** Largest finite float32: an absent bound. */
const FLOAT_MAX = 3.4028234663852886e38;

const clampDef: OpDef<{ lo: number; hi: number }> = {
  name: 'clamp',
  shape: ([x]) => x.shape,
  forward([x], out, { lo, hi }) {
    if (out.length > 0) native().clampOp(x._f32('clamp'), lo, hi, out);
    return undefined;
  },
  // Inside the bounds y == x: the mask 1 - |sign(y - x)| is 1 there and 0 where x was clipped.
  backward: (g, { inputs: [x], output }) => [mul(g, rsub(abs(sign(sub(output, x))), 1))],
};

function bound(v: number | null | undefined, name: string, fallback: number): number {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number') throw new TypeError(`clamp: ${name} must be a number or null, got ${typeof v}`);
  if (Number.isNaN(v)) throw new RangeError(`clamp: ${name} must not be NaN`);
  return Math.max(-FLOAT_MAX, Math.min(FLOAT_MAX, v));
}

/** Limits x to [min, max]; either bound may be null/undefined (no limit). */
export function clamp(x: Tensor, min?: number | null, max?: number | null): Tensor {
  checkTensor(x, 'clamp', 'input', 'float32');
  if ((min === undefined || min === null) && (max === undefined || max === null)) {
    throw new TypeError('clamp: give at least one of min and max');
  }
  const lo = bound(min, 'min', -FLOAT_MAX);
  const hi = bound(max, 'max', FLOAT_MAX);
  if (lo > hi) throw new RangeError(`clamp: min (${min}) is greater than max (${max})`);
  return apply(clampDef, [x], { lo, hi });
}
