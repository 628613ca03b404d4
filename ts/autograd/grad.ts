/**
 * grad(outputs, inputs): the gradients of outputs with respect to inputs,
 * returned instead of accumulated — no tensor's .grad changes (as
 * torch.autograd.grad). It shares backward()'s traversal (engine.ts) with a
 * sink that collects, and runs only the rules on a path from the outputs to
 * the inputs: a saliency map through a network does not compute the
 * weights' gradients.
 *
 * @example
 * // Saliency: how much each pixel moves the class score.
 * x.requiresGrad = true;
 * const score = model.call(x).narrow(1, label, 1).sum();
 * const [saliency] = dd.autograd.grad(score, x);
 */
import { native } from '../native';
import { allocZeros } from '../tensor/alloc';
import { Storage } from '../tensor/storage';
import { Tensor } from '../tensor/tensor';
import { rejectUnknownOptions } from '../options';
import { copyGradient, Gradient, GradientSink, propagate, seedRoots } from './engine';
import type { GradNode } from './node';

export interface GradOptions {
  /**
   * The gradient each output starts with (the vector of a vector-Jacobian
   * product): one Tensor per output, of its shape; null (or leaving it out)
   * gives one-element outputs the gradient 1.
   */
  gradOutputs?: Tensor | ReadonlyArray<Tensor | null> | null;
  /** Keep the graph's saved values so backward()/grad() can go through it again (default false). */
  retainGraph?: boolean;
  /**
   * Give null for an input the outputs do not depend on, instead of throwing
   * (default false).
   */
  allowUnused?: boolean;
  /** A graph of the gradient computation itself (double backward): not supported, so only false is accepted. */
  createGraph?: boolean;
}

const OPTION_NAMES = ['gradOutputs', 'retainGraph', 'allowUnused', 'createGraph'];

function checkBoolean(options: GradOptions, key: 'retainGraph' | 'allowUnused' | 'createGraph'): boolean {
  const v = options[key];
  if (v !== undefined && typeof v !== 'boolean') throw new TypeError(`grad: option ${key} must be a boolean, got ${typeof v}`);
  return v ?? false;
}

function checkInputs(inputs: Tensor | readonly Tensor[]): readonly Tensor[] {
  const list = inputs instanceof Tensor ? [inputs] : inputs;
  if (!Array.isArray(list) || list.length === 0) throw new TypeError('grad: inputs must be a Tensor or a non-empty array of Tensors');
  list.forEach((t, k) => {
    if (!(t instanceof Tensor)) throw new TypeError(`grad: input ${k} is not a Tensor`);
    if (!t._requiresGrad) {
      throw new Error(`grad: input ${k} does not require grad; set requiresGrad = true on it before computing the outputs`);
    }
  });
  return list;
}

/** The sink that collects the gradients of the inputs and runs only what leads to them. */
class Collector implements GradientSink {
  readonly gradients = new Map<Tensor, Float32Array>();
  /** Inputs that no path from the outputs reaches (known once planned, before anything runs). */
  readonly unreached = new Set<Tensor>();
  private readonly targets: ReadonlySet<Tensor>;
  /** Input tensors that an op made, by their node (their gradient is that node's output gradient). */
  private readonly byNode = new Map<GradNode, Tensor>();
  /** The nodes on a path to an input, with the inputs of each that lead there. */
  private readonly routes = new Map<GradNode, boolean[]>();

  constructor(
    private readonly inputs: readonly Tensor[],
    private readonly outputs: readonly Tensor[],
    private readonly allowUnused: boolean,
  ) {
    this.targets = new Set(inputs);
    for (const t of inputs) if (t._node !== null) this.byNode.set(t._node, t);
  }

  plan(order: readonly GradNode[]): void {
    // An output that is itself an input is reached without any node.
    const reached = new Set<Tensor>(this.outputs.filter((t) => this.targets.has(t)));
    // Inputs of a node come after it in `order`: walk it backwards so each input's route is known first.
    for (let k = order.length - 1; k >= 0; k--) {
      const node = order[k];
      if (this.byNode.has(node)) reached.add(node.output!);
      const route = node.inputs.map((input, i) => {
        if (!node.needs[i]) return false;
        if (this.targets.has(input)) {
          reached.add(input);
          return true;
        }
        return input._node !== null && this.routes.has(input._node);
      });
      if (route.some((r) => r)) this.routes.set(node, route);
    }
    for (const t of this.targets) if (!reached.has(t)) this.unreached.add(t);
    if (!this.allowUnused && this.unreached.size > 0) {
      const k = this.inputs.findIndex((t) => this.unreached.has(t));
      throw new Error(`grad: input ${k} is not used to compute the outputs (no path from them reaches it); pass { allowUnused: true } to get null for it`);
    }
  }

  needs(node: GradNode): readonly boolean[] | null {
    return this.routes.get(node) ?? null;
  }

  atNode(node: GradNode, gradient: Gradient): void {
    const input = this.byNode.get(node);
    if (input === undefined) return;
    this.gradients.set(input, copyGradient(gradient));
  }

  atLeaf(leaf: Tensor, gradient: Float32Array): boolean {
    if (!this.targets.has(leaf)) return false;
    const existing = this.gradients.get(leaf);
    if (existing === undefined) {
      this.gradients.set(leaf, gradient);
      return true;
    }
    native().axpy(1, gradient, existing);
    return false;
  }
}

/**
 * The gradients of `outputs` (summed, each weighted by its gradOutput) with
 * respect to each of `inputs`, in order, as new tensors. Inputs may be
 * leaves or tensors an op made; every one must require grad. Nothing is
 * accumulated into any .grad. The graph is freed along the way unless
 * retainGraph. An input the outputs do not depend on is an error, or null
 * with allowUnused; one they depend on through rules that pass it no
 * gradient gets zeros.
 */
export function grad(outputs: Tensor | readonly Tensor[], inputs: Tensor | readonly Tensor[], options?: GradOptions & { allowUnused?: false }): Tensor[];
export function grad(outputs: Tensor | readonly Tensor[], inputs: Tensor | readonly Tensor[], options: GradOptions): Array<Tensor | null>;
export function grad(outputs: Tensor | readonly Tensor[], inputs: Tensor | readonly Tensor[], options: GradOptions = {}): Array<Tensor | null> {
  rejectUnknownOptions(options, OPTION_NAMES, 'grad');
  const retainGraph = checkBoolean(options, 'retainGraph');
  const allowUnused = checkBoolean(options, 'allowUnused');
  if (checkBoolean(options, 'createGraph')) {
    throw new TypeError('grad: createGraph (double backward) is not supported: backward rules run without recording a graph');
  }
  const targets = checkInputs(inputs);
  const roots = seedRoots(
    outputs, options.gradOutputs, 'grad',
    (what) => `${what === 'the tensor' ? 'the output' : what.replace('tensor', 'output')} does not require grad: it was not computed from any tensor that requires grad, or was computed inside noGrad()`,
  );
  const collector = new Collector(targets, roots.map((r) => r.tensor), allowUnused);
  propagate(roots, collector, retainGraph);
  const given = new Set<Float32Array>();
  return targets.map((t) => {
    if (collector.unreached.has(t)) return null;
    let g = collector.gradients.get(t) ?? allocZeros(t.numel);
    if (given.has(g)) g = Float32Array.from(g); // an input listed twice gets a tensor of its own each time
    given.add(g);
    return new Tensor(new Storage(g, true), t.shape, 'float32');
  });
}
