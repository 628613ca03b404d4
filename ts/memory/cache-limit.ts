/**
 * How much memory the tensor-memory cache may keep.
 *
 * The cache keeps buffers the program no longer uses so the next tensor of
 * the same size gets memory whose pages are already mapped. That memory is
 * held on purpose, so it is bounded: by default a quarter of the memory this
 * process may use (the container's limit where there is one), and never more
 * than 1 GiB. A training step's working set (activations, gradients,
 * temporaries) is tens to a few hundred MiB for the models dendrite trains on
 * a CPU, so 1 GiB holds several steps of it, while a quarter keeps the cache
 * modest on a small machine. Each worker thread has a cache of its own.
 *
 * DENDRITE_CACHE_LIMIT overrides the default at start-up: a number of bytes,
 * optionally with a binary suffix (k, m, g: 512m is 512 MiB); 0 turns the
 * cache off. dd.memory.setCacheLimit(bytes) changes it at run time.
 */
import * as os from 'os';

const GiB = 1024 * 1024 * 1024;

/** The most the default limit grows to, whatever the machine. */
export const DEFAULT_LIMIT_CAP = GiB;

/** A quarter of the memory this process may use, at most DEFAULT_LIMIT_CAP. */
export function defaultCacheLimit(): number {
  let available = os.totalmem();
  const constrained = typeof process.constrainedMemory === 'function' ? process.constrainedMemory() : 0;
  // Without a container limit Node reports 0 or a huge sentinel; either way the machine's memory bounds it.
  if (constrained !== undefined && constrained > 0) available = Math.min(available, constrained);
  return Math.min(DEFAULT_LIMIT_CAP, Math.floor(available / 4));
}

const SUFFIXES: Record<string, number> = { '': 1, k: 1024, m: 1024 * 1024, g: GiB };

/** Parses "1048576", "512m", "2G" into bytes; RangeError naming `what` otherwise. */
export function parseByteSize(text: string, what: string): number {
  const match = /^\s*(\d+)\s*([kmg]?)(?:i?b)?\s*$/i.exec(text);
  if (match === null) {
    throw new RangeError(`${what} must be a number of bytes, optionally with a suffix k, m or g (e.g. 512m), got "${text}"`);
  }
  const bytes = Number(match[1]) * SUFFIXES[match[2].toLowerCase()];
  if (!Number.isSafeInteger(bytes)) throw new RangeError(`${what} is too large: "${text}"`);
  return bytes;
}

/** The limit set by DENDRITE_CACHE_LIMIT, or the default when it is unset or empty. */
export function initialCacheLimit(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.DENDRITE_CACHE_LIMIT;
  if (text === undefined || text.trim() === '') return defaultCacheLimit();
  return parseByteSize(text, 'the environment variable DENDRITE_CACHE_LIMIT');
}

/** Checks a limit passed by the caller of `fn`: a non-negative integer number of bytes. */
export function checkCacheLimit(bytes: unknown, fn: string): number {
  if (typeof bytes !== 'number') throw new TypeError(`${fn}: argument 'bytes' must be a number, got ${typeof bytes}`);
  if (!Number.isSafeInteger(bytes) || bytes < 0) {
    throw new RangeError(`${fn}: argument 'bytes' must be a non-negative integer number of bytes (0 turns the cache off), got ${bytes}`);
  }
  return bytes;
}
