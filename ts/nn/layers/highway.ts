/**
 * Highway layer (Srivastava, Greff & Schmidhuber 2015):
 *   y = T(x)·H(x) + (1 − T(x))·x,  T(x) = sigmoid(W_T·x + b_T),  H(x) = act(W_H·x + b_H).
 * The transform gate's bias starts negative (default −2) so that a fresh
 * layer mostly carries its input through: very deep stacks then train,
 * where the same depth of plain layers does not.
 */
import type { Tensor } from '../../tensor/tensor';
import { add, mul, sub } from '../../ops/elementwise';
import { sigmoid } from '../../ops/activation';
import { Module } from '../module';
import { Linear } from './linear';
import { ActivationName, applyActivation, checkActivation } from './activation-by-name';
import { rejectUnknownOptions } from '../../options';

export interface HighwayOptions {
  /** Activation of the transform H (default 'relu'). */
  activation?: ActivationName;
  /** Initial bias of the transform gate T (default −2: carry the input at first). */
  gateBias?: number;
}

export class Highway extends Module {
  readonly dim: number;
  readonly activation: ActivationName;
  readonly gateBias: number;
  transform: Linear;
  gate: Linear;

  constructor(dim: number, options: HighwayOptions = {}) {
    super();
    rejectUnknownOptions(options, ['activation', 'gateBias'], 'Highway');
    if (!Number.isInteger(dim) || dim <= 0) throw new RangeError(`Highway: dim must be a positive integer, got ${dim}`);
    this.dim = dim;
    this.activation = checkActivation(options.activation ?? 'relu', 'Highway');
    this.gateBias = options.gateBias ?? -2;
    if (!Number.isFinite(this.gateBias)) throw new RangeError(`Highway: gateBias must be finite, got ${this.gateBias}`);
    this.transform = new Linear(dim, dim);
    this.gate = new Linear(dim, dim);
    (this.gate.bias as Tensor).data.fill(this.gateBias);
  }

  forward(x: Tensor): Tensor {
    if (x.shape[x.shape.length - 1] !== this.dim) {
      throw new RangeError(`Highway: expected inputs whose last dimension is ${this.dim}, got shape [${x.shape.join(', ')}]`);
    }
    const h = applyActivation(this.transform.call(x), this.activation);
    const t = sigmoid(this.gate.call(x));
    // T·H + (1 − T)·x, written as x + T·(H − x): one op fewer.
    return add(x, mul(t, sub(h, x)));
  }

  override extraRepr(): string {
    return `${this.dim}, activation=${this.activation}, gateBias=${this.gateBias}`;
  }
}
