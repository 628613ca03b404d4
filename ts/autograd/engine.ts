/**
 * The traversal behind backward() and grad(): walks the graph once, in
 * reverse topological order from the tensors it starts at, and hands every
 * gradient it computes to a sink. backward()'s sink accumulates into .grad
 * (leaves, and tensors that called retainGrad()); grad()'s sink (grad.ts)
 * collects the gradients of chosen tensors and touches no .grad.
 *
 * Each node's output gradient is complete before its rule runs (all of the
 * node's consumers come earlier in the order); contributions to the same
 * tensor are summed with the native axpy. Rules run without recording a
 * graph, inside an allocation scope: what a rule allocates and does not
 * return goes straight back to the buffer pool, and so does each gradient
 * buffer once its node has consumed it. Leaves keep their gradient in .grad,
 * summed over backward calls until reset.
 *
 * A gradient whose elements are all one number (a sum's, a mean's) travels
 * as that number (tensor/uniform.ts) until a rule or a sink needs elements.
 */
import { native } from '../native';
import { allocFloat32, closeScope, openScope, release, Scoped } from '../tensor/alloc';
import { formatShape, shapesEqual } from '../tensor/shape';
import { Storage } from '../tensor/storage';
import { Tensor, wrap } from '../tensor/tensor';
import { UniformStorage } from '../tensor/uniform';
import { noGrad } from './grad-mode';
import type { GradNode } from './node';
import { rejectUnknownOptions } from '../options';

export interface BackwardOptions {
  /** Keep the graph's saved values so backward can go through it again. */
  retainGraph?: boolean;
  /**
   * Also return the memory of the graph's intermediate tensors (every tensor
   * an op made, except the one backward() is called on) to the buffer pool,
   * so the next step reuses it instead of fresh pages. Reading such a tensor
   * afterwards throws. For training loops that have read what they need
   * (outputs for metrics) before backward().
   */
  freeActivations?: boolean;
}

/** A gradient as the engine holds it: its elements, or the one number they all equal. */
export type Gradient = Float32Array | UniformStorage;

/** A new pooled buffer holding the gradient's elements. */
export function copyGradient(g: Gradient): Float32Array {
  if (g instanceof UniformStorage) return g.copy();
  const copy = allocFloat32(g.length);
  copy.set(g);
  return copy;
}

/** Returns a gradient's buffer to the pool (a number holds none). */
function releaseGradient(g: Gradient | undefined): void {
  if (!(g instanceof UniformStorage)) release(g);
}

/** target += g, elementwise. */
export function addGradient(g: Gradient, target: Float32Array): void {
  if (!(g instanceof UniformStorage)) {
    native().axpy(1, g, target);
    return;
  }
  const elements = g.copy();
  native().axpy(1, elements, target);
  release(elements);
}

/** Where a traversal's gradients go. Buffers handed to it belong to the engine unless it takes them. */
export interface GradientSink {
  /** Called once with the nodes about to run, consumers first (to plan which to run). */
  plan?(order: readonly GradNode[]): void;
  /** Which inputs of `node` need a gradient; null skips the node (its rule does not run, its graph is kept). */
  needs(node: GradNode): readonly boolean[] | null;
  /** The complete gradient of `node`'s output, before its rule runs (the sink copies what it keeps). */
  atNode(node: GradNode, gradient: Gradient): void;
  /** A gradient reaching a leaf; returns whether the sink took the buffer (else the engine recycles it). */
  atLeaf(leaf: Tensor, gradient: Float32Array): boolean;
}

/** A tensor a traversal starts from and the gradient it starts with (owned by the engine from then on). */
export interface Root {
  readonly tensor: Tensor;
  readonly seed: Float32Array;
}

function checkOptions(options: BackwardOptions | undefined): Required<BackwardOptions> {
  const o = options ?? {};
  if (typeof o !== 'object') throw new TypeError(`backward: options must be an object like { retainGraph: true }`);
  rejectUnknownOptions(o, ['retainGraph', 'freeActivations'], 'backward');
  for (const key of ['retainGraph', 'freeActivations'] as const) {
    if (o[key] !== undefined && typeof o[key] !== 'boolean') {
      throw new TypeError(`backward: option ${key} must be a boolean, got ${typeof o[key]}`);
    }
  }
  if (o.retainGraph && o.freeActivations) {
    throw new TypeError('backward: retainGraph and freeActivations exclude each other (a retained graph needs its activations)');
  }
  return { retainGraph: o.retainGraph ?? false, freeActivations: o.freeActivations ?? false };
}

/**
 * The gradient that starts a traversal at `root`: ones for a one-element
 * root, else the given one (copied). `what` names the root in messages.
 */
export function seedGradient(root: Tensor, gradient: Tensor | null | undefined, where: string, what = 'the tensor'): Float32Array {
  const n = root.numel;
  if (gradient === undefined || gradient === null) {
    if (n !== 1) {
      throw new RangeError(
        `${where}: a gradient is needed for ${what === 'the tensor' ? 'a tensor' : what} with ${n} elements (shape ${formatShape(root.shape)}); ` +
          'only one-element tensors (a loss) get the implicit gradient 1. Pass one of that shape, e.g. t.backward(dd.onesLike(t))',
      );
    }
    const seed = allocFloat32(1);
    seed[0] = 1;
    return seed;
  }
  if (!(gradient instanceof Tensor)) throw new TypeError(`${where}: the gradient for ${what} must be a Tensor`);
  if (gradient.dtype !== 'float32') throw new TypeError(`${where}: the gradient for ${what} must be float32, got ${gradient.dtype}`);
  if (!shapesEqual(gradient.shape, root.shape)) {
    throw new RangeError(`${where}: gradient shape ${formatShape(gradient.shape)} does not match ${what}'s shape ${formatShape(root.shape)}`);
  }
  const seed = allocFloat32(n);
  seed.set(gradient._f32(where));
  return seed;
}

/** Nodes reachable from `starts`, each after every node that consumes its output. */
function topologicalOrder(starts: readonly GradNode[]): GradNode[] {
  const order: GradNode[] = [];
  const visited = new Set<GradNode>();
  // Iterative post-order DFS: deep graphs (long unrolled sequences) must not overflow the stack.
  for (const start of starts) {
    if (visited.has(start)) continue;
    visited.add(start);
    const stack: Array<{ node: GradNode; next: number }> = [{ node: start, next: 0 }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const inputs = top.node.inputs; // throws a clear error for a freed graph
      let pushed = false;
      while (top.next < inputs.length) {
        const i = top.next++;
        const child = inputs[i]._node;
        if (child !== null && top.node.needs[i] && !visited.has(child)) {
          visited.add(child);
          stack.push({ node: child, next: 0 });
          pushed = true;
          break;
        }
      }
      if (!pushed) {
        order.push(top.node);
        stack.pop();
      }
    }
  }
  return order.reverse();
}

/**
 * Adds `grad` (which the engine owns) into a leaf's .grad; returns whether
 * the leaf took the buffer itself (its first gradient).
 */
function accumulateLeaf(leaf: Tensor, grad: Float32Array): boolean {
  if (leaf._grad === null) {
    leaf._grad = new Tensor(new Storage(grad, true), leaf.shape, 'float32');
    return true;
  }
  native().axpy(1, grad, leaf._grad._f32('backward'));
  return false;
}

/** backward()'s sink: every gradient into .grad of leaves and of tensors that retain theirs. */
const accumulateIntoGrad: GradientSink = {
  needs: (node) => node.needs,
  atNode(node, g) {
    if (!node.retainsGrad) return;
    const output = node.output!;
    if (output._grad === null) {
      output._grad = new Tensor(new Storage(copyGradient(g), true), output.shape, 'float32');
    } else {
      addGradient(g, output._grad._f32('backward'));
    }
  },
  atLeaf: accumulateLeaf,
};

/**
 * Hands a gradient of `t` on: a leaf's to the sink, else into the pending
 * sum of t's node. Returns whether the buffer was taken (else the caller
 * still owns it).
 */
function deliver(t: Tensor, buf: Gradient, pending: Map<GradNode, Gradient>, sink: GradientSink): boolean {
  const node = t._node;
  if (buf instanceof UniformStorage) {
    // Nothing to take: the number is copied wherever it goes.
    if (node === null) {
      const elements = buf.copy();
      if (!sink.atLeaf(t, elements)) release(elements);
      return true;
    }
    const existing = pending.get(node);
    if (existing === undefined) pending.set(node, buf);
    else if (existing instanceof UniformStorage) pending.set(node, new UniformStorage(Math.fround(existing.value + buf.value), buf.length));
    else addGradient(buf, existing);
    return true;
  }
  if (node === null) return sink.atLeaf(t, buf);
  const existing = pending.get(node);
  if (existing === undefined) {
    pending.set(node, buf);
    return true;
  }
  if (existing instanceof UniformStorage) {
    // The elements take over: buf += the number.
    addGradient(existing, buf);
    pending.set(node, buf);
    return true;
  }
  native().axpy(1, buf, existing);
  return false;
}

/**
 * Propagates the roots' seeds backward through the graph into `sink`;
 * returns the nodes visited. Takes ownership of every seed, also on error.
 */
export function propagate(roots: readonly Root[], sink: GradientSink, retainGraph: boolean): GradNode[] {
  const pending = new Map<GradNode, Gradient>();
  try {
    const starts: GradNode[] = [];
    for (const { tensor, seed } of roots) {
      if (!deliver(tensor, seed, pending, sink)) release(seed);
      if (tensor._node !== null) starts.push(tensor._node);
    }
    const order = topologicalOrder(starts);
    if (sink.plan) sink.plan(order);
    noGrad(() => runNodes(order, pending, sink, retainGraph));
    return order;
  } finally {
    for (const b of pending.values()) releaseGradient(b);
  }
}

function runNodes(order: GradNode[], pending: Map<GradNode, Gradient>, sink: GradientSink, retainGraph: boolean): void {
  for (const node of order) {
    const g = pending.get(node);
    pending.delete(node);
    if (g !== undefined) sink.atNode(node, g);
    const needs = sink.needs(node);
    if (needs === null) {
      releaseGradient(g);
      continue;
    }
    if (g === undefined) {
      // No gradient reached this node (its consumers gave none): nothing flows further.
      if (!retainGraph) node.free();
      continue;
    }
    const output = node.output!;
    const inputs = node.inputs;
    const token = openScope();
    let grads: ReadonlyArray<Tensor | null>;
    try {
      grads = node.apply(g instanceof UniformStorage ? new Tensor(g, output.shape, 'float32') : wrap(g, output.shape), needs);
    } finally {
      closeScope(token);
    }
    // Buffers the engine may keep or recycle: this rule's allocations and g
    // itself. Each is either taken (now a pending or leaf gradient) or, at
    // the end, returned to the pool.
    const owned = new Set<Scoped>(token);
    if (!(g instanceof UniformStorage)) owned.add(g);
    const taken = new Set<Scoped>();
    for (let i = 0; i < inputs.length; i++) {
      const gi = grads[i];
      if (!needs[i] || gi === null || gi === undefined) continue;
      const input = inputs[i];
      if (!shapesEqual(gi.shape, input.shape)) {
        throw new Error(
          `dendrite internal error: the backward rule of '${node.name}' gave a gradient of shape ${formatShape(gi.shape)} for an input of shape ${formatShape(input.shape)}`,
        );
      }
      const uniform = gi._uniformValue();
      if (uniform !== null) {
        // Still a number (the rule passed it on or made one): it stays one.
        deliver(input, new UniformStorage(uniform, input.numel), pending, sink);
        continue;
      }
      let buf = gi._f32(node.name);
      if (!owned.has(buf) || taken.has(buf)) {
        // Not ours to keep (or already given to another input): copy.
        const copy = allocFloat32(buf.length);
        copy.set(buf);
        owned.add(copy);
        buf = copy;
      }
      if (deliver(input, buf, pending, sink)) taken.add(buf);
    }
    for (const b of owned) if (!taken.has(b)) release(b);
    if (!retainGraph) node.free();
  }
}

/** The tensors (one or several) and their gradients as lists of equal length, checked. */
function rootsOf(
  tensors: Tensor | readonly Tensor[], gradients: Tensor | ReadonlyArray<Tensor | null | undefined> | null | undefined, where: string,
): Array<{ tensor: Tensor; gradient: Tensor | null | undefined; what: string }> {
  if (tensors instanceof Tensor) {
    if (Array.isArray(gradients) && gradients.length !== 1) throw new RangeError(`${where}: ${gradients.length} gradients for 1 tensor`);
    const gradient = Array.isArray(gradients) ? gradients[0] : gradients;
    return [{ tensor: tensors, gradient: gradient as Tensor | null | undefined, what: 'the tensor' }];
  }
  if (!Array.isArray(tensors) || tensors.length === 0) throw new TypeError(`${where}: expected a Tensor or a non-empty array of Tensors`);
  if (gradients !== null && gradients !== undefined && !Array.isArray(gradients)) {
    throw new TypeError(`${where}: give one gradient per tensor, as an array (null where the implicit 1 applies)`);
  }
  const grads = (gradients ?? []) as ReadonlyArray<Tensor | null | undefined>;
  if (grads.length > 0 && grads.length !== tensors.length) {
    throw new RangeError(`${where}: ${grads.length} gradients for ${tensors.length} tensors`);
  }
  return tensors.map((tensor, k) => {
    if (!(tensor instanceof Tensor)) throw new TypeError(`${where}: tensor ${k} is not a Tensor`);
    return { tensor, gradient: grads[k], what: `tensor ${k}` };
  });
}

/** The seeds of `tensors`, allocated only once every one is valid. */
export function seedRoots(
  tensors: Tensor | readonly Tensor[], gradients: Tensor | ReadonlyArray<Tensor | null | undefined> | null | undefined,
  where: string, notRequiring: (what: string) => string,
): Root[] {
  const entries = rootsOf(tensors, gradients, where);
  for (const e of entries) if (!e.tensor._requiresGrad) throw new Error(`${where}: ${notRequiring(e.what)}`);
  const roots: Root[] = [];
  try {
    for (const e of entries) roots.push({ tensor: e.tensor, seed: seedGradient(e.tensor, e.gradient, where, e.what) });
  } catch (err) {
    for (const r of roots) release(r.seed);
    throw err;
  }
  return roots;
}

/**
 * Backpropagates from `root` (or several roots at once, whose gradients
 * add up): root.backward(), root.backward(gradient),
 * root.backward({ retainGraph: true }) or root.backward(gradient, options).
 */
export function backward(
  root: Tensor | readonly Tensor[],
  gradient?: Tensor | ReadonlyArray<Tensor | null> | BackwardOptions | null,
  options?: BackwardOptions,
): void {
  if (!(root instanceof Tensor) && !Array.isArray(root)) throw new TypeError('backward: expected a Tensor');
  if (gradient !== null && gradient !== undefined && !(gradient instanceof Tensor) && !Array.isArray(gradient)) {
    if (typeof gradient !== 'object' || options !== undefined) throw new TypeError('backward: gradient must be a Tensor');
    options = gradient as BackwardOptions;
    gradient = undefined;
  }
  const opts = checkOptions(options);
  const roots = seedRoots(
    root, gradient as Tensor | ReadonlyArray<Tensor | null> | null | undefined, 'backward',
    (what) =>
      `${what === 'the tensor' ? 'this tensor' : what} does not require grad and has no gradFn: none of the tensors it was computed from ` +
      'requires grad, or it was computed inside noGrad()',
  );
  const order = propagate(roots, accumulateIntoGrad, opts.retainGraph);
  if (opts.freeActivations) freeActivations(order, roots.map((r) => r.tensor));
}

/** Returns the memory of the graph's intermediates (not the roots, nothing pinned) to the pool. */
function freeActivations(order: GradNode[], roots: readonly Tensor[]): void {
  const kept = new Set(roots.map((r) => r._storage));
  for (const node of order) {
    const out = node.output;
    if (out === null || roots.includes(out)) continue;
    const storage = out._storage;
    if (storage.pinned || storage.released || kept.has(storage)) continue;
    storage.released = true;
    release(storage.data);
  }
}
