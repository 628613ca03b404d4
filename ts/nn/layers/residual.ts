/**
 * Residual connections (He et al. 2016): y = x + F(x). The identity path lets
 * gradients reach early layers of very deep stacks undiminished.
 */
import type { Tensor } from '../../tensor/tensor';
import { add } from '../../ops/elementwise';
import { relu } from '../../ops/activation';
import { formatShape } from '../../tensor/shape';
import { Module } from '../module';
import { Linear } from './linear';
import { Conv2d } from './conv';
import { ActivationName, applyActivation, checkActivation } from './activation-by-name';
import { rejectUnknownOptions } from '../../options';

function addSkip(x: Tensor, fx: Tensor, where: string): Tensor {
  if (x.shape.length !== fx.shape.length || x.shape.some((d, i) => d !== fx.shape[i])) {
    throw new RangeError(`${where}: the block's output ${formatShape(fx.shape)} must have the input's shape ${formatShape(x.shape)}`);
  }
  return add(x, fx);
}

/** y = x + block(x) for any block whose output has its input's shape. */
export class Residual extends Module {
  block: Module;
  constructor(block: Module) {
    super();
    if (!(block instanceof Module)) throw new TypeError('Residual: block must be a Module');
    this.block = block;
  }
  forward(x: Tensor): Tensor {
    return addSkip(x, this.block.call(x), 'Residual');
  }
}

export interface ResidualDenseOptions {
  /** Activation inside the block (default 'relu'). */
  activation?: ActivationName;
  /** Width of the hidden layer inside the block (default: dim). */
  hiddenDim?: number;
}

/** Dense residual block: y = x + W₂·act(W₁·x + b₁) + b₂. */
export class ResidualDense extends Module {
  readonly dim: number;
  readonly hiddenDim: number;
  readonly activation: ActivationName;
  fc1: Linear;
  fc2: Linear;

  constructor(dim: number, options: ResidualDenseOptions = {}) {
    super();
    rejectUnknownOptions(options, ['activation', 'hiddenDim'], 'ResidualDense');
    if (!Number.isInteger(dim) || dim <= 0) throw new RangeError(`ResidualDense: dim must be a positive integer, got ${dim}`);
    this.dim = dim;
    this.hiddenDim = options.hiddenDim ?? dim;
    this.activation = checkActivation(options.activation ?? 'relu', 'ResidualDense');
    this.fc1 = new Linear(dim, this.hiddenDim);
    this.fc2 = new Linear(this.hiddenDim, dim);
  }

  forward(x: Tensor): Tensor {
    return addSkip(x, this.fc2.call(applyActivation(this.fc1.call(x), this.activation)), 'ResidualDense');
  }

  override extraRepr(): string {
    return `${this.dim}, hiddenDim=${this.hiddenDim}, activation=${this.activation}`;
  }
}

export interface ResidualConv2dOptions {
  /** Output channels (default: the input channels). */
  outChannels?: number;
  /** Odd kernel size of both convolutions (default 3); padding keeps the size. */
  kernelSize?: number;
  /** Stride of the first convolution (default 1). */
  stride?: number;
}

/**
 * Convolutional residual block (ResNet's basic block, without batch norm):
 *   y = relu(conv₂(relu(conv₁(x))) + shortcut(x)),
 * the shortcut being the identity, or a 1×1 convolution with the block's
 * stride when the channels or the size change.
 */
export class ResidualConv2d extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: number;
  readonly stride: number;
  conv1: Conv2d;
  conv2: Conv2d;
  shortcut: Conv2d | null;

  constructor(inChannels: number, options: ResidualConv2dOptions = {}) {
    super();
    rejectUnknownOptions(options, ['outChannels', 'kernelSize', 'stride'], 'ResidualConv2d');
    const k = options.kernelSize ?? 3;
    if (!Number.isInteger(k) || k <= 0 || k % 2 === 0) throw new RangeError(`ResidualConv2d: kernelSize must be a positive odd integer, got ${k}`);
    const stride = options.stride ?? 1;
    this.inChannels = inChannels;
    this.outChannels = options.outChannels ?? inChannels;
    this.kernelSize = k;
    this.stride = stride;
    const pad = (k - 1) / 2;
    this.conv1 = new Conv2d(inChannels, this.outChannels, k, { stride, padding: pad });
    this.conv2 = new Conv2d(this.outChannels, this.outChannels, k, { padding: pad });
    this.shortcut = this.outChannels !== inChannels || stride !== 1
      ? new Conv2d(inChannels, this.outChannels, 1, { stride })
      : null;
  }

  forward(x: Tensor): Tensor {
    const fx = this.conv2.call(relu(this.conv1.call(x)));
    const skip = this.shortcut === null ? x : this.shortcut.call(x);
    return relu(addSkip(skip, fx, 'ResidualConv2d'));
  }

  override extraRepr(): string {
    return `${this.inChannels}, ${this.outChannels}, kernelSize=${this.kernelSize}, stride=${this.stride}`;
  }
}
