/**
 * L1, L2 and elastic-net penalties. The value and the gradient come from one
 * fused native pass (applyRegularizer): l1·Σ|w| + l2·Σw² accumulated in
 * double, and l1·sign(w) + 2·l2·w added to the gradient.
 *
 * Conventions, as Keras: `l2(c)` adds c·Σw² to the loss, so its gradient is
 * 2c·w. PyTorch's coupled `weightDecay: wd` (SGD, Adam) adds wd·w to the
 * gradient, which is `l2(wd / 2)`. Decoupled decay (AdamW) is a different
 * thing again: see docs/regularization.md, "Weight decay is not always an L2 penalty".
 */
import { native } from '../native';
import type { Tensor } from '../tensor/tensor';
import type { Penalty } from './policy';
import { rejectUnknownOptions } from '../options';

function coefficient(where: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new RangeError(`${where}: ${name} must be a finite number >= 0, got ${String(v)}`);
  }
  return v;
}

class WeightPenalty implements Penalty {
  constructor(readonly kind: Penalty['kind'], readonly l1: number, readonly l2: number) {}

  penalty(param: Tensor): number {
    return native().applyRegularizer(param._f32(this.kind), null, this.l1, this.l2);
  }

  addGradient(param: Tensor, grad: Float32Array): void {
    native().applyRegularizer(param._f32(this.kind), grad, this.l1, this.l2);
  }

  toJSON(): { kind: string; l1: number; l2: number } {
    return { kind: this.kind, l1: this.l1, l2: this.l2 };
  }

  toString(): string {
    if (this.kind === 'l1') return `l1(${this.l1})`;
    if (this.kind === 'l2') return `l2(${this.l2})`;
    return `elasticNet({ l1: ${this.l1}, l2: ${this.l2} })`;
  }
}

/** Adds c·Σ|w| to the loss (gradient c·sign(w), 0 at w = 0): drives weights to exactly zero. */
export function l1(c = 0.01): Penalty {
  return new WeightPenalty('l1', coefficient('l1', 'the coefficient', c), 0);
}

/** Adds c·Σw² to the loss (gradient 2c·w): shrinks weights towards zero. */
export function l2(c = 0.01): Penalty {
  return new WeightPenalty('l2', 0, coefficient('l2', 'the coefficient', c));
}

/** Adds l1·Σ|w| + l2·Σw² to the loss (Keras's L1L2). */
export function elasticNet(options: { l1?: number; l2?: number } = {}): Penalty {
  if (typeof options !== 'object' || options === null) throw new TypeError('elasticNet: expected options { l1, l2 }');
  rejectUnknownOptions(options, ['l1', 'l2'], 'elasticNet');
  return new WeightPenalty('elasticNet', coefficient('elasticNet', 'l1', options.l1 ?? 0), coefficient('elasticNet', 'l2', options.l2 ?? 0));
}
