/** Flattens dimensions startDim..endDim into one (a view; no copy). */
import type { Tensor } from '../../tensor/tensor';
import { flatten } from '../../ops/view';
import { Module } from '../module';

export class Flatten extends Module {
  readonly startDim: number;
  readonly endDim: number;
  constructor(startDim = 1, endDim = -1) {
    super();
    if (!Number.isInteger(startDim) || !Number.isInteger(endDim)) {
      throw new RangeError(`Flatten: startDim and endDim must be integers, got ${startDim} and ${endDim}`);
    }
    this.startDim = startDim;
    this.endDim = endDim;
  }
  forward(x: Tensor): Tensor {
    return flatten(x, this.startDim, this.endDim);
  }
  override extraRepr(): string {
    return `startDim=${this.startDim}, endDim=${this.endDim}`;
  }
}

/** Returns its input unchanged (a placeholder in a Sequential, a skipped branch). */
export class Identity extends Module {
  forward(x: Tensor): Tensor {
    return x;
  }
}
