/** Max and average pooling over NCHW input. */
import type { Tensor } from '../../tensor/tensor';
import { avgPool2d, maxPool2d } from '../functional';
import { Module } from '../module';
import { Pair, pair } from './conv';

export class MaxPool2d extends Module {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];

  /** stride defaults to the kernel size, as PyTorch. */
  constructor(kernelSize: Pair, stride?: Pair, padding: Pair = 0) {
    super();
    this.kernelSize = pair('MaxPool2d', 'kernelSize', kernelSize, 1);
    this.stride = pair('MaxPool2d', 'stride', stride ?? kernelSize, 1);
    this.padding = pair('MaxPool2d', 'padding', padding, 0);
  }

  forward(x: Tensor): Tensor {
    return maxPool2d(x, this.kernelSize, this.stride, this.padding);
  }

  override extraRepr(): string {
    return `kernelSize=[${this.kernelSize}], stride=[${this.stride}], padding=[${this.padding}]`;
  }
}

export class AvgPool2d extends Module {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly countIncludePad: boolean;

  constructor(kernelSize: Pair, stride?: Pair, padding: Pair = 0, options: { countIncludePad?: boolean } = {}) {
    super();
    this.kernelSize = pair('AvgPool2d', 'kernelSize', kernelSize, 1);
    this.stride = pair('AvgPool2d', 'stride', stride ?? kernelSize, 1);
    this.padding = pair('AvgPool2d', 'padding', padding, 0);
    this.countIncludePad = options.countIncludePad ?? true;
  }

  forward(x: Tensor): Tensor {
    return avgPool2d(x, this.kernelSize, this.stride, this.padding, this.countIncludePad);
  }

  override extraRepr(): string {
    return `kernelSize=[${this.kernelSize}], stride=[${this.stride}], padding=[${this.padding}]`;
  }
}
