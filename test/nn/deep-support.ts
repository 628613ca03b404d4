/** Double-precision helpers for the highway, residual and negative-sampling tests. */
export type Mat = Float64Array;

/** y[r, o] = Σ_i x[r, i]·W[o, i] + b[o] for x [rows, in], W [out, in]. */
export function linear(x: Mat, rows: number, inF: number, w: ArrayLike<number>, b: ArrayLike<number>, outF: number): Mat {
  const y = new Float64Array(rows * outF);
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < outF; o++) {
      let s = b[o];
      for (let i = 0; i < inF; i++) s += x[r * inF + i] * w[o * inF + i];
      y[r * outF + o] = s;
    }
  }
  return y;
}

export const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
export const softplus = (v: number) => (v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v)));

/**
 * Central differences of a scalar function of `values` (in double), compared
 * element by element with `grad`: |g − fd| ≤ 1e-3·|fd| + 1e-4·max(1, max|fd|).
 */
export function expectGradient(values: Float64Array, f: () => number, grad: ArrayLike<number>, what: string): void {
  const h = 1e-6;
  const fd = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const old = values[i];
    values[i] = old + h;
    const up = f();
    values[i] = old - h;
    const down = f();
    values[i] = old;
    fd[i] = (up - down) / (2 * h);
  }
  const scale = Math.max(1, ...Array.from(fd, Math.abs));
  for (let i = 0; i < values.length; i++) {
    const err = Math.abs(grad[i] - fd[i]);
    if (!(err <= 1e-3 * Math.abs(fd[i]) + 1e-4 * scale)) {
      throw new Error(`${what}: gradient element ${i} is ${grad[i]}, finite differences give ${fd[i]}`);
    }
  }
}
