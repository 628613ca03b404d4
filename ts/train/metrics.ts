/**
 * Metrics reported by `fit` and `evaluate`. They read the predictions'
 * values directly (no graph), and are averaged over an epoch weighted by
 * batch size.
 */
import type { Tensor } from '../tensor/tensor';

/** A metric: a name for the logs and a per-batch value. */
export interface Metric {
  name: string;
  fn: (pred: Tensor, target: Tensor) => number;
}

export type MetricSpec = 'accuracy' | Metric;

/**
 * Fraction of correct predictions:
 * - pred [N, C] (C > 1) with int32 labels [N]: argmax equals the label;
 * - pred [N, C] with float targets [N, C] (one-hot): argmaxes agree;
 * - pred [N] or [N, 1] with 0/1 targets: pred > threshold agrees with target.
 * `threshold` is 0 for logits (the default) and 0.5 for probabilities.
 */
export function accuracy(pred: Tensor, target: Tensor, threshold = 0): number {
  // _typed(): read without pinning, so the buffers can still be recycled after backward.
  const p = pred._typed();
  const t = target._typed();
  const n = pred.shape.length === 0 ? 1 : pred.shape[0];
  if (n === 0) return NaN;
  const cols = p.length / n;
  let correct = 0;
  if (cols > 1 && t.length === n) {
    for (let i = 0; i < n; i++) if (argmaxRow(p, i * cols, cols) === t[i]) correct++;
  } else if (cols > 1 && t.length === p.length) {
    for (let i = 0; i < n; i++) if (argmaxRow(p, i * cols, cols) === argmaxRow(t, i * cols, cols)) correct++;
  } else if (cols === 1 && t.length === n) {
    for (let i = 0; i < n; i++) if (p[i] > threshold === t[i] > 0.5) correct++;
  } else {
    throw new RangeError(
      `accuracy: cannot compare predictions of shape [${pred.shape.join(', ')}] with targets of shape [${target.shape.join(', ')}]`,
    );
  }
  return correct / n;
}

function argmaxRow(a: ArrayLike<number>, start: number, len: number): number {
  let best = 0;
  let value = a[start];
  for (let j = 1; j < len; j++) {
    if (a[start + j] > value) {
      value = a[start + j];
      best = j;
    }
  }
  return best;
}

/** Turns the `metrics` option into metric objects; threshold is used by 'accuracy' on single-output models. */
export function resolveMetrics(specs: readonly MetricSpec[] | undefined, threshold: number, where: string): Metric[] {
  return (specs ?? []).map((m) => {
    if (m === 'accuracy') return { name: 'accuracy', fn: (p: Tensor, t: Tensor) => accuracy(p, t, threshold) };
    if (m && typeof m === 'object' && typeof m.name === 'string' && typeof m.fn === 'function') return m;
    throw new RangeError(`${where}: unknown metric ${JSON.stringify(m)}; use 'accuracy' or { name, fn(pred, target) => number }`);
  });
}

/** Sums of values weighted by sample counts, giving means over an epoch. */
export class RunningMeans {
  private readonly sums = new Map<string, number>();
  private count = 0;

  add(values: Record<string, number>, samples: number): void {
    for (const [k, v] of Object.entries(values)) this.sums.set(k, (this.sums.get(k) ?? 0) + v * samples);
    this.count += samples;
  }

  get samples(): number {
    return this.count;
  }

  means(prefix = ''): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [k, s] of this.sums) out[prefix + k] = this.count > 0 ? s / this.count : NaN;
    return out;
  }
}
