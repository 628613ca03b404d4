/** Double-precision references and comparison helpers for the kernel tests. */

/** |got − want| <= abs + rel·|want|; NaN matches NaN, infinities match exactly. */
export function near(got: number, want: number, rel: number, abs = 0): boolean {
  if (Number.isNaN(want)) return Number.isNaN(got);
  if (!Number.isFinite(want)) return got === want;
  return Math.abs(got - want) <= abs + rel * Math.abs(want);
}

/**
 * First index where got and want differ beyond the tolerance, as a message,
 * or '' when all match (so a failing expect shows where and by how much).
 */
export function mismatch(got: ArrayLike<number>, want: ArrayLike<number>, rel: number, abs = 0): string {
  if (got.length !== want.length) return `length ${got.length} != ${want.length}`;
  for (let i = 0; i < got.length; i++) {
    if (!near(got[i], want[i], rel, abs)) return `at ${i}: got ${got[i]}, want ${want[i]}`;
  }
  return '';
}

/** Contiguous strides of `inShape` right-aligned to `outShape`, 0 where broadcast (NumPy rules). */
export function broadcastStrides(inShape: number[], outShape: number[]): Int32Array {
  const strides = new Int32Array(outShape.length);
  let step = 1;
  for (let k = 0; k < inShape.length; k++) {
    const inD = inShape.length - 1 - k;
    const outD = outShape.length - 1 - k;
    strides[outD] = inShape[inD] === 1 ? 0 : step;
    step *= inShape[inD];
  }
  return strides;
}

export const count = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

/** erfc in double: Maclaurin series of erf for |x| < 3, continued fraction beyond (relative error ~1e-13). */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 3) {
    let term = x;
    let sum = x;
    for (let n = 1; n < 100; n++) {
      term *= (-x * x) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc(x) = exp(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))), evaluated from the tail.
  let f = x;
  for (let k = 80; k >= 1; k--) f = x + k / 2 / f;
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}

export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
export const gelu = (x: number): number => 0.5 * x * erfc(-x / Math.SQRT2);
export const softplus = (x: number): number => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));

/** Element counts from the awkward-shape grid: empty, single, sub-vector, odd, past a thread split. */
export const AWKWARD_SIZES = [0, 1, 7, 17, 1000, 4099, 70001];
