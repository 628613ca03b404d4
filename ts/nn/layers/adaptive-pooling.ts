/**
 * Pooling to a fixed output size whatever the input's (adaptive average and
 * max, as PyTorch's), and global average pooling ([N, C, H, W] → [N, C]).
 */
import { rejectUnknownOptions } from '../../options';
import { AdaptiveSize, adaptiveOutputSize, GlobalAvgPool2dOptions } from '../../ops/adaptive-pool';
import { checkBoolean } from '../../ops/checks';
import type { Tensor } from '../../tensor/tensor';
import { adaptiveAvgPool2d, adaptiveMaxPool2d, globalAvgPool2d } from '../functional';
import { Module } from '../module';

export type { AdaptiveSize, GlobalAvgPool2dOptions } from '../../ops/adaptive-pool';

/** outputSize as a pair; null keeps that axis of the input. */
function outputPair(outputSize: AdaptiveSize, where: string): [number | null, number | null] {
  // Resolved with 0 (never a valid output size) standing for the input's size, so the
  // checks and messages are the op's.
  const marker = 0;
  const [h, w] = adaptiveOutputSize(outputSize, where, marker, marker);
  return [h === marker ? null : h, w === marker ? null : w];
}

/** What both adaptive pools hold: the output size. */
abstract class AdaptivePool2d extends Module {
  /** [height, width]; null keeps that axis of the input. */
  readonly outputSize: [number | null, number | null];

  constructor(outputSize: AdaptiveSize, where: string) {
    super();
    this.outputSize = outputPair(outputSize, where);
  }

  override extraRepr(): string {
    return `outputSize=[${this.outputSize.map((v) => (v === null ? 'null' : v)).join(', ')}]`;
  }
}

export class AdaptiveAvgPool2d extends AdaptivePool2d {
  constructor(outputSize: AdaptiveSize) {
    super(outputSize, 'AdaptiveAvgPool2d');
  }

  forward(x: Tensor): Tensor {
    return adaptiveAvgPool2d(x, this.outputSize);
  }
}

export class AdaptiveMaxPool2d extends AdaptivePool2d {
  constructor(outputSize: AdaptiveSize) {
    super(outputSize, 'AdaptiveMaxPool2d');
  }

  forward(x: Tensor): Tensor {
    return adaptiveMaxPool2d(x, this.outputSize);
  }
}

/** The mean of each channel's plane: [N, C, H, W] → [N, C] (or [N, C, 1, 1] with keepDims). */
export class GlobalAvgPool2d extends Module {
  readonly keepDims: boolean;

  constructor(options: GlobalAvgPool2dOptions = {}) {
    super();
    rejectUnknownOptions(options, ['keepDims'], 'GlobalAvgPool2d');
    this.keepDims = checkBoolean(options.keepDims ?? false, 'GlobalAvgPool2d', 'keepDims');
  }

  forward(x: Tensor): Tensor {
    return globalAvgPool2d(x, { keepDims: this.keepDims });
  }

  override extraRepr(): string {
    return this.keepDims ? 'keepDims=true' : '';
  }
}
