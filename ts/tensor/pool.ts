/**
 * The buffer pool under its first names: dd.memoryStats(), dd.emptyCache()
 * and dd.setPoolLimit() are dd.memory.stats(), clear() and setCacheLimit()
 * (ts/memory/), kept for code written against them.
 */
import type { MemoryStats } from '../memory/stats';
import { memoryCache } from '../memory/instance';

/** The cache's counters, with the pool's names for what it holds ready. */
export interface PoolStats extends MemoryStats {
  /** Bytes held ready for reuse (cachedBytes). */
  pooledBytes: number;
  /** Buffers held ready for reuse (cachedBuffers). */
  pooledBuffers: number;
}

/** Counters of the memory cache (as dd.memory.stats(), plus pooledBytes and pooledBuffers). */
export function memoryStats(): PoolStats {
  const s = memoryCache.snapshot();
  return { ...s, pooledBytes: s.cachedBytes, pooledBuffers: s.cachedBuffers };
}

/** Lets go of the buffers the cache holds (dd.memory.clear()). */
export function emptyCache(): void {
  memoryCache.clear();
}

/** Caps the bytes the cache keeps; 0 turns it off (dd.memory.setCacheLimit()). */
export function setPoolLimit(bytes: number): void {
  memoryCache.setLimit(bytes, 'setPoolLimit');
}
