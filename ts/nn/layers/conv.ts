/** 2-D convolution over NCHW input, weight OIHW [out, in/groups, kh, kw] as PyTorch. */
import type { Tensor } from '../../tensor/tensor';
import { zeros } from '../../tensor/create';
import { conv2d } from '../functional';
import { convPadding } from '../../ops/conv';
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

/** Channel groups: an integer >= 1 dividing both channel counts, or a RangeError naming them. */
export function layerGroups(where: string, groups: unknown, inChannels: number, outChannels: number): number {
  if (typeof groups !== 'number' || !Number.isInteger(groups) || groups < 1) {
    throw new RangeError(`${where}: groups must be an integer >= 1, got ${JSON.stringify(groups)}`);
  }
  if (inChannels % groups !== 0) throw new RangeError(`${where}: inChannels (${inChannels}) must be divisible by groups (${groups})`);
  if (outChannels % groups !== 0) throw new RangeError(`${where}: outChannels (${outChannels}) must be divisible by groups (${groups})`);
  return groups;
}

/** Only zero padding exists; PyTorch's other modes are refused by name rather than ignored. */
export function zerosPaddingMode(where: string, mode: unknown): 'zeros' {
  if (mode === undefined || mode === 'zeros') return 'zeros';
  throw new RangeError(`${where}: paddingMode ${JSON.stringify(mode)} is not supported; only 'zeros' is (reflect, replicate and circular padding are not implemented)`);
}

export function positiveChannels(where: string, counts: ReadonlyArray<readonly [string, number]>): void {
  for (const [n, v] of counts) {
    if (!Number.isInteger(v) || v <= 0) throw new RangeError(`${where}: ${n} must be a positive integer, got ${v}`);
  }
}

/** Also takes kernelRegularizer, biasRegularizer, kernelConstraint, biasConstraint (dd.regularize policies). */
export interface Conv2dOptions extends LayerRegularization {
  stride?: Pair;
  /** Zero padding per side, or 'valid' (none) or 'same' (output as large as the input; stride 1, odd dilated kernel). */
  padding?: Pair | 'same' | 'valid';
  dilation?: Pair;
  /** Channel groups (default 1): inChannels and outChannels divisible by it; groups = inChannels is depthwise. */
  groups?: number;
  /** Only 'zeros' (the default). */
  paddingMode?: 'zeros';
  /** Whether the layer adds a bias (default true). */
  bias?: boolean;
  /** Weight initialisation (default PyTorch's kaiming_uniform(a=√5)). */
  init?: Initializer;
  /** Bias initialisation (default PyTorch's U(±1/√fanIn), or zeros when `init` names a scheme). */
  biasInit?: BiasInitializer;
}

const CONV2D_OPTIONS = [
  'stride', 'padding', 'dilation', 'groups', 'paddingMode', 'bias', 'init', 'biasInit',
  'kernelRegularizer', 'biasRegularizer', 'kernelConstraint', 'biasConstraint',
];

export class Conv2d extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  /** As given: a pair, or 'same' / 'valid' (see zeroPadding for the pair they mean). */
  readonly padding: [number, number] | 'same' | 'valid';
  readonly dilation: [number, number];
  readonly groups: number;
  readonly paddingMode: 'zeros';
  weight: Tensor;
  bias: Tensor | null;

  constructor(inChannels: number, outChannels: number, kernelSize: Pair, options: Conv2dOptions = {}) {
    super();
    rejectUnknownOptions(options, CONV2D_OPTIONS, 'Conv2d');
    positiveChannels('Conv2d', [['inChannels', inChannels], ['outChannels', outChannels]]);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = pair('Conv2d', 'kernelSize', kernelSize, 1);
    this.stride = pair('Conv2d', 'stride', options.stride ?? 1, 1);
    const padding = options.padding ?? 0;
    if (typeof padding === 'string' && padding !== 'same' && padding !== 'valid') {
      throw new RangeError(`Conv2d: padding must be an integer >= 0, a pair of them, 'same' or 'valid', got ${JSON.stringify(padding)}`);
    }
    this.padding = padding === 'same' || padding === 'valid' ? padding : pair('Conv2d', 'padding', padding, 0);
    this.dilation = pair('Conv2d', 'dilation', options.dilation ?? 1, 1);
    this.groups = layerGroups('Conv2d', options.groups ?? 1, inChannels, outChannels);
    this.paddingMode = zerosPaddingMode('Conv2d', options.paddingMode);
    // 'same' is checked now (stride 1, even total padding), not at the first forward.
    this.zeroPadding();
    this.weight = parameter(zeros([outChannels, inChannels / this.groups, ...this.kernelSize]));
    this.bias = options.bias ?? true ? parameter(zeros([outChannels])) : null;
    initLayer(this.weight, this.bias, options.init, options.biasInit, 'Conv2d');
    attachLayerPolicies('Conv2d', this.weight, this.bias, options);
  }

  /** The zero padding per side the layer applies ('same' and 'valid' resolved). */
  zeroPadding(): [number, number] {
    return convPadding(this.padding, this.kernelSize, this.stride, this.dilation, 'Conv2d');
  }

  forward(x: Tensor): Tensor {
    return conv2d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups });
  }

  override extraRepr(): string {
    const k = this.kernelSize;
    const parts = [`${this.inChannels}, ${this.outChannels}`, `kernelSize=[${k}]`];
    if (this.stride.some((s) => s !== 1)) parts.push(`stride=[${this.stride}]`);
    if (typeof this.padding === 'string') parts.push(`padding='${this.padding}'`);
    else if (this.padding.some((s) => s !== 0)) parts.push(`padding=[${this.padding}]`);
    if (this.dilation.some((s) => s !== 1)) parts.push(`dilation=[${this.dilation}]`);
    if (this.groups !== 1) parts.push(`groups=${this.groups}`);
    if (this.bias === null) parts.push('bias=false');
    return parts.join(', ');
  }
}
