/**
 * conv2dForward / conv2dBackward (grouped and depthwise too) and
 * convTranspose2dForward / convTranspose2dBackward against plain
 * double-precision references on awkward shapes, on every ISA path and 1 and
 * 2 threads; the backward also against finite differences of the forward
 * computed in double.
 */
import { native } from '../../ts/native';
import { forEachBackend } from '../support/isa';
import { TestRandom } from '../support/random';

interface Geometry {
  n: number; c: number; h: number; w: number; o: number; kh: number; kw: number;
  sh: number; sw: number; ph: number; pw: number; dh: number; dw: number;
  groups: number;
}

function geo(n: number, c: number, h: number, w: number, o: number, kh: number, kw: number,
  sh = 1, sw = 1, ph = 0, pw = 0, dh = 1, dw = 1, groups = 1): Geometry {
  return { n, c, h, w, o, kh, kw, sh, sw, ph, pw, dh, dw, groups };
}

function outSize(g: Geometry): [number, number] {
  return [
    Math.floor((g.h + 2 * g.ph - g.dh * (g.kh - 1) - 1) / g.sh) + 1,
    Math.floor((g.w + 2 * g.pw - g.dw * (g.kw - 1) - 1) / g.sw) + 1,
  ];
}

/** The 13 geometry numbers, and groups after them when they are not 1. */
function args(g: Geometry): number[] {
  const a = [g.n, g.c, g.h, g.w, g.o, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, g.dh, g.dw];
  return g.groups === 1 ? a : [...a, g.groups];
}

/** Calls fn(xIndex, wIndex, yIndex) for every term of the convolution sum (output o reads its group's channels). */
function forEachTerm(g: Geometry, fn: (xi: number, wi: number, yi: number) => void): void {
  const [oh, ow] = outSize(g);
  const cg = g.c / g.groups, og = g.o / g.groups;
  for (let b = 0; b < g.n; b++)
    for (let o = 0; o < g.o; o++)
      for (let oy = 0; oy < oh; oy++)
        for (let ox = 0; ox < ow; ox++)
          for (let k = 0; k < cg; k++)
            for (let i = 0; i < g.kh; i++)
              for (let j = 0; j < g.kw; j++) {
                const iy = oy * g.sh - g.ph + i * g.dh, ix = ox * g.sw - g.pw + j * g.dw;
                if (iy < 0 || ix < 0 || iy >= g.h || ix >= g.w) continue;
                const c = Math.floor(o / og) * cg + k;
                fn(((b * g.c + c) * g.h + iy) * g.w + ix, ((o * cg + k) * g.kh + i) * g.kw + j,
                  ((b * g.o + o) * oh + oy) * ow + ox);
              }
}

interface Reference { value: Float64Array; scale: Float64Array }

function reference(g: Geometry, x: Float32Array, w: Float32Array, bias: Float32Array, gy: Float32Array) {
  const [oh, ow] = outSize(g);
  const plane = oh * ow;
  const make = (n: number): Reference => ({ value: new Float64Array(n), scale: new Float64Array(n) });
  const out = make(gy.length), gx = make(x.length), gw = make(w.length), gb = make(g.o);
  for (let yi = 0; yi < gy.length; yi++) {
    const o = Math.floor(yi / plane) % g.o;
    out.value[yi] = bias[o]; out.scale[yi] = Math.abs(bias[o]);
    gb.value[o] += gy[yi]; gb.scale[o] += Math.abs(gy[yi]);
  }
  forEachTerm(g, (xi, wi, yi) => {
    out.value[yi] += x[xi] * w[wi]; out.scale[yi] += Math.abs(x[xi] * w[wi]);
    gx.value[xi] += gy[yi] * w[wi]; gx.scale[xi] += Math.abs(gy[yi] * w[wi]);
    gw.value[wi] += gy[yi] * x[xi]; gw.scale[wi] += Math.abs(gy[yi] * x[xi]);
  });
  return { out, gx, gw, gb };
}

/** Index of the first element outside |got − want| <= 3e-6·scale + 1e-6, or −1. */
function firstMismatch(got: Float32Array, want: Reference): number {
  for (let i = 0; i < want.value.length; i++) {
    if (!(Math.abs(got[i] - want.value[i]) <= 3e-6 * want.scale[i] + 1e-6)) return i;
  }
  return -1;
}

/**
 * Runs forward(out) and backward(gx, gw, gb) on every ISA and thread count,
 * into outputs that start as NaN (every element must be written), and
 * compares them with the reference.
 */
function expectKernelsMatch(
  ref: { out: Reference; gx: Reference; gw: Reference; gb: Reference },
  inputs: { x: Float32Array; w: Float32Array; bias: Float32Array; gy: Float32Array },
  forward: (out: Float32Array) => void,
  backward: (gx: Float32Array, gw: Float32Array, gb: Float32Array) => void,
): void {
  const nan = (n: number) => new Float32Array(n).fill(NaN);
  forEachBackend((isa, threads) => {
    const where = `${isa} ${threads}T`;
    const out = nan(inputs.gy.length), gx = nan(inputs.x.length), gw = nan(inputs.w.length), gb = nan(inputs.bias.length);
    forward(out);
    expect([where, firstMismatch(out, ref.out)]).toEqual([where, -1]);
    backward(gx, gw, gb);
    expect([where, 'gx', firstMismatch(gx, ref.gx)]).toEqual([where, 'gx', -1]);
    expect([where, 'gw', firstMismatch(gw, ref.gw)]).toEqual([where, 'gw', -1]);
    expect([where, 'gb', firstMismatch(gb, ref.gb)]).toEqual([where, 'gb', -1]);
  });
}

const shapes: Array<[string, Geometry]> = [
  ['1x1 image, 1x1 kernel', geo(1, 1, 1, 1, 1, 1, 1)],
  ['1x1 image, 3x3 kernel pad 1', geo(3, 2, 1, 1, 5, 3, 3, 1, 1, 1, 1)],
  ['odd sizes', geo(2, 3, 7, 5, 4, 3, 3, 1, 1, 1, 1)],
  ['padding larger than the kernel', geo(2, 2, 5, 6, 3, 2, 3, 1, 1, 4, 5)],
  ['stride larger than the kernel', geo(2, 3, 11, 13, 2, 2, 2, 3, 4, 0, 1)],
  ['dilation', geo(1, 2, 9, 10, 3, 3, 2, 1, 2, 2, 1, 2, 3)],
  ['pointwise (1x1 stride 1, no im2col)', geo(5, 7, 6, 6, 11, 1, 1)],
  ['1x1 stride 2', geo(3, 5, 9, 7, 6, 1, 1, 2, 2)],
  ['batch 1, primes', geo(1, 3, 13, 11, 7, 5, 3, 2, 1, 2, 1)],
  ['prime batch', geo(13, 1, 17, 19, 5, 3, 3, 1, 1, 1, 1)],
  ['kernel as large as the input', geo(2, 3, 4, 9, 2, 4, 9)],
  ['W2b-like, small', geo(3, 8, 14, 14, 16, 3, 3, 1, 1, 1, 1)],
  ['3x3 pad 1 (Winograd), odd sides, channels past one panel', geo(2, 9, 7, 5, 33, 3, 3, 1, 1, 1, 1)],
  ['2 groups', geo(2, 4, 7, 5, 6, 3, 3, 1, 1, 1, 1, 1, 1, 2)],
  ['3 groups, stride, dilation, primes', geo(3, 9, 11, 13, 6, 3, 2, 2, 1, 1, 0, 1, 2, 3)],
  ['grouped pointwise', geo(3, 8, 5, 6, 12, 1, 1, 1, 1, 0, 0, 1, 1, 4)],
  ['grouped Winograd (8 and 16 channels per group)', geo(2, 16, 7, 9, 32, 3, 3, 1, 1, 1, 1, 1, 1, 2)],
  ['depthwise 3x3 pad 1', geo(2, 5, 9, 11, 5, 3, 3, 1, 1, 1, 1, 1, 1, 5)],
  ['depthwise multiplier 3, stride 2', geo(3, 4, 13, 15, 12, 3, 3, 2, 2, 1, 1, 1, 1, 4)],
  ['depthwise 5x3, strides 2 and 3, dilation', geo(2, 3, 11, 19, 6, 5, 3, 2, 3, 2, 0, 1, 2, 3)],
  ['depthwise 1x1', geo(2, 4, 5, 7, 8, 1, 1, 1, 1, 0, 0, 1, 1, 4)],
  ['depthwise, long rows with a tail', geo(1, 2, 3, 61, 2, 3, 3, 1, 1, 1, 1, 1, 1, 2)],
  ['depthwise, batch 1, prime channels', geo(1, 7, 5, 3, 7, 2, 3, 1, 2, 0, 1, 1, 1, 7)],
];

/** The 13 geometry numbers and an optional groups. */
type Geo14 = [number, number, number, number, number, number, number, number, number, number, number, number, number, number?];

describe('conv2d kernels', () => {
  const d = native();

  test.each(shapes)('%s: forward and backward match the double reference', (_name, g) => {
    const rng = new TestRandom(g.n * 1000 + g.c * 100 + g.h);
    const [oh, ow] = outSize(g);
    const x = rng.float32(g.n * g.c * g.h * g.w), w = rng.float32(g.o * (g.c / g.groups) * g.kh * g.kw);
    const bias = rng.float32(g.o), gy = rng.float32(g.n * g.o * oh * ow);
    expectKernelsMatch(reference(g, x, w, bias, gy), { x, w, bias, gy },
      (out) => d.conv2dForward(x, w, bias, out, ...(args(g) as Geo14)),
      (gx, gw, gb) => d.conv2dBackward(x, w, gy, gx, gw, gb, ...(args(g) as Geo14)));
  });

  type Geo13 = [number, number, number, number, number, number, number, number, number, number, number, number, number];

  test('null bias and null gradients', () => {
    const g = geo(2, 3, 6, 5, 4, 3, 2, 2, 1, 1, 0);
    const rng = new TestRandom(5);
    const [oh, ow] = outSize(g);
    const x = rng.float32(g.n * g.c * g.h * g.w), w = rng.float32(g.o * g.c * g.kh * g.kw);
    const gy = rng.float32(g.n * g.o * oh * ow);
    const ref = reference(g, x, w, new Float32Array(g.o), gy);
    const out = new Float32Array(gy.length).fill(NaN);
    d.conv2dForward(x, w, null, out, ...(args(g) as Geo13));
    expect(firstMismatch(out, ref.out)).toBe(-1);
    const gx = new Float32Array(x.length).fill(NaN), gw = new Float32Array(w.length).fill(NaN);
    d.conv2dBackward(x, w, gy, gx, null, null, ...(args(g) as Geo13));
    expect(firstMismatch(gx, ref.gx)).toBe(-1);
    d.conv2dBackward(x, w, gy, null, gw, null, ...(args(g) as Geo13));
    expect(firstMismatch(gw, ref.gw)).toBe(-1);
  });

  test('backward matches finite differences of the forward computed in double', () => {
    for (const g of [geo(2, 2, 5, 4, 3, 3, 2, 2, 1, 1, 2, 1, 2), geo(1, 3, 4, 4, 2, 1, 1, 2, 2), geo(1, 1, 3, 3, 2, 2, 2, 1, 1, 1, 1)]) {
      const rng = new TestRandom(11);
      const [oh, ow] = outSize(g);
      const x = rng.float32(g.n * g.c * g.h * g.w), w = rng.float32(g.o * g.c * g.kh * g.kw);
      const bias = rng.float32(g.o), gy = rng.float32(g.n * g.o * oh * ow);
      // L(x, w, b) = Σ gy · conv(x, w, b), in double.
      const loss = (xs: Float64Array, ws: Float64Array, bs: Float64Array): number => {
        const out = new Float64Array(gy.length);
        for (let yi = 0; yi < out.length; yi++) out[yi] = bs[Math.floor(yi / (oh * ow)) % g.o];
        forEachTerm(g, (xi, wi, yi) => { out[yi] += xs[xi] * ws[wi]; });
        let l = 0;
        for (let i = 0; i < out.length; i++) l += gy[i] * out[i];
        return l;
      };
      const gx = new Float32Array(x.length), gw = new Float32Array(w.length), gb = new Float32Array(g.o);
      d.conv2dBackward(x, w, gy, gx, gw, gb, ...(args(g) as Geo13));
      const h = 1e-3;
      const check = (which: 'x' | 'w' | 'b', grad: Float32Array) => {
        const base = { x: Float64Array.from(x), w: Float64Array.from(w), b: Float64Array.from(bias) };
        for (let i = 0; i < grad.length; i++) {
          const plus = { ...base, [which]: Float64Array.from(base[which]) };
          const minus = { ...base, [which]: Float64Array.from(base[which]) };
          plus[which][i] += h; minus[which][i] -= h;
          const fd = (loss(plus.x, plus.w, plus.b) - loss(minus.x, minus.w, minus.b)) / (2 * h);
          expect(Math.abs(fd - grad[i])).toBeLessThan(1e-4 * (1 + Math.abs(fd)));
        }
      };
      check('x', gx); check('w', gw); check('b', gb);
    }
  });

  test('a batch larger than one column chunk gives the same result image by image', () => {
    // 9 images of 64x70 with a 5x5 kernel: several chunks of the column buffer.
    const g = geo(9, 2, 64, 70, 2, 5, 5, 1, 1, 2, 2);
    const rng = new TestRandom(21);
    const [oh, ow] = outSize(g);
    const x = rng.float32(g.n * g.c * g.h * g.w), w = rng.float32(g.o * g.c * g.kh * g.kw), bias = rng.float32(g.o);
    const out = new Float32Array(g.n * g.o * oh * ow);
    d.conv2dForward(x, w, bias, out, ...(args(g) as Geo13));
    const imageIn = g.c * g.h * g.w, imageOut = g.o * oh * ow;
    for (const b of [0, 4, 8]) {
      const one = new Float32Array(imageOut);
      d.conv2dForward(x.subarray(b * imageIn, (b + 1) * imageIn), w, bias, one, 1, ...(args(g).slice(1) as [number, number, number, number, number, number, number, number, number, number, number, number]));
      expect(Array.from(one)).toEqual(Array.from(out.subarray(b * imageOut, (b + 1) * imageOut)));
    }
  });
});

describe('conv2d argument checks', () => {
  const d = native();
  const f = (n: number) => new Float32Array(n);
  type Geo13 = [number, number, number, number, number, number, number, number, number, number, number, number, number];
  const g: Geo13 = [1, 1, 4, 4, 1, 3, 3, 1, 1, 0, 0, 1, 1];  // out 2x2

  test('a kernel larger than the padded input is a RangeError naming the arguments', () => {
    expect(() => d.conv2dForward(f(16), f(25), null, f(1), 1, 1, 4, 4, 1, 5, 5, 1, 1, 0, 0, 1, 1))
      .toThrow(/conv2dForward: output height would be < 1.*kh.*padH/);
    expect(() => d.conv2dForward(f(16), f(9), null, f(4), 1, 1, 4, 4, 1, 3, 3, 1, 1, 0, 0, 1, 3))
      .toThrow(/output width would be < 1.*dilationW/);
    expect(() => d.conv2dBackward(f(16), f(25), f(1), f(16), null, null, 1, 1, 4, 4, 1, 5, 5, 1, 1, 0, 0, 1, 1))
      .toThrow(RangeError);
  });

  test('zero kernel, stride or dilation is a RangeError', () => {
    for (const [i, name] of [[5, 'kh'], [6, 'kw'], [7, 'strideH'], [8, 'strideW'], [11, 'dilationH'], [12, 'dilationW']] as Array<[number, string]>) {
      const bad = [...g] as Geo13;
      bad[i] = 0;
      expect(() => d.conv2dForward(f(16), f(9), null, f(4), ...bad)).toThrow(new RegExp(`'${name}' must be at least 1`));
    }
  });

  test('short arrays, overflowing sizes and overlapping outputs are rejected', () => {
    expect(() => d.conv2dForward(f(15), f(9), null, f(4), ...g)).toThrow(/argument 'x' needs at least 16/);
    expect(() => d.conv2dForward(f(16), f(8), null, f(4), ...g)).toThrow(/argument 'w' needs at least 9/);
    expect(() => d.conv2dForward(f(16), f(9), f(0), f(4), ...g)).toThrow(/argument 'bias' needs at least 1/);
    expect(() => d.conv2dForward(f(16), f(9), null, f(3), ...g)).toThrow(/argument 'out' needs at least 4/);
    expect(() => d.conv2dBackward(f(16), f(9), f(4), f(15), null, null, ...g)).toThrow(/argument 'gx' needs at least 16/);
    expect(() => d.conv2dBackward(f(16), f(9), f(4), null, f(8), null, ...g)).toThrow(/argument 'gw' needs at least 9/);
    expect(() => d.conv2dForward(f(16), f(9), null, f(4), 2 ** 30, 2 ** 30, 2 ** 30, 4, 1, 3, 3, 1, 1, 0, 0, 1, 1)).toThrow(/too large/);
    expect(() => d.conv2dForward(f(16), f(9), null, f(4), 1.5, 1, 4, 4, 1, 3, 3, 1, 1, 0, 0, 1, 1)).toThrow(/'n'/);
    expect(() => d.conv2dForward(f(16), f(9), new Float64Array(1) as unknown as Float32Array, f(4), ...g)).toThrow(TypeError);
    const buffer = f(32);
    expect(() => d.conv2dForward(buffer.subarray(0, 16), f(9), null, buffer.subarray(12, 16), ...g)).toThrow(/'out' overlaps/);
    expect(() => d.conv2dBackward(f(16), f(9), buffer.subarray(0, 4), buffer.subarray(2, 18), null, null, ...g)).toThrow(/'gx' overlaps argument 'gy'/);
  });
});

describe('grouped conv2d argument checks', () => {
  const d = native();
  const f = (n: number) => new Float32Array(n);
  test('groups must be at least 1 and divide both channel counts', () => {
    // c 6, o 4, 3x3 on 4x4: out 2x2
    expect(() => d.conv2dForward(f(96), f(36), null, f(16), 1, 6, 4, 4, 4, 3, 3, 1, 1, 0, 0, 1, 1, 0)).toThrow(/conv2dForward: argument 'groups' must be at least 1/);
    expect(() => d.conv2dForward(f(96), f(36), null, f(16), 1, 6, 4, 4, 4, 3, 3, 1, 1, 0, 0, 1, 1, 4)).toThrow(/conv2dForward: argument 'groups' \(4\) must divide the input channels c \(6\)/);
    expect(() => d.conv2dBackward(f(96), f(36), f(16), f(96), null, null, 1, 6, 4, 4, 4, 3, 3, 1, 1, 0, 0, 1, 1, 3)).toThrow(/argument 'groups' \(3\) must divide the output channels o \(4\)/);
    // groups 2: the weight is [4, 3, 3, 3] = 108 floats, not 4·6·9
    expect(() => d.conv2dForward(f(96), f(107), null, f(16), 1, 6, 4, 4, 4, 3, 3, 1, 1, 0, 0, 1, 1, 2)).toThrow(/argument 'w' needs at least 108/);
    expect(() => d.conv2dForward(f(96), f(108), null, f(16), 1, 6, 4, 4, 4, 3, 3, 1, 1, 0, 0, 1, 1, 2)).not.toThrow();
  });
});

/** Transposed geometry: input [n, cin, h, w], weight [cin, cout/groups, kh, kw]. */
interface Transposed {
  n: number; cin: number; h: number; w: number; cout: number; kh: number; kw: number;
  sh: number; sw: number; ph: number; pw: number; oph: number; opw: number; dh: number; dw: number; groups: number;
}

type Args16 = [number, number, number, number, number, number, number, number, number, number, number, number, number, number, number, number];

function transposedArgs(t: Transposed): Args16 {
  return [t.n, t.cin, t.h, t.w, t.cout, t.kh, t.kw, t.sh, t.sw, t.ph, t.pw, t.oph, t.opw, t.dh, t.dw, t.groups];
}

function transposedOut(t: Transposed): [number, number] {
  return [
    (t.h - 1) * t.sh - 2 * t.ph + t.dh * (t.kh - 1) + t.oph + 1,
    (t.w - 1) * t.sw - 2 * t.pw + t.dw * (t.kw - 1) + t.opw + 1,
  ];
}

/** The transposed sum, term by term: input (iy, ix) reaches output (iy·s + i·d − p, ix·s + j·d − p). */
function transposedReference(t: Transposed, x: Float32Array, w: Float32Array, bias: Float32Array, gy: Float32Array) {
  const [oh, ow] = transposedOut(t);
  const make = (n: number): Reference => ({ value: new Float64Array(n), scale: new Float64Array(n) });
  const out = make(gy.length), gx = make(x.length), gw = make(w.length), gb = make(t.cout);
  for (let yi = 0; yi < gy.length; yi++) {
    const o = Math.floor(yi / (oh * ow)) % t.cout;
    out.value[yi] = bias[o]; out.scale[yi] = Math.abs(bias[o]);
    gb.value[o] += gy[yi]; gb.scale[o] += Math.abs(gy[yi]);
  }
  const ig = t.cin / t.groups, og = t.cout / t.groups;
  for (let b = 0; b < t.n; b++)
    for (let ic = 0; ic < t.cin; ic++)
      for (let iy = 0; iy < t.h; iy++)
        for (let ix = 0; ix < t.w; ix++)
          for (let k = 0; k < og; k++)
            for (let i = 0; i < t.kh; i++)
              for (let j = 0; j < t.kw; j++) {
                const y = iy * t.sh + i * t.dh - t.ph, xx = ix * t.sw + j * t.dw - t.pw;
                if (y < 0 || xx < 0 || y >= oh || xx >= ow) continue;
                const xi = ((b * t.cin + ic) * t.h + iy) * t.w + ix, wi = ((ic * og + k) * t.kh + i) * t.kw + j;
                const yi = ((b * t.cout + Math.floor(ic / ig) * og + k) * oh + y) * ow + xx;
                out.value[yi] += x[xi] * w[wi]; out.scale[yi] += Math.abs(x[xi] * w[wi]);
                gx.value[xi] += gy[yi] * w[wi]; gx.scale[xi] += Math.abs(gy[yi] * w[wi]);
                gw.value[wi] += gy[yi] * x[xi]; gw.scale[wi] += Math.abs(gy[yi] * x[xi]);
              }
  return { out, gx, gw, gb };
}

function tr(n: number, cin: number, h: number, w: number, cout: number, kh: number, kw: number,
  s: [number, number] = [1, 1], p: [number, number] = [0, 0], op: [number, number] = [0, 0], dil: [number, number] = [1, 1], groups = 1): Transposed {
  return { n, cin, h, w, cout, kh, kw, sh: s[0], sw: s[1], ph: p[0], pw: p[1], oph: op[0], opw: op[1], dh: dil[0], dw: dil[1], groups };
}

const transposedShapes: Array<[string, Transposed]> = [
  ['plain', tr(2, 3, 4, 5, 2, 3, 3)],
  ['strides 2 and 3, padding, output padding, 2 groups', tr(2, 4, 5, 3, 6, 3, 3, [2, 3], [1, 1], [1, 2], [1, 1], 2)],
  ['depthwise upsampling', tr(1, 3, 4, 4, 3, 3, 3, [2, 2], [1, 1], [1, 1], [1, 1], 3)],
  ['output padding from a dilation larger than the stride', tr(2, 2, 3, 4, 3, 3, 2, [1, 1], [1, 1], [1, 1], [2, 2])],
  ['1x1 kernel, dilation 2, output padding 1', tr(1, 2, 3, 3, 2, 1, 1, [1, 1], [0, 0], [1, 1], [2, 2], 2)],
  ['3x3 stride 1 pad 1 (Winograd), 16 -> 8 channels', tr(2, 16, 6, 5, 8, 3, 3, [1, 1], [1, 1])],
  ['batch 1, primes', tr(1, 5, 7, 2, 10, 4, 1, [2, 3], [1, 0], [0, 2], [1, 1], 5)],
];

describe('convTranspose2d kernels', () => {
  const d = native();
  test.each(transposedShapes)('%s: forward and backward match the double reference', (_name, t) => {
    const rng = new TestRandom(t.n * 1000 + t.cin * 100 + t.h);
    const [oh, ow] = transposedOut(t);
    const x = rng.float32(t.n * t.cin * t.h * t.w), w = rng.float32(t.cin * (t.cout / t.groups) * t.kh * t.kw);
    const bias = rng.float32(t.cout), gy = rng.float32(t.n * t.cout * oh * ow);
    expectKernelsMatch(transposedReference(t, x, w, bias, gy), { x, w, bias, gy },
      (y) => d.convTranspose2dForward(x, w, bias, y, ...transposedArgs(t)),
      (gx, gw, gb) => d.convTranspose2dBackward(x, w, gy, gx, gw, gb, ...transposedArgs(t)));
  });

  test('argument checks name what is wrong', () => {
    const f = (n: number) => new Float32Array(n);
    // x [1, 2, 4, 4], w [2, 1, 3, 3], stride 2, pad 1, output padding 1: y [1, 1, 8, 8]
    const a = tr(1, 2, 4, 4, 1, 3, 3, [2, 2], [1, 1], [1, 1]);
    expect(() => d.convTranspose2dForward(f(32), f(18), null, f(64), ...transposedArgs(a))).not.toThrow();
    expect(() => d.convTranspose2dForward(f(32), f(18), null, f(63), ...transposedArgs(a))).toThrow(/convTranspose2dForward: argument 'y' needs at least 64/);
    expect(() => d.convTranspose2dForward(f(32), f(17), null, f(64), ...transposedArgs(a))).toThrow(/argument 'w' needs at least 18/);
    expect(() => d.convTranspose2dForward(f(32), f(18), f(0), f(64), ...transposedArgs(a))).toThrow(/argument 'bias' needs at least 1/);
    expect(() => d.convTranspose2dForward(f(32), f(18), null, f(64), ...transposedArgs({ ...a, oph: 2 })))
      .toThrow(/convTranspose2dForward: the output padding must be smaller than the stride or the dilation \(.*outputPadding \[2, 1\], stride \[2, 2\], dilation \[1, 1\]\)/);
    expect(() => d.convTranspose2dForward(f(32), f(18), null, f(64), ...transposedArgs({ ...a, groups: 2 })))
      .toThrow(/groups must be at least 1 and divide both the input and the output channels \(inChannels 2, outChannels 1, groups 2/);
    expect(() => d.convTranspose2dForward(f(32), f(18), null, f(64), ...transposedArgs({ ...a, groups: 0 }))).toThrow(/argument 'groups' must be at least 1/);
    expect(() => d.convTranspose2dForward(f(32), f(18), null, f(64), ...transposedArgs({ ...a, ph: 9 }))).toThrow(/output would be smaller than 1/);
    expect(() => d.convTranspose2dForward(f(32), f(18), null, f(64), ...transposedArgs({ ...a, h: 0 }))).toThrow(/argument 'h' must be at least 1/);
    expect(() => d.convTranspose2dForward(f(32), f(18), null, f(64), ...transposedArgs({ ...a, sh: 2 ** 40 }))).toThrow(RangeError);
    const buffer = f(128);
    expect(() => d.convTranspose2dForward(buffer.subarray(0, 32), f(18), null, buffer.subarray(16, 80), ...transposedArgs(a))).toThrow(/'y' overlaps/);
    expect(() => d.convTranspose2dBackward(f(32), f(18), buffer.subarray(0, 64), buffer.subarray(40, 72), null, null, ...transposedArgs(a)))
      .toThrow(/'gx' overlaps argument 'gy'/);
    expect(() => d.convTranspose2dBackward(f(32), f(18), f(64), null, f(18), f(0), ...transposedArgs(a))).toThrow(/argument 'gb' needs at least 1/);
  });
});
