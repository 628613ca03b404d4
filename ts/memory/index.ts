/**
 * dd.memory: the cache that recycles tensor memory (see ./cache.ts).
 *
 *   dd.memory.stats()                 { cachedBytes, hits, misses, reusedBytes, … }
 *   dd.memory.setCacheLimit(256 << 20) at most 256 MiB held; 0 turns the cache off
 *   dd.memory.clear()                 lets go of everything held
 */
import type { MemoryStats } from './stats';
import { memoryCache } from './instance';

export type { MemoryStats } from './stats';

/** Counters of the cache: what it holds, and how often it served memory. */
export function stats(): MemoryStats {
  return memoryCache.snapshot();
}

/**
 * Caps the bytes the cache holds or watches (default: a quarter of the
 * memory this process may use, at most 1 GiB, or DENDRITE_CACHE_LIMIT).
 * 0 turns the cache off. Lowering it below what is held lets go of everything.
 */
export function setCacheLimit(bytes: number): void {
  memoryCache.setLimit(bytes, 'setCacheLimit');
}

/** The current cap in bytes. */
export function cacheLimit(): number {
  return memoryCache.limitBytes;
}

/** Lets go of every buffer the cache holds (the garbage collector frees what nothing else uses). */
export function clear(): void {
  memoryCache.clear();
}
