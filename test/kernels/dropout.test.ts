/**
 * Dropout: the mask is Philox4x32-10 of (seed, offset + index), 16 bits per position (checked
 * against an independent TypeScript Philox), bit-identical on both ISA paths
 * and any thread count; statistics over 10^6 elements; p = 0 exact; backward
 * applies the same mask; channel (spatial) dropout draws once per plane.
 */
import { native } from '../../ts/native';
import { forEachBackend } from '../support/isa';
import { TestRandom } from '../support/random';

/** Philox4x32-10 (Salmon et al., SC'11) in BigInt arithmetic: the stream's definition, independent of the C++. */
function philox(counter: [number, number, number, number], key0: number, key1: number): number[] {
  const M0 = 0xd2511f53n, M1 = 0xcd9e8d57n, mask = 0xffffffffn;
  let [c0, c1, c2, c3] = counter.map(BigInt);
  let k0 = BigInt(key0), k1 = BigInt(key1);
  for (let r = 0; r < 10; r++) {
    if (r > 0) { k0 = (k0 + 0x9e3779b9n) & mask; k1 = (k1 + 0xbb67ae85n) & mask; }
    const p0 = M0 * c0, p1 = M1 * c2;
    [c0, c1, c2, c3] = [((p1 >> 32n) ^ c1 ^ k0) & mask, p1 & mask, ((p0 >> 32n) ^ c3 ^ k1) & mask, p0 & mask];
  }
  return [c0, c1, c2, c3].map(Number);
}

/**
 * Position g's 16 random bits: block g/8 (counter = g/8 as two 32-bit halves, 0, 0; key = seed, 0),
 * word (g/2) mod 4, low half for even g, high half for odd g.
 */
function randomBits(seed: number, position: number): number {
  const block = Math.floor(position / 8);
  const word = philox([block % 2 ** 32, Math.floor(block / 2 ** 32), 0, 0], seed, 0)[Math.floor(position / 2) % 4];
  return position % 2 === 0 ? word & 0xffff : word >>> 16;
}

const ramp = (n: number) => Float32Array.from({ length: n }, (_, i) => ((i % 97) - 48) * 0.125 + 0.0625);

describe('dropout kernels', () => {
  const d = native();

  test('Philox reference reproduces the Random123 known answers', () => {
    expect(philox([0, 0, 0, 0], 0, 0)).toEqual([0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]);
    expect(philox([0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], 0xa4093822, 0x299f31d0))
      .toEqual([0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1]);
  });

  test('mask is Philox of (seed, offset + index), the same on every backend', () => {
    const p = 0.3, threshold = Math.floor(p * 2 ** 16), scale = Math.fround(1 / (1 - p));
    for (const [seed, offset] of [[7, 0], [0xffffffff, 13], [123456789, 2 ** 35 - 45], [1, 2 ** 52 + 3]]) {
      const n = 257;
      const x = ramp(n);
      const expectedMask = Array.from({ length: n }, (_, i) => (randomBits(seed, offset + i) >= threshold ? 1 : 0));
      const expectedOut = Array.from(x, (v, i) => Math.fround(v * (expectedMask[i] ? scale : 0)));
      forEachBackend((isa, threads) => {
        const out = new Float32Array(n).fill(NaN), mask = new Uint8Array(n).fill(7);
        d.dropoutForward(x, out, mask, p, seed, offset);
        expect([isa, threads, Array.from(mask)]).toEqual([isa, threads, expectedMask]);
        expect([isa, threads, Array.from(out)]).toEqual([isa, threads, expectedOut]);
      });
    }
  });

  test('bit-identical masks and outputs for 1 and 2 threads and both ISAs on 10^6 elements', () => {
    const n = 1_000_003;
    const x = new TestRandom(3).float32(n);
    let first: { out: Float32Array; mask: Uint8Array } | undefined;
    forEachBackend((isa, threads) => {
      const out = new Float32Array(n), mask = new Uint8Array(n);
      d.dropoutForward(x, out, mask, 0.5, 2024, 77);
      if (!first) { first = { out, mask }; return; }
      expect([isa, threads, Buffer.compare(Buffer.from(mask), Buffer.from(first.mask))]).toEqual([isa, threads, 0]);
      expect([isa, threads, Buffer.compare(Buffer.from(out.buffer), Buffer.from(first.out.buffer))]).toEqual([isa, threads, 0]);
    });
  });

  test('a slice run at its offset reproduces that part of the whole', () => {
    const n = 10_000, x = ramp(n);
    const out = new Float32Array(n), mask = new Uint8Array(n);
    d.dropoutForward(x, out, mask, 0.25, 99, 1000);
    for (const start of [1, 31, 32, 4097]) {
      const part = new Float32Array(n - start), partMask = new Uint8Array(n - start);
      d.dropoutForward(x.subarray(start), part, partMask, 0.25, 99, 1000 + start);
      expect(Buffer.compare(Buffer.from(partMask), Buffer.from(mask.subarray(start)))).toBe(0);
      expect(Array.from(part)).toEqual(Array.from(out.subarray(start)));
    }
  });

  test('kept fraction within 4 standard deviations of 1 − p over 10^6 elements, mean preserved', () => {
    const n = 1_000_000;
    const x = new Float32Array(n).fill(1);
    const out = new Float32Array(n), mask = new Uint8Array(n);
    for (const p of [0.1, 0.5, 0.8]) {
      for (const seed of [1, 31337, 4294967295]) {
        d.dropoutForward(x, out, mask, p, seed, 0);
        let kept = 0, sum = 0;
        for (let i = 0; i < n; i++) { kept += mask[i]; sum += out[i]; }
        const sigma = Math.sqrt(n * p * (1 - p));
        expect(Math.abs(kept - n * (1 - p))).toBeLessThan(4 * sigma);
        expect(Math.abs(sum / n - 1)).toBeLessThan((4 * sigma) / (n * (1 - p)));
      }
    }
  });

  test('p = 0 keeps everything exactly; in place works; backward applies the same mask', () => {
    const x = ramp(1001);
    x[5] = NaN;
    forEachBackend(() => {
      const out = new Float32Array(x.length), mask = new Uint8Array(x.length);
      d.dropoutForward(x, out, mask, 0, 5, 0);
      expect(Buffer.compare(Buffer.from(out.buffer), Buffer.from(x.buffer))).toBe(0);
      expect(mask.every((m) => m === 1)).toBe(true);
      const a = ramp(1001), aMask = new Uint8Array(1001), b = new Float32Array(1001), bMask = new Uint8Array(1001);
      d.dropoutForward(a, a, aMask, 0.5, 5, 3);
      d.dropoutForward(ramp(1001), b, bMask, 0.5, 5, 3);
      expect(Array.from(a)).toEqual(Array.from(b));
      const gy = ramp(1001), gx = new Float32Array(1001);
      d.dropoutBackward(gy, bMask, 0.5, gx);
      expect(Array.from(gx)).toEqual(Array.from(b));
      d.dropoutBackward(gy, bMask, 0.5, gy);  // in place
      expect(Array.from(gy)).toEqual(Array.from(b));
    });
  });

  test('the uniform backward equals the backward of a gradient filled with one value, NaN included', () => {
    const n = 1001, mask = new Uint8Array(n);
    d.dropoutForward(ramp(n), new Float32Array(n), mask, 0.3, 11, 7);
    forEachBackend(() => {
      for (const g of [1, -2.5, 0, Infinity, NaN]) {
        const want = new Float32Array(n), got = new Float32Array(n).fill(-9);
        d.dropoutBackward(new Float32Array(n).fill(g), mask, 0.3, want);
        d.dropoutBackwardUniform(g, mask, 0.3, got);
        expect(Buffer.compare(Buffer.from(got.buffer), Buffer.from(want.buffer))).toBe(0);
      }
      const empty = new Float32Array(0);
      d.dropoutBackwardUniform(1, new Uint8Array(0), 0.3, empty);
    });
  });

  test('channel dropout draws once per plane, at positions offset + plane', () => {
    const n = 3, c = 11, spatial = 50, p = 0.4;
    const threshold = Math.floor(p * 2 ** 16), scale = Math.fround(1 / (1 - p));
    const x = ramp(n * c * spatial);
    forEachBackend((isa, threads) => {
      const out = new Float32Array(x.length).fill(NaN), mask = new Uint8Array(n * c).fill(9), gx = new Float32Array(x.length);
      d.channelDropoutForward(x, out, mask, n, c, spatial, p, 8, 500);
      for (let plane = 0; plane < n * c; plane++) {
        const keep = randomBits(8, 500 + plane) >= threshold;
        expect([isa, threads, plane, mask[plane]]).toEqual([isa, threads, plane, keep ? 1 : 0]);
        for (let s = 0; s < spatial; s++) {
          const i = plane * spatial + s;
          expect(out[i]).toBe(Math.fround(x[i] * (keep ? scale : 0)));
        }
      }
      d.channelDropoutBackward(x, mask, n, c, spatial, p, gx);
      expect(Array.from(gx)).toEqual(Array.from(out));
    });
  });
});

describe('dropout argument checks', () => {
  const d = native();
  const f = (n: number) => new Float32Array(n);
  const u8 = (n: number) => new Uint8Array(n);
  test('p outside [0, 1) is a RangeError', () => {
    for (const p of [1, -0.1, 1.5]) expect(() => d.dropoutForward(f(4), f(4), u8(4), p, 1, 0)).toThrow(/dropoutForward: argument 'p' must be in \[0, 1\)/);
    expect(() => d.dropoutForward(f(4), f(4), u8(4), NaN, 1, 0)).toThrow(RangeError);
    expect(() => d.dropoutBackward(f(4), u8(4), 1, f(4))).toThrow(/'p'/);
    expect(() => d.channelDropoutForward(f(4), f(4), u8(2), 1, 2, 2, -1, 1, 0)).toThrow(/'p'/);
    expect(() => d.channelDropoutBackward(f(4), u8(2), 1, 2, 2, 2, f(4))).toThrow(/'p'/);
  });
  test('seed, offset, lengths and overlaps are checked', () => {
    expect(() => d.dropoutForward(f(4), f(4), u8(4), 0.5, -1, 0)).toThrow(/'seed'/);
    expect(() => d.dropoutForward(f(4), f(4), u8(4), 0.5, 2 ** 32, 0)).toThrow(/'seed'/);
    expect(() => d.dropoutForward(f(4), f(4), u8(4), 0.5, 1, -1)).toThrow(/'offset'/);
    expect(() => d.dropoutForward(f(4), f(4), u8(4), 0.5, 1, 2 ** 53)).toThrow(/'offset'/);
    expect(() => d.dropoutForward(f(4), f(4), u8(4), 0.5, 1, 0.5)).toThrow(/'offset'/);
    expect(() => d.dropoutForward(f(4), f(3), u8(4), 0.5, 1, 0)).toThrow(/'out' needs at least 4/);
    expect(() => d.dropoutForward(f(4), f(4), u8(3), 0.5, 1, 0)).toThrow(/'mask' needs at least 4/);
    expect(() => d.dropoutBackward(f(4), u8(4), 0.5, f(3))).toThrow(/'gx' needs at least 4/);
    expect(() => d.dropoutBackwardUniform(1, u8(3), 0.5, f(4))).toThrow(/dropoutBackwardUniform: argument 'mask' needs at least 4/);
    expect(() => d.dropoutBackwardUniform('1' as unknown as number, u8(4), 0.5, f(4))).toThrow(/'g' must be a number/);
    expect(() => d.dropoutBackwardUniform(1, u8(4), 1, f(4))).toThrow(/'p'/);
    const shared = f(4);
    expect(() => d.dropoutBackwardUniform(1, new Uint8Array(shared.buffer, 0, 4), 0.5, shared)).toThrow(/'mask' overlaps/);
    expect(() => d.channelDropoutForward(f(5), f(6), u8(2), 1, 2, 3, 0.5, 1, 0)).toThrow(/'x' needs at least 6/);
    expect(() => d.channelDropoutForward(f(6), f(6), u8(1), 1, 2, 3, 0.5, 1, 0)).toThrow(/'mask' needs at least 2/);
    expect(() => d.channelDropoutBackward(f(6), u8(2), 2 ** 30, 2 ** 30, 2 ** 30, 0.5, f(6))).toThrow(/too large/);
    expect(() => d.dropoutForward(f(4), f(4), new Int32Array(4) as unknown as Uint8Array, 0.5, 1, 0)).toThrow(TypeError);
    const buffer = f(8);
    expect(() => d.dropoutForward(buffer.subarray(0, 4), buffer.subarray(2, 6), u8(4), 0.5, 1, 0)).toThrow(/partly overlaps/);
    expect(() => d.dropoutForward(buffer, buffer, new Uint8Array(buffer.buffer, 0, 8), 0.5, 1, 0)).toThrow(/'mask' overlaps/);
  });
});
