/**
 * Gradient checking: backward against central finite differences.
 *
 * The function's outputs are projected on fixed random weights w
 * (L = Σ w·f(x)), so one backward gives the whole gradient of L and every
 * output element still matters: a wrong gradient anywhere shows. The
 * finite differences perturb the float32 data itself, divide by the step
 * actually stored (x+h and x-h rounded to float32) and sum in float64.
 */
import { grad } from './grad';
import { enableGrad, noGrad } from './grad-mode';
import { rand, Generator, withGenerator } from '../tensor/random';
import { rejectUnknownOptions } from '../options';
import { formatShape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';

/**
 * Central differences of `loss` with respect to each element of `values`,
 * which are perturbed in place (and restored): element i moves by
 * ±step(values[i]); the quotient uses the difference actually stored, so
 * float32 rounding of the step does not bias it.
 */
export function centralDifferences(values: Float32Array | Float64Array, step: (v: number) => number, loss: () => number): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const old = values[i];
    const h = step(old);
    values[i] = old + h;
    const hi = values[i];
    const up = loss();
    values[i] = old - h;
    const lo = values[i];
    const down = loss();
    values[i] = old;
    out[i] = (up - down) / (hi - lo);
  }
  return out;
}

/**
 * The element where analytic and numeric gradients disagree most, as the
 * ratio |a - n| / (atol + rtol·|n|): at most 1 means every element is within
 * tolerance. NaN, or arrays of different lengths, count as failures (ratio Infinity).
 */
export function worstElement(analytic: ArrayLike<number>, numeric: ArrayLike<number>, atol: number, rtol: number): { ratio: number; index: number } {
  if (analytic.length !== numeric.length) return { ratio: Infinity, index: 0 };
  let ratio = 0;
  let index = 0;
  for (let i = 0; i < analytic.length; i++) {
    const d = Math.abs(analytic[i] - numeric[i]);
    const r = Number.isNaN(d) ? Infinity : d / (atol + rtol * Math.abs(numeric[i]));
    if (r > ratio) [ratio, index] = [r, i];
  }
  return { ratio, index };
}

export interface GradcheckOptions {
  /** Finite-difference step (default 1e-3: float32 data needs a step far above its rounding). */
  eps?: number;
  /** Absolute tolerance (default 1e-3). */
  atol?: number;
  /** Relative tolerance, of the finite difference (default 1e-2). An element passes when |analytic - numeric| <= atol + rtol·|numeric|. */
  rtol?: number;
  /** Seed of the random output weights (default 0). */
  seed?: number;
  /** Throw when a gradient is off (default true); with false the report says whether it passed. */
  raiseException?: boolean;
}

/** How one checked input fared. */
export interface GradcheckInputReport {
  /** Position of the input among gradcheck's inputs. */
  input: number;
  shape: readonly number[];
  /** The worst element's |analytic - numeric| / (atol + rtol·|numeric|); at most 1 passes. */
  ratio: number;
  /** The worst element, as a flat index and as a position in the shape. */
  worstIndex: number;
  worstPosition: number[];
  analytic: number;
  numeric: number;
}

export interface GradcheckReport {
  passed: boolean;
  /** One entry per input that requires grad. */
  inputs: GradcheckInputReport[];
  /** The failure, naming the input and its worst element ('' when passed). */
  message: string;
}

function positionOf(flat: number, shape: readonly number[]): number[] {
  const pos = new Array<number>(shape.length).fill(0);
  for (let d = shape.length - 1, r = flat; d >= 0; d--) {
    pos[d] = r % shape[d];
    r = Math.floor(r / shape[d]);
  }
  return pos;
}

function outputsOf(y: unknown): Tensor[] {
  const list = y instanceof Tensor ? [y] : Array.isArray(y) ? y : null;
  if (list === null || list.length === 0 || !list.every((t) => t instanceof Tensor && t.dtype === 'float32')) {
    throw new TypeError('gradcheck: fn must return a float32 Tensor or an array of them');
  }
  return list as Tensor[];
}

function checkNumber(v: unknown, name: string, positive: boolean): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || (positive ? v <= 0 : v < 0)) {
    throw new RangeError(`gradcheck: ${name} must be a ${positive ? 'positive' : 'non-negative'} finite number, got ${String(v)}`);
  }
  return v;
}

/**
 * Checks the gradients fn's backward gives for every input that requires
 * grad against central finite differences. fn gets `inputs` as they are
 * (non-tensor values too); it may also ignore them and read the tensors
 * from elsewhere (a model's parameters), since they are perturbed in place.
 * Nothing accumulates into any .grad. Throws an Error naming the input and
 * its worst element when a gradient is off (unless raiseException is false);
 * returns the report.
 *
 * @example
 * const x = dd.randn([3, 4], { requiresGrad: true });
 * dd.autograd.gradcheck((t) => myFn.apply(t), [x]);
 */
export function gradcheck(fn: (...inputs: never[]) => Tensor | readonly Tensor[], inputs: readonly unknown[], options: GradcheckOptions = {}): GradcheckReport {
  if (typeof fn !== 'function') throw new TypeError(`gradcheck: fn must be a function, got ${typeof fn}`);
  if (!Array.isArray(inputs)) throw new TypeError('gradcheck: inputs must be an array (tensors and any other arguments of fn)');
  rejectUnknownOptions(options, ['eps', 'atol', 'rtol', 'seed', 'raiseException'], 'gradcheck');
  const eps = checkNumber(options.eps ?? 1e-3, 'eps', true);
  const atol = checkNumber(options.atol ?? 1e-3, 'atol', false);
  const rtol = checkNumber(options.rtol ?? 1e-2, 'rtol', false);
  if (options.raiseException !== undefined && typeof options.raiseException !== 'boolean') {
    throw new TypeError(`gradcheck: raiseException must be a boolean, got ${typeof options.raiseException}`);
  }
  const call = fn as (...inputs: unknown[]) => Tensor | readonly Tensor[];

  const checked = inputs.flatMap((t, k) => (t instanceof Tensor && t.requiresGrad ? [k] : []));
  if (checked.length === 0) throw new TypeError('gradcheck: no input requires grad; set requiresGrad = true on the tensors to check');
  const tensors = checked.map((k) => inputs[k] as Tensor);

  const outputs = enableGrad(() => outputsOf(call(...inputs)));
  const generator = new Generator(options.seed ?? 0);
  const weights = withGenerator(generator, () => outputs.map((y) => noGrad(() => rand(y.shape).mul(2).sub(1))));
  const analytic = grad(outputs, tensors, { gradOutputs: weights, allowUnused: true });

  const w = weights.map((t) => t.data);
  const projected = (): number => {
    const ys = noGrad(() => outputsOf(call(...inputs)));
    let s = 0;
    ys.forEach((y, j) => {
      const v = y.data;
      for (let i = 0; i < v.length; i++) s += w[j][i] * v[i];
    });
    return s;
  };

  const reports: GradcheckInputReport[] = [];
  let message = '';
  checked.forEach((k, n) => {
    const t = tensors[n];
    const numeric = centralDifferences(t._f32('gradcheck'), () => eps, projected);
    const a = analytic[n] === null ? new Float32Array(t.numel) : analytic[n]!.data;
    const { ratio, index } = worstElement(a, numeric, atol, rtol);
    const report = { input: k, shape: t.shape, ratio, worstIndex: index, worstPosition: positionOf(index, t.shape), analytic: a[index], numeric: numeric[index] };
    reports.push(report);
    if (!(ratio <= 1) && message === '') {
      message =
        `gradcheck: the gradient of input ${k} (shape ${formatShape(t.shape)}) is off at element [${report.worstPosition.join(', ')}]: ` +
        `backward gives ${report.analytic}, finite differences ${report.numeric} ` +
        `(${ratio.toFixed(2)} times the tolerance atol ${atol} + rtol ${rtol}·|numeric|)`;
    }
  });
  const passed = message === '';
  if (!passed && (options.raiseException ?? true)) throw new Error(message);
  return { passed, inputs: reports, message };
}
