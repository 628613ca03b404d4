/**
 * Adaptive pooling on NCHW tensors, as PyTorch's: the output size is given,
 * and output cell (i, j) pools rows [floor(i·H/oh), ceil((i+1)·H/oh)) and the
 * columns likewise (bins overlap when sizes do not divide, and repeat
 * positions when the output is larger). Global average pooling is the 1×1
 * case with its own vectorised kernel and a [N, C] result.
 */
import { native } from '../native';
import { rejectUnknownOptions } from '../options';
import { allocFloat32, allocInt32, release } from '../tensor/alloc';
import { describe, formatShape } from '../tensor/shape';
import { Tensor, wrap } from '../tensor/tensor';
import { checkBoolean, checkTensor } from './checks';
import { apply, OpDef } from './define';

/** An output size: one number for both axes, or [height, width] where null keeps that axis of the input. */
export type AdaptiveSize = number | null | [number | null, number | null];

interface AdaptiveGeometry {
  n: number; c: number; h: number; w: number; oh: number; ow: number;
}

function sizeAxis(v: unknown, op: string, full: unknown): number | null {
  if (v === null) return null;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw new RangeError(`${op}: outputSize must be integers >= 1 (or null to keep an axis), got ${Array.isArray(full) ? `[${full.join(', ')}]` : describe(full)}`);
  }
  return v;
}

/** [oh, ow] from outputSize, with null axes taken from the input. */
export function adaptiveOutputSize(outputSize: unknown, op: string, h: number, w: number): [number, number] {
  let pair: [unknown, unknown];
  if (Array.isArray(outputSize)) {
    if (outputSize.length !== 2) throw new TypeError(`${op}: outputSize must be a number or a [height, width] pair, got an array of length ${outputSize.length}`);
    pair = [outputSize[0], outputSize[1]];
  } else if (typeof outputSize === 'number' || outputSize === null) {
    pair = [outputSize, outputSize];
  } else {
    throw new TypeError(`${op}: outputSize must be a number or a [height, width] pair, got ${describe(outputSize)}`);
  }
  return [sizeAxis(pair[0], op, outputSize) ?? h, sizeAxis(pair[1], op, outputSize) ?? w];
}

function inputPlanes(x: Tensor, op: string): [number, number, number, number] {
  checkTensor(x, op, 'input', 'float32');
  if (x.ndim !== 4) throw new RangeError(`${op}: input must be 4-D [N, C, H, W], got shape ${formatShape(x.shape)}`);
  const [n, c, h, w] = x.shape;
  if (h < 1 || w < 1) throw new RangeError(`${op}: input must have H and W of at least 1, got shape ${formatShape(x.shape)}`);
  return [n, c, h, w];
}

function geometry(x: Tensor, outputSize: unknown, op: string): AdaptiveGeometry {
  const [n, c, h, w] = inputPlanes(x, op);
  const [oh, ow] = adaptiveOutputSize(outputSize, op, h, w);
  return { n, c, h, w, oh, ow };
}

const adaptiveAvgDef: OpDef<AdaptiveGeometry> = {
  name: 'adaptiveAvgPool2d',
  shape: (_, g) => [g.n, g.c, g.oh, g.ow],
  forward([x], out, g) {
    if (out.length > 0) native().adaptiveAvgPool2dForward(x._f32('adaptiveAvgPool2d'), out, g.n, g.c, g.h, g.w, g.oh, g.ow);
    return undefined;
  },
  backward(gy, { inputs: [x], attrs: g }) {
    const gx = allocFloat32(x.numel);
    if (gx.length > 0) native().adaptiveAvgPool2dBackward(gy._f32('adaptiveAvgPool2d'), gx, g.n, g.c, g.h, g.w, g.oh, g.ow);
    return [wrap(gx, x.shape)];
  },
};

/** Mean of each bin of x [N, C, H, W] for an output of outputSize, as PyTorch's F.adaptive_avg_pool2d. */
export function adaptiveAvgPool2d(x: Tensor, outputSize: AdaptiveSize): Tensor {
  return apply(adaptiveAvgDef, [x], geometry(x, outputSize, 'adaptiveAvgPool2d'));
}

const adaptiveMaxDef: OpDef<AdaptiveGeometry, Int32Array> = {
  name: 'adaptiveMaxPool2d',
  shape: (_, g) => [g.n, g.c, g.oh, g.ow],
  forward([x], out, g) {
    const indices = allocInt32(out.length);
    if (out.length > 0) native().adaptiveMaxPool2dForward(x._f32('adaptiveMaxPool2d'), out, indices, g.n, g.c, g.h, g.w, g.oh, g.ow);
    return indices;
  },
  backward(gy, { inputs: [x], attrs: g, saved: indices }) {
    const gx = allocFloat32(x.numel);
    if (gx.length > 0) native().maxPool2dBackward(gy._f32('adaptiveMaxPool2d'), indices, gx, g.n, g.c, g.h, g.w, g.oh, g.ow);
    return [wrap(gx, x.shape)];
  },
  free: (indices) => release(indices),
};

/**
 * Max of each bin of x [N, C, H, W] for an output of outputSize, as PyTorch's
 * F.adaptive_max_pool2d (the first maximum of a bin wins; a NaN wins over numbers).
 */
export function adaptiveMaxPool2d(x: Tensor, outputSize: AdaptiveSize): Tensor {
  return apply(adaptiveMaxDef, [x], geometry(x, outputSize, 'adaptiveMaxPool2d'));
}

export interface GlobalAvgPool2dOptions {
  /** Keep the pooled axes: [N, C, 1, 1] instead of [N, C] (default false). */
  keepDims?: boolean;
}

interface GlobalGeometry extends AdaptiveGeometry {
  keepDims: boolean;
}

const globalAvgDef: OpDef<GlobalGeometry> = {
  name: 'globalAvgPool2d',
  shape: (_, g) => (g.keepDims ? [g.n, g.c, 1, 1] : [g.n, g.c]),
  forward([x], out, g) {
    if (out.length > 0) native().adaptiveAvgPool2dForward(x._f32('globalAvgPool2d'), out, g.n, g.c, g.h, g.w, 1, 1);
    return undefined;
  },
  backward(gy, { inputs: [x], attrs: g }) {
    const gx = allocFloat32(x.numel);
    if (gx.length > 0) native().adaptiveAvgPool2dBackward(gy._f32('globalAvgPool2d'), gx, g.n, g.c, g.h, g.w, 1, 1);
    return [wrap(gx, x.shape)];
  },
};

/** The mean of each [H, W] plane of x [N, C, H, W]: [N, C], or [N, C, 1, 1] with keepDims. */
export function globalAvgPool2d(x: Tensor, options: GlobalAvgPool2dOptions = {}): Tensor {
  rejectUnknownOptions(options, ['keepDims'], 'globalAvgPool2d');
  const keepDims = checkBoolean(options.keepDims ?? false, 'globalAvgPool2d', 'keepDims');
  const [n, c, h, w] = inputPlanes(x, 'globalAvgPool2d');
  return apply(globalAvgDef, [x], { n, c, h, w, oh: 1, ow: 1, keepDims });
}
