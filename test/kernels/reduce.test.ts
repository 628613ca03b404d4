/** Reduction bindings against double-precision references, on every ISA path with 1 and 2 threads. */
import { native } from '../../ts/native';
import { forEachBackend } from '../support/isa';
import { TestRandom } from '../support/random';

const d = () => native();

// [outer, len, inner]: row sums, column tiles of every width class, empty axes, threaded sizes.
const shapes: Array<[number, number, number]> = [
  [1, 1, 1], [1, 7, 1], [3, 17, 1], [2, 1000, 1], [1, 4099, 1], [5, 0, 3], [0, 4, 4], [2, 5, 3],
  [3, 17, 8], [2, 9, 17], [4, 13, 32], [1, 70, 33], [2, 129, 100], [40, 2000, 1], [3, 700, 64],
];

describe('reduceSum', () => {
  test.each(shapes)('[%i, %i, %i]', (outer, len, inner) => {
    const x = new TestRandom(outer * 1000 + len + inner).float32(outer * len * inner);
    const want = new Float64Array(outer * inner), magnitude = new Float64Array(outer * inner);
    for (let o = 0; o < outer; o++)
      for (let l = 0; l < len; l++)
        for (let i = 0; i < inner; i++) {
          const v = x[(o * len + l) * inner + i];
          want[o * inner + i] += v;
          magnitude[o * inner + i] += Math.abs(v);
        }
    forEachBackend((isa, threads) => {
      const out = new Float32Array(outer * inner).fill(99);
      d().reduceSum(x, outer, len, inner, out);
      const bad = out.findIndex((v, k) => !(Math.abs(v - want[k]) <= 1e-6 * magnitude[k] + 1e-7));
      expect([isa, threads, bad]).toEqual([isa, threads, -1]);
    });
  });
});

describe('reduceMax', () => {
  test.each(shapes.filter(([, len]) => len > 0))('[%i, %i, %i] with ties keeps the first index', (outer, len, inner) => {
    const rnd = new TestRandom(outer * 7 + len * 3 + inner);
    const x = Float32Array.from({ length: outer * len * inner }, () => rnd.int(-20, 20));
    const want = new Float32Array(outer * inner), wantAt = new Int32Array(outer * inner);
    for (let o = 0; o < outer; o++)
      for (let i = 0; i < inner; i++) {
        let best = x[o * len * inner + i], at = 0;
        for (let l = 1; l < len; l++) {
          const v = x[(o * len + l) * inner + i];
          if (v > best) {
            best = v;
            at = l;
          }
        }
        want[o * inner + i] = best;
        wantAt[o * inner + i] = at;
      }
    forEachBackend((isa, threads) => {
      const out = new Float32Array(outer * inner), at = new Int32Array(outer * inner).fill(-5);
      d().reduceMax(x, outer, len, inner, out, at);
      expect([isa, threads, Array.from(out), Array.from(at)]).toEqual([isa, threads, Array.from(want), Array.from(wantAt)]);
    });
  });

  test('NaN wins at its first position', () => {
    for (const inner of [1, 3, 32]) {
      const len = 9;
      const x = new Float32Array(len * inner).fill(-Infinity);
      for (let i = 0; i < inner; i++) {
        x[inner + i] = 7;
        x[3 * inner + i] = NaN;
        x[4 * inner + i] = NaN;
        x[8 * inner + i] = Infinity;
      }
      forEachBackend(() => {
        const out = new Float32Array(inner), at = new Int32Array(inner);
        d().reduceMax(x, 1, len, inner, out, at);
        expect(Array.from(out).every(Number.isNaN)).toBe(true);
        expect(Array.from(at)).toEqual(new Array(inner).fill(3));
      });
    }
  });

  test('argument checks', () => {
    const f = (n: number) => new Float32Array(n);
    expect(() => d().reduceMax(f(0), 2, 0, 3, f(6), new Int32Array(6))).toThrow(/reduceMax: argument 'len' is 0/);
    expect(() => d().reduceMax(f(12), 2, 2, 3, f(6), new Int32Array(5))).toThrow(/reduceMax: argument 'indices' needs at least 6/);
    expect(() => d().reduceSum(f(11), 2, 2, 3, f(6))).toThrow(/reduceSum: argument 'x' needs at least 12/);
    expect(() => d().reduceSum(f(12), 2, 2, 3, f(5))).toThrow(/reduceSum: argument 'out'/);
    expect(() => d().reduceSum(f(12), 2 ** 30, 2 ** 30, 2 ** 30, f(5))).toThrow(/reduceSum: .*too large/);
    expect(() => d().reduceSum(f(12), 1.5, 2, 3, f(5))).toThrow(/reduceSum: argument 'outer'/);
  });
});

describe('sumAll and sumSquares', () => {
  test.each([0, 1, 7, 17, 1000, 4099, 300001])('n = %i in double, the same for any thread count', (n) => {
    const x = new TestRandom(n + 3).float32(n, -3, 5);
    let want = 0, wantSquares = 0;
    for (const v of x) {
      want += v;
      wantSquares += v * v;
    }
    const results = new Map<string, [number, number]>();
    forEachBackend((isa) => {
      const s = d().sumAll(x), q = d().sumSquares(x);
      expect(Math.abs(s - want)).toBeLessThanOrEqual(1e-12 * Math.abs(want) + 1e-9);
      expect(Math.abs(q - wantSquares)).toBeLessThanOrEqual(1e-12 * wantSquares);
      const first = results.get(isa);
      if (first) expect([s, q]).toEqual(first);
      else results.set(isa, [s, q]);
    });
  });
});
