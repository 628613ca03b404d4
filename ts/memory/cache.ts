/**
 * The tensor-memory cache: typed arrays for op outputs and temporaries, kept
 * for reuse by kind and length instead of asked of the OS for every op.
 *
 * Fresh memory costs about 2.5 µs per 4 KiB page (the kernel maps and zeroes
 * each page on first touch), and large ArrayBuffers come straight from the
 * OS: a fresh 64 MiB tensor costs tens of milliseconds before any arithmetic.
 * Buffers come back two ways:
 *
 * - returned: autograd hands back buffers it knows are dead (consumed
 *   gradients, backward temporaries, saved masks once backward has run);
 * - reclaimed: every buffer of WATCH_MIN_BYTES or more that the cache hands
 *   out is watched through a weak reference to its typed array, while the
 *   cache keeps its ArrayBuffer. Once the garbage collector has collected
 *   the typed array (every tensor and view on it is gone), nothing but the
 *   cache reaches that memory, and it is handed out again under a new typed
 *   array. Dead buffers are looked for when a buffer of their length is
 *   wanted (watched-set.ts), so a loop that never yields to the event loop
 *   reuses them too; when none is found the cache may ask V8 for a
 *   collection, within a budget (collector.ts, collection-budget.ts).
 *
 * What the cache must never do is hand out memory something else still
 * reaches. A typed array the cache did not make is never watched; one whose
 * memory user code may reach by another path (`.data` hands the array out,
 * and from it `.buffer` and views) is forgotten (expose()); a buffer that was
 * transferred to another thread is detached and is dropped, never reused.
 *
 * The cache is bounded: the bytes it holds ready (cached) plus the bytes of
 * the buffers it watches (live or dead) never exceed the limit, so the most
 * memory it keeps beyond what the program uses is the limit. Each worker
 * thread has its own cache (each loads its own copy of this module).
 *
 * Buffers handed out hold stale values (callers overwrite them) unless a
 * zeroed one is asked for. DENDRITE_POOL_POISON=1 fills every buffer handed
 * out with NaN (float) or -1 (int), so tests catch a kernel that reads an
 * output before writing it.
 */
import { types } from 'util';
import { performance } from 'perf_hooks';
import { getHeapStatistics } from 'v8';
import { checkCacheLimit, initialCacheLimit } from './cache-limit';
import { CollectionBudget } from './collection-budget';
import { Collect, collector } from './collector';
import type { MemoryStats } from './stats';
import { nativeWatcher, Watcher } from './watcher';
import { Watched, WatchedSet } from './watched-set';

export type CachedArray = Float32Array | Int32Array | Uint8Array;

/**
 * Buffers of this many bytes or more are watched for reclaiming. Smaller
 * ones come from malloc's heap, which reuses its freed memory well, and
 * holding them until a collection finds them costs more than it saves: in
 * W6 training steps (buffers of 64 KiB to 1.6 MiB) watching from 64 KiB up
 * took 38 page faults a step where malloc alone took 3, and watching from
 * 1 MiB up (the 1.6 MiB weight gradient) let the resident memory creep up
 * by 12% over 20,000 steps where from 2 MiB up it stays within 3%. Larger
 * buffers are where fresh pages cost: mmap'd, or carved from a heap that
 * was trimmed when the collector freed a batch of them.
 */
export const WATCH_MIN_BYTES = 2 * 1024 * 1024;

/** The page size the fault estimate counts in. */
export const PAGE_BYTES = 4096;

/** The cache asks for a major collection only while the JS heap holds at most this much (a few ms to walk). */
const MAJOR_COLLECTION_MAX_HEAP = 64 * 1024 * 1024;

/** The ready buffers of one length. */
interface FreeList<T> {
  buffers: T[];
  /** The epoch a buffer was last taken from it or put on it. */
  usedEpoch: number;
}

/** One element kind: its ready buffers, by length. */
class Shelf<T extends CachedArray> {
  readonly free = new Map<number, FreeList<T>>();
  constructor(
    /** A new zero-filled array of n elements. */
    readonly make: (n: number) => T,
    readonly view: (buffer: ArrayBuffer) => T,
    readonly bytesPerElement: number,
    readonly poisonValue: number,
  ) {}

  /**
   * A new array of n elements whose values are whatever the memory held:
   * for outputs that are written whole before anything reads them. V8
   * zero-fills every new typed array (calloc: a memset over heap memory,
   * 9 µs per 256 KiB), a second pass over every output an op writes.
   * Buffer.allocUnsafeSlow gives a dedicated ArrayBuffer of exactly that
   * size, left as malloc returned it (never a slice of Node's shared pool).
   */
  makeUninitialized(n: number): T {
    if (typeof Buffer === 'undefined') return this.make(n);
    const bytes = Buffer.allocUnsafeSlow(n * this.bytesPerElement);
    if (bytes.byteOffset !== 0 || bytes.buffer.byteLength !== n * this.bytesPerElement) return this.make(n);
    return this.view(bytes.buffer as ArrayBuffer);
  }
}

export interface MemoryCacheOptions {
  /** The limit in bytes (default: DENDRITE_CACHE_LIMIT, or a quarter of memory up to 1 GiB). */
  limit?: number;
  /** The weak references to poll; null: reuse only what is returned. Default: the addon's, found on first need. */
  watcher?: Watcher | null;
  /** Fill every buffer handed out with NaN / -1 (default: DENDRITE_POOL_POISON=1). */
  poison?: boolean;
  /** Garbage collections to ask for; null: never ask. Default: V8's, found on first need (see collector.ts). */
  collect?: Collect | null;
}

/** Ready buffers of a length nobody asked for in this many epochs are let go. */
const IDLE_EPOCHS = 4;

export class MemoryCache {
  private readonly float32 = new Shelf<Float32Array>((n) => new Float32Array(n), (b) => new Float32Array(b), 4, NaN);
  private readonly int32 = new Shelf<Int32Array>((n) => new Int32Array(n), (b) => new Int32Array(b), 4, -1);
  private readonly uint8 = new Shelf<Uint8Array>((n) => new Uint8Array(n), (b) => new Uint8Array(b), 1, 255);
  private readonly shelves = [this.float32, this.int32, this.uint8] as Array<Shelf<CachedArray>>;
  /** Every buffer held ready: small ones by array, watched-size ones by ArrayBuffer (what reclaiming keys on). */
  private readonly held = new Set<CachedArray | ArrayBufferLike>();
  private watchedState: WatchedSet<Shelf<CachedArray>> | null | undefined;
  private collectState: Collect | null | undefined;
  private readonly budget = new CollectionBudget();
  private limit: number;
  private readonly poison: boolean;
  private cached = { bytes: 0, buffers: 0 };
  private stats = zeroStats();
  private readonly onDead = (e: Watched<Shelf<CachedArray>>) => this.reclaim(e);

  constructor(options: MemoryCacheOptions = {}) {
    this.limit = options.limit === undefined ? initialCacheLimit() : checkCacheLimit(options.limit, 'MemoryCache');
    if (options.watcher !== undefined) this.watchedState = options.watcher === null ? null : new WatchedSet(options.watcher);
    this.collectState = options.collect;
    this.poison = options.poison ?? process.env.DENDRITE_POOL_POISON === '1';
  }

  takeFloat32(n: number): Float32Array {
    return this.take(this.float32, n);
  }
  takeInt32(n: number): Int32Array {
    return this.take(this.int32, n);
  }
  takeUint8(n: number): Uint8Array {
    return this.take(this.uint8, n);
  }

  /** A zero-filled buffer: fresh memory is zero already, a reused one is cleared. */
  takeZeroedFloat32(n: number): Float32Array {
    return this.zeroed(this.float32, n);
  }
  takeZeroedInt32(n: number): Int32Array {
    return this.zeroed(this.int32, n);
  }

  /**
   * Takes back a buffer nobody references any more (the caller vouches for
   * it). Only whole arrays: a view into a larger buffer is ignored.
   */
  give(buffer: CachedArray): void {
    const n = buffer.length;
    if (n < 1 || buffer.byteOffset !== 0 || buffer.byteLength !== buffer.buffer.byteLength) return;
    // Shared memory is reachable from other threads: never reused.
    if (types.isSharedArrayBuffer(buffer.buffer)) return;
    const bytes = buffer.byteLength;
    const big = bytes >= WATCH_MIN_BYTES;
    if (this.held.has(big ? buffer.buffer : buffer)) throw new Error('dendrite internal error: a buffer was returned to the pool twice');
    if (big) this.watchedState?.remove(buffer.buffer);
    if (!this.makeRoom(bytes)) return;
    const shelf = (buffer instanceof Float32Array ? this.float32 : buffer instanceof Int32Array ? this.int32 : this.uint8) as Shelf<CachedArray>;
    this.shelve(shelf, buffer, bytes);
    this.stats.returnedBuffers++;
  }

  /**
   * Stops watching the memory of `array`: user code may now reach it by
   * another path than the array (its .buffer, a view), so the array's death
   * no longer means the memory is free. The memory is never reclaimed.
   */
  expose(array: ArrayBufferView): void {
    if (array.byteLength >= WATCH_MIN_BYTES) this.watchedState?.remove(array.buffer);
  }

  snapshot(): MemoryStats {
    const s = this.stats;
    const w = this.watchedState;
    return {
      cachedBytes: this.cached.bytes,
      cachedBuffers: this.cached.buffers,
      watchedBytes: w ? w.bytes : 0,
      watchedBuffers: w ? w.count : 0,
      limitBytes: this.limit,
      hits: s.hits,
      misses: s.misses,
      reusedBytes: s.reusedBytes,
      freshBytes: s.freshBytes,
      reclaimedBuffers: s.reclaimedBuffers,
      returnedBuffers: s.returnedBuffers,
      evictedBytes: s.evictedBytes,
      detachedBuffers: s.detachedBuffers,
      collections: s.collections,
      collectionMs: s.collectionMs,
      estimatedFaultsAvoided: s.reusedPages,
    };
  }

  /** Lets go of every buffer held or watched (the garbage collector frees them once unused). */
  clear(): void {
    for (const shelf of this.shelves) shelf.free.clear();
    this.held.clear();
    this.cached = { bytes: 0, buffers: 0 };
    this.watchedState?.clear();
  }

  get limitBytes(): number {
    return this.limit;
  }

  /** Sets the limit; when what is held exceeds it, everything is let go. */
  setLimit(bytes: number, fn = 'setCacheLimit'): void {
    this.limit = checkCacheLimit(bytes, fn);
    if (this.cached.bytes + this.watchedBytes() > this.limit) this.clear();
  }

  private watchedBytes(): number {
    return this.watchedState ? this.watchedState.bytes : 0;
  }

  /** The watched set, made on first need (null without weak references). */
  private watched(): WatchedSet<Shelf<CachedArray>> | null {
    if (this.watchedState === undefined) {
      const watcher = nativeWatcher();
      this.watchedState = watcher === null ? null : new WatchedSet(watcher);
    }
    return this.watchedState;
  }

  private zeroed<T extends CachedArray>(shelf: Shelf<T>, n: number): T {
    const misses = this.stats.misses;
    const b = this.take(shelf, n, true);
    if (this.poison || this.stats.misses === misses) b.fill(0);
    return b;
  }

  /** A buffer of n elements: reused, else new, zero-filled only when `zeroed` (callers of take() write it whole). */
  private take<T extends CachedArray>(shelf: Shelf<T>, n: number, zeroed = false): T {
    const bytes = n * shelf.bytesPerElement;
    if (bytes >= WATCH_MIN_BYTES) this.budget.earn(bytes);
    if (n >= 1 && this.limit > 0) {
      const reused = this.reuse(shelf, n, bytes);
      if (reused !== undefined) {
        this.stats.hits++;
        this.stats.reusedBytes += bytes;
        this.stats.reusedPages += Math.floor(bytes / PAGE_BYTES);
        if (this.poison) reused.fill(shelf.poisonValue);
        this.watch(shelf, reused, n, bytes);
        return reused;
      }
    }
    this.stats.misses++;
    if (n >= 1) this.stats.freshBytes += bytes;
    const fresh = zeroed || n < 1 ? shelf.make(n) : shelf.makeUninitialized(n);
    if (this.poison) fresh.fill(shelf.poisonValue);
    if (n >= 1) this.watch(shelf, fresh, n, bytes);
    return fresh;
  }

  /**
   * A ready buffer of length n. None ready while buffers of that length are
   * watched: if a collection ran since the last look, the watched buffers
   * are swept for the dead; still none: a minor collection (it finds the
   * young dead), then a major one (it also finds those promoted while
   * alive), as far as the budget allows (collection-budget.ts).
   */
  private reuse<T extends CachedArray>(shelf: Shelf<T>, n: number, bytes: number): T | undefined {
    const ready = this.popFree(shelf, n);
    if (ready !== undefined || bytes < WATCH_MIN_BYTES) return ready;
    const watched = this.watchedState;
    if (!watched || !watched.has(shelf as Shelf<CachedArray>, n)) return undefined;
    if (watched.poll(this.onDead)) this.evictIdle(watched.epoch);
    const found = this.popFree(shelf, n);
    if (found !== undefined) return found;
    for (const kind of ['minor', 'major'] as const) {
      if (!watched.has(shelf as Shelf<CachedArray>, n) || !this.budget.allows(kind)) return undefined;
      // A major collection walks the whole heap: on a large one it would stall the event loop.
      if (kind === 'major' && getHeapStatistics().used_heap_size > MAJOR_COLLECTION_MAX_HEAP) return undefined;
      if (this.collectState === undefined) this.collectState = collector();
      const collect = this.collectState;
      if (collect === null) return undefined;
      const start = performance.now();
      collect(kind);
      const ms = performance.now() - start;
      this.stats.collections++;
      this.stats.collectionMs += ms;
      const reclaimed = this.stats.reclaimedBuffers;
      if (watched.poll(this.onDead)) this.evictIdle(watched.epoch);
      const collected = this.popFree(shelf, n);
      this.budget.spent(kind, ms, this.stats.reclaimedBuffers > reclaimed);
      if (collected !== undefined) return collected;
    }
    return undefined;
  }

  private popFree<T extends CachedArray>(shelf: Shelf<T>, n: number): T | undefined {
    const list = shelf.free.get(n);
    if (list === undefined) return undefined;
    const b = list.buffers.pop()!;
    // An emptied list is deleted, so lengths in use move to the end of the map and stale ones are evicted first.
    if (list.buffers.length === 0) shelf.free.delete(n);
    list.usedEpoch = this.epoch();
    const bytes = n * shelf.bytesPerElement;
    this.held.delete(bytes >= WATCH_MIN_BYTES ? b.buffer : b);
    this.cached.bytes -= bytes;
    this.cached.buffers--;
    return b;
  }

  private shelve(shelf: Shelf<CachedArray>, b: CachedArray, bytes: number): void {
    let list = shelf.free.get(b.length);
    if (list === undefined) shelf.free.set(b.length, (list = { buffers: [], usedEpoch: 0 }));
    list.buffers.push(b);
    list.usedEpoch = this.epoch();
    this.held.add(bytes >= WATCH_MIN_BYTES ? b.buffer : b);
    this.cached.bytes += bytes;
    this.cached.buffers++;
  }

  private epoch(): number {
    return this.watchedState ? this.watchedState.epoch : 0;
  }

  /** Watches a buffer being handed out, if it is large enough and fits under the limit. */
  private watch(shelf: Shelf<CachedArray>, b: CachedArray, n: number, bytes: number): void {
    if (bytes < WATCH_MIN_BYTES || this.limit === 0) return;
    const watched = this.watched();
    if (watched === null || !this.makeRoom(bytes)) return;
    watched.add(shelf, b, n, bytes);
  }

  /** The memory of a collected array: a new array on it goes on the shelf, unless it was transferred away. */
  private reclaim(e: Watched<Shelf<CachedArray>>): void {
    if (e.buffer.byteLength !== e.bytes) {
      this.stats.detachedBuffers++;
      return;
    }
    this.shelve(e.kind, e.kind.view(e.buffer), e.bytes);
    this.stats.reclaimedBuffers++;
  }

  /** Lets go of the ready buffers of lengths nobody asked for in IDLE_EPOCHS epochs. */
  private evictIdle(epoch: number): void {
    for (const shelf of this.shelves) {
      for (const [n, list] of shelf.free) {
        if (epoch - list.usedEpoch < IDLE_EPOCHS) continue;
        shelf.free.delete(n);
        for (const b of list.buffers) this.dropReady(shelf, b, n);
      }
    }
  }

  private dropReady(shelf: Shelf<CachedArray>, b: CachedArray, n: number): void {
    const size = n * shelf.bytesPerElement;
    this.held.delete(size >= WATCH_MIN_BYTES ? b.buffer : b);
    this.cached.bytes -= size;
    this.cached.buffers--;
    this.stats.evictedBytes += size;
  }

  /**
   * Whether `bytes` more fit under the limit, after letting go of ready
   * buffers (stale lengths first) and, if that is not enough, of the
   * long-lived watched ones.
   */
  private makeRoom(bytes: number): boolean {
    if (bytes > this.limit) return false;
    const over = () => this.cached.bytes + this.watchedBytes() + bytes > this.limit;
    if (!over()) return true;
    this.evictReady(over);
    if (over() && this.watchedState) {
      this.watchedState.age(this.onDead);
      this.evictReady(over);
    }
    return !over();
  }

  private evictReady(over: () => boolean): void {
    for (const shelf of this.shelves) {
      for (const [n, list] of shelf.free) {
        while (list.buffers.length > 0 && over()) this.dropReady(shelf, list.buffers.pop()!, n);
        if (list.buffers.length === 0) shelf.free.delete(n);
        if (!over()) return;
      }
    }
  }
}

function zeroStats() {
  return {
    hits: 0,
    misses: 0,
    reusedBytes: 0,
    freshBytes: 0,
    reclaimedBuffers: 0,
    returnedBuffers: 0,
    evictedBytes: 0,
    detachedBuffers: 0,
    collections: 0,
    collectionMs: 0,
    reusedPages: 0,
  };
}
