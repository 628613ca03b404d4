/**
 * Fully connected layer y = x·Wᵀ + b, weight [out, in] as PyTorch stores it.
 *
 * Lazy form: `new Linear(null, outFeatures)` (or `new LazyLinear(outFeatures)`)
 * learns inFeatures from the last axis of its first input and creates and
 * initialises its parameters then — drawing the same random numbers a
 * Linear of that size created at that moment would. Until then it has no
 * parameters to hand out: parameters() throws, so an optimizer (which must
 * hold the real tensors) is created after a first forward or summary().
 * Once sized it is an ordinary Linear (saveModel writes it as one).
 */
import type { Tensor } from '../../tensor/tensor';
import { zeros } from '../../tensor/create';
import { formatShape } from '../../tensor/shape';
import { Generator as RandomGenerator, withGenerator } from '../../tensor/random';
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
  readonly outFeatures: number;
  weight: Tensor;
  bias: Tensor | null;
  #inFeatures: number | null;
  /** The options, kept until a lazy layer learns its size. */
  #lazyOptions: LinearOptions | null = null;

  /** inFeatures null makes the layer lazy: it learns the size from its first input. */
  constructor(inFeatures: number | null, outFeatures: number, options: LinearOptions = {}) {
    super();
    rejectUnknownOptions(options, ['bias', 'init', 'biasInit', 'kernelRegularizer', 'biasRegularizer', 'kernelConstraint', 'biasConstraint'], 'Linear');
    if (inFeatures !== null) checkSize('Linear', 'inFeatures', inFeatures);
    checkSize('Linear', 'outFeatures', outFeatures);
    this.outFeatures = outFeatures;
    this.#inFeatures = inFeatures;
    // Placeholders until a lazy layer is sized: not parameters, never initialised.
    this.weight = zeros([outFeatures, 0]);
    this.bias = options.bias ?? true ? zeros([outFeatures]) : null;
    if (inFeatures !== null) {
      this.createParameters(inFeatures, options);
      return;
    }
    this.#lazyOptions = options;
    // Check the options now, not at the first forward: named schemes on
    // throwaway tensors and a throwaway generator (the global stream is
    // left for the real initialisation), policies on the placeholders.
    const named = <T>(v: T) => (typeof v === 'string' ? v : undefined);
    if (named(options.init) !== undefined || named(options.biasInit) !== undefined) {
      withGenerator(new RandomGenerator(0), () =>
        initLayer(zeros([outFeatures, 1]), this.bias === null ? null : zeros([outFeatures]), named(options.init), named(options.biasInit), 'Linear'),
      );
    }
    attachLayerPolicies('Linear', this.weight, this.bias, options);
  }

  private createParameters(inFeatures: number, options: LinearOptions): void {
    this.weight = parameter(zeros([this.outFeatures, inFeatures]));
    this.bias = options.bias ?? true ? parameter(zeros([this.outFeatures])) : null;
    initLayer(this.weight, this.bias, options.init, options.biasInit, 'Linear');
    attachLayerPolicies('Linear', this.weight, this.bias, options);
    this.#inFeatures = inFeatures;
    this.#lazyOptions = null;
  }

  /** The size of the inputs' last axis (a lazy layer knows it after its first forward). */
  get inFeatures(): number {
    if (this.#inFeatures === null) throw this.unsizedError('inFeatures');
    return this.#inFeatures;
  }

  /** Whether this is a lazy layer that has not seen an input yet (as PyTorch's has_uninitialized_params). */
  hasUninitializedParams(): boolean {
    return this.#inFeatures === null;
  }

  override *ownNamedParameters(): Generator<[string, Tensor]> {
    if (this.#inFeatures === null) throw this.unsizedError('its parameters');
    yield* super.ownNamedParameters();
  }

  forward(x: Tensor): Tensor {
    if (this.#lazyOptions !== null) {
      const n = x?.shape?.[x.shape.length - 1];
      if (!Number.isInteger(n) || n <= 0) {
        throw new RangeError(`Linear(null, ${this.outFeatures}): the first input's last axis gives inFeatures and must be positive, got shape ${x?.shape ? formatShape(x.shape) : typeof x}`);
      }
      this.createParameters(n, this.#lazyOptions);
    }
    return linear(x, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `${this.#inFeatures ?? 'null'}, ${this.outFeatures}${this.bias === null ? ', bias=false' : ''}`;
  }

  private unsizedError(what: string): Error {
    return new Error(
      `Linear(null, ${this.outFeatures}) learns inFeatures from its first input, so ${what} do${what.startsWith('its') ? '' : 'es'} not exist yet. ` +
        'Run a forward pass (model.call(x)) or model.summary(inputShape) first — in particular before creating the optimizer, which must hold the real parameters',
    );
  }
}

/**
 * `new nn.LazyLinear(outFeatures, options)`: a Linear that learns inFeatures
 * from its first input; the same as `new nn.Linear(null, outFeatures, options)`.
 */
export const LazyLinear = function LazyLinear(outFeatures: number, options?: LinearOptions): Linear {
  return new Linear(null, outFeatures, options);
} as unknown as new (outFeatures: number, options?: LinearOptions) => Linear;
