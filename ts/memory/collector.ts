/**
 * Garbage collections the cache can ask for.
 *
 * V8 collects when its own heuristics say so, and tensor memory mostly lives
 * outside its heap: a loop that reuses cached buffers takes no fresh memory,
 * so nothing prompts a collection, and last step's dead tensors stay
 * uncollected while this step asks for their sizes again. A minor
 * collection finds them in about a millisecond, where fresh memory for a
 * 64 MiB tensor costs some 40 ms of page faults; a major one also finds
 * those that lived long enough to be promoted, in a few milliseconds on a
 * small heap. The cache asks for one only when a large buffer is wanted,
 * buffers of its length are watched, and its budget (collection-budget.ts)
 * allows.
 *
 * The collector is V8's `gc` extension: `global.gc` when Node runs with
 * --expose-gc, otherwise made for a private context by turning the flag on
 * for the moment the context is created (the flag is turned off again, so no
 * other context sees a `gc`). Only on plain Node's main thread: Electron's
 * renderers freeze V8's flags, and the flags are shared by every thread of
 * the process, so a worker thread does not touch them (it uses `global.gc`
 * if it has one). DENDRITE_CACHE_GC=0 turns it off, =1 allows it anywhere.
 */
import * as v8 from 'v8';
import * as vm from 'vm';
import { isMainThread } from 'worker_threads';

export type Collect = (kind: 'minor' | 'major') => void;

type GcFunction = (options?: { type?: 'major' | 'minor'; execution?: 'sync' | 'async' }) => void;

function wrap(gc: GcFunction): Collect {
  return (kind) => gc({ type: kind });
}

/** The collections to use, or null when there are none (or they are turned off). */
export function collector(env: NodeJS.ProcessEnv = process.env): Collect | null {
  const setting = env.DENDRITE_CACHE_GC;
  if (setting === '0') return null;
  const exposed = (globalThis as { gc?: unknown }).gc;
  if (typeof exposed === 'function') return wrap(exposed as GcFunction);
  if (setting !== '1' && (!isMainThread || process.versions.electron !== undefined || process.release?.name !== 'node')) return null;
  // Started with --expose-gc (a test runner's sandbox lacks the global): the flag stays as the user set it.
  const userFlag = [...process.execArgv, env.NODE_OPTIONS ?? ''].some((a) => /--expose[-_]gc/.test(a));
  try {
    v8.setFlagsFromString('--expose-gc');
    try {
      const gc = vm.runInNewContext('gc') as unknown;
      return typeof gc === 'function' ? wrap(gc as GcFunction) : null;
    } finally {
      if (!userFlag) v8.setFlagsFromString('--no-expose-gc');
    }
  } catch {
    return null;
  }
}
