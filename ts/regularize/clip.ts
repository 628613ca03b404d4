/**
 * Gradient clipping, in place on `.grad`, as torch.nn.utils.clip_grad_norm_ /
 * clip_grad_value_. Call between backward() and the optimizer step (fit does,
 * with its `clipNorm` / `clipValue` options).
 *
 * Clipping sees the gradients backward produced: the loss and any attached
 * penalties (they are part of the loss). Parameter-group regularizers and an
 * optimizer's `weightDecay` act inside the step, after clipping, as
 * PyTorch's weight_decay does.
 */
import { native } from '../native';
import { scalarOpCode } from '../bindings/elementwise';
import { Tensor } from '../tensor/tensor';
import { rejectUnknownOptions } from '../options';

export interface ClipGradNormOptions {
  /** Which norm: 2 (default), 1 or Infinity (the largest |g|). */
  normType?: number;
  /** Throw when the total norm is NaN or infinite (default false: leave the gradients unchanged and return the norm). */
  errorIfNonfinite?: boolean;
}

function gradsOf(params: Iterable<Tensor> | Tensor, where: string): Float32Array[] {
  const list = params instanceof Tensor ? [params] : params && typeof (params as Iterable<Tensor>)[Symbol.iterator] === 'function' ? [...params] : null;
  if (list === null) throw new TypeError(`${where}: expected a Tensor or an iterable of Tensors (e.g. model.parameters())`);
  const out: Float32Array[] = [];
  for (const p of list) {
    if (!(p instanceof Tensor)) throw new TypeError(`${where}: expected Tensors, got ${p === null ? 'null' : typeof p}`);
    if (p.grad !== null) out.push(p.grad._f32(where));
  }
  return out;
}

function totalNorm(grads: Float32Array[], normType: number): number {
  if (normType === 2) {
    let s = 0;
    for (const g of grads) s += native().sumSquares(g);
    return Math.sqrt(s);
  }
  if (normType === Infinity) {
    let m = 0;
    for (const g of grads) {
      for (let i = 0; i < g.length; i++) {
        const a = Math.abs(g[i]);
        if (a > m || Number.isNaN(a)) m = a;
        if (Number.isNaN(m)) return NaN;
      }
    }
    return m;
  }
  let s = 0;
  for (const g of grads) for (let i = 0; i < g.length; i++) s += Math.abs(g[i]);
  return s;
}

/**
 * Scales all gradients together so that their total norm is at most maxNorm
 * (by maxNorm / (norm + 1e-6), only when the norm exceeds maxNorm), keeping
 * their direction. Returns the total norm before clipping. Parameters without
 * a gradient are skipped.
 */
export function clipGradNorm(params: Iterable<Tensor> | Tensor, maxNorm: number, options: ClipGradNormOptions = {}): number {
  const where = 'clipGradNorm';
  rejectUnknownOptions(options, ['normType', 'errorIfNonfinite'], where);
  if (typeof maxNorm !== 'number' || !(maxNorm > 0) || !Number.isFinite(maxNorm)) {
    throw new RangeError(`${where}: maxNorm must be a finite number > 0, got ${String(maxNorm)}`);
  }
  const normType = options.normType ?? 2;
  if (normType !== 1 && normType !== 2 && normType !== Infinity) throw new RangeError(`${where}: normType must be 1, 2 or Infinity, got ${String(normType)}`);
  const grads = gradsOf(params, where);
  const norm = totalNorm(grads, normType);
  if (!Number.isFinite(norm)) {
    if (options.errorIfNonfinite) throw new RangeError(`${where}: the total gradient norm is ${norm}; the gradients hold NaN or infinite values`);
    return norm;
  }
  const coefficient = maxNorm / (norm + 1e-6);
  if (coefficient < 1) for (const g of grads) native().scalarOp(scalarOpCode('mul'), g, coefficient, g);
  return norm;
}

/** Clamps every gradient element to [-clipValue, clipValue] (changes the direction, unlike clipGradNorm). */
export function clipGradValue(params: Iterable<Tensor> | Tensor, clipValue: number): void {
  const where = 'clipGradValue';
  if (typeof clipValue !== 'number' || !(clipValue >= 0) || !Number.isFinite(clipValue)) {
    throw new RangeError(`${where}: clipValue must be a finite number >= 0, got ${String(clipValue)}`);
  }
  for (const g of gradsOf(params, where)) native().clampOp(g, -clipValue, clipValue, g);
}
