/**
 * Whether ops record the autograd graph. noGrad(fn) and enableGrad(fn) set it
 * for everything fn runs, including after awaits when fn is async (the mode
 * travels with the async context, not with a global flag another request
 * could change); setGradEnabled sets the default outside any such call.
 */
import { AsyncLocalStorage } from 'async_hooks';

let defaultEnabled = true;
let storage: AsyncLocalStorage<boolean> | null = null;

export function isGradEnabled(): boolean {
  if (storage === null) return defaultEnabled;
  const mode = storage.getStore();
  return mode === undefined ? defaultEnabled : mode;
}

function runWith<T>(enabled: boolean, fn: () => T, name: string): T {
  if (typeof fn !== 'function') throw new TypeError(`${name}: expected a function, got ${typeof fn}`);
  if (storage === null) storage = new AsyncLocalStorage<boolean>();
  return storage.run(enabled, fn);
}

/** Runs fn (sync or async) without recording the graph: results do not require grad. */
export function noGrad<T>(fn: () => T): T {
  return runWith(false, fn, 'noGrad');
}

/** Runs fn with graph recording on (inside a noGrad, for example). */
export function enableGrad<T>(fn: () => T): T {
  return runWith(true, fn, 'enableGrad');
}

/** Sets whether ops record the graph outside noGrad/enableGrad calls. */
export function setGradEnabled(enabled: boolean): void {
  if (typeof enabled !== 'boolean') throw new TypeError(`setGradEnabled: expected a boolean, got ${typeof enabled}`);
  defaultEnabled = enabled;
}
