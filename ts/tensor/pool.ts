/**
 * A size-keyed pool of typed arrays.
 *
 * Fresh memory costs about 2.5 µs per 4 KiB page (the kernel zeroes and maps
 * it on first touch), which in a training loop is more than much of the math.
 * Buffers that autograd knows are dead — gradients once consumed, backward
 * temporaries, masks and indices saved for a backward that has run — come
 * back here and are handed out again for the next buffer of the same length.
 * The arrays stay ordinary V8-owned memory: a buffer dropped instead of
 * returned is simply garbage collected.
 *
 * Buffers taken from the pool hold stale values; callers overwrite them.
 * DENDRITE_POOL_POISON=1 fills them with NaN (float) or -1 (int) on take so
 * tests catch a kernel that reads an output before writing it.
 */

type PooledArray = Float32Array | Int32Array | Uint8Array;

/** Every length is pooled, down to one element (a loss, a gradient seed). */
const MIN_POOLED_LENGTH = 1;

export interface PoolStats {
  /** Bytes held by the pool, ready for reuse. */
  pooledBytes: number;
  /** Number of buffers held. */
  pooledBuffers: number;
  /** Requests served from the pool. */
  hits: number;
  /** Requests that needed fresh memory. */
  misses: number;
  /** Bytes of fresh memory handed out on misses. */
  freshBytes: number;
  /** Most bytes the pool holds; buffers beyond it are left to the garbage collector. */
  limitBytes: number;
}

class Shelf<T extends PooledArray> {
  readonly free = new Map<number, T[]>();
  constructor(
    readonly make: (n: number) => T,
    readonly bytesPerElement: number,
    readonly poison: ((b: T) => void) | null,
  ) {}
}

export class BufferPool {
  private readonly float32 = new Shelf<Float32Array>((n) => new Float32Array(n), 4, poisonWith(NaN));
  private readonly int32 = new Shelf<Int32Array>((n) => new Int32Array(n), 4, poisonWith(-1));
  private readonly uint8 = new Shelf<Uint8Array>((n) => new Uint8Array(n), 1, poisonWith(255));
  /** Every buffer currently in the pool, to catch one returned twice. */
  private readonly held = new Set<PooledArray>();
  private stats = { pooledBytes: 0, hits: 0, misses: 0, freshBytes: 0 };
  private limit = 1024 * 1024 * 1024;

  takeFloat32(n: number): Float32Array {
    return this.take(this.float32, n);
  }
  takeInt32(n: number): Int32Array {
    return this.take(this.int32, n);
  }
  takeUint8(n: number): Uint8Array {
    return this.take(this.uint8, n);
  }

  /** Returns a buffer nobody references any more. Only whole arrays (not views into larger buffers). */
  give(buffer: PooledArray): void {
    const n = buffer.length;
    if (n < MIN_POOLED_LENGTH || buffer.byteOffset !== 0 || buffer.byteLength !== buffer.buffer.byteLength) return;
    if (this.held.has(buffer)) throw new Error('dendrite internal error: a buffer was returned to the pool twice');
    if (this.stats.pooledBytes + buffer.byteLength > this.limit) return;
    const shelf = (buffer instanceof Float32Array ? this.float32 : buffer instanceof Int32Array ? this.int32 : this.uint8) as Shelf<PooledArray>;
    let list = shelf.free.get(n);
    if (list === undefined) shelf.free.set(n, (list = []));
    list.push(buffer);
    this.held.add(buffer);
    this.stats.pooledBytes += buffer.byteLength;
  }

  snapshot(): PoolStats {
    return { ...this.stats, pooledBuffers: this.held.size, limitBytes: this.limit };
  }

  /** Drops every pooled buffer (the garbage collector frees them). */
  clear(): void {
    for (const shelf of [this.float32, this.int32, this.uint8]) shelf.free.clear();
    this.held.clear();
    this.stats.pooledBytes = 0;
  }

  setLimit(bytes: number): void {
    if (typeof bytes !== 'number' || !(bytes >= 0) || bytes === Infinity) {
      throw new RangeError(`setPoolLimit: bytes must be a finite non-negative number, got ${bytes}`);
    }
    this.limit = bytes;
    if (this.stats.pooledBytes > bytes) this.clear();
  }

  private take<T extends PooledArray>(shelf: Shelf<T>, n: number): T {
    if (n >= MIN_POOLED_LENGTH) {
      const list = shelf.free.get(n);
      const buffer = list?.pop();
      if (buffer !== undefined) {
        this.held.delete(buffer);
        this.stats.pooledBytes -= buffer.byteLength;
        this.stats.hits++;
        if (shelf.poison) shelf.poison(buffer);
        return buffer;
      }
      this.stats.freshBytes += n * shelf.bytesPerElement;
    }
    this.stats.misses++;
    const fresh = shelf.make(n);
    if (shelf.poison) shelf.poison(fresh);
    return fresh;
  }
}

function poisonWith<T extends PooledArray>(value: number): ((b: T) => void) | null {
  return process.env.DENDRITE_POOL_POISON === '1' ? (b: T) => void b.fill(value) : null;
}

/** The process-wide pool (per worker thread: each has its own module instance). */
export const pool = new BufferPool();

/** Counters of the buffer pool, for tests and tuning. */
export function memoryStats(): PoolStats {
  return pool.snapshot();
}

/** Frees the buffers the pool holds (as torch.cuda.empty_cache does for its cache). */
export function emptyCache(): void {
  pool.clear();
}

/** Caps the bytes the pool keeps (default 1 GiB); 0 disables pooling. */
export function setPoolLimit(bytes: number): void {
  pool.setLimit(bytes);
}

