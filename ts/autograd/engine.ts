/**
 * backward(): walks the graph once, in reverse topological order from the
 * tensor it was called on, and accumulates gradients.
 *
 * Each node's output gradient is complete before its rule runs (all of the
 * node's consumers come earlier in the order); contributions to the same
 * tensor are summed with the native axpy. Rules run without recording a
 * graph, inside an allocation scope: what a rule allocates and does not
 * return goes straight back to the buffer pool, and so does each gradient
 * buffer once its node has consumed it. Leaves keep their gradient in .grad,
 * summed over backward calls until reset.
 */
import { native } from '../native';
import { allocFloat32, closeScope, openScope, release, Scoped } from '../tensor/alloc';
import { formatShape, shapesEqual } from '../tensor/shape';
import { Storage } from '../tensor/storage';
import { Tensor, wrap } from '../tensor/tensor';
import { noGrad } from './grad-mode';
import type { GradNode } from './node';

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

function checkOptions(options: BackwardOptions | undefined): Required<BackwardOptions> {
  const o = options ?? {};
  if (typeof o !== 'object') throw new TypeError(`backward: options must be an object like { retainGraph: true }`);
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

/** The gradient that starts backward: ones for a one-element root, else the given one (copied). */
function seedGradient(root: Tensor, gradient: Tensor | null | undefined): Float32Array {
  const n = root.numel;
  if (gradient === undefined || gradient === null) {
    if (n !== 1) {
      throw new RangeError(
        `backward: a gradient is needed for a tensor with ${n} elements (shape ${formatShape(root.shape)}); ` +
          'only one-element tensors (a loss) get the implicit gradient 1. Pass one of that shape, e.g. t.backward(dd.onesLike(t))',
      );
    }
    const seed = allocFloat32(1);
    seed[0] = 1;
    return seed;
  }
  if (!(gradient instanceof Tensor)) throw new TypeError('backward: gradient must be a Tensor');
  if (gradient.dtype !== 'float32') throw new TypeError(`backward: gradient must be float32, got ${gradient.dtype}`);
  if (!shapesEqual(gradient.shape, root.shape)) {
    throw new RangeError(`backward: gradient shape ${formatShape(gradient.shape)} does not match the tensor's shape ${formatShape(root.shape)}`);
  }
  const seed = allocFloat32(n);
  seed.set(gradient._f32('backward'));
  return seed;
}

/** Nodes reachable from `root`, each after every node that consumes its output. */
function topologicalOrder(root: GradNode): GradNode[] {
  const order: GradNode[] = [];
  const visited = new Set<GradNode>([root]);
  // Iterative post-order DFS: deep graphs (long unrolled sequences) must not overflow the stack.
  const stack: Array<{ node: GradNode; next: number }> = [{ node: root, next: 0 }];
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

/**
 * Backpropagates from `root`: root.backward(), root.backward(gradient),
 * root.backward({ retainGraph: true }) or root.backward(gradient, options).
 */
export function backward(root: Tensor, gradient?: Tensor | BackwardOptions | null, options?: BackwardOptions): void {
  if (!(root instanceof Tensor)) throw new TypeError('backward: expected a Tensor');
  if (gradient !== null && gradient !== undefined && !(gradient instanceof Tensor)) {
    if (typeof gradient !== 'object' || options !== undefined) throw new TypeError('backward: gradient must be a Tensor');
    options = gradient;
    gradient = undefined;
  }
  const opts = checkOptions(options);
  if (!root._requiresGrad) {
    throw new Error(
      'backward: this tensor does not require grad and has no gradFn: none of the tensors it was computed from ' +
        'requires grad, or it was computed inside noGrad()',
    );
  }
  const seed = seedGradient(root, gradient);
  const rootNode = root._node;
  if (rootNode === null) {
    if (!accumulateLeaf(root, seed)) release(seed);
    return;
  }
  const order = topologicalOrder(rootNode);
  noGrad(() => runNodes(order, rootNode, seed, opts.retainGraph));
  if (opts.freeActivations) freeActivations(order, root);
}

function runNodes(order: GradNode[], rootNode: GradNode, seed: Float32Array, retainGraph: boolean): void {
  const pending = new Map<GradNode, Float32Array>([[rootNode, seed]]);
  try {
    for (const node of order) {
      const g = pending.get(node);
      pending.delete(node);
      const output = node.output!;
      if (g === undefined) {
        // No gradient reached this node (its consumers gave none): nothing flows further.
        if (!retainGraph) node.free();
        continue;
      }
      if (node.retainsGrad) {
        const copy = allocFloat32(g.length);
        copy.set(g);
        if (output._grad === null) output._grad = new Tensor(new Storage(copy, true), output.shape, 'float32');
        else {
          native().axpy(1, copy, output._grad._f32('backward'));
          release(copy);
        }
      }
      const inputs = node.inputs;
      const token = openScope();
      let grads: ReadonlyArray<Tensor | null>;
      try {
        grads = node.apply(wrap(g, output.shape));
      } finally {
        closeScope(token);
      }
      // Buffers the engine may keep or recycle: this rule's allocations and g
      // itself. Each is either taken (now a pending or leaf gradient) or, at
      // the end, returned to the pool.
      const owned = new Set<Scoped>(token);
      owned.add(g);
      const taken = new Set<Scoped>();
      for (let i = 0; i < inputs.length; i++) {
        const gi = grads[i];
        if (!node.needs[i] || gi === null || gi === undefined) continue;
        const input = inputs[i];
        if (!shapesEqual(gi.shape, input.shape)) {
          throw new Error(
            `dendrite internal error: the backward rule of '${node.name}' gave a gradient of shape ${formatShape(gi.shape)} for an input of shape ${formatShape(input.shape)}`,
          );
        }
        let buf = gi._f32(node.name);
        if (!owned.has(buf) || taken.has(buf)) {
          // Not ours to keep (or already given to another input): copy.
          const copy = allocFloat32(buf.length);
          copy.set(buf);
          owned.add(copy);
          buf = copy;
        }
        const target = input._node;
        if (target === null) {
          if (accumulateLeaf(input, buf)) taken.add(buf);
        } else {
          const existing = pending.get(target);
          if (existing === undefined) {
            pending.set(target, buf);
            taken.add(buf);
          } else {
            native().axpy(1, buf, existing);
          }
        }
      }
      for (const b of owned) if (!taken.has(b)) release(b);
      if (!retainGraph) node.free();
    }
  } finally {
    for (const b of pending.values()) release(b);
  }
}

/** Returns the memory of the graph's intermediates (not the root, nothing pinned) to the pool. */
function freeActivations(order: GradNode[], root: Tensor): void {
  for (const node of order) {
    const out = node.output;
    if (out === null || out === root) continue;
    const storage = out._storage;
    if (storage.pinned || storage.released || storage === root._storage) continue;
    storage.released = true;
    release(storage.data);
  }
}
