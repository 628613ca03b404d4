/** 2-D convolution over NCHW input, weight OIHW [out, in, kh, kw] as PyTorch. */
import type { Tensor } from '../../tensor/tensor';
import { zeros } from '../../tensor/create';
import { conv2d } from '../functional';
import { Module, parameter } from '../module';
import { BiasInitializer, Initializer, initLayer } from '../init';
import { LayerRegularization, attachLayerPolicies } from '../../regularize/attach';
import { rejectUnknownOptions } from '../../options';

export type Pair = number | [number, number];

export function pair(where: string, name: string, v: Pair, min: number): [number, number] {
  const p: [number, number] = Array.isArray(v) ? [v[0], v[1]] : [v, v];
  for (const x of p) {
    if (!Number.isInteger(x) || x < min) throw new RangeError(`${where}: ${name} must be an integer >= ${min} (or a pair of them), got ${JSON.stringify(v)}`);
  }
  return p;
}

/** Also takes kernelRegularizer, biasRegularizer, kernelConstraint, biasConstraint (dd.regularize policies). */
export interface Conv2dOptions extends LayerRegularization {
  stride?: Pair;
  padding?: Pair;
  dilation?: Pair;
  /** Whether the layer adds a bias (default true). */
  bias?: boolean;
  /** Weight initialisation (default PyTorch's kaiming_uniform(a=√5)). */
  init?: Initializer;
  /** Bias initialisation (default PyTorch's U(±1/√fanIn), or zeros when `init` names a scheme). */
  biasInit?: BiasInitializer;
}

export class Conv2d extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly dilation: [number, number];
  weight: Tensor;
  bias: Tensor | null;

  constructor(inChannels: number, outChannels: number, kernelSize: Pair, options: Conv2dOptions = {}) {
    super();
    rejectUnknownOptions(options, ['stride', 'padding', 'dilation', 'bias', 'init', 'biasInit', 'kernelRegularizer', 'biasRegularizer', 'kernelConstraint', 'biasConstraint'], 'Conv2d');
    for (const [n, v] of [['inChannels', inChannels], ['outChannels', outChannels]] as const) {
      if (!Number.isInteger(v) || v <= 0) throw new RangeError(`Conv2d: ${n} must be a positive integer, got ${v}`);
    }
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = pair('Conv2d', 'kernelSize', kernelSize, 1);
    this.stride = pair('Conv2d', 'stride', options.stride ?? 1, 1);
    this.padding = pair('Conv2d', 'padding', options.padding ?? 0, 0);
    this.dilation = pair('Conv2d', 'dilation', options.dilation ?? 1, 1);
    this.weight = parameter(zeros([outChannels, inChannels, ...this.kernelSize]));
    this.bias = options.bias ?? true ? parameter(zeros([outChannels])) : null;
    initLayer(this.weight, this.bias, options.init, options.biasInit, 'Conv2d');
    attachLayerPolicies('Conv2d', this.weight, this.bias, options);
  }

  forward(x: Tensor): Tensor {
    return conv2d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding, dilation: this.dilation });
  }

  override extraRepr(): string {
    const k = this.kernelSize;
    const parts = [`${this.inChannels}, ${this.outChannels}`, `kernelSize=[${k}]`];
    if (this.stride.some((s) => s !== 1)) parts.push(`stride=[${this.stride}]`);
    if (this.padding.some((s) => s !== 0)) parts.push(`padding=[${this.padding}]`);
    if (this.dilation.some((s) => s !== 1)) parts.push(`dilation=[${this.dilation}]`);
    if (this.bias === null) parts.push('bias=false');
    return parts.join(', ');
  }
}
