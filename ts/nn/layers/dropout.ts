/** Inverted dropout: active in training mode, the identity in evaluation mode. */
import type { Tensor } from '../../tensor/tensor';
import { dropout, dropout2d } from '../functional';
import { Module } from '../module';

function checkP(where: string, p: number): void {
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new RangeError(`${where}: p must be in [0, 1], got ${p}`);
}

/** Zeroes each element with probability p and scales the rest by 1/(1-p). */
export class Dropout extends Module {
  readonly p: number;
  constructor(p = 0.5) {
    super();
    checkP('Dropout', p);
    this.p = p;
  }
  forward(x: Tensor): Tensor {
    return dropout(x, this.p, this.training);
  }
  override extraRepr(): string {
    return `p=${this.p}`;
  }
}

/** Zeroes whole channels (each (n, c) plane of NCHW input) with probability p. */
export class Dropout2d extends Module {
  readonly p: number;
  constructor(p = 0.5) {
    super();
    checkP('Dropout2d', p);
    this.p = p;
  }
  forward(x: Tensor): Tensor {
    return dropout2d(x, this.p, this.training);
  }
  override extraRepr(): string {
    return `p=${this.p}`;
  }
}
