/** Counters of the memory cache (cache.ts), as dd.memory.stats() reports them. */
export interface MemoryStats {
  /** Bytes held ready for reuse. */
  cachedBytes: number;
  /** Buffers held ready for reuse. */
  cachedBuffers: number;
  /** Bytes of handed-out buffers watched for reclaiming (live, or dead and not yet found). */
  watchedBytes: number;
  /** Handed-out buffers watched for reclaiming. */
  watchedBuffers: number;
  /** The most cachedBytes + watchedBytes may reach; 0 turns the cache off. */
  limitBytes: number;
  /** Requests served from the cache. */
  hits: number;
  /** Requests that took fresh memory. */
  misses: number;
  /** Bytes served from the cache. */
  reusedBytes: number;
  /** Bytes of fresh memory taken on misses. */
  freshBytes: number;
  /** Buffers found dead after garbage collection and taken back. */
  reclaimedBuffers: number;
  /** Buffers autograd returned as dead. */
  returnedBuffers: number;
  /** Bytes let go to the garbage collector to stay within the limit. */
  evictedBytes: number;
  /** Reclaimed buffers dropped because they had been transferred to another thread (detached). */
  detachedBuffers: number;
  /** Garbage collections the cache asked V8 for, and the ms they took. */
  collections: number;
  collectionMs: number;
  /** 4 KiB pages reused instead of faulted in fresh: an upper estimate of the page faults avoided. */
  estimatedFaultsAvoided: number;
}
