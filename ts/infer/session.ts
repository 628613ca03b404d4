/**
 * InferenceSession: a model compiled for inference, as an onnxruntime session
 * or a frozen TorchScript module is. `run(x)` gives what `model.call(x)` gives
 * in evaluation mode without the graph, computed by fused native kernels
 * (convolution + bias + ReLU + max-pool, linear + bias + ReLU) on buffers
 * planned once per input shape and reused.
 *
 * The session follows the model: weights are read at every run, so training
 * or loading weights after compiling is seen at once; a model given new
 * layers, hooks or differently shaped parameters is planned again.
 */
import type { AnyModule, ModuleOutput } from '../nn/module';
import { noGrad } from '../autograd/grad-mode';
import { withMode } from '../nn/mode';
import { Module } from '../nn/module';
import { enterCall, leaveCall, nameLayer } from '../nn/layer-errors';
import { rejectUnknownOptions } from '../options';
import { formatShape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { InferencePlan, NotOneTensor, PlanOutdated } from './plan';
import { Stage, stagesOf, Structure, structureHolds } from './stages';

export interface CompileOptions {
  /**
   * The shape of one sample, without the batch axis (e.g. [1, 28, 28]):
   * run() then refuses other inputs with an error that says what it expects.
   * Without it, any shape the model takes is accepted.
   */
  inputShape?: readonly number[];
  /** Input shapes whose buffers are kept (default 4); the least recently used goes first. */
  maxShapes?: number;
}

function checkSampleShape(shape: unknown, where: string): number[] {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new TypeError(`${where}: inputShape must be an array of non-negative integers (one sample's shape, without the batch axis), got ${JSON.stringify(shape)}`);
  }
  return [...shape];
}

export class InferenceSession {
  /** The compiled model. */
  readonly model: AnyModule;
  /** One sample's shape (without the batch axis) when given to compileForInference, else null. */
  readonly inputShape: readonly number[] | null;
  readonly #maxShapes: number;
  #stages: Stage[];
  #structure: Structure;
  /** Plans by input shape, most recently used last. */
  #plans = new Map<string, InferencePlan>();
  #last: InferencePlan | null = null;
  /** Set when a layer returned several tensors: such a model is left to model.call. */
  #severalOutputs = false;

  /** @internal Made by dd.compileForInference. */
  constructor(model: AnyModule, options: CompileOptions = {}) {
    const where = 'compileForInference';
    if (!(model instanceof Module)) throw new TypeError(`${where}: expected a Module, got ${model === null ? 'null' : typeof model}`);
    if (options === null || typeof options !== 'object') throw new TypeError(`${where}: options must be an object`);
    rejectUnknownOptions(options, ['inputShape', 'maxShapes'], where);
    this.inputShape = options.inputShape === undefined ? null : checkSampleShape(options.inputShape, where);
    const maxShapes = options.maxShapes ?? 4;
    if (!Number.isInteger(maxShapes) || maxShapes < 1) throw new RangeError(`${where}: maxShapes must be a positive integer, got ${maxShapes}`);
    this.#maxShapes = maxShapes;
    this.model = model;
    ({ stages: this.#stages, structure: this.#structure } = stagesOf(model));
  }

  /**
   * The model's output for x, as `model.call(x)` in evaluation mode without
   * recording the graph. Synchronous; a fresh tensor each call.
   */
  run(x: Tensor): Tensor {
    const where = 'InferenceSession.run';
    if (!(x instanceof Tensor)) throw new TypeError(`${where}: expected a Tensor, got ${x === null ? 'null' : typeof x}`);
    if (this.inputShape !== null && !this.#hasSampleShape(x)) {
      throw new RangeError(
        `${where}: expected input of shape [N,${this.inputShape.join(',')}] (N samples of ${formatShape(this.inputShape)}), got ${formatShape(x.shape)}`,
      );
    }
    if (!structureHolds(this.#structure)) this.#restage();
    // The layers' errors name their path in the model, as model.call's do.
    enterCall(this.model);
    try {
      return this.#runPlanned(x);
    } catch (err) {
      throw nameLayer(err);
    } finally {
      leaveCall();
    }
  }

  /**
   * What the plan of the last run ran, one line per part: each native
   * program with the layers it fused, each layer run by its own forward.
   */
  describe(): string[] {
    return this.#last?.describe() ?? [];
  }

  /** @internal Whether any layer of the model runs fused (otherwise a session only adds bookkeeping). */
  fuses(): boolean {
    if (!structureHolds(this.#structure)) this.#restage();
    return !this.#severalOutputs && this.#stages.some((s) => s.kind === 'conv' || s.kind === 'linear');
  }

  /** Frees every planned buffer (the next run plans again). */
  release(): void {
    this.#plans.clear();
    this.#last = null;
  }

  #hasSampleShape(x: Tensor): boolean {
    const s = this.inputShape as readonly number[];
    if (x.ndim !== s.length + 1) return false;
    for (let i = 0; i < s.length; i++) if (x.shape[i + 1] !== s[i]) return false;
    return true;
  }

  #restage(): void {
    ({ stages: this.#stages, structure: this.#structure } = stagesOf(this.model));
    this.release();
  }

  #runPlanned(x: Tensor): Tensor {
    let plan = this.#last !== null && this.#last.accepts(x) ? this.#last : this.#plans.get(key(x));
    if (plan !== undefined && !plan.parametersHold()) {
      this.release();
      plan = undefined;
    }
    if (plan !== undefined) {
      try {
        const out = plan.run(x);
        this.#use(plan);
        return out;
      } catch (err) {
        if (!(err instanceof PlanOutdated)) throw err;
        this.#plans.delete(key(x));
      }
    }
    try {
      const { plan: made, output } = InferencePlan.planFirstRun(this.#stages, x);
      this.#use(made);
      return output;
    } catch (err) {
      if (err instanceof NotOneTensor) this.#severalOutputs = true;
      throw err;
    }
  }

  #use(plan: InferencePlan): void {
    if (this.#last === plan) return;
    const k = key(plan);
    this.#plans.delete(k);
    this.#plans.set(k, plan);
    while (this.#plans.size > this.#maxShapes) this.#plans.delete(this.#plans.keys().next().value as string);
    this.#last = plan;
  }
}

function key(x: Tensor | InferencePlan): string {
  return x instanceof Tensor ? `${x.dtype}:${x.shape.join(',')}` : `${x.inputDtype}:${x.inputShape.join(',')}`;
}

/**
 * The model compiled for inference: a session whose `run(x)` gives what
 * `model.call(x)` gives in evaluation mode, through fused kernels on buffers
 * planned once per input shape (see InferenceSession).
 *
 * @example
 * const session = dd.compileForInference(model, { inputShape: [1, 28, 28] });
 * const logits = session.run(images);   // images: [N, 1, 28, 28]
 */
export function compileForInference(model: AnyModule, options: CompileOptions = {}): InferenceSession {
  return new InferenceSession(model, options);
}

const sessions = new WeakMap<AnyModule, InferenceSession>();

/**
 * @internal The session dd.predict and the inference workers use for `model`,
 * made on first use and kept as long as the model lives; null when the model
 * is not a Sequential the session can fuse (it then runs as it is).
 */
export function inferenceSessionFor(model: AnyModule): InferenceSession | null {
  let s = sessions.get(model);
  if (s === undefined) {
    s = new InferenceSession(model, { maxShapes: 2 });
    sessions.set(model, s);
  }
  return s.fuses() ? s : null;
}

/**
 * @internal What dd.predict and the inference workers run on each batch:
 * the model's session when it has one, else (or for a model whose layers
 * return several tensors) model.call in evaluation mode without the graph.
 */
export function evaluationForward(model: AnyModule): (x: Tensor) => ModuleOutput {
  const plain = (x: Tensor) => withMode(model, false, () => noGrad(() => model.call(x)));
  const session = inferenceSessionFor(model);
  if (session === null) return plain;
  return (x) => {
    try {
      return session.run(x);
    } catch (err) {
      if (err instanceof NotOneTensor) return plain(x);
      throw err;
    }
  };
}
