/**
 * Plain double-precision references of the pooling and resizing ops, written
 * from PyTorch's definitions for clarity, not speed: window pools with ceil
 * mode and dilation, adaptive pools, and nearest / bilinear resizing. The
 * gradient checks take their finite differences through these.
 */
import { make, R } from '../autograd/support/reference';

export interface WindowSpec {
  k: [number, number];
  s: [number, number];
  p?: [number, number];
  d?: [number, number];
  ceil?: boolean;
  countIncludePad?: boolean;
}

/** PyTorch's pooling_output_shape. */
export function poolExtent(size: number, k: number, s: number, p: number, d: number, ceil: boolean): number {
  const room = size + 2 * p - d * (k - 1) - 1;
  let out = (ceil ? Math.ceil(room / s) : Math.floor(room / s)) + 1;
  if (ceil && (out - 1) * s >= size + p) out--;
  return out;
}

/** Max or average pooling of x [N, C, H, W]; the average's divisor as PyTorch's CPU kernel. */
export function windowPool(x: R, spec: WindowSpec, kind: 'max' | 'avg'): R {
  const [n, c, h, w] = x.shape;
  const [ph, pw] = spec.p ?? [0, 0], [dh, dw] = spec.d ?? [1, 1];
  const ceil = spec.ceil ?? false;
  const oh = poolExtent(h, spec.k[0], spec.s[0], ph, dh, ceil), ow = poolExtent(w, spec.k[1], spec.s[1], pw, dw, ceil);
  return make([n, c, oh, ow], ([ni, ci, oy, ox]) => {
    let best = -Infinity, sum = 0, inside = 0, paddedRows = 0, paddedCols = 0;
    for (let i = 0; i < spec.k[0]; i++) {
      const iy = oy * spec.s[0] - ph + i * dh;
      if (iy < h + ph) paddedRows++;
      for (let j = 0; j < spec.k[1]; j++) {
        const ix = ox * spec.s[1] - pw + j * dw;
        if (i === 0 && ix < w + pw) paddedCols++;
        if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
        const v = x.get([ni, ci, iy, ix]);
        best = Math.max(best, v);
        sum += v;
        inside++;
      }
    }
    if (kind === 'max') return best;
    // count_include_pad counts the window inside [−pad, in + pad), never past it.
    return sum / ((spec.countIncludePad ?? true) ? paddedRows * paddedCols : inside);
  });
}

/** PyTorch's adaptive bin [floor(i·in/out), ceil((i+1)·in/out)). */
export function adaptiveBin(i: number, size: number, out: number): [number, number] {
  return [Math.floor((i * size) / out), Math.ceil(((i + 1) * size) / out)];
}

export function adaptivePool(x: R, oh: number, ow: number, kind: 'max' | 'avg'): R {
  const [n, c, h, w] = x.shape;
  return make([n, c, oh, ow], ([ni, ci, oy, ox]) => {
    const [y0, y1] = adaptiveBin(oy, h, oh), [x0, x1] = adaptiveBin(ox, w, ow);
    let best = -Infinity, sum = 0;
    for (let iy = y0; iy < y1; iy++)
      for (let ix = x0; ix < x1; ix++) {
        const v = x.get([ni, ci, iy, ix]);
        best = Math.max(best, v);
        sum += v;
      }
    return kind === 'max' ? best : sum / ((y1 - y0) * (x1 - x0));
  });
}

/** Source index of output `dst` in nearest mode: PyTorch's nearest_idx, in its float32 arithmetic. */
export function nearestIndex(dst: number, size: number, out: number, scaleFactor: number | null): number {
  if (out === size) return dst;
  if (out === 2 * size) return dst >> 1;
  const scale = scaleFactor !== null ? Math.fround(1 / scaleFactor) : Math.fround(size / out);
  return Math.min(Math.floor(Math.fround(dst * scale)), size - 1);
}

/** (index, weight) pairs of output `dst` in bilinear mode, in double. */
export function linearTaps(dst: number, size: number, out: number, scaleFactor: number | null, alignCorners: boolean): Array<[number, number]> {
  if (out === size) return [[dst, 1]];
  let src: number;
  if (alignCorners) src = out > 1 ? (dst * (size - 1)) / (out - 1) : 0;
  else src = Math.max((dst + 0.5) * (scaleFactor !== null ? 1 / scaleFactor : size / out) - 0.5, 0);
  const i0 = Math.min(Math.floor(src), size - 1);
  const l1 = Math.min(Math.max(src - i0, 0), 1);
  return [[i0, 1 - l1], [Math.min(i0 + 1, size - 1), l1]];
}

export interface ResizeSpec {
  size: [number, number];
  /** The scale factors torch's coordinates use, or null for in/out. */
  scale?: [number, number] | null;
  mode: 'nearest' | 'bilinear';
  alignCorners?: boolean;
}

/** Each output position's (input index, weight) pairs along one axis. */
function axisTaps(spec: ResizeSpec, axis: 0 | 1, size: number): Array<Array<[number, number]>> {
  const out = spec.size[axis];
  const scale = spec.scale ? spec.scale[axis] : null;
  return Array.from({ length: out }, (_, dst) => (spec.mode === 'nearest'
    ? [[nearestIndex(dst, size, out, scale), 1] as [number, number]]
    : linearTaps(dst, size, out, scale, spec.alignCorners ?? false)));
}

export function resize(x: R, spec: ResizeSpec): R {
  const [n, c, h, w] = x.shape;
  const ty = axisTaps(spec, 0, h), tx = axisTaps(spec, 1, w);
  return make([n, c, spec.size[0], spec.size[1]], ([ni, ci, oy, ox]) => {
    let v = 0;
    for (const [iy, wy] of ty[oy]) for (const [ix, wx] of tx[ox]) v += wy * wx * x.get([ni, ci, iy, ix]);
    return v;
  });
}

/** The gradient of resize with respect to x [N, C, H, W] of `shape`, from gy: each gy spread by its weights. */
export function resizeBackward(gy: R, shape: number[], spec: ResizeSpec): R {
  const [n, c, h, w] = shape;
  const [oh, ow] = spec.size;
  const ty = axisTaps(spec, 0, h), tx = axisTaps(spec, 1, w);
  const gx = new Float64Array(n * c * h * w);
  for (let p = 0; p < n * c; p++)
    for (let oy = 0; oy < oh; oy++)
      for (let ox = 0; ox < ow; ox++)
        for (const [iy, wy] of ty[oy]) for (const [ix, wx] of tx[ox]) gx[(p * h + iy) * w + ix] += wy * wx * gy.data[(p * oh + oy) * ow + ox];
  return new R(gx, shape.slice());
}
