/**
 * The gemm binding against a double-precision reference computed here:
 * awkward shapes, both transposes, alpha/beta variants, strided batches with
 * broadcasting (stride 0), and operands that are views into larger buffers.
 */
import { native } from '../ts/native';
import { forEachBackend } from './support/isa';
import { TestRandom } from './support/random';

interface Case {
  m: number; n: number; k: number;
  transA: boolean; transB: boolean;
  alpha: number; beta: number;
  batch: number; shareA: boolean; shareB: boolean;
}

/** Reference C_i = alpha·op(A_i)·op(B_i) + beta·C_i in doubles, with each element's error bound. */
function reference(c: Case, a: Float32Array, lda: number, sa: number, b: Float32Array, ldb: number, sb: number,
  c0: Float32Array, ldc: number, sc: number): { want: Float64Array; bound: Float64Array } {
  const want = new Float64Array(c0.length);
  const bound = new Float64Array(c0.length);
  const eps = 2 ** -24;
  for (let e = 0; e < c.batch; e++) {
    for (let i = 0; i < c.m; i++) {
      for (let j = 0; j < c.n; j++) {
        let sum = 0, abs = 0;
        for (let p = 0; p < c.k; p++) {
          const av = a[e * sa + (c.transA ? p * lda + i : i * lda + p)];
          const bv = b[e * sb + (c.transB ? j * ldb + p : p * ldb + j)];
          sum += av * bv;
          abs += Math.abs(av * bv);
        }
        const at = e * sc + i * ldc + j;
        const cv = c.beta === 0 ? 0 : c0[at];
        want[at] = c.alpha * sum + c.beta * cv;
        bound[at] = 2 * (c.k + 1) * eps * Math.abs(c.alpha) * abs + 2 * eps * Math.abs(c.beta * cv);
      }
    }
  }
  return { want, bound };
}

function runCase(c: Case, rnd: TestRandom, offset: number): void {
  const lda = (c.transA ? c.m : c.k) + 1;
  const ldb = (c.transB ? c.k : c.n) + 2;
  const ldc = c.n + 1;
  const spanA = (c.transA ? c.k : c.m) * lda;
  const spanB = (c.transB ? c.n : c.k) * ldb;
  const spanC = c.m * ldc;
  const sa = c.shareA ? 0 : spanA, sb = c.shareB ? 0 : spanB, sc = spanC;
  // Views that start `offset` floats into their buffers (a non-zero byteOffset).
  const view = (len: number) => rnd.float32(len + offset + 3).subarray(offset, offset + len);
  const a = view(c.shareA ? spanA : spanA * c.batch);
  const b = view(c.shareB ? spanB : spanB * c.batch);
  const c0 = view(spanC * c.batch);
  if (c.beta === 0) c0.fill(NaN);
  const { want, bound } = reference(c, a, lda, sa, b, ldb, sb, c0, ldc, sc);
  forEachBackend((isa, threads) => {
    const out = c0.slice();
    native().gemm(c.transA, c.transB, c.m, c.n, c.k, c.alpha, a, lda, sa, b, ldb, sb, c.beta, out, ldc, sc, c.batch);
    for (let e = 0; e < c.batch; e++) {
      for (let i = 0; i < c.m; i++) {
        for (let j = 0; j < ldc; j++) {
          const at = e * sc + i * ldc + j;
          if (j >= c.n) {
            // Padding between rows is never written.
            if (!Object.is(out[at], c0[at])) throw new Error(`${isa}/${threads}T wrote padding at ${at}`);
            continue;
          }
          const err = Math.abs(out[at] - want[at]);
          if (!(err <= bound[at])) {
            throw new Error(`${isa}/${threads}T ${JSON.stringify(c)} at batch ${e} (${i},${j}): ` +
              `got ${out[at]}, want ${want[at]} ± ${bound[at]}`);
          }
        }
      }
    }
  });
}

describe('gemm binding', () => {
  test('awkward shapes, transposes and alpha/beta match a double reference', () => {
    const rnd = new TestRandom(7);
    const dims = [1, 2, 5, 6, 7, 16, 17, 31, 64, 97];
    const alphaBeta = [[1, 0], [1, 1], [-0.5, 2], [2, 0], [0, 0.5]];
    let count = 0;
    for (let t = 0; t < 48; t++) {
      const [alpha, beta] = alphaBeta[t % alphaBeta.length];
      const c: Case = {
        m: dims[rnd.int(0, dims.length)], n: dims[rnd.int(0, dims.length)], k: dims[rnd.int(0, dims.length)],
        transA: (t & 1) === 1, transB: (t & 2) === 2, alpha, beta, batch: 1, shareA: false, shareB: false,
      };
      runCase(c, rnd, t % 5);
      count++;
    }
    // Skinny and single-row products, and one past the cache blocks.
    for (const [m, n, k] of [[1, 784, 64], [3, 200, 130], [150, 3, 70], [70, 150, 3], [130, 90, 400]]) {
      for (const tr of [0, 1, 2, 3]) {
        runCase({ m, n, k, transA: (tr & 1) === 1, transB: (tr & 2) === 2, alpha: 1, beta: 0, batch: 1,
          shareA: false, shareB: false }, rnd, tr);
        count++;
      }
    }
    expect(count).toBe(68);
  });

  test('strided batches, with A or B broadcast through a stride of 0', () => {
    const rnd = new TestRandom(11);
    const cases: Case[] = [
      { m: 5, n: 7, k: 3, transA: false, transB: false, alpha: 1, beta: 0, batch: 4, shareA: false, shareB: false },
      { m: 9, n: 17, k: 33, transA: true, transB: false, alpha: 0.5, beta: 1, batch: 3, shareA: true, shareB: false },
      { m: 1, n: 40, k: 20, transA: false, transB: true, alpha: -1, beta: 0, batch: 5, shareA: false, shareB: true },
      { m: 33, n: 20, k: 65, transA: true, transB: true, alpha: 2, beta: 0.5, batch: 3, shareA: true, shareB: false },
      { m: 70, n: 40, k: 90, transA: false, transB: false, alpha: 1, beta: 0, batch: 2, shareA: false, shareB: true },
    ];
    cases.forEach((c, i) => runCase(c, rnd, i + 1));
  });

  test('zero-sized products and batch 0 leave C alone; k = 0 scales C by beta', () => {
    const g = native().gemm;
    const c = new Float32Array([1, 2, 3, 4]);
    g(false, false, 0, 2, 2, 1, new Float32Array(0), 2, 0, new Float32Array(4), 2, 0, 0, c, 2, 0, 1);
    g(false, false, 2, 2, 2, 1, new Float32Array(4), 2, 4, new Float32Array(4), 2, 4, 0, c, 2, 4, 0);
    expect(Array.from(c)).toEqual([1, 2, 3, 4]);
    g(false, false, 2, 2, 0, 1, new Float32Array(0), 0, 0, new Float32Array(0), 2, 0, 3, c, 2, 0, 1);
    expect(Array.from(c)).toEqual([3, 6, 9, 12]);
  });
});
