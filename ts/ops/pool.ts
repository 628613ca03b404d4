/**
 * 2-D window pooling on NCHW tensors: max (with the winning positions saved
 * for backward) and average, with PyTorch's output size (ceil mode too).
 */
import { native } from '../native';
import { allocFloat32, allocInt32, release } from '../tensor/alloc';
import { Tensor, wrap } from '../tensor/tensor';
import { apply, OpDef } from './define';
import {
  AVG_POOL_OPTIONS, AvgPool2dOptions, MAX_POOL_OPTIONS, MaxPool2dOptions, PoolGeometry, PoolPair, poolGeometry, poolOptions, poolWindow,
} from './pool-args';

export type { AvgPool2dOptions, MaxPool2dOptions, PoolPair } from './pool-args';

/** The window arguments every window-pool binding takes after n, c, h, w. */
function windowArgs(g: PoolGeometry): [number, number, number, number, number, number] {
  return [g.kh, g.kw, g.sh, g.sw, g.ph, g.pw];
}

const maxPoolDef: OpDef<PoolGeometry, Int32Array> = {
  name: 'maxPool2d',
  shape: (_, g) => [g.n, g.c, g.oh, g.ow],
  forward([x], out, g) {
    const indices = allocInt32(out.length);
    if (out.length > 0) {
      native().maxPool2dForward(x._f32('maxPool2d'), out, indices, g.n, g.c, g.h, g.w, ...windowArgs(g), g.dh, g.dw, g.ceilMode);
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

/**
 * Max over kernelSize windows of x [N, C, H, W], as PyTorch's F.max_pool2d:
 * maxPool2d(x, kernelSize, { stride, padding, dilation, ceilMode }), or the
 * positional maxPool2d(x, kernelSize, stride?, padding?). The stride defaults
 * to the kernel size.
 */
export function maxPool2d(x: Tensor, kernelSize: PoolPair, options?: MaxPool2dOptions): Tensor;
export function maxPool2d(x: Tensor, kernelSize: PoolPair, stride?: PoolPair | null, padding?: PoolPair): Tensor;
export function maxPool2d(x: Tensor, kernelSize: PoolPair, strideOrOptions?: PoolPair | null | MaxPool2dOptions, padding?: PoolPair): Tensor {
  const options = poolOptions('maxPool2d', strideOrOptions, [padding], MAX_POOL_OPTIONS);
  const win = poolWindow('maxPool2d', kernelSize, options, MAX_POOL_OPTIONS);
  return apply(maxPoolDef, [x], poolGeometry(x, win, 'maxPool2d'));
}

const avgPoolDef: OpDef<PoolGeometry> = {
  name: 'avgPool2d',
  shape: (_, g) => [g.n, g.c, g.oh, g.ow],
  forward([x], out, g) {
    if (out.length > 0) {
      native().avgPool2dForward(x._f32('avgPool2d'), out, g.n, g.c, g.h, g.w, ...windowArgs(g), g.countIncludePad, g.ceilMode);
    }
    return undefined;
  },
  backward(gy, { inputs: [x], attrs: g }) {
    const gx = allocFloat32(x.numel);
    if (gx.length > 0) {
      native().avgPool2dBackward(gy._f32('avgPool2d'), gx, g.n, g.c, g.h, g.w, ...windowArgs(g), g.countIncludePad, g.ceilMode);
    }
    return [wrap(gx, x.shape)];
  },
};

/**
 * Mean over kernelSize windows of x [N, C, H, W], as PyTorch's F.avg_pool2d:
 * avgPool2d(x, kernelSize, { stride, padding, ceilMode, countIncludePad }), or
 * the positional avgPool2d(x, kernelSize, stride?, padding?, countIncludePad?).
 * Padded positions count in the divisor unless countIncludePad is false
 * (PyTorch's default is true); a ceil-mode window that runs past the padding
 * counts only the positions up to it.
 */
export function avgPool2d(x: Tensor, kernelSize: PoolPair, options?: AvgPool2dOptions): Tensor;
export function avgPool2d(x: Tensor, kernelSize: PoolPair, stride?: PoolPair | null, padding?: PoolPair, countIncludePad?: boolean): Tensor;
export function avgPool2d(
  x: Tensor, kernelSize: PoolPair, strideOrOptions?: PoolPair | null | AvgPool2dOptions, padding?: PoolPair, countIncludePad?: boolean,
): Tensor {
  const options = poolOptions('avgPool2d', strideOrOptions, [padding, countIncludePad], AVG_POOL_OPTIONS);
  const win = poolWindow('avgPool2d', kernelSize, options, AVG_POOL_OPTIONS);
  return apply(avgPoolDef, [x], poolGeometry(x, win, 'avgPool2d'));
}
