/**
 * Max and average pooling (ceil mode and dilation included) and adaptive
 * pooling against plain double-precision references on awkward shapes (with
 * ties and NaNs), every ISA path, 1 and 2 threads; and the bindings' argument
 * checks.
 */
import { native } from '../../ts/native';
import { forEachBackend } from '../support/isa';
import { TestRandom } from '../support/random';
import { adaptiveBin, poolExtent } from '../nn/pool-reference';

interface Pool {
  n: number; c: number; h: number; w: number; kh: number; kw: number; sh: number; sw: number; ph: number; pw: number;
  ceil: boolean; dh: number; dw: number;
}
const pool = (
  n: number, c: number, h: number, w: number, kh: number, kw: number, sh: number, sw: number, ph = 0, pw = 0, ceil = false, dh = 1, dw = 1,
): Pool => ({ n, c, h, w, kh, kw, sh, sw, ph, pw, ceil, dh, dw });
const outSize = (g: Pool): [number, number] => [poolExtent(g.h, g.kh, g.sh, g.ph, g.dh, g.ceil), poolExtent(g.w, g.kw, g.sw, g.pw, g.dw, g.ceil)];
type Win6 = [number, number, number, number, number, number];
const planeArgs = (g: Pool): [number, number, number, number] => [g.n, g.c, g.h, g.w];
const windowArgs = (g: Pool): Win6 => [g.kh, g.kw, g.sh, g.sw, g.ph, g.pw];

/** Flat in-plane positions of window (oy, ox), row-major, and its positions inside [−pad, in + pad) (the divisor with padding). */
function window(g: Pool, oy: number, ox: number): { at: number[]; padded: number } {
  const at: number[] = [];
  let rows = 0, cols = 0;
  for (let i = 0; i < g.kh; i++) {
    const iy = oy * g.sh - g.ph + i * g.dh;
    if (iy < g.h + g.ph) rows++;
    for (let j = 0; j < g.kw; j++) {
      const ix = ox * g.sw - g.pw + j * g.dw;
      if (i === 0 && ix < g.w + g.pw) cols++;
      if (iy >= 0 && ix >= 0 && iy < g.h && ix < g.w) at.push(iy * g.w + ix);
    }
  }
  return { at, padded: rows * cols };
}

function reference(g: Pool, x: Float32Array, gy: Float32Array) {
  const [oh, ow] = outSize(g);
  const planes = g.n * g.c, inP = g.h * g.w, outP = oh * ow;
  const max = new Float64Array(planes * outP), idx = new Int32Array(planes * outP), maxGrad = new Float64Array(planes * inP);
  const avg = [new Float64Array(planes * outP), new Float64Array(planes * outP)];
  const avgGrad = [new Float64Array(planes * inP), new Float64Array(planes * inP)];
  for (let p = 0; p < planes; p++)
    for (let oy = 0; oy < oh; oy++)
      for (let ox = 0; ox < ow; ox++) {
        const o = p * outP + oy * ow + ox;
        const { at, padded } = window(g, oy, ox);
        let best = at[0], sum = 0;
        for (const a of at) {
          const v = x[p * inP + a], b = x[p * inP + best];
          if (v > b || (Number.isNaN(v) && !Number.isNaN(b))) best = a;
          sum += v;
        }
        max[o] = x[p * inP + best]; idx[o] = best; maxGrad[p * inP + best] += gy[o];
        for (const inc of [0, 1]) {
          const div = inc ? padded : at.length;
          avg[inc][o] = sum / div;
          for (const a of at) avgGrad[inc][p * inP + a] += gy[o] / div;
        }
      }
  return { max, idx, maxGrad, avg, avgGrad };
}

function close(got: Float32Array, want: Float64Array, tol = 1e-6): number {
  for (let i = 0; i < want.length; i++) {
    if (Number.isNaN(want[i]) ? !Number.isNaN(got[i]) : !(Math.abs(got[i] - want[i]) <= tol * (1 + Math.abs(want[i])))) return i;
  }
  return -1;
}

const shapes: Array<[string, Pool]> = [
  ['1x1 image', pool(1, 1, 1, 1, 1, 1, 1, 1)],
  ["W3's 2x2 stride 2 (14 outputs per row)", pool(2, 3, 28, 28, 2, 2, 2, 2)],
  ['2x2 stride 2 on odd sizes', pool(1, 2, 17, 35, 2, 2, 2, 2)],
  ['2x2 stride 2, fewer than 8 outputs per row', pool(2, 2, 7, 9, 2, 2, 2, 2)],
  ['3x3 stride 2 pad 1 (overlapping windows)', pool(2, 3, 9, 11, 3, 3, 2, 2, 1, 1)],
  ['stride 1, padded', pool(1, 2, 6, 7, 3, 2, 1, 1, 1, 1)],
  ['stride larger than the kernel', pool(2, 1, 11, 13, 2, 3, 3, 4, 0, 1)],
  ['global pooling', pool(1, 3, 5, 6, 5, 6, 1, 1)],
  ['primes, pad = k/2', pool(7, 5, 3, 4, 2, 2, 1, 2, 1, 1)],
  ['ceil mode, odd sizes (clipped windows)', pool(2, 3, 5, 7, 2, 2, 2, 2, 0, 0, true)],
  ['ceil mode, padded (divisor stops at in + pad)', pool(2, 2, 6, 7, 3, 3, 2, 2, 1, 1, true)],
  ['ceil mode, last window would start in the padding', pool(1, 3, 5, 5, 2, 2, 2, 2, 1, 1, true)],
  ['dilated, padded', pool(2, 2, 9, 10, 3, 3, 1, 2, 1, 1, false, 2, 3)],
  ['dilated, ceil mode', pool(1, 3, 13, 7, 3, 2, 2, 1, 1, 1, true, 3, 2)],
];

describe('pooling kernels', () => {
  const d = native();
  test.each(shapes)('%s: matches the double reference', (_name, g) => {
    const rng = new TestRandom(g.h * 31 + g.w);
    const [oh, ow] = outSize(g);
    const planes = g.n * g.c, inN = planes * g.h * g.w, outN = planes * oh * ow;
    const gy = rng.float32(outN);
    // Random data, then data full of ties (first maximum wins), then with NaNs (they win).
    const datasets = [
      rng.float32(inN),
      Float32Array.from({ length: inN }, () => rng.int(-3, 4)),
      Float32Array.from({ length: inN }, () => (rng.next() < 0.05 ? NaN : rng.int(-3, 4))),
    ];
    datasets.forEach((x, kind) => {
      const ref = reference(g, x, gy);
      forEachBackend((isa, threads) => {
        const where = `data ${kind} ${isa} ${threads}T`;
        const out = new Float32Array(outN).fill(-9), idx = new Int32Array(outN).fill(-1), gx = new Float32Array(inN).fill(NaN);
        d.maxPool2dForward(x, out, idx, ...planeArgs(g), ...windowArgs(g), g.dh, g.dw, g.ceil);
        expect([where, close(out, ref.max, 0)]).toEqual([where, -1]);
        expect([where, Array.from(idx)]).toEqual([where, Array.from(ref.idx)]);
        d.maxPool2dBackward(gy, idx, gx, ...planeArgs(g), oh, ow);
        expect([where, close(gx, ref.maxGrad)]).toEqual([where, -1]);
        if (kind === 2 || g.dh !== 1 || g.dw !== 1) return; // NaN averages; average pooling has no dilation
        for (const inc of [0, 1]) {
          const avg = new Float32Array(outN).fill(NaN), agx = new Float32Array(inN).fill(NaN);
          d.avgPool2dForward(x, avg, ...planeArgs(g), ...windowArgs(g), inc === 1, g.ceil);
          d.avgPool2dBackward(gy, agx, ...planeArgs(g), ...windowArgs(g), inc === 1, g.ceil);
          expect([where, inc, close(avg, ref.avg[inc])]).toEqual([where, inc, -1]);
          expect([where, inc, close(agx, ref.avgGrad[inc])]).toEqual([where, inc, -1]);
        }
      });
    });
  });
});

describe('pooling argument checks', () => {
  const d = native();
  const f = (n: number) => new Float32Array(n);
  const i32 = (n: number) => new Int32Array(n);
  test('windows that do not fit, padding above k/2 and zero sizes are RangeErrors naming the arguments', () => {
    expect(() => d.maxPool2dForward(f(16), f(1), i32(1), 1, 1, 4, 4, 5, 2, 1, 1, 0, 0)).toThrow(/output height would be < 1.*kh.*padH/);
    expect(() => d.maxPool2dForward(f(16), f(4), i32(4), 1, 1, 4, 4, 3, 3, 1, 1, 2, 0)).toThrow(/'padH' \(2\) must be at most half of kh/);
    expect(() => d.avgPool2dForward(f(16), f(4), 1, 1, 4, 4, 2, 2, 0, 2, 0, 0, true)).toThrow(/'strideH' must be at least 1/);
    expect(() => d.avgPool2dBackward(f(4), f(16), 1, 1, 4, 4, 2, 0, 2, 2, 0, 0, false)).toThrow(/'kw' must be at least 1/);
    expect(() => d.avgPool2dForward(f(16), f(4), 1, 1, 4, 4, 2, 2, 2, 2, 0, 0, 1 as unknown as boolean)).toThrow(TypeError);
  });
  test('short arrays, overflow, overlap and bad indices are rejected', () => {
    expect(() => d.maxPool2dForward(f(15), f(4), i32(4), 1, 1, 4, 4, 2, 2, 2, 2, 0, 0)).toThrow(/'x' needs at least 16/);
    expect(() => d.maxPool2dForward(f(16), f(4), i32(3), 1, 1, 4, 4, 2, 2, 2, 2, 0, 0)).toThrow(/'indices' needs at least 4/);
    expect(() => d.maxPool2dBackward(f(4), i32(4), f(15), 1, 1, 4, 4, 2, 2)).toThrow(/'gx' needs at least 16/);
    expect(() => d.maxPool2dForward(f(16), f(4), i32(4), 2 ** 39, 2 ** 39, 4, 4, 2, 2, 2, 2, 0, 0)).toThrow(/too large/);
    expect(() => d.maxPool2dForward(f(16), f(4), i32(4), 1, 1, 2 ** 16, 2 ** 16, 2, 2, 2, 2, 0, 0)).toThrow(/int32/);
    const buffer = f(20);
    expect(() => d.avgPool2dForward(buffer.subarray(0, 16), buffer.subarray(14, 18), 1, 1, 4, 4, 2, 2, 2, 2, 0, 0, true)).toThrow(/overlaps/);
    expect(() => d.maxPool2dBackward(f(4), Int32Array.from([0, 5, 16, 3]), f(16), 1, 1, 4, 4, 2, 2)).toThrow(/'indices' holds 16 at element 2/);
    expect(() => d.maxPool2dBackward(f(4), Int32Array.from([-1, 5, 6, 3]), f(16), 1, 1, 4, 4, 2, 2)).toThrow(/'indices' holds -1 at element 0/);
  });
});

describe('adaptive pooling kernels', () => {
  const d = native();
  const shapes: Array<[string, number[], [number, number]]> = [
    ['1x1 to 1x1', [1, 1, 1, 1], [1, 1]],
    ['sizes that do not divide (overlapping bins)', [2, 3, 7, 5], [3, 2]],
    ['output larger than the input', [1, 2, 3, 5], [7, 11]],
    ['global (vectorised sum per plane)', [3, 5, 17, 23], [1, 1]],
    ['a 1x1 plane spread out', [2, 2, 1, 1], [3, 2]],
  ];
  test.each(shapes)('%s: matches the double reference', (_name, [n, c, h, w], [oh, ow]) => {
    const rng = new TestRandom(h * 7 + w);
    const planes = n * c, inP = h * w, outP = oh * ow;
    const x = Float32Array.from({ length: planes * inP }, () => rng.int(-3, 4) + (rng.next() < 0.5 ? rng.next() : 0));
    const gy = rng.float32(planes * outP);
    const avg = new Float64Array(planes * outP), max = new Float64Array(planes * outP), idx = new Int32Array(planes * outP);
    const avgGrad = new Float64Array(planes * inP), maxGrad = new Float64Array(planes * inP);
    for (let p = 0; p < planes; p++)
      for (let oy = 0; oy < oh; oy++)
        for (let ox = 0; ox < ow; ox++) {
          const [y0, y1] = adaptiveBin(oy, h, oh), [x0, x1] = adaptiveBin(ox, w, ow);
          const o = p * outP + oy * ow + ox, count = (y1 - y0) * (x1 - x0);
          let best = y0 * w + x0, sum = 0;
          for (let iy = y0; iy < y1; iy++)
            for (let ix = x0; ix < x1; ix++) {
              if (x[p * inP + iy * w + ix] > x[p * inP + best]) best = iy * w + ix;
              sum += x[p * inP + iy * w + ix];
            }
          avg[o] = sum / count; max[o] = x[p * inP + best]; idx[o] = best; maxGrad[p * inP + best] += gy[o];
          for (let iy = y0; iy < y1; iy++) for (let ix = x0; ix < x1; ix++) avgGrad[p * inP + iy * w + ix] += gy[o] / count;
        }
    forEachBackend((isa, threads) => {
      const where = `${isa} ${threads}T`;
      const out = new Float32Array(planes * outP).fill(NaN), ind = new Int32Array(planes * outP).fill(-1);
      const gx = new Float32Array(planes * inP).fill(NaN), agx = new Float32Array(planes * inP).fill(NaN);
      d.adaptiveMaxPool2dForward(x, out, ind, n, c, h, w, oh, ow);
      expect([where, close(out, max, 0), Array.from(ind)]).toEqual([where, -1, Array.from(idx)]);
      d.maxPool2dBackward(gy, ind, gx, n, c, h, w, oh, ow);
      expect([where, close(gx, maxGrad)]).toEqual([where, -1]);
      d.adaptiveAvgPool2dForward(x, out, n, c, h, w, oh, ow);
      d.adaptiveAvgPool2dBackward(gy, agx, n, c, h, w, oh, ow);
      expect([where, close(out, avg, 2e-6), close(agx, avgGrad, 2e-6)]).toEqual([where, -1, -1]);
    });
  });
});

describe('argument checks of ceil mode, dilation and adaptive pooling', () => {
  const d = native();
  const f = (n: number) => new Float32Array(n);
  const i32 = (n: number) => new Int32Array(n);
  test('ceil mode and dilation are checked and change the output size', () => {
    // 5 wide, k2 s2: 2 outputs, 3 in ceil mode.
    expect(() => d.maxPool2dForward(f(25), f(9), i32(9), 1, 1, 5, 5, 2, 2, 2, 2, 0, 0, 1, 1, true)).not.toThrow();
    expect(() => d.maxPool2dForward(f(25), f(8), i32(9), 1, 1, 5, 5, 2, 2, 2, 2, 0, 0, 1, 1, true)).toThrow(/'out' needs at least 9/);
    expect(() => d.avgPool2dForward(f(25), f(8), 1, 1, 5, 5, 2, 2, 2, 2, 0, 0, true, true)).toThrow(/'out' needs at least 9/);
    expect(() => d.maxPool2dForward(f(25), f(9), i32(9), 1, 1, 5, 5, 2, 2, 2, 2, 0, 0, 1, 1, 1 as never)).toThrow(/maxPool2dForward: argument 'ceilMode' must be a boolean/);
    expect(() => d.avgPool2dBackward(f(9), f(25), 1, 1, 5, 5, 2, 2, 2, 2, 0, 0, true, 'yes' as never)).toThrow(/avgPool2dBackward: argument 'ceilMode' must be a boolean/);
    expect(() => d.maxPool2dForward(f(16), f(4), i32(4), 1, 1, 4, 4, 2, 2, 1, 1, 0, 0, 0, 1)).toThrow(/'dilationH' must be at least 1/);
    expect(() => d.maxPool2dForward(f(16), f(4), i32(4), 1, 1, 4, 4, 3, 2, 1, 1, 0, 0, 2, 1)).toThrow(/output height would be < 1: kh \(3\) dilated by dilationH \(2\)/);
    expect(() => d.maxPool2dForward(f(4), f(1), i32(1), 1, 1, 2, 2, 2, 2, 1, 1, 1, 1, 3, 3))
      .toThrow(/a window of kh \(2\) dilated by dilationH \(3\) that starts in the padH \(1\) padding covers no position of the input h = 2/);
  });
  test('adaptive pooling: sizes of at least 1, lengths, overlap', () => {
    expect(() => d.adaptiveAvgPool2dForward(f(16), f(4), 1, 1, 4, 4, 0, 2)).toThrow(/adaptiveAvgPool2dForward: argument 'oh' must be at least 1/);
    expect(() => d.adaptiveMaxPool2dForward(f(16), f(4), i32(4), 1, 1, 4, 0, 2, 2)).toThrow(/argument 'w' must be at least 1/);
    expect(() => d.adaptiveAvgPool2dBackward(f(3), f(16), 1, 1, 4, 4, 2, 2)).toThrow(/adaptiveAvgPool2dBackward: argument 'gy' needs at least 4/);
    expect(() => d.adaptiveMaxPool2dForward(f(16), f(4), i32(3), 1, 1, 4, 4, 2, 2)).toThrow(/'indices' needs at least 4/);
    expect(() => d.adaptiveAvgPool2dForward(f(16), f(4), 1, 1, 2 ** 16, 2 ** 16, 2, 2)).toThrow(/int32/);
    const buffer = f(20);
    expect(() => d.adaptiveAvgPool2dForward(buffer.subarray(0, 16), buffer.subarray(14, 18), 1, 1, 4, 4, 2, 2)).toThrow(/overlaps/);
    expect(() => d.adaptiveAvgPool2dForward(f(16), f(4), 1, 1, 4, 4, 2.5 as never, 2)).toThrow(RangeError);
  });
});
