/**
 * Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2,
 * 3", SC 2011): a counter-based generator. Block i of a stream with key k is
 * philox(k, i), four 32-bit words, so any part of the stream can be computed
 * directly and the values do not depend on how the work is split. The same
 * generator drives the native dropout kernels.
 */

import { native } from '../native';

/**
 * Draws of at least this many blocks are computed by the native kernel (the
 * same words, ~50× faster); smaller ones stay here, where a call into the
 * addon would cost more than it saves.
 */
const NATIVE_MIN_BLOCKS = 256;

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

/** High 32 bits of the 64-bit product of two uint32 values. */
function mulhi(a: number, b: number): number {
  const aLo = a & 0xffff, aHi = a >>> 16;
  const bLo = b & 0xffff, bHi = b >>> 16;
  const loLo = aLo * bLo;
  const hiLo = aHi * bLo;
  const loHi = aLo * bHi;
  const cross = (loLo >>> 16) + (hiLo & 0xffff) + loHi; // < 2^34, exact in a double
  return (aHi * bHi + (hiLo >>> 16) + Math.floor(cross / 65536)) >>> 0;
}

/** Writes philox4x32-10(key, counter) into out[0..3]. */
export function philoxBlock(
  c0: number, c1: number, c2: number, c3: number, k0: number, k1: number, out: Uint32Array | number[], at = 0,
): void {
  c0 >>>= 0; c1 >>>= 0; c2 >>>= 0; c3 >>>= 0; k0 >>>= 0; k1 >>>= 0;
  for (let round = 0; round < 10; round++) {
    const hi0 = mulhi(M0, c0), lo0 = Math.imul(M0, c0) >>> 0;
    const hi1 = mulhi(M1, c2), lo1 = Math.imul(M1, c2) >>> 0;
    const n0 = (hi1 ^ c1 ^ k0) >>> 0;
    const n2 = (hi0 ^ c3 ^ k1) >>> 0;
    c0 = n0; c1 = lo1; c2 = n2; c3 = lo0;
    k0 = (k0 + W0) >>> 0;
    k1 = (k1 + W1) >>> 0;
  }
  out[at] = c0; out[at + 1] = c1; out[at + 2] = c2; out[at + 3] = c3;
}

/**
 * A stream of random words: the key is the seed, the counter the number of
 * blocks used so far. Every draw starts at a fresh block.
 */
export class PhiloxStream {
  private k0 = 0;
  private k1 = 0;
  /** Blocks consumed since the seed was set. */
  offset = 0;
  private seedValue = 0;

  constructor(seed: number) {
    this.seed(seed);
  }

  seed(seed: number): void {
    this.seedValue = seed;
    this.k0 = seed % 2 ** 32 >>> 0;
    this.k1 = Math.floor(seed / 2 ** 32) >>> 0;
    this.offset = 0;
  }

  get currentSeed(): number {
    return this.seedValue;
  }

  /** Fills out with `n` words (n rounded up to whole blocks is consumed). */
  words(n: number): Uint32Array {
    const blocks = Math.ceil(n / 4);
    const out = new Uint32Array(blocks * 4);
    if (blocks >= NATIVE_MIN_BLOCKS) {
      native().philoxWords(out, this.k0, this.k1, this.offset);
    } else {
      let counter = this.offset;
      for (let b = 0; b < blocks; b++, counter++) {
        philoxBlock(counter % 2 ** 32, Math.floor(counter / 2 ** 32), 0, 0, this.k0, this.k1, out, b * 4);
      }
    }
    this.offset += blocks;
    return out;
  }
}
