/**
 * The normalization bindings against double-precision references on every
 * ISA path with 1 and 2 threads (both batch-norm layouts: planes below 32
 * as columns, larger ones as spans), and their argument checks.
 */
import { native } from '../../ts/native';
import { R } from '../autograd/support/reference';
import * as ref from '../nn/norm-reference';
import { forEachBackend } from '../support/isa';
import { TestRandom } from '../support/random';
import { mismatch } from './reference';

const d = () => native();
const f = (n: number) => new Float32Array(n);

function random(n: number, seed: number, lo = -2, hi = 2): Float32Array {
  return new TestRandom(seed).float32(n, lo, hi);
}

const asR = (data: Float32Array, shape: number[]) => new R(Float64Array.from(data), shape);

describe.each([[1, 1, 1], [4, 3, 1], [2, 5, 7], [3, 2, 33], [2, 3, 4099], [40, 70, 1], [0, 2, 40]])('batch norm [%i, %i, %i]', (n, c, plane) => {
  const shape = [n, c, plane];
  const x = random(n * c * plane, n * 100 + c * 10 + plane, -3, 5);
  const gy = random(x.length, 7);
  const weight = random(c, 3, 0.5, 1.5), bias = random(c, 4);
  const xr = asR(x, shape), wr = asR(weight, [c]), br = asR(bias, [c]);

  test('training and inference forward', () => {
    const runningMean = random(c, 5), runningVar = random(c, 6, 0.5, 2);
    const want = n > 0 ? ref.batchNorm(xr, wr, br, 1e-5).data : [];
    const wantInference = ref.batchNorm(xr, wr, br, 1e-5, { mean: runningMean, variance: runningVar }).data;
    forEachBackend((isa, threads) => {
      const y = f(x.length), mean = f(c), invstd = f(c), z = f(x.length);
      d().batchNormForwardTraining(x, weight, bias, n, c, plane, 1e-5, y, mean, invstd, null, null, 0.1);
      d().batchNormForwardInference(x, runningMean, runningVar, weight, bias, n, c, plane, 1e-5, z);
      expect([isa, threads, mismatch(y, want, 1e-5, 1e-5), mismatch(z, wantInference, 1e-5, 1e-5)]).toEqual([isa, threads, '', '']);
    });
  });

  test('backward through the batch statistics', () => {
    // Training needs 2 values per channel (one gives invstd = 1/√eps and gx = 0 as a difference of large terms).
    if (n * plane < 2) return;
    forEachBackend((isa, threads) => {
      const y = f(x.length), mean = f(c), invstd = f(c);
      d().batchNormForwardTraining(x, null, null, n, c, plane, 1e-5, y, mean, invstd, null, null, 0.1);
      const count = n * plane;
      const wantGx: number[] = new Array(x.length), wantGw: number[] = [], wantGb: number[] = [];
      for (let ch = 0; ch < c; ch++) {
        let sum = 0, dot = 0;
        const at = (i: number, p: number) => (i * c + ch) * plane + p;
        for (let i = 0; i < n; i++) {
          for (let p = 0; p < plane; p++) {
            sum += gy[at(i, p)];
            dot += gy[at(i, p)] * (x[at(i, p)] - mean[ch]) * invstd[ch];
          }
        }
        wantGw.push(dot);
        wantGb.push(sum);
        for (let i = 0; i < n; i++) {
          for (let p = 0; p < plane; p++) {
            const xhat = (x[at(i, p)] - mean[ch]) * invstd[ch];
            wantGx[at(i, p)] = weight[ch] * invstd[ch] * (gy[at(i, p)] - sum / count - (xhat * dot) / count);
          }
        }
      }
      const gx = f(x.length), gw = f(c), gb = f(c);
      d().batchNormBackward(x, gy, mean, invstd, weight, n, c, plane, true, gx, gw, gb);
      const sumTol = 1e-6 * Math.sqrt(count + 1);
      expect([isa, threads, mismatch(gx, wantGx, 1e-4, 1e-5), mismatch(gw, wantGw, 1e-5, sumTol), mismatch(gb, wantGb, 1e-5, sumTol)]).toEqual([isa, threads, '', '', '']);
    });
  });
});

describe.each([[0, 5], [1, 1], [3, 17], [5, 1000], [300, 16]])('layer norm [%i, %i]', (rows, cols) => {
  const x = random(rows * cols, rows + cols, -1, 3);
  const weight = random(cols, 8, 0.5, 1.5), bias = random(cols, 9);
  test('forward', () => {
    const want = ref.layerNorm(asR(x, [rows, cols]), cols, asR(weight, [cols]), asR(bias, [cols]), 1e-5).data;
    forEachBackend((isa, threads) => {
      const y = f(x.length);
      d().layerNormForward(x, weight, bias, rows, cols, 1e-5, y, f(rows), f(rows));
      expect([isa, threads, mismatch(y, want, 1e-5, 1e-5)]).toEqual([isa, threads, '']);
    });
  });
  test('the same bits for 1 and 2 threads, and gradients of only what is asked', () => {
    const gy = random(x.length, 10);
    const results: string[] = [];
    forEachBackend((isa, threads) => {
      const mean = f(rows), invstd = f(rows), gx = f(x.length), gw = f(cols), gb = f(cols), alone = f(x.length);
      d().layerNormForward(x, weight, bias, rows, cols, 1e-5, f(x.length), mean, invstd);
      d().layerNormBackward(x, gy, mean, invstd, weight, rows, cols, gx, gw, gb);
      d().layerNormBackward(x, gy, mean, invstd, weight, rows, cols, alone, null, null);
      expect(Buffer.from(alone.buffer).equals(Buffer.from(gx.buffer))).toBe(true);
      if (threads === 1) results.push([...gx, ...gw, ...gb].join());
      else expect([...gx, ...gw, ...gb].join()).toBe(results[results.length - 1]);
    });
  });
});

test.each([[2, 7, 9, 5], [1, 3, 65, 2], [3, 4, 1, 7]])('local response norm [%i, %i, %i], size %i', (n, c, plane, size) => {
  const x = random(n * c * plane, size, -3, 3);
  const want = ref.localResponseNorm(asR(x, [n, c, plane]), size, 0.3, 0.75, 1.2).data;
  forEachBackend((isa, threads) => {
    const y = f(x.length), multiplier = f(x.length);
    d().localResponseNormForward(x, n, c, plane, size, 0.3, 0.75, 1.2, y, multiplier);
    expect([isa, threads, mismatch(y, want, 1e-5, 1e-6)]).toEqual([isa, threads, '']);
  });
});

describe('argument checks name the binding and the argument', () => {
  const x = f(12);
  test('lengths, sizes, overlaps and the running-statistics rule', () => {
    expect(() => d().batchNormForwardTraining(f(11), null, null, 2, 3, 2, 1e-5, f(12), f(3), f(3), null, null, 0.1)).toThrow(/batchNormForwardTraining: argument 'x' needs at least 12/);
    expect(() => d().batchNormForwardTraining(x, f(2), null, 2, 3, 2, 1e-5, f(12), f(3), f(3), null, null, 0.1)).toThrow(/'weight'/);
    expect(() => d().batchNormForwardTraining(x, null, null, 2, 3, 2, -1, f(12), f(3), f(3), null, null, 0.1)).toThrow(/'eps' must be >= 0/);
    expect(() => d().batchNormForwardTraining(x, null, null, 2, 3, 2, 1e-5, f(12), f(3), f(3), null, null, NaN)).toThrow(/'momentum' must be finite/);
    expect(() => d().batchNormForwardTraining(x, null, null, 2, 3, 2, 1e-5, x, f(3), f(3), null, null, 0.1)).toThrow(/argument 'y' overlaps argument 'x'/);
    const y = f(12);
    expect(() => d().batchNormForwardTraining(x, null, null, 2, 3, 2, 1e-5, y, y.subarray(0, 3), f(3), null, null, 0.1)).toThrow(/arguments 'y' and 'mean' overlap/);
    expect(() => d().batchNormForwardTraining(f(3), null, null, 1, 3, 1, 1e-5, f(3), f(3), f(3), f(3), f(3), 0.1)).toThrow(/at least 2 values per channel/);
    expect(() => d().batchNormBackward(x, x, f(3), f(3), null, 2, 3, 2, 'yes' as never, null, null, null)).toThrow(/batchNormBackward: argument 'batchStats' must be a boolean/);
    expect(() => d().layerNormForward(x, null, null, 3, 4, 1e-5, f(12), f(2), f(3))).toThrow(/layerNormForward: argument 'mean'/);
    expect(() => d().layerNormBackward(x, x, f(3), f(3), null, 3, 4, null, f(4), f(4).subarray(0, 3))).toThrow(/layerNormBackward: argument 'gbias'/);
    expect(() => d().localResponseNormForward(x, 1, 3, 4, 0, 1e-4, 0.75, 1, f(12), f(12))).toThrow(/localResponseNormForward: argument 'size' must be at least 1/);
    expect(() => d().localResponseNormBackward(x, x, x, 1, 3, 4, 2, 1e-4, 0.75, 1, x)).toThrow(/localResponseNormBackward: argument 'gx' overlaps argument 'x'/);
    expect(() => d().batchNormForwardInference(x, f(3), f(3), null, null, 2 ** 40, 2 ** 40, 2, 1e-5, f(12))).toThrow(RangeError);
  });
});
