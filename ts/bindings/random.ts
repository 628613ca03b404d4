/** Types of the random-word binding (native/addon/bind_random.cc). */
export interface RandomBindings {
  /**
   * Fills `out` (a multiple of 4 words) with the Philox4x32-10 blocks
   * firstBlock, firstBlock + 1, … of key (key0, key1); block b is
   * philox(counter (b mod 2^32, ⌊b / 2^32⌋, 0, 0), key), as ts/tensor/philox.ts computes it.
   */
  philoxWords(out: Uint32Array, key0: number, key1: number, firstBlock: number): void;
}
