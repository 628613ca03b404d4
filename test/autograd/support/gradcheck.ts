/**
 * Gradient checking: an op's forward against a double-precision reference,
 * and its backward against central finite differences of that reference,
 * also in double. The loss is L = Σ w·f(x) with random weights w, so every
 * output element matters and a wrong gradient anywhere shows.
 */
import * as dd from '../../../ts';
import { TestRandom } from '../../support/random';
import { R } from './reference';
import { centralDifferences, worstElement } from '../../../ts/autograd/gradcheck';

export interface InputSpec {
  shape: number[];
  /** Values (default: uniform in [lo, hi)). Rounded to float32 so both sides see the same inputs. */
  data?: ArrayLike<number>;
  lo?: number;
  hi?: number;
  /** Keep values at least this far from zero (for kinks such as relu or abs). */
  awayFromZero?: number;
  /** Whether to check this input's gradient (default true). */
  grad?: boolean;
}

export interface CheckOptions {
  /** Forward tolerance, relative to max(1, max |reference|). */
  forwardTol?: number;
  /**
   * Gradient tolerance: each element must satisfy
   * |g - fd| <= gradTol·|fd| + gradAbsTol·max(1, max |fd|).
   */
  gradTol?: number;
  gradAbsTol?: number;
  /** Finite-difference step (relative to max(1, |x|)). */
  step?: number;
  seed?: number;
}

export function makeInputs(specs: InputSpec[], seed: number): Float64Array[] {
  const rng = new TestRandom(seed);
  return specs.map((s) => {
    const n = s.shape.reduce((a, b) => a * b, 1);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let v = s.data ? s.data[i] : rng.uniform(s.lo ?? -1, s.hi ?? 1);
      const away = s.awayFromZero ?? 0;
      if (away > 0 && Math.abs(v) < away) v = v < 0 ? v - away : v + away;
      out[i] = Math.fround(v);
    }
    return out;
  });
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/**
 * Largest per-element error ratio |a - b| / (rel·|b| + abs·max(1, max|b|)):
 * at most 1 means every element is within tolerance. NaN counts as a failure.
 * (The library's comparison, with the absolute floor scaled to b's magnitude.)
 */
export function toleranceRatio(a: ArrayLike<number>, b: ArrayLike<number>, rel: number, abs: number): number {
  return worstElement(a, b, abs * Math.max(1, maxAbs(b)), rel).ratio;
}

/** Largest |a - b| relative to max(1, max|b|); NaN anywhere counts as a failure. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  const scale = Math.max(1, maxAbs(b));
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (Number.isNaN(d)) return Infinity;
    worst = Math.max(worst, d / scale);
  }
  return worst;
}

export interface CheckResult {
  forwardError: number;
  gradErrors: number[];
}

/**
 * Checks fn against ref. fn gets float32 tensors (requiring grad where
 * checked); ref gets the same values in double.
 */
export function gradcheck(
  fn: (...xs: dd.Tensor[]) => dd.Tensor,
  ref: (...xs: R[]) => R,
  specs: InputSpec[],
  options: CheckOptions = {},
): CheckResult {
  const seed = options.seed ?? 1234;
  const values = makeInputs(specs, seed);
  const tensors = specs.map((s, i) => dd.tensor(Float32Array.from(values[i]), s.shape, { requiresGrad: s.grad !== false }));
  const y = fn(...tensors);
  const refY = ref(...values.map((v, i) => new R(Float64Array.from(v), specs[i].shape.slice())));
  expect(y.shape).toEqual(refY.shape);
  const forwardError = relativeError(y.data, refY.data);
  expect(forwardError).toBeLessThanOrEqual(options.forwardTol ?? 2e-5);

  const rng = new TestRandom(seed + 1);
  const w = new Float64Array(refY.data.length).map(() => Math.fround(rng.uniform(-1, 1)));
  y.backward(dd.tensor(Float32Array.from(w), y.shape));
  const xs = values.map((v, i) => new R(v, specs[i].shape.slice()));
  const loss = () => {
    const out = ref(...xs);
    let s = 0;
    for (let i = 0; i < out.data.length; i++) s += w[i] * out.data[i];
    return s;
  };
  const gradErrors: number[] = [];
  specs.forEach((s, k) => {
    if (s.grad === false) return;
    // The reference in double, perturbed in place (and restored) element by element.
    const fd = centralDifferences(values[k], (v) => (options.step ?? 1e-4) * Math.max(1, Math.abs(v)), loss);
    const g = tensors[k].grad;
    expect(g).not.toBeNull();
    expect(g!.shape).toEqual(s.shape);
    const ratio = toleranceRatio(g!.data, fd, options.gradTol ?? 1e-4, options.gradAbsTol ?? 1e-5);
    gradErrors.push(ratio);
    if (process.env.GRADCHECK_REPORT) console.log(`gradcheck ratio ${ratio.toFixed(3)} for input ${k} of shape [${s.shape}]`);
    if (!(ratio <= 1)) {
      throw new Error(
        `gradient of input ${k} (shape [${s.shape}]) is off (${ratio.toFixed(2)} times the tolerance):\n` +
          ` autograd ${Array.from(g!.data.slice(0, 8))}\n finite differences ${Array.from(fd.slice(0, 8))}`,
      );
    }
  });
  return { forwardError, gradErrors };
}
