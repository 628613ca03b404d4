/**
 * Optimizer bindings: several steps of each update against its textbook
 * formula in double, with and without each option, on every ISA path with 1
 * and 2 threads; hand-computed steps; regularizer and max-norm; argument checks.
 */
import { native } from '../../ts/native';
import { forEachBackend } from '../support/isa';
import { TestRandom } from '../support/random';
import { mismatch } from './reference';

const d = () => native();
const SIZES = [0, 1, 7, 17, 40000];
const STEPS = 4;

function setup(n: number, seed: number) {
  const rnd = new TestRandom(seed);
  const p0 = rnd.float32(n, -2, 2);
  const grads = Array.from({ length: STEPS }, () => rnd.float32(n));
  return { p0, grads };
}

describe('sgdUpdate', () => {
  const options: Array<[number, number, boolean, number]> = [];
  for (const momentum of [0, 0.9])
    for (const dampening of [0, 0.1])
      for (const nesterov of [false, true])
        for (const wd of [0, 0.01]) if (!nesterov || (momentum > 0 && dampening === 0)) options.push([momentum, dampening, nesterov, wd]);

  test.each(options)('momentum %d dampening %d nesterov %s weight decay %d', (momentum, dampening, nesterov, wd) => {
    const lr = 0.1;
    for (const n of SIZES) {
      const { p0, grads } = setup(n, n + 1);
      const p = Float64Array.from(p0), buf = new Float64Array(n);
      grads.forEach((g, s) => {
        for (let i = 0; i < n; i++) {
          let step = g[i] + wd * p[i];
          if (momentum !== 0) {
            buf[i] = s === 0 ? step : momentum * buf[i] + (1 - dampening) * step;
            step = nesterov ? step + momentum * buf[i] : buf[i];
          }
          p[i] -= lr * step;
        }
      });
      forEachBackend((isa, threads) => {
        const param = p0.slice(), mbuf = new Float32Array(n).fill(123);
        grads.forEach((g, s) => d().sgdUpdate(param, g, momentum ? mbuf : null, lr, momentum, dampening, wd, nesterov, s === 0));
        expect([isa, threads, n, mismatch(param, p, 1e-5, 1e-6)]).toEqual([isa, threads, n, '']);
        if (momentum) expect(mismatch(mbuf, buf, 1e-5, 1e-6)).toBe('');
      });
    }
  });

  test('hand-computed: lr 0.1, momentum 0.9, g 0.5 twice', () => {
    forEachBackend(() => {
      const p = Float32Array.from([1]), g = Float32Array.from([0.5]), buf = new Float32Array(1);
      d().sgdUpdate(p, g, buf, 0.1, 0.9, 0, 0, false, true);
      expect([p[0], buf[0]]).toEqual([Math.fround(0.95), 0.5]);
      d().sgdUpdate(p, g, buf, 0.1, 0.9, 0, 0, false, false);
      expect(Math.abs(p[0] - 0.855)).toBeLessThan(1e-7);
      expect(Math.abs(buf[0] - 0.95)).toBeLessThan(1e-7);
    });
  });
});

describe('adamUpdate', () => {
  test.each([[0, false], [0.1, false], [0, true], [0.1, true]] as Array<[number, boolean]>)('weight decay %d decoupled %s', (wd, decoupled) => {
    const lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-8;
    for (const n of SIZES) {
      const { p0, grads } = setup(n, n + 2);
      const p = Float64Array.from(p0), m = new Float64Array(n), v = new Float64Array(n);
      grads.forEach((g, s) => {
        const t = s + 1;
        for (let i = 0; i < n; i++) {
          let gi = g[i];
          if (decoupled) p[i] *= 1 - lr * wd;
          else gi += wd * p[i];
          m[i] = b1 * m[i] + (1 - b1) * gi;
          v[i] = b2 * v[i] + (1 - b2) * gi * gi;
          const mHat = m[i] / (1 - b1 ** t), vHat = v[i] / (1 - b2 ** t);
          p[i] -= (lr * mHat) / (Math.sqrt(vHat) + eps);
        }
      });
      forEachBackend((isa, threads) => {
        const param = p0.slice(), mm = new Float32Array(n), vv = new Float32Array(n);
        grads.forEach((g, s) => d().adamUpdate(param, g, mm, vv, lr, b1, b2, eps, wd, decoupled, s + 1));
        expect([isa, threads, n, mismatch(param, p, 1e-5, 1e-6), mismatch(mm, m, 1e-5, 1e-7), mismatch(vv, v, 1e-5, 1e-9)])
          .toEqual([isa, threads, n, '', '', '']);
      });
    }
  });

  test('the first step moves each weight by lr against its gradient sign', () => {
    forEachBackend(() => {
      const p = Float32Array.from([1, 1]), m = new Float32Array(2), v = new Float32Array(2);
      d().adamUpdate(p, Float32Array.from([0.25, -3]), m, v, 1e-3, 0.9, 0.999, 1e-8, 0, false, 1);
      expect(Math.abs(p[0] - 0.999)).toBeLessThan(1e-6);
      expect(Math.abs(p[1] - 1.001)).toBeLessThan(1e-6);
    });
  });
});

describe('rmspropUpdate', () => {
  const options: Array<[number, boolean, number]> = [];
  for (const momentum of [0, 0.9]) for (const centered of [false, true]) for (const wd of [0, 0.01]) options.push([momentum, centered, wd]);
  test.each(options)('momentum %d centered %s weight decay %d', (momentum, centered, wd) => {
    const lr = 0.01, alpha = 0.99, eps = 1e-8;
    for (const n of SIZES) {
      const { p0, grads } = setup(n, n + 3);
      const p = Float64Array.from(p0), sq = new Float64Array(n), buf = new Float64Array(n), ga = new Float64Array(n);
      for (const g of grads) {
        for (let i = 0; i < n; i++) {
          const gi = g[i] + wd * p[i];
          sq[i] = alpha * sq[i] + (1 - alpha) * gi * gi;
          let variance = sq[i];
          if (centered) {
            ga[i] = alpha * ga[i] + (1 - alpha) * gi;
            variance -= ga[i] * ga[i];
          }
          const avg = Math.sqrt(variance) + eps;
          if (momentum > 0) {
            buf[i] = momentum * buf[i] + gi / avg;
            p[i] -= lr * buf[i];
          } else p[i] -= (lr * gi) / avg;
        }
      }
      forEachBackend((isa, threads) => {
        const param = p0.slice(), s = new Float32Array(n), mb = new Float32Array(n), gavg = new Float32Array(n);
        for (const g of grads) d().rmspropUpdate(param, g, s, momentum ? mb : null, centered ? gavg : null, lr, alpha, eps, wd, momentum, centered);
        // Centered: sq − ga² cancels by up to 1/(1−α), hence the looser bound.
        expect([isa, threads, n, mismatch(param, p, centered ? 1e-4 : 1e-5, 1e-5)]).toEqual([isa, threads, n, '']);
      });
    }
  });
});

describe('adagradUpdate', () => {
  test.each([[0, 0], [0.1, 0], [0, 0.01], [0.1, 0.01]])('lr decay %d weight decay %d', (lrDecay, wd) => {
    const lr = 0.1, eps = 1e-10;
    for (const n of SIZES) {
      const { p0, grads } = setup(n, n + 4);
      const p = Float64Array.from(p0), sum = new Float64Array(n);
      grads.forEach((g, s) => {
        const clr = lr / (1 + s * lrDecay);
        for (let i = 0; i < n; i++) {
          const gi = g[i] + wd * p[i];
          sum[i] += gi * gi;
          p[i] -= (clr * gi) / (Math.sqrt(sum[i]) + eps);
        }
      });
      forEachBackend((isa, threads) => {
        const param = p0.slice(), acc = new Float32Array(n);
        grads.forEach((g, s) => d().adagradUpdate(param, g, acc, lr, eps, wd, lrDecay, s + 1));
        expect([isa, threads, n, mismatch(param, p, 1e-5, 1e-6), mismatch(acc, sum, 1e-5, 1e-9)]).toEqual([isa, threads, n, '', '']);
      });
    }
  });
});

describe('regularizers', () => {
  test.each([[0.01, 0], [0, 0.005], [0.01, 0.005]])('l1 %d l2 %d: penalty and gradient term', (l1, l2) => {
    for (const n of [0, 1, 17, 4099, 200003]) {
      const rnd = new TestRandom(n + 5);
      const p = rnd.float32(n, -2, 2), g0 = rnd.float32(n);
      if (n > 0) p[0] = 0;
      let want = 0;
      const wantGrad = Array.from(p, (w, i) => {
        want += l1 * Math.abs(w) + l2 * w * w;
        return g0[i] + l1 * Math.sign(w) + 2 * l2 * w;
      });
      forEachBackend((isa, threads) => {
        const g = g0.slice();
        const penalty = d().applyRegularizer(p, g, l1, l2);
        expect(Math.abs(penalty - want)).toBeLessThanOrEqual(1e-12 * want + 1e-15);
        expect(d().applyRegularizer(p, null, l1, l2)).toBe(penalty);
        expect([isa, threads, n, mismatch(g, wantGrad, 1e-6, 1e-7)]).toEqual([isa, threads, n, '']);
      });
    }
  });

  test('maxNormRows scales only rows longer than maxNorm', () => {
    const rows = 40, cols = 33, maxNorm = 2;
    const w0 = new TestRandom(9).float32(rows * cols);
    for (let c = 0; c < cols; c++) w0[c] *= 1e-3; // row 0 stays inside
    const norm = (w: Float32Array, r: number) => Math.hypot(...w.subarray(r * cols, (r + 1) * cols));
    forEachBackend(() => {
      const w = w0.slice();
      d().maxNormRows(w, rows, cols, maxNorm);
      expect(Array.from(w.subarray(0, cols))).toEqual(Array.from(w0.subarray(0, cols)));
      for (let r = 1; r < rows; r++) {
        if (norm(w0, r) > maxNorm) expect(Math.abs(norm(w, r) - maxNorm)).toBeLessThan(1e-5);
        else expect(norm(w, r)).toBe(norm(w0, r));
      }
    });
  });
});

test('argument checks name the problem', () => {
  const f = (n: number) => new Float32Array(n);
  expect(() => d().sgdUpdate(f(3), f(2), null, 0.1, 0, 0, 0, false, true)).toThrow(/sgdUpdate: argument 'grad' must have the same length as 'param' \(3\), got 2/);
  expect(() => d().sgdUpdate(f(3), f(3), null, 0.1, 0.9, 0, 0, false, true)).toThrow(/sgdUpdate: argument 'momentumBuf' is required/);
  expect(() => d().sgdUpdate(f(3), f(3), f(3), 0.1, 0.9, 0.1, 0, true, true)).toThrow(/sgdUpdate: Nesterov momentum requires/);
  expect(() => d().sgdUpdate(f(3), f(3), f(2), 0.1, 0.9, 0, 0, false, true)).toThrow(/'momentumBuf' must have the same length/);
  expect(() => d().sgdUpdate(f(3), f(3), null, -0.1, 0, 0, 0, false, true)).toThrow(/sgdUpdate: argument 'lr' must be >= 0/);
  expect(() => d().adamUpdate(f(3), f(3), f(3), f(3), 0.1, 1, 0.999, 1e-8, 0, false, 1)).toThrow(/adamUpdate: argument 'beta1' must be < 1/);
  expect(() => d().adamUpdate(f(3), f(3), f(3), f(3), 0.1, 0.9, 0.999, 1e-8, 0, false, 0)).toThrow(/adamUpdate: argument 'step'/);
  expect(() => d().adamUpdate(f(3), f(3), f(3), f(4), 0.1, 0.9, 0.999, 1e-8, 0, false, 1)).toThrow(/adamUpdate: argument 'v'/);
  expect(() => d().rmspropUpdate(f(3), f(3), f(3), null, null, 0.1, 0.99, 1e-8, 0, 0, true)).toThrow(/rmspropUpdate: argument 'gradAvg' is required/);
  expect(() => d().rmspropUpdate(f(3), f(3), f(3), null, null, 0.1, 0.99, 1e-8, 0, 0.5, false)).toThrow(/rmspropUpdate: argument 'momentumBuf' is required/);
  expect(() => d().adagradUpdate(f(3), f(3), f(3), 0.1, 1e-10, 0, -1, 1)).toThrow(/adagradUpdate: argument 'lrDecay'/);
  expect(() => d().applyRegularizer(f(3), f(2), 0.1, 0)).toThrow(/applyRegularizer: argument 'grad'/);
  expect(() => d().applyRegularizer(f(3), null, NaN, 0)).toThrow(/applyRegularizer: argument 'l1'/);
  expect(() => d().maxNormRows(f(5), 2, 3, 1)).toThrow(/maxNormRows: argument 'param' needs at least 6/);
});
