/**
 * 2-D pooling on NCHW tensors: max (with the winning positions saved for
 * backward) and average. Output sizes follow PyTorch's floor mode.
 */
import { native } from '../native';
import { allocFloat32, allocInt32, release } from '../tensor/alloc';
import { formatShape } from '../tensor/shape';
import { Tensor, wrap } from '../tensor/tensor';
import { checkBoolean, checkTensor } from './checks';
import { pair, slidingOutput } from './conv-args';
import { apply, OpDef } from './define';

interface PoolGeometry {
  n: number; c: number; h: number; w: number;
  kh: number; kw: number; sh: number; sw: number; ph: number; pw: number;
  oh: number; ow: number;
  countIncludePad: boolean;
}

function poolGeometry(
  x: Tensor, kernel: unknown, stride: unknown, padding: unknown, op: string, countIncludePad = true,
): PoolGeometry {
  checkTensor(x, op, 'input', 'float32');
  if (x.ndim !== 4) throw new RangeError(`${op}: input must be 4-D [N, C, H, W], got shape ${formatShape(x.shape)}`);
  const [kh, kw] = pair(kernel, op, 'kernelSize', 1);
  const [sh, sw] = stride === undefined || stride === null ? [kh, kw] : pair(stride, op, 'stride', 1);
  const [ph, pw] = pair(padding ?? 0, op, 'padding', 0);
  if (2 * ph > kh || 2 * pw > kw) {
    throw new RangeError(`${op}: padding [${ph}, ${pw}] must be at most half the kernel size [${kh}, ${kw}]`);
  }
  const [n, c, h, w] = x.shape;
  const oh = slidingOutput(h, kh, sh, ph), ow = slidingOutput(w, kw, sw, pw);
  if (oh < 1 || ow < 1) {
    throw new RangeError(`${op}: the ${kh}x${kw} window (padding [${ph}, ${pw}]) does not fit the input of shape ${formatShape(x.shape)}`);
  }
  return { n, c, h, w, kh, kw, sh, sw, ph, pw, oh, ow, countIncludePad };
}

const maxPoolDef: OpDef<PoolGeometry, Int32Array> = {
  name: 'maxPool2d',
  shape: (_, g) => [g.n, g.c, g.oh, g.ow],
  forward([x], out, g) {
    const indices = allocInt32(out.length);
    if (out.length > 0) {
      native().maxPool2dForward(x._f32('maxPool2d'), out, indices, g.n, g.c, g.h, g.w, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw);
    }
    return indices;
  },
  backward(gy, { inputs: [x], attrs: g, saved: indices }) {
    const gx = allocFloat32(x.numel);
    if (gx.length > 0) native().maxPool2dBackward(gy._f32('maxPool2d'), indices, gx, g.n, g.c, g.h, g.w, g.oh, g.ow);
    return [wrap(gx, x.shape)];
  },
  free: (indices) => release(indices),
};

/** Max over kernelSize windows (stride defaults to the kernel size) of x [N, C, H, W]. */
export function maxPool2d(
  x: Tensor, kernelSize: number | [number, number], stride?: number | [number, number] | null, padding: number | [number, number] = 0,
): Tensor {
  return apply(maxPoolDef, [x], poolGeometry(x, kernelSize, stride, padding, 'maxPool2d'));
}

const avgPoolDef: OpDef<PoolGeometry> = {
  name: 'avgPool2d',
  shape: (_, g) => [g.n, g.c, g.oh, g.ow],
  forward([x], out, g) {
    if (out.length > 0) {
      native().avgPool2dForward(x._f32('avgPool2d'), out, g.n, g.c, g.h, g.w, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, g.countIncludePad);
    }
    return undefined;
  },
  backward(gy, { inputs: [x], attrs: g }) {
    const gx = allocFloat32(x.numel);
    if (gx.length > 0) {
      native().avgPool2dBackward(gy._f32('avgPool2d'), gx, g.n, g.c, g.h, g.w, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, g.countIncludePad);
    }
    return [wrap(gx, x.shape)];
  },
};

/**
 * Mean over kernelSize windows of x [N, C, H, W]; padded positions count in
 * the divisor unless countIncludePad is false (PyTorch's default is true).
 */
export function avgPool2d(
  x: Tensor, kernelSize: number | [number, number], stride?: number | [number, number] | null, padding: number | [number, number] = 0,
  countIncludePad = true,
): Tensor {
  checkBoolean(countIncludePad, 'avgPool2d', 'countIncludePad');
  return apply(avgPoolDef, [x], poolGeometry(x, kernelSize, stride, padding, 'avgPool2d', countIncludePad));
}
