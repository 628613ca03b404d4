/** 2-D transposed convolution over NCHW input, weight [in, out/groups, kh, kw] as PyTorch's ConvTranspose2d. */
import type { Tensor } from '../../tensor/tensor';
import { zeros } from '../../tensor/create';
import { convTranspose2d } from '../functional';
import { Module, parameter } from '../module';
import { BiasInitializer, Initializer, initLayer } from '../init';
import { LayerRegularization, attachLayerPolicies } from '../../regularize/attach';
import { rejectUnknownOptions } from '../../options';
import { layerGroups, pair, Pair, positiveChannels, zerosPaddingMode } from './conv';

/** Also takes kernelRegularizer, biasRegularizer, kernelConstraint, biasConstraint (dd.regularize policies). */
export interface ConvTranspose2dOptions extends LayerRegularization {
  stride?: Pair;
  /** dilation·(kernelSize − 1) − padding zeros are added to each side of the input (default 0). */
  padding?: Pair;
  /** Extra rows and columns on one side of the output: smaller than the stride or the dilation (default 0). */
  outputPadding?: Pair;
  /** Channel groups (default 1): inChannels and outChannels divisible by it. */
  groups?: number;
  dilation?: Pair;
  /** Only 'zeros' (the default). */
  paddingMode?: 'zeros';
  /** Whether the layer adds a bias (default true). */
  bias?: boolean;
  /** Weight initialisation (default PyTorch's kaiming_uniform(a=√5) over fanIn = out/groups·kh·kw). */
  init?: Initializer;
  /** Bias initialisation (default PyTorch's U(±1/√fanIn), or zeros when `init` names a scheme). */
  biasInit?: BiasInitializer;
}

const CONV_TRANSPOSE2D_OPTIONS = [
  'stride', 'padding', 'outputPadding', 'groups', 'dilation', 'paddingMode', 'bias', 'init', 'biasInit',
  'kernelRegularizer', 'biasRegularizer', 'kernelConstraint', 'biasConstraint',
];

export class ConvTranspose2d extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly outputPadding: [number, number];
  readonly groups: number;
  readonly dilation: [number, number];
  readonly paddingMode: 'zeros';
  weight: Tensor;
  bias: Tensor | null;

  constructor(inChannels: number, outChannels: number, kernelSize: Pair, options: ConvTranspose2dOptions = {}) {
    super();
    const where = 'ConvTranspose2d';
    rejectUnknownOptions(options, CONV_TRANSPOSE2D_OPTIONS, where);
    positiveChannels(where, [['inChannels', inChannels], ['outChannels', outChannels]]);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = pair(where, 'kernelSize', kernelSize, 1);
    this.stride = pair(where, 'stride', options.stride ?? 1, 1);
    this.padding = pair(where, 'padding', options.padding ?? 0, 0);
    this.outputPadding = pair(where, 'outputPadding', options.outputPadding ?? 0, 0);
    this.groups = layerGroups(where, options.groups ?? 1, inChannels, outChannels);
    this.dilation = pair(where, 'dilation', options.dilation ?? 1, 1);
    this.paddingMode = zerosPaddingMode(where, options.paddingMode);
    for (let a = 0; a < 2; a++) {
      if (this.outputPadding[a] >= Math.max(this.stride[a], this.dilation[a])) {
        throw new RangeError(
          `${where}: outputPadding [${this.outputPadding}] must be smaller than either the stride [${this.stride}] or the dilation [${this.dilation}] on each axis`,
        );
      }
    }
    this.weight = parameter(zeros([inChannels, outChannels / this.groups, ...this.kernelSize]));
    this.bias = options.bias ?? true ? parameter(zeros([outChannels])) : null;
    initLayer(this.weight, this.bias, options.init, options.biasInit, where);
    attachLayerPolicies(where, this.weight, this.bias, options);
  }

  forward(x: Tensor): Tensor {
    return convTranspose2d(x, this.weight, this.bias, {
      stride: this.stride, padding: this.padding, outputPadding: this.outputPadding, groups: this.groups, dilation: this.dilation,
    });
  }

  override extraRepr(): string {
    const parts = [`${this.inChannels}, ${this.outChannels}`, `kernelSize=[${this.kernelSize}]`];
    if (this.stride.some((s) => s !== 1)) parts.push(`stride=[${this.stride}]`);
    if (this.padding.some((s) => s !== 0)) parts.push(`padding=[${this.padding}]`);
    if (this.outputPadding.some((s) => s !== 0)) parts.push(`outputPadding=[${this.outputPadding}]`);
    if (this.groups !== 1) parts.push(`groups=${this.groups}`);
    if (this.dilation.some((s) => s !== 1)) parts.push(`dilation=[${this.dilation}]`);
    if (this.bias === null) parts.push('bias=false');
    return parts.join(', ');
  }
}
