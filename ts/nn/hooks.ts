/**
 * Forward hooks, as PyTorch's register_forward_pre_hook and
 * register_forward_hook: functions a module's call() runs before and after
 * its forward, to look at or replace what goes in and comes out (feature
 * maps for pictures, activation statistics, shapes for summary()). Each
 * registration returns a handle whose remove() takes the hook off.
 */
import { Tensor } from '../tensor/tensor';

/**
 * Runs before forward with the module and its inputs; returning a Tensor or
 * an array of them replaces the inputs, returning nothing keeps them.
 */
export type ForwardPreHook<M = unknown> = (module: M, inputs: readonly Tensor[]) => Tensor | readonly Tensor[] | undefined | void;

/**
 * Runs after forward with the module, its inputs and its output; returning a
 * value replaces the output, returning nothing keeps it.
 */
export type ForwardHook<M = unknown, Out = unknown> = (module: M, inputs: readonly Tensor[], output: Out) => Out | undefined | void;

/** What a registration returns: remove() takes the hook off (again is harmless). */
export class RemovableHandle {
  #remove: (() => void) | null;

  /** @internal */
  constructor(remove: () => void) {
    this.#remove = remove;
  }

  remove(): void {
    const remove = this.#remove;
    this.#remove = null;
    if (remove !== null) remove();
  }
}

/**
 * The hooks of one kind on one module, in registration order. Removing
 * replaces the array, so a call already running its hooks finishes with
 * the list it started with.
 */
export class HookList<F> {
  entries: readonly F[] = [];

  add(hook: F, where: string): RemovableHandle {
    if (typeof hook !== 'function') throw new TypeError(`${where}: the hook must be a function, got ${hook === null ? 'null' : typeof hook}`);
    this.entries = [...this.entries, hook];
    return new RemovableHandle(() => {
      const i = this.entries.indexOf(hook);
      if (i >= 0) this.entries = [...this.entries.slice(0, i), ...this.entries.slice(i + 1)];
    });
  }
}

/** The inputs a pre-hook gave back, checked (undefined: keep the ones it got). */
export function replacedInputs(result: unknown, where: string): Tensor[] | undefined {
  if (result === undefined) return undefined;
  if (result instanceof Tensor) return [result];
  if (Array.isArray(result) && result.every((t) => t instanceof Tensor)) return result.slice();
  throw new TypeError(`${where}: a forward pre-hook must return nothing, a Tensor or an array of Tensors, got ${result === null ? 'null' : typeof result}`);
}
