/** The layout bindings under both ISA paths and 1 and 2 threads, and their argument checks. */
import { native } from '../../ts/native';
import { forEachBackend } from '../support/isa';
import { TestRandom } from '../support/random';

function permuteReference(x: Float32Array, shape: number[], perm: number[]): Float32Array {
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const outShape = perm.map((p) => shape[p]);
  const out = new Float32Array(x.length);
  for (let f = 0; f < out.length; f++) {
    let rest = f, off = 0;
    for (let i = outShape.length - 1; i >= 0; i--) {
      off += (rest % outShape[i]) * strides[perm[i]];
      rest = Math.floor(rest / outShape[i]);
    }
    out[f] = x[off];
  }
  return out;
}

test('permute matches the reference on awkward shapes', () => {
  const rng = new TestRandom(3);
  const cases: Array<[number[], number[]]> = [
    [[7, 13], [1, 0]],
    [[1, 31, 1], [2, 0, 1]],
    [[3, 5, 7, 2], [3, 1, 0, 2]],
    [[2, 64, 17, 9], [0, 2, 3, 1]],
    [[130, 67], [1, 0]],
    [[0, 4], [1, 0]],
  ];
  forEachBackend(() => {
    for (const [shape, perm] of cases) {
      const x = rng.float32(shape.reduce((a, b) => a * b, 1));
      const out = new Float32Array(x.length).fill(NaN);
      native().permute(x, Int32Array.from(shape), Int32Array.from(perm), out);
      expect(out).toEqual(permuteReference(x, shape, perm));
    }
  });
});

test('gatherRows and scatterAddRows', () => {
  forEachBackend(() => {
    const table = Float32Array.from({ length: 15 }, (_, i) => i);
    const idx = Int32Array.from([4, 0, 4]);
    const out = new Float32Array(9);
    native().gatherRows(table, 5, 3, idx, out);
    expect(Array.from(out)).toEqual([12, 13, 14, 0, 1, 2, 12, 13, 14]);
    const g = new Float32Array(15);
    native().scatterAddRows(out, idx, 3, g, 5);
    expect(Array.from(g.slice(12))).toEqual([24, 26, 28]);
    expect(Array.from(g.slice(0, 3))).toEqual([0, 1, 2]);
  });
});

test('copyBlocks copies strided blocks', () => {
  forEachBackend(() => {
    const src = Float32Array.from({ length: 12 }, (_, i) => i);
    const dst = new Float32Array(8);
    native().copyBlocks(src, 1, dst, 0, 2, 3, 6, 4);
    expect(Array.from(dst)).toEqual([1, 2, 3, 0, 7, 8, 9, 0]);
  });
});

test('argument checks name the function and the problem', () => {
  const f = (n: number) => new Float32Array(n);
  expect(() => native().permute(f(6), Int32Array.of(2, 3), Int32Array.of(0, 0), f(6))).toThrow(/permute: argument 'perm' is not a permutation/);
  expect(() => native().permute(f(5), Int32Array.of(2, 3), Int32Array.of(1, 0), f(6))).toThrow(/permute: argument 'x' needs at least 6 elements/);
  expect(() => native().permute(f(1), new Int32Array(9).fill(1), Int32Array.from({ length: 9 }, (_, i) => i), f(1))).toThrow(/at most 8/);
  const x = f(6);
  expect(() => native().permute(x, Int32Array.of(2, 3), Int32Array.of(1, 0), x)).toThrow(/overlap/);
  expect(() => native().gatherRows(f(6), 3, 2, Int32Array.of(0, 3), f(4))).toThrow('gatherRows: index 3 at position 1 is out of range for 3 rows');
  expect(() => native().scatterAddRows(f(2), Int32Array.of(-1), 2, f(6), 3)).toThrow(RangeError);
  expect(() => native().copyBlocks(f(4), 0, f(4), 0, 2, 3, 3, 3)).toThrow(/copyBlocks: argument 'src' needs at least 6/);
  expect(() => native().copyBlocks(f(8), 0, f(8), 0, 2, 3, 3, 2)).toThrow(/dstStride/);
  const shared = f(10);
  expect(() => native().copyBlocks(shared, 0, shared, 2, 1, 4, 4, 4)).toThrow(/overlap/);
  native().copyBlocks(shared, 0, shared, 5, 1, 5, 5, 5); // adjacent ranges are fine
});
