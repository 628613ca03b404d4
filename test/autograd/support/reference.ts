/**
 * Plain double-precision reference implementations of the ops, written for
 * clarity, not speed: the forward values are checked against them, and the
 * finite-difference gradients are computed through them.
 */
export class R {
  constructor(
    readonly data: Float64Array,
    readonly shape: number[],
  ) {
    if (data.length !== size(shape)) throw new Error(`R: ${data.length} values for shape [${shape}]`);
  }
  get(index: number[]): number {
    return this.data[flatIndex(index, this.shape)];
  }
}

export function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let k = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = k;
    k *= shape[i];
  }
  return s;
}

export function flatIndex(index: readonly number[], shape: readonly number[]): number {
  let f = 0;
  for (let i = 0; i < shape.length; i++) f = f * shape[i] + index[i];
  return f;
}

export function unflat(f: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let i = shape.length - 1; i >= 0; i--) {
    idx[i] = f % shape[i];
    f = Math.floor(f / shape[i]);
  }
  return idx;
}

export function make(shape: number[], fn: (index: number[]) => number): R {
  const n = size(shape);
  const data = new Float64Array(n);
  for (let f = 0; f < n; f++) data[f] = fn(unflat(f, shape));
  return new R(data, shape);
}

export function map(x: R, fn: (v: number) => number): R {
  return new R(x.data.map(fn), x.shape.slice());
}

export function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  return Array.from({ length: n }, (_, i) => {
    const da = a[a.length - n + i] ?? 1, db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) throw new Error('not broadcastable');
    return da === 1 ? db : da;
  });
}

/** The element of x that output index `index` (of a broadcast shape) reads. */
function broadcastGet(x: R, index: readonly number[]): number {
  const lead = index.length - x.shape.length;
  const own = x.shape.map((d, i) => (d === 1 ? 0 : index[i + lead]));
  return x.get(own);
}

export function binary(a: R, b: R, fn: (x: number, y: number) => number): R {
  const shape = broadcastShape(a.shape, b.shape);
  return make(shape, (i) => fn(broadcastGet(a, i), broadcastGet(b, i)));
}

export function expand(x: R, shape: number[]): R {
  return make(shape, (i) => broadcastGet(x, i));
}

/** Reduces along the given axes (all when undefined) with fn over the slice's values. */
export function reduce(x: R, axes: number[] | undefined, keepDims: boolean, fn: (values: number[]) => number): R {
  const rank = x.shape.length;
  const red = x.shape.map((_, i) => axes === undefined || axes.map((a) => (a < 0 ? a + rank : a)).includes(i));
  const outShape = keepDims ? x.shape.map((d, i) => (red[i] ? 1 : d)) : x.shape.filter((_, i) => !red[i]);
  const groups = new Map<number, number[]>();
  for (let f = 0; f < x.data.length; f++) {
    const idx = unflat(f, x.shape);
    const key = flatIndex(
      idx.filter((_, i) => !red[i]),
      x.shape.filter((_, i) => !red[i]),
    );
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(x.data[f]);
  }
  const n = size(outShape);
  const data = new Float64Array(n);
  for (let k = 0; k < n; k++) data[k] = fn(groups.get(k) ?? []);
  return new R(data, outShape);
}

export const sumOf = (v: number[]) => v.reduce((a, b) => a + b, 0);

export function matmul(a: R, b: R): R {
  const as = a.shape.length === 1 ? [1, a.shape[0]] : a.shape;
  const bs = b.shape.length === 1 ? [b.shape[0], 1] : b.shape;
  const A = new R(a.data, as), B = new R(b.data, bs);
  const m = as[as.length - 2], k = as[as.length - 1], n = bs[bs.length - 1];
  const batch = broadcastShape(as.slice(0, -2), bs.slice(0, -2));
  const full = make([...batch, m, n], (idx) => {
    const bi = idx.slice(0, -2), i = idx[idx.length - 2], j = idx[idx.length - 1];
    let s = 0;
    for (let p = 0; p < k; p++) {
      s += broadcastGet(A, [...bi, i, p]) * broadcastGet(B, [...bi, p, j]);
    }
    return s;
  });
  const shape = [...batch];
  if (a.shape.length > 1) shape.push(m);
  if (b.shape.length > 1) shape.push(n);
  return new R(full.data, shape);
}

export function permute(x: R, perm: number[]): R {
  return make(perm.map((p) => x.shape[p]), (idx) => {
    const src = new Array<number>(perm.length);
    perm.forEach((p, i) => (src[p] = idx[i]));
    return x.get(src);
  });
}

export function softmax(x: R, axis: number, log: boolean): R {
  const rank = x.shape.length;
  const a = axis < 0 ? axis + rank : axis;
  return make(x.shape.slice(), (idx) => {
    let mx = -Infinity;
    const at = (j: number) => x.get(idx.map((v, d) => (d === a ? j : v)));
    for (let j = 0; j < x.shape[a]; j++) mx = Math.max(mx, at(j));
    let s = 0;
    for (let j = 0; j < x.shape[a]; j++) s += Math.exp(at(j) - mx);
    const v = at(idx[a]) - mx;
    return log ? v - Math.log(s) : Math.exp(v) / s;
  });
}

/** erf to about 1e-15 on the range the tests use (|x| <= 4). */
export function erf(x: number): number {
  if (Math.abs(x) > 4) return Math.sign(x);
  let term = x, sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (-x * x) / n;
    const add = term / (2 * n + 1);
    sum += add;
    if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

export const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
export const softplus = (v: number) => (v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v)));
export const gelu = (v: number) => 0.5 * v * (1 + erf(v / Math.SQRT2));

/** conv2d of x [N,C,H,W] with w [O,C,kh,kw], plus bias. */
export function conv2d(x: R, w: R, b: R | null, stride: [number, number], pad: [number, number], dil: [number, number]): R {
  const [n, c, h, wd] = x.shape;
  const [o, , kh, kw] = w.shape;
  const oh = Math.floor((h + 2 * pad[0] - dil[0] * (kh - 1) - 1) / stride[0]) + 1;
  const ow = Math.floor((wd + 2 * pad[1] - dil[1] * (kw - 1) - 1) / stride[1]) + 1;
  return make([n, o, oh, ow], ([ni, oi, y, xx]) => {
    let s = b ? b.data[oi] : 0;
    for (let ci = 0; ci < c; ci++)
      for (let i = 0; i < kh; i++)
        for (let j = 0; j < kw; j++) {
          const iy = y * stride[0] - pad[0] + i * dil[0], ix = xx * stride[1] - pad[1] + j * dil[1];
          if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
          s += x.get([ni, ci, iy, ix]) * w.get([oi, ci, i, j]);
        }
    return s;
  });
}

/** max or average pooling of x [N,C,H,W]. */
export function pool2d(
  x: R, k: [number, number], stride: [number, number], pad: [number, number], kind: 'max' | 'avg', countIncludePad = true,
): R {
  const [n, c, h, w] = x.shape;
  const oh = Math.floor((h + 2 * pad[0] - k[0]) / stride[0]) + 1;
  const ow = Math.floor((w + 2 * pad[1] - k[1]) / stride[1]) + 1;
  return make([n, c, oh, ow], ([ni, ci, y, xx]) => {
    let best = -Infinity, s = 0, count = 0, padded = 0;
    for (let i = 0; i < k[0]; i++)
      for (let j = 0; j < k[1]; j++) {
        const iy = y * stride[0] - pad[0] + i, ix = xx * stride[1] - pad[1] + j;
        if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
          padded++;
          continue;
        }
        const v = x.get([ni, ci, iy, ix]);
        best = Math.max(best, v);
        s += v;
        count++;
      }
    if (kind === 'max') return best;
    // PyTorch counts padding inside the input's padded border only, never past it.
    return s / (countIncludePad ? count + padded : count);
  });
}
