/**
 * Activation layers. Those of the activation table (ops/activation-table.ts,
 * which says how to add one) are one line each, their class made by
 * activationLayer(); Softmax and LogSoftmax, which take a dim, are written out.
 */
import { ActivationEntry, activationEntry, ActivationOpName } from '../../ops/activation-table';
import { nativeActivation } from '../../ops/activation';
import type { Tensor } from '../../tensor/tensor';
import { logSoftmax, softmax } from '../functional';
import { Module } from '../module';

/** The field an activation's parameter is kept in, as a readonly number. */
type ParamField<N extends ActivationOpName> = ActivationEntry<N> extends { readonly param: { readonly name: infer P extends string } }
  ? { readonly [K in P]: number }
  : unknown;

/** A layer of the activation table: forward applies the activation. */
export interface ActivationModule extends Module {
  forward(x: Tensor): Tensor;
}

/** The base class of activation N's layer: no argument, or its parameter (defaulted as the functional form does). */
export type ActivationLayerBase<N extends ActivationOpName> = ActivationEntry<N> extends { readonly param: object }
  ? new (param?: number) => ActivationModule & ParamField<N>
  : new () => ActivationModule;

/** The base class of the layer of activation `name`: `export class ReLU extends activationLayer('relu') {}`. */
export function activationLayer<N extends ActivationOpName>(name: N): ActivationLayerBase<N> {
  const { param } = activationEntry(name);
  const apply = nativeActivation(name) as (x: Tensor, param?: number) => Tensor;
  class Activation extends Module {
    constructor(value?: number) {
      super();
      if (param !== undefined) (this as Record<string, unknown>)[param.name] = value ?? param.default;
    }
    forward(x: Tensor): Tensor {
      return param === undefined ? apply(x) : apply(x, (this as Record<string, unknown>)[param.name] as number);
    }
    override extraRepr(): string {
      return param === undefined ? '' : `${param.name}=${(this as Record<string, unknown>)[param.name] as number}`;
    }
  }
  return Activation as unknown as ActivationLayerBase<N>;
}

export class ReLU extends activationLayer('relu') {}

/** 1 / (1 + exp(−x)). */
export class Sigmoid extends activationLayer('sigmoid') {}

/** The logistic function, another name for Sigmoid. */
export class Logistic extends Sigmoid {}

export class Tanh extends activationLayer('tanh') {}

/** max(0, x) + negativeSlope·min(0, x); negativeSlope 0.01 by default. */
export class LeakyReLU extends activationLayer('leakyRelu') {}

/** x for x > 0, alpha·(exp(x) − 1) otherwise; alpha 1 by default. */
export class ELU extends activationLayer('elu') {}

/** x·Φ(x) (the exact, erf form). */
export class GELU extends activationLayer('gelu') {}

/** x·sigmoid(x) (also called swish). */
export class SiLU extends activationLayer('silu') {}

/** log(1 + exp(x)). */
export class Softplus extends activationLayer('softplus') {}

/** Softmax along `dim` (default the last). */
export class Softmax extends Module {
  readonly dim: number;
  constructor(dim = -1) {
    super();
    this.dim = dim;
  }
  forward(x: Tensor): Tensor {
    return softmax(x, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/** Log-softmax along `dim` (default the last). */
export class LogSoftmax extends Module {
  readonly dim: number;
  constructor(dim = -1) {
    super();
    this.dim = dim;
  }
  forward(x: Tensor): Tensor {
    return logSoftmax(x, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}
