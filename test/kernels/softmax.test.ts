/** Softmax bindings against double-precision references, on every ISA path with 1 and 2 threads. */
import { native } from '../../ts/native';
import { forEachBackend } from '../support/isa';
import { TestRandom } from '../support/random';
import { mismatch } from './reference';

const d = () => native();

const dims: Array<[number, number]> = [[0, 5], [3, 0], [1, 1], [3, 7], [7, 17], [4, 1000], [2, 4099], [64, 1000], [1024, 10], [9, 33]];

function logSumExp(x: Float32Array, at: number, n: number): number {
  let m = -Infinity;
  for (let i = 0; i < n; i++) m = Math.max(m, x[at + i]);
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.exp(x[at + i] - m);
  return m + Math.log(s);
}

describe.each(dims)('[%i, %i]', (rows, cols) => {
  const rnd = new TestRandom(rows * 131 + cols);
  const x = rnd.float32(rows * cols, -6, 6);
  const gy = rnd.float32(rows * cols);
  const labels = Int32Array.from({ length: rows }, () => rnd.int(0, Math.max(cols, 1)));
  const lse = Array.from({ length: rows }, (_, r) => logSumExp(x, r * cols, cols));
  const wantLog = Array.from(x, (v, k) => v - lse[Math.floor(k / cols)]);
  const want = wantLog.map(Math.exp);

  test('softmax and logSoftmax forward', () => {
    forEachBackend((isa, threads) => {
      const y = new Float32Array(x.length), ly = new Float32Array(x.length);
      d().softmax(x, rows, cols, y);
      d().logSoftmax(x, rows, cols, ly);
      expect([isa, threads, mismatch(y, want, 2e-6, 1e-12), mismatch(ly, wantLog, 1e-6, 2e-6)]).toEqual([isa, threads, '', '']);
    });
  });

  test('softmaxBackward and logSoftmaxBackward', () => {
    forEachBackend((isa, threads) => {
      const y = new Float32Array(x.length), ly = new Float32Array(x.length);
      d().softmax(x, rows, cols, y);
      d().logSoftmax(x, rows, cols, ly);
      const wantGx: number[] = [], wantLgx: number[] = [];
      for (let r = 0; r < rows; r++) {
        let dot = 0, sum = 0;
        for (let c = 0; c < cols; c++) {
          dot += gy[r * cols + c] * y[r * cols + c];
          sum += gy[r * cols + c];
        }
        for (let c = 0; c < cols; c++) {
          const k = r * cols + c;
          wantGx.push(y[k] * (gy[k] - dot));
          wantLgx.push(gy[k] - Math.exp(ly[k]) * sum);
        }
      }
      const gx = new Float32Array(x.length), lgx = new Float32Array(x.length);
      d().softmaxBackward(y, gy, rows, cols, gx);
      d().logSoftmaxBackward(ly, gy, rows, cols, lgx);
      const tol = 1e-6 * Math.max(1, cols);
      expect([isa, threads, mismatch(gx, wantGx, 1e-5, 2e-7), mismatch(lgx, wantLgx, 1e-5, tol)]).toEqual([isa, threads, '', '']);
    });
  });

  if (cols > 0) {
    test('softmaxCrossEntropy: loss sum and softmax − onehot', () => {
      const wantLoss = labels.reduce((s, l, r) => s + lse[r] - x[r * cols + l], 0);
      const wantGrad = want.map((p, k) => p - (labels[Math.floor(k / cols)] === k % cols ? 1 : 0));
      forEachBackend((isa, threads) => {
        const grad = new Float32Array(x.length).fill(5);
        const loss = d().softmaxCrossEntropy(x, labels, rows, cols, grad);
        expect(Math.abs(loss - wantLoss)).toBeLessThanOrEqual(1e-6 * Math.abs(wantLoss) + 1e-6);
        expect([isa, threads, mismatch(grad, wantGrad, 2e-6, 1e-7)]).toEqual([isa, threads, '']);
      });
    });
  }
});

test('huge logits neither overflow nor give NaN', () => {
  const x = Float32Array.from([1e4, -1e4, 3e4, 0, 88, 89, -3e38, 3e38, 1]);
  forEachBackend(() => {
    const y = new Float32Array(9), grad = new Float32Array(9);
    d().softmax(x, 1, 9, y);
    expect(y[7]).toBe(1);
    const loss = d().softmaxCrossEntropy(x, Int32Array.from([0]), 1, 9, grad);
    expect(Number.isFinite(loss)).toBe(true);
    expect(grad.every(Number.isFinite)).toBe(true);
  });
});

test('a label out of range is a RangeError naming the row and the label', () => {
  const x = new Float32Array(12), grad = new Float32Array(12);
  const ce = d().softmaxCrossEntropy;
  expect(() => ce(x, Int32Array.from([0, 1, 4]), 3, 4, grad)).toThrow(RangeError);
  expect(() => ce(x, Int32Array.from([0, 1, 4]), 3, 4, grad)).toThrow(/softmaxCrossEntropy: label 4 at row 2 is outside \[0, 4\)/);
  expect(() => ce(x, Int32Array.from([-1, 1, 3]), 3, 4, grad)).toThrow(/label -1 at row 0/);
  expect(() => ce(x, Int32Array.from([0, 1]), 3, 4, grad)).toThrow(/argument 'labels' needs at least 3/);
  expect(() => ce(x, Int32Array.from([0, 1, 2]), 3, 4, new Float32Array(11))).toThrow(/argument 'grad'/);
  expect(() => d().softmax(x, 3, 5, new Float32Array(15))).toThrow(/softmax: argument 'x' needs at least 15/);
  expect(() => d().logSoftmaxBackward(x, x, 3, 4, new Float32Array(2))).toThrow(/logSoftmaxBackward: argument 'gx'/);
});
