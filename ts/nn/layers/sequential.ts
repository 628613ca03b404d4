/** Runs layers one after another; the layers are its children '0', '1', …, indexable as seq[i]. */
import type { Tensor } from '../../tensor/tensor';
import { Module } from '../module';
import { ReLU } from './activation';
import { MaxPool2d } from './pooling';

export class Sequential extends Module {
  readonly [index: number]: Module;
  private count = 0;

  constructor(...layers: Module[]) {
    super();
    for (const layer of layers) this.append(layer);
  }

  /** Adds a layer at the end; returns this. */
  append(layer: Module): this {
    if (!(layer instanceof Module)) {
      throw new TypeError(`Sequential: layer ${this.count} is not a Module (got ${layer === null ? 'null' : typeof layer})`);
    }
    this.registerModule(String(this.count), layer);
    this.count++;
    return this;
  }

  get length(): number {
    return this.count;
  }

  /** The layer at `index` (negative counts from the end). */
  at(index: number): Module {
    const i = index < 0 ? this.count + index : index;
    if (!Number.isInteger(i) || i < 0 || i >= this.count) throw new RangeError(`Sequential.at: index ${index} is out of range for ${this.count} layers`);
    return this[i];
  }

  *[Symbol.iterator](): Iterator<Module> {
    for (let i = 0; i < this.count; i++) yield this[i];
  }

  /** Runs the layers through call(), so that their hooks fire and an error names the layer. */
  forward(x: Tensor): Tensor {
    let y = x;
    for (let i = 0; i < this.count; i++) {
      const layer = this[i];
      if (i + 1 < this.count && reluThenMaxPool(layer, this[i + 1])) {
        // relu(maxPool(x)) equals maxPool(relu(x)), values and gradients alike
        // (ReLU is non-decreasing; a window with no positive value passes no
        // gradient either way), and applies ReLU to a quarter of the values.
        y = layer.call(this[i + 1].call(y));
        i++;
        continue;
      }
      y = layer.call(y);
    }
    return y;
  }
}

/** Whether the pair may be swapped: a ReLU then a MaxPool2d, neither hooked (a hook would see the swap). */
function reluThenMaxPool(layer: Module, next: Module): boolean {
  return !layer._hasForwardHooks() && !next._hasForwardHooks() && layer.constructor === ReLU && next.constructor === MaxPool2d;
}
