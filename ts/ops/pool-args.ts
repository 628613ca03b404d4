/**
 * Reading the arguments of the window pools (maxPool2d, avgPool2d): the
 * options object PyTorch users expect, or the older positional form, and
 * PyTorch's output size, ceil mode included.
 */
import { rejectUnknownOptions } from '../options';
import { formatShape } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { checkBoolean, checkTensor } from './checks';
import { pair } from './conv-args';

export type PoolPair = number | [number, number];

export interface MaxPool2dOptions {
  /** Step between windows (default: the kernel size; null means the same). */
  stride?: PoolPair | null;
  /** Implicit -∞ padding per side, at most half the kernel size (default 0). */
  padding?: PoolPair;
  /** Spacing of the window's taps (default 1). */
  dilation?: PoolPair;
  /** Round the output size up, so windows may run past the right and bottom edges (default false). */
  ceilMode?: boolean;
}

export interface AvgPool2dOptions {
  stride?: PoolPair | null;
  /** Implicit zero padding per side, at most half the kernel size (default 0). */
  padding?: PoolPair;
  ceilMode?: boolean;
  /** Whether padded positions count in the divisor (default true, as PyTorch). */
  countIncludePad?: boolean;
}

export const MAX_POOL_OPTIONS = ['stride', 'padding', 'dilation', 'ceilMode'] as const;
export const AVG_POOL_OPTIONS = ['stride', 'padding', 'ceilMode', 'countIncludePad'] as const;

/** A pool's window, resolved: every field a [height, width] pair. */
export interface PoolWindow {
  kernelSize: [number, number];
  stride: [number, number];
  padding: [number, number];
  dilation: [number, number];
  ceilMode: boolean;
  countIncludePad: boolean;
}

/** Whether `v` is an options object rather than a positional stride (a number, a pair, null or undefined). */
export function isOptionsObject(v: unknown): v is object {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The window from the options object, checked: unknown keys, types and
 * padding above half the kernel are errors naming `where`.
 */
export function poolWindow(
  where: string, kernelSize: unknown, options: MaxPool2dOptions & AvgPool2dOptions, known: readonly string[],
): PoolWindow {
  rejectUnknownOptions(options, known, where);
  const k = pair(kernelSize, where, 'kernelSize', 1);
  const stride = options.stride === undefined || options.stride === null ? k : pair(options.stride, where, 'stride', 1);
  const padding = pair(options.padding ?? 0, where, 'padding', 0);
  const dilation = pair(options.dilation ?? 1, where, 'dilation', 1);
  const ceilMode = checkBoolean(options.ceilMode ?? false, where, 'ceilMode');
  const countIncludePad = checkBoolean(options.countIncludePad ?? true, where, 'countIncludePad');
  if (2 * padding[0] > k[0] || 2 * padding[1] > k[1]) {
    throw new RangeError(`${where}: padding [${padding}] must be at most half the kernel size [${k}]`);
  }
  return { kernelSize: k, stride, padding, dilation, ceilMode, countIncludePad };
}

/**
 * Options from the positional form (stride, padding[, countIncludePad]) or
 * the options object, which then must come alone.
 */
export function poolOptions(where: string, third: unknown, rest: readonly unknown[], names: readonly string[]): MaxPool2dOptions & AvgPool2dOptions {
  if (isOptionsObject(third)) {
    if (rest.some((v) => v !== undefined)) {
      throw new TypeError(`${where}: pass either the options object { ${names.join(', ')} } or positional stride and padding, not both`);
    }
    return third;
  }
  const [padding, countIncludePad] = rest;
  const positional: Record<string, unknown> = { stride: third, padding, countIncludePad };
  for (const key of Object.keys(positional)) if (positional[key] === undefined) delete positional[key];
  return positional as MaxPool2dOptions & AvgPool2dOptions;
}

/**
 * PyTorch's output size along one axis: floor((in + 2·pad − dilation·(k−1) − 1) / stride) + 1,
 * rounded up in ceil mode, less one when the last window would start in the right padding.
 */
export function poolExtent(size: number, k: number, stride: number, pad: number, dilation: number, ceilMode: boolean): number {
  const room = size + 2 * pad - dilation * (k - 1) - 1;
  if (room < 0) return 0;
  let out = (ceilMode ? Math.ceil(room / stride) : Math.floor(room / stride)) + 1;
  if (ceilMode && (out - 1) * stride >= size + pad) out--;
  return out;
}

/** Whether a dilated window that starts in the left padding still reaches the input (see pool2d_geometry.h). */
function windowsTouchInput(size: number, k: number, stride: number, pad: number, dilation: number, out: number): boolean {
  for (let o = 0; o < out && o * stride < pad && dilation > size; o++) {
    const before = pad - o * stride;
    const first = Math.ceil(before / dilation);
    if (first >= k || first * dilation - before >= size) return false;
  }
  return true;
}

export interface PoolGeometry {
  n: number; c: number; h: number; w: number;
  kh: number; kw: number; sh: number; sw: number; ph: number; pw: number; dh: number; dw: number;
  oh: number; ow: number;
  ceilMode: boolean;
  countIncludePad: boolean;
}

/** The geometry of `win` over x [N, C, H, W], or an error naming `op` and the shapes. */
export function poolGeometry(x: Tensor, win: PoolWindow, op: string): PoolGeometry {
  checkTensor(x, op, 'input', 'float32');
  if (x.ndim !== 4) throw new RangeError(`${op}: input must be 4-D [N, C, H, W], got shape ${formatShape(x.shape)}`);
  const [n, c, h, w] = x.shape;
  const [kh, kw] = win.kernelSize, [sh, sw] = win.stride, [ph, pw] = win.padding, [dh, dw] = win.dilation;
  const oh = poolExtent(h, kh, sh, ph, dh, win.ceilMode), ow = poolExtent(w, kw, sw, pw, dw, win.ceilMode);
  if (oh < 1 || ow < 1) {
    const dilated = dh === 1 && dw === 1 ? '' : ` dilated by [${dh}, ${dw}]`;
    throw new RangeError(`${op}: the ${kh}x${kw} window${dilated} (padding [${ph}, ${pw}]) does not fit the input of shape ${formatShape(x.shape)}`);
  }
  if (!windowsTouchInput(h, kh, sh, ph, dh, oh) || !windowsTouchInput(w, kw, sw, pw, dw, ow)) {
    throw new RangeError(
      `${op}: with dilation [${dh}, ${dw}] and padding [${ph}, ${pw}], a window would cover only padding of the input of shape ${formatShape(x.shape)}`,
    );
  }
  return { n, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow, ceilMode: win.ceilMode, countIncludePad: win.countIncludePad };
}
