/**
 * Elementwise bindings against double-precision references, under every ISA
 * path with 1 and 2 threads: broadcasting binary ops, scalar ops, unary math,
 * activations (forward and finite-difference backward), clamp, fill, axpy,
 * and the argument checks.
 */
import { native } from '../../ts/native';
import {
  BINARY_OPS, BinaryOpName, binaryOpCode, SCALAR_OPS, scalarOpCode, UNARY_OPS, UnaryOpName, unaryOpCode,
} from '../../ts/bindings/elementwise';
import { forEachBackend } from '../support/isa';
import { TestRandom } from '../support/random';
import { AWKWARD_SIZES, broadcastStrides, count, gelu, mismatch, sigmoid, softplus } from './reference';

const d = () => native();

function referenceBinary(op: BinaryOpName, a: number, b: number): number {
  switch (op) {
    case 'add': return a + b;
    case 'sub': return a - b;
    case 'mul': return a * b;
    case 'div': return a / b;
    case 'pow': return Math.pow(a, b);
    case 'maximum': return Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b);
    case 'minimum': return Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b);
  }
}

/** out[i] by walking outShape with each input's strides: the naive definition. */
function referenceBroadcast(op: BinaryOpName, a: Float32Array, sa: Int32Array, b: Float32Array, sb: Int32Array, shape: number[]): Float32Array {
  const out = new Float32Array(count(shape));
  for (let i = 0; i < out.length; i++) {
    let rest = i, oa = 0, ob = 0;
    for (let k = shape.length - 1; k >= 0; k--) {
      const idx = rest % shape[k];
      rest = Math.floor(rest / shape[k]);
      oa += idx * sa[k];
      ob += idx * sb[k];
    }
    out[i] = referenceBinary(op, a[oa], b[ob]);
  }
  return out;
}

describe('binaryOp', () => {
  const cases: Array<[number[], number[], number[]]> = [
    ...AWKWARD_SIZES.filter((n) => n < 10000).map((n): [number[], number[], number[]] => [[n], [n], [n]]),
    [[], [], []],
    [[5, 7], [5, 7], [7]],
    [[5, 7], [5, 7], [5, 1]],
    [[17], [1], [17]],
    [[2, 3, 4, 5], [2, 3, 4, 5], [1, 3, 1, 1]],
    [[3, 5, 4], [3, 1, 4], [1, 5, 4]],
    [[150, 257], [150, 257], [257]],
    [[3, 0, 4], [3, 0, 4], [4]],
    [[2, 1, 2, 3, 1, 2, 2, 3], [2, 1, 2, 1, 1, 2, 1, 3], [2, 3, 1, 1, 2, 3]],
  ];
  test.each(cases)('out %j from a %j and b %j matches the reference for every op', (outShape, aShape, bShape) => {
    const rnd = new TestRandom(count(outShape) + aShape.length);
    const a = rnd.float32(count(aShape), 0.1, 3);
    const b = rnd.float32(count(bShape), -2, 2);
    const sa = broadcastStrides(aShape, outShape), sb = broadcastStrides(bShape, outShape);
    const shape = Int32Array.from(outShape);
    for (const op of BINARY_OPS) {
      const want = referenceBroadcast(op, a, sa, b, sb, outShape);
      forEachBackend((isa, threads) => {
        const out = new Float32Array(want.length).fill(-7);
        d().binaryOp(binaryOpCode(op), a, sa, b, sb, out, shape);
        // Float add/sub/mul/div/max/min are exact roundings of the double result; pow is libm's.
        expect([isa, threads, op, mismatch(out, want, op === 'pow' ? 3e-7 : 0)]).toEqual([isa, threads, op, '']);
      });
    }
  });

  test('transposed (strided) input', () => {
    const rnd = new TestRandom(5);
    const a = rnd.float32(190 * 181), b = rnd.float32(190 * 181);
    const sa = Int32Array.from([1, 190]), sb = Int32Array.from([181, 1]), shape = [190, 181];
    const want = referenceBroadcast('sub', a, sa, b, sb, shape);
    forEachBackend(() => {
      const out = new Float32Array(want.length);
      d().binaryOp(binaryOpCode('sub'), a, sa, b, sb, out, Int32Array.from(shape));
      expect(mismatch(out, want, 0)).toBe('');
    });
  });

  test('maximum and minimum propagate NaN', () => {
    const a = Float32Array.from([NaN, 1, 2, NaN, -Infinity, 3, 0, 5, NaN]);
    const b = Float32Array.from([1, NaN, 1, NaN, 0, Infinity, -1, NaN, 2]);
    const s = Int32Array.from([1]), shape = Int32Array.from([9]);
    forEachBackend(() => {
      for (const op of ['maximum', 'minimum'] as const) {
        const out = new Float32Array(9);
        d().binaryOp(binaryOpCode(op), a, s, b, s, out, shape);
        expect(mismatch(out, Array.from(a, (v, i) => referenceBinary(op, v, b[i])), 0)).toBe('');
      }
    });
  });

  test('argument checks name the problem', () => {
    const f = (n: number) => new Float32Array(n);
    const i = (...v: number[]) => Int32Array.from(v);
    const bin = d().binaryOp;
    expect(() => bin(BINARY_OPS.length, f(2), i(1), f(2), i(1), f(2), i(2))).toThrow(/binaryOp: argument 'op'/);
    expect(() => bin(0, f(2), i(1), f(2), i(1), f(1), i(2))).toThrow(/'out' needs at least 2/);
    expect(() => bin(0, f(5), i(3, 1), f(6), i(0, 1), f(6), i(2, 3))).toThrow(/'a' needs at least 6/);
    expect(() => bin(0, f(2), i(1, 1), f(2), i(1), f(2), i(2))).toThrow(/one entry per dimension/);
    expect(() => bin(0, f(2), i(-1), f(2), i(1), f(2), i(2))).toThrow(/'aStrides' must not hold negative/);
    expect(() => bin(0, f(2), i(1), f(2), i(1), f(2), i(-2))).toThrow(/'outShape' must not hold negative/);
    const nine = i(1, 1, 1, 1, 1, 1, 1, 1, 1);
    expect(() => bin(0, f(1), nine, f(1), nine, f(1), nine)).toThrow(/rank 9; at most 8/);
    expect(() => bin(0, f(1), i(0, 0), f(1), i(0, 0), f(1), i(65536, 65536))).toThrow(RangeError);
    expect(() => bin(0, new Float64Array(2) as unknown as Float32Array, i(1), f(2), i(1), f(2), i(2))).toThrow(TypeError);
  });
});

describe('scalarOp, clampOp, fill, axpy', () => {
  // 40000 elements: past the split point of two threads.
  test.each([0, 1, 7, 17, 1000, 4099, 40000])('n = %i', (n) => {
    const rnd = new TestRandom(100 + n);
    const x = rnd.float32(n, -3, 3);
    if (n >= 7) x.set([0, -0, Infinity, -Infinity, NaN, -2]);
    const y0 = rnd.float32(n);
    forEachBackend((isa, threads) => {
      for (const op of SCALAR_OPS) {
        for (const s of n > 5000 ? [2.5, 0.5] : [2.5, -1.5, 0, 1, -1, 2, 0.5, 3]) {
          const out = new Float32Array(n);
          d().scalarOp(scalarOpCode(op), x, s, out);
          const want = Array.from(x, (v) => {
            switch (op) {
              case 'add': return v + s;
              case 'mul': return v * s;
              case 'pow': return Math.pow(v, s);
              case 'rsub': return s - v;
              case 'rdiv': return s / v;
              case 'maximum': return referenceBinary('maximum', v, s);
              case 'minimum': return referenceBinary('minimum', v, s);
            }
          }).map(Math.fround);
          expect([isa, threads, op, s, mismatch(out, want, op === 'pow' ? 3e-7 : 0)]).toEqual([isa, threads, op, s, '']);
        }
      }
      const out = new Float32Array(n);
      d().clampOp(x, -0.5, 0.75, out);
      expect(mismatch(out, Array.from(x, (v) => (Number.isNaN(v) ? NaN : Math.min(Math.max(v, -0.5), 0.75))), 0)).toBe('');
      d().fill(out, -3.25);
      expect(out.every((v) => v === -3.25)).toBe(true);
      const y = y0.slice();
      d().axpy(0.3, x, y);
      expect(mismatch(y, Array.from(y0, (v, i) => v + 0.3 * x[i]), 1e-6, 1e-7)).toBe('');
    });
  });

  test('argument checks', () => {
    const f = (n: number) => new Float32Array(n);
    expect(() => d().scalarOp(0, f(3), 1, f(2))).toThrow(/scalarOp: argument 'out' must have the same length as 'x' \(3\), got 2/);
    expect(() => d().scalarOp(SCALAR_OPS.length, f(3), 1, f(3))).toThrow(/scalarOp: argument 'op'/);
    expect(() => d().scalarOp(0, f(3), NaN, f(3))).toThrow(/'scalar' must be finite/);
    expect(() => d().clampOp(f(3), 0, Infinity, f(3))).toThrow(/clampOp: argument 'hi'/);
    expect(() => d().axpy(1, f(3), f(4))).toThrow(/axpy: argument 'y'/);
    expect(() => d().fill(f(3), NaN)).toThrow(/fill: argument 'value'/);
  });
});

describe('unary math and activations', () => {
  type Case = { op: UnaryOpName; param?: number; f: (x: number, p: number) => number; lo: number; hi: number; kink?: boolean };
  const math: Case[] = [
    { op: 'neg', f: (x) => -x, lo: -5, hi: 5 },
    { op: 'abs', f: (x) => Math.abs(x), lo: -5, hi: 5, kink: true },
    { op: 'exp', f: (x) => Math.exp(x), lo: -20, hi: 20 },
    { op: 'log', f: (x) => Math.log(x), lo: 0.001, hi: 50 },
    { op: 'sqrt', f: (x) => Math.sqrt(x), lo: 0.001, hi: 50 },
    { op: 'square', f: (x) => x * x, lo: -5, hi: 5 },
    { op: 'reciprocal', f: (x) => 1 / x, lo: 0.1, hi: 5 },
  ];
  const activations: Case[] = [
    { op: 'relu', f: (x) => (x > 0 ? x : 0), lo: -8, hi: 8, kink: true },
    { op: 'sigmoid', f: sigmoid, lo: -12, hi: 12 },
    { op: 'tanh', f: Math.tanh, lo: -8, hi: 8 },
    { op: 'leakyRelu', param: 0.01, f: (x, p) => (x > 0 ? x : p * x), lo: -8, hi: 8, kink: true },
    { op: 'leakyRelu', param: 0.2, f: (x, p) => (x > 0 ? x : p * x), lo: -8, hi: 8, kink: true },
    { op: 'elu', param: 1, f: (x, p) => (x > 0 ? x : p * Math.expm1(x)), lo: -8, hi: 8, kink: true },
    { op: 'elu', param: 0.5, f: (x, p) => (x > 0 ? x : p * Math.expm1(x)), lo: -8, hi: 8, kink: true },
    { op: 'gelu', f: gelu, lo: -8, hi: 8 },
    { op: 'silu', f: (x) => x * sigmoid(x), lo: -12, hi: 12 },
    { op: 'softplus', f: softplus, lo: -20, hi: 20 },
  ];

  test.each([...math, ...activations].map((c) => [c.op, c.param ?? 0, c] as const))(
    'op %s (param %d): forward vs double, backward vs finite differences',
    (_op, _p, c) => {
      const p = c.param ?? 0;
      const code = unaryOpCode(c.op);
      for (const n of [1, 17, 4099, 40000]) {
        const rnd = new TestRandom(code * 31 + n);
        const x = rnd.float32(n, c.lo, c.hi);
        if (c.kink) for (let i = 0; i < n; i++) if (Math.abs(x[i]) < 1e-3) x[i] = 0.5;
        const gy = rnd.float32(n, -2, 2);
        const want = Array.from(x, (v) => c.f(v, p));
        const wantGrad = Array.from(x, (v, i) => {
          const h = 1e-6 * Math.max(1e-3, Math.abs(v));
          return (gy[i] * (c.f(v + h, p) - c.f(v - h, p))) / (2 * h);
        });
        forEachBackend((isa, threads) => {
          const y = new Float32Array(n), gx = new Float32Array(n);
          d().unaryOp(code, x, y, p);
          d().unaryBackward(code, x, y, gy, gx, p);
          expect([isa, threads, n, mismatch(y, want, 2e-6, 1e-7)]).toEqual([isa, threads, n, '']);
          expect([isa, threads, n, mismatch(gx, wantGrad, 1e-5, 1e-6)]).toEqual([isa, threads, n, '']);
        });
      }
    },
  );

  test('exp, log and tanh keep relative error below 1e-6 over [-88, 88]', () => {
    const n = 200001;
    const wide = Float32Array.from({ length: n }, (_, i) => -88 + (176 * i) / (n - 1));
    const positive = Float32Array.from({ length: n }, (_, i) => 1e-30 + (88 * i) / (n - 1));
    const worst = (x: Float32Array, y: Float32Array, f: (v: number) => number) =>
      x.reduce((m, v, i) => Math.max(m, Math.abs((y[i] - f(v)) / f(v)) || 0), 0);
    forEachBackend((isa) => {
      const y = new Float32Array(n);
      d().unaryOp(unaryOpCode('exp'), wide, y, 0);
      expect([isa, 'exp', worst(wide, y, Math.exp) <= 1e-6]).toEqual([isa, 'exp', true]);
      d().unaryOp(unaryOpCode('tanh'), wide, y, 0);
      expect([isa, 'tanh', worst(wide, y, Math.tanh) <= 1e-6]).toEqual([isa, 'tanh', true]);
      d().unaryOp(unaryOpCode('log'), positive, y, 0);
      expect([isa, 'log', worst(positive, y, Math.log) <= 1e-6]).toEqual([isa, 'log', true]);
    }, [1]);
  });

  test('special values: log(0) = -inf, log(-1) = NaN, saturating activations stay finite', () => {
    const x = Float32Array.from([0, -1, Infinity, 1e30, -1e30, 100, -100, -Infinity]);
    forEachBackend(() => {
      const y = new Float32Array(x.length);
      d().unaryOp(unaryOpCode('log'), x, y, 0);
      expect(Array.from(y.slice(0, 3))).toEqual([-Infinity, NaN, Infinity]);
      for (const op of ['sigmoid', 'tanh', 'softplus'] as const) {
        d().unaryOp(unaryOpCode(op), x, y, 0);
        expect(y.some(Number.isNaN)).toBe(false);
      }
      d().unaryOp(unaryOpCode('sigmoid'), x, y, 0);
      expect([y[3], y[4], y[2], y[7]]).toEqual([1, 0, 1, 0]);
    });
  });

  test('argument checks', () => {
    const f = (n: number) => new Float32Array(n);
    expect(() => d().unaryOp(UNARY_OPS.length, f(2), f(2), 0)).toThrow(/unaryOp: argument 'op'/);
    expect(() => d().unaryOp(0, f(2), f(3), 0)).toThrow(/unaryOp: argument 'out' must have the same length/);
    expect(() => d().unaryBackward(0, f(2), f(2), f(1), f(2), 0)).toThrow(/unaryBackward: argument 'gy'/);
    expect(() => d().unaryBackward(0, f(2), f(2), f(2), f(2), NaN)).toThrow(/unaryBackward: argument 'param'/);
  });
});
