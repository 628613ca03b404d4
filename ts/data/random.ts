/**
 * Seeded random numbers for data handling (shuffling, splits, augmentation
 * parameters): a small, fast generator (sfc32) whose whole stream follows
 * from one integer seed, and a way to derive independent seeds for each
 * epoch or batch so that any one of them can be reproduced on its own.
 */

/** A 32-bit hash of integers (murmur3's finaliser), for deriving seeds. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Folds any finite integer (up to 2^53 in magnitude) to a well-mixed uint32. */
function foldInteger(value: number): number {
  if (!Number.isFinite(value) || !Number.isInteger(value)) throw new RangeError(`seed values must be integers, got ${value}`);
  const low = value >>> 0;
  const high = Math.floor(value / 4294967296) >>> 0;
  return fmix32(low ^ fmix32(high + 0x9e3779b9));
}

/** A uint32 seed derived from `seed` and a path of integers (e.g. stream id, epoch, batch). */
export function deriveSeed(seed: number, ...path: number[]): number {
  let h = foldInteger(seed);
  for (const v of path) h = fmix32((h ^ foldInteger(v)) + 0x7f4a7c15);
  return h;
}

export class SeededRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spareNormal: number | null = null;

  constructor(seed: number) {
    const s = foldInteger(seed);
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = s;
    for (let i = 0; i < 12; i++) this.nextUint32(); // spread the seed through the state
  }

  /** Uniform uint32. */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1) with 32 random bits. */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Uniform integer in [0, n), without modulo bias; n ≤ 2^32. */
  int(n: number): number {
    if (!(n >= 1 && n <= 4294967296 && Number.isInteger(n))) throw new RangeError(`int(n) needs an integer n in [1, 2^32], got ${n}`);
    const limit = 4294967296 - (4294967296 % n);
    for (;;) {
      const r = this.nextUint32();
      if (r < limit) return r % n;
    }
  }

  /** Standard normal (Box-Muller, caching the second value). */
  normal(): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return z;
    }
    const u1 = (this.nextUint32() + 1) / 4294967296; // (0, 1]
    const u2 = this.next();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.spareNormal = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  }

  /** Shuffles `array` in place (Fisher-Yates) and returns it. */
  shuffle<A extends { length: number; [index: number]: unknown }>(array: A): A {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = array[i];
      array[i] = array[j];
      array[j] = t;
    }
    return array;
  }

  /** A random permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p);
  }
}
