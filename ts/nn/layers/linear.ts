/** Fully connected layer y = x·Wᵀ + b, weight [out, in] as PyTorch stores it. */
import type { Tensor } from '../../tensor/tensor';
import { zeros } from '../../tensor/create';
import { linear } from '../functional';
import { Module, parameter } from '../module';
import { BiasInitializer, Initializer, initLayer } from '../init';
import { LayerRegularization, attachLayerPolicies } from '../../regularize/attach';
import { rejectUnknownOptions } from '../../options';

/** Also takes kernelRegularizer, biasRegularizer, kernelConstraint, biasConstraint (dd.regularize policies). */
export interface LinearOptions extends LayerRegularization {
  /** Whether the layer adds a bias (default true). */
  bias?: boolean;
  /** Weight initialisation (default PyTorch's kaiming_uniform(a=√5)). */
  init?: Initializer;
  /** Bias initialisation (default PyTorch's U(±1/√in), or zeros when `init` names a scheme). */
  biasInit?: BiasInitializer;
}

function checkSize(where: string, name: string, v: number): void {
  if (!Number.isInteger(v) || v <= 0) throw new RangeError(`${where}: ${name} must be a positive integer, got ${v}`);
}

export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  weight: Tensor;
  bias: Tensor | null;

  constructor(inFeatures: number, outFeatures: number, options: LinearOptions = {}) {
    super();
    rejectUnknownOptions(options, ['bias', 'init', 'biasInit', 'kernelRegularizer', 'biasRegularizer', 'kernelConstraint', 'biasConstraint'], 'Linear');
    checkSize('Linear', 'inFeatures', inFeatures);
    checkSize('Linear', 'outFeatures', outFeatures);
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.weight = parameter(zeros([outFeatures, inFeatures]));
    this.bias = options.bias ?? true ? parameter(zeros([outFeatures])) : null;
    initLayer(this.weight, this.bias, options.init, options.biasInit, 'Linear');
    attachLayerPolicies('Linear', this.weight, this.bias, options);
  }

  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `${this.inFeatures}, ${this.outFeatures}${this.bias === null ? ', bias=false' : ''}`;
  }
}
