/**
 * Training/evaluation mode scoped to a call: withMode(model, training, fn)
 * makes every module of model's tree read as training (or not) for
 * everything fn runs, including after awaits when fn is async. The mode
 * travels with the async context, as grad mode does (autograd/grad-mode.ts),
 * so a predict awaiting between batches cannot switch off dropout for a fit
 * running meanwhile on the same model. No module's stored flag (the one
 * train()/eval() set) is changed.
 */
import { AsyncLocalStorage } from 'async_hooks';
import type { AnyModule as Module } from './module';

type Overrides = ReadonlyMap<Module, boolean>;

let storage: AsyncLocalStorage<Overrides> | null = null;

/** The mode withMode gives module m in the current async context; undefined outside any withMode naming it. */
export function modeOverride(m: Module): boolean | undefined {
  return storage === null ? undefined : storage.getStore()?.get(m);
}

/**
 * Runs fn (sync or async) with every module of `model`'s tree
 * (`model.modules()`) in training mode (`training` true) or evaluation mode
 * (false), for everything fn runs, after its awaits too, and returns what fn
 * returns. Modules read `training` as the innermost withMode naming them
 * gives, then their stored flag; the stored flags (what train()/eval() set,
 * and what assigning `training` sets) are left alone, so another call on
 * the same model outside fn still sees them. Calls nest: an inner call
 * decides for its own model's tree, the outer one keeps deciding for the
 * rest. The tree is taken when withMode is called.
 *
 * @example
 * // Dropout off for this prediction only, even while a fit on the same model runs.
 * const y = await nn.withMode(model, false, () => dd.predict(model, x));
 */
export function withMode<T>(model: Module, training: boolean, fn: () => T): T {
  if (model === null || typeof model !== 'object' || typeof (model as { modules?: unknown }).modules !== 'function') {
    throw new TypeError(`withMode: expected a Module, got ${model === null ? 'null' : typeof model}`);
  }
  if (typeof training !== 'boolean') throw new TypeError(`withMode: training must be a boolean, got ${typeof training}`);
  if (typeof fn !== 'function') throw new TypeError(`withMode: expected a function, got ${typeof fn}`);
  if (storage === null) storage = new AsyncLocalStorage<Overrides>();
  const overrides = new Map(storage.getStore());
  for (const m of model.modules()) overrides.set(m, training);
  return storage.run(overrides, fn);
}
