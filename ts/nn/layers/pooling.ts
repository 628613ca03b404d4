/**
 * Max and average pooling over NCHW input. Both take PyTorch's options as an
 * object, new MaxPool2d(3, { stride: 2, ceilMode: true }), or the older
 * positional form new MaxPool2d(kernelSize, stride?, padding?).
 */
import { rejectUnknownOptions } from '../../options';
import type { Tensor } from '../../tensor/tensor';
import {
  AVG_POOL_OPTIONS, AvgPool2dOptions, MAX_POOL_OPTIONS, MaxPool2dOptions, PoolPair, isOptionsObject, poolOptions, poolWindow,
} from '../../ops/pool-args';
import { avgPool2d, maxPool2d } from '../functional';
import { Module } from '../module';

export type { AvgPool2dOptions, MaxPool2dOptions } from '../../ops/pool-args';

/** The settings both pools print, PyTorch's order. */
function windowRepr(m: { kernelSize: number[]; stride: number[]; padding: number[] }): string {
  return `kernelSize=[${m.kernelSize}], stride=[${m.stride}], padding=[${m.padding}]`;
}

export class MaxPool2d extends Module {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly dilation: [number, number];
  readonly ceilMode: boolean;

  /** The stride defaults to the kernel size, as PyTorch. */
  constructor(kernelSize: PoolPair, options?: MaxPool2dOptions);
  constructor(kernelSize: PoolPair, stride?: PoolPair | null, padding?: PoolPair);
  constructor(kernelSize: PoolPair, strideOrOptions?: PoolPair | null | MaxPool2dOptions, padding?: PoolPair) {
    super();
    const win = poolWindow('MaxPool2d', kernelSize, poolOptions('MaxPool2d', strideOrOptions, [padding], MAX_POOL_OPTIONS), MAX_POOL_OPTIONS);
    this.kernelSize = win.kernelSize;
    this.stride = win.stride;
    this.padding = win.padding;
    this.dilation = win.dilation;
    this.ceilMode = win.ceilMode;
  }

  forward(x: Tensor): Tensor {
    return maxPool2d(x, this.kernelSize, { stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode });
  }

  override extraRepr(): string {
    const dilation = this.dilation[0] === 1 && this.dilation[1] === 1 ? '' : `, dilation=[${this.dilation}]`;
    return `${windowRepr(this)}${dilation}${this.ceilMode ? ', ceilMode=true' : ''}`;
  }
}

export class AvgPool2d extends Module {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;

  /**
   * new AvgPool2d(kernelSize, { stride, padding, ceilMode, countIncludePad }), or positionally
   * new AvgPool2d(kernelSize, stride?, padding?, { countIncludePad, ceilMode }).
   */
  constructor(kernelSize: PoolPair, options?: AvgPool2dOptions);
  constructor(kernelSize: PoolPair, stride?: PoolPair | null, padding?: PoolPair, options?: Pick<AvgPool2dOptions, 'countIncludePad' | 'ceilMode'>);
  constructor(
    kernelSize: PoolPair, strideOrOptions?: PoolPair | null | AvgPool2dOptions, padding?: PoolPair,
    options?: Pick<AvgPool2dOptions, 'countIncludePad' | 'ceilMode'>,
  ) {
    super();
    let all: AvgPool2dOptions;
    if (isOptionsObject(strideOrOptions)) {
      all = poolOptions('AvgPool2d', strideOrOptions, [padding, options], AVG_POOL_OPTIONS);
    } else {
      // The positional form's last argument holds the flags.
      const flags = options ?? {};
      rejectUnknownOptions(flags, ['countIncludePad', 'ceilMode'], 'AvgPool2d');
      all = { ...poolOptions('AvgPool2d', strideOrOptions, [padding], AVG_POOL_OPTIONS), ...flags };
    }
    const win = poolWindow('AvgPool2d', kernelSize, all, AVG_POOL_OPTIONS);
    this.kernelSize = win.kernelSize;
    this.stride = win.stride;
    this.padding = win.padding;
    this.ceilMode = win.ceilMode;
    this.countIncludePad = win.countIncludePad;
  }

  forward(x: Tensor): Tensor {
    return avgPool2d(x, this.kernelSize, {
      stride: this.stride, padding: this.padding, ceilMode: this.ceilMode, countIncludePad: this.countIncludePad,
    });
  }

  override extraRepr(): string {
    return `${windowRepr(this)}${this.ceilMode ? ', ceilMode=true' : ''}${this.countIncludePad ? '' : ', countIncludePad=false'}`;
  }
}
