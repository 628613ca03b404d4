/**
 * Resizing NCHW tensors, as PyTorch's F.interpolate in modes 'nearest' and
 * 'bilinear'. The output size is `size`, or floor(in·scaleFactor); with a
 * scale factor (and recomputeScaleFactor unset) source coordinates use
 * 1/scaleFactor, which differs from in/out when in·scaleFactor is not whole.
 */
import { native } from '../native';
import { rejectUnknownOptions } from '../options';
import { allocFloat32 } from '../tensor/alloc';
import { describe, formatShape } from '../tensor/shape';
import { Tensor, wrap } from '../tensor/tensor';
import { checkBoolean, checkTensor } from './checks';
import { apply, OpDef } from './define';

export type InterpolateMode = 'nearest' | 'bilinear';
export const INTERPOLATE_MODES: readonly InterpolateMode[] = ['nearest', 'bilinear'];

export interface InterpolateOptions {
  /** Output [height, width] (one number for both). Give this or scaleFactor. */
  size?: number | [number, number];
  /** Multiplier of the input's height and width (one number for both); the output is floor(in·scaleFactor). */
  scaleFactor?: number | [number, number];
  /** 'nearest' (default) or 'bilinear'. */
  mode?: InterpolateMode;
  /** Bilinear only: map the corner pixels' centres onto each other (default false, as PyTorch). */
  alignCorners?: boolean;
  /** With scaleFactor: take source coordinates from the output size (in/out) instead of 1/scaleFactor. */
  recomputeScaleFactor?: boolean;
}

export const INTERPOLATE_OPTIONS = ['size', 'scaleFactor', 'mode', 'alignCorners', 'recomputeScaleFactor'] as const;

export interface UpsampleGeometry {
  n: number; c: number; h: number; w: number; oh: number; ow: number;
  /** The scale factors source coordinates use, or null for in/out. */
  scaleH: number | null; scaleW: number | null;
  alignCorners: boolean;
}

function shown(v: unknown): string {
  return Array.isArray(v) ? `[${v.join(', ')}]` : describe(v);
}

/** [height, width] from a number or a pair, each checked by `ok`. */
function axisPair(v: unknown, op: string, name: string, what: string, ok: (x: unknown) => boolean): [number, number] {
  const p = typeof v === 'number' ? [v, v] : Array.isArray(v) && v.length === 2 ? v : null;
  if (p === null) throw new TypeError(`${op}: ${name} must be a number or a [height, width] pair, got ${shown(v)}`);
  if (!p.every(ok)) throw new RangeError(`${op}: ${name} must be ${what}, got ${shown(v)}`);
  return [p[0], p[1]];
}

/** The mode, checked, with PyTorch's rule that alignCorners belongs to the interpolating modes only. */
export function interpolateMode(options: InterpolateOptions, op: string): { mode: InterpolateMode; alignCorners: boolean } {
  const mode = options.mode ?? 'nearest';
  if (!INTERPOLATE_MODES.includes(mode)) {
    throw new RangeError(`${op}: mode must be one of ${INTERPOLATE_MODES.map((m) => `'${m}'`).join(', ')}, got ${shown(mode)}`);
  }
  if (options.alignCorners !== undefined && options.alignCorners !== null) {
    checkBoolean(options.alignCorners, op, 'alignCorners');
    if (mode === 'nearest') throw new RangeError(`${op}: alignCorners can only be set with mode 'bilinear' (mode is 'nearest')`);
  }
  return { mode, alignCorners: options.alignCorners ?? false };
}

/** Checks size / scaleFactor / recomputeScaleFactor (everything but the input); the sizes are resolved per input. */
export function checkResizeOptions(options: InterpolateOptions, op: string): void {
  const { size, scaleFactor, recomputeScaleFactor } = options;
  const hasSize = size !== undefined && size !== null, hasScale = scaleFactor !== undefined && scaleFactor !== null;
  if (hasSize && hasScale) throw new TypeError(`${op}: give only one of size and scaleFactor`);
  if (!hasSize && !hasScale) throw new TypeError(`${op}: give size or scaleFactor`);
  if (recomputeScaleFactor !== undefined && recomputeScaleFactor !== null) {
    checkBoolean(recomputeScaleFactor, op, 'recomputeScaleFactor');
    if (recomputeScaleFactor && hasSize) throw new TypeError(`${op}: recomputeScaleFactor is not meaningful with an explicit size`);
  }
  if (hasSize) axisPair(size, op, 'size', 'integers >= 1', (x) => Number.isInteger(x) && (x as number) >= 1);
  else axisPair(scaleFactor, op, 'scaleFactor', 'finite numbers > 0', (x) => typeof x === 'number' && Number.isFinite(x) && x > 0);
}

/** Output size and source scales of a resize of x by `options` (already checked by checkResizeOptions). */
export function upsampleGeometry(x: Tensor, options: InterpolateOptions, alignCorners: boolean, op: string): UpsampleGeometry {
  checkTensor(x, op, 'input', 'float32');
  if (x.ndim !== 4) throw new RangeError(`${op}: input must be 4-D [N, C, H, W], got shape ${formatShape(x.shape)}`);
  const [n, c, h, w] = x.shape;
  if (h < 1 || w < 1) throw new RangeError(`${op}: input must have H and W of at least 1, got shape ${formatShape(x.shape)}`);
  if (options.size !== undefined && options.size !== null) {
    const [oh, ow] = axisPair(options.size, op, 'size', 'integers >= 1', (v) => Number.isInteger(v) && (v as number) >= 1);
    return { n, c, h, w, oh, ow, scaleH: null, scaleW: null, alignCorners };
  }
  const [fh, fw] = axisPair(options.scaleFactor, op, 'scaleFactor', 'finite numbers > 0', (v) => typeof v === 'number' && Number.isFinite(v) && v > 0);
  // PyTorch's output size: floor(in·scale) in double precision.
  const oh = Math.floor(h * fh), ow = Math.floor(w * fw);
  if (oh < 1 || ow < 1) {
    throw new RangeError(`${op}: scaleFactor [${fh}, ${fw}] gives an empty output [${oh}, ${ow}] for the input of shape ${formatShape(x.shape)}`);
  }
  const keep = options.recomputeScaleFactor !== true;
  return { n, c, h, w, oh, ow, scaleH: keep ? fh : null, scaleW: keep ? fw : null, alignCorners };
}

function resizeDef(mode: InterpolateMode): OpDef<UpsampleGeometry> {
  const name = mode === 'nearest' ? 'upsampleNearest2d' : 'upsampleBilinear2d';
  return {
    name,
    shape: (_, g) => [g.n, g.c, g.oh, g.ow],
    forward([x], out, g) {
      if (out.length === 0) return undefined;
      const d = native();
      if (mode === 'nearest') d.upsampleNearest2dForward(x._f32(name), out, g.n, g.c, g.h, g.w, g.oh, g.ow, g.scaleH, g.scaleW);
      else d.upsampleBilinear2dForward(x._f32(name), out, g.n, g.c, g.h, g.w, g.oh, g.ow, g.alignCorners, g.scaleH, g.scaleW);
      return undefined;
    },
    backward(gy, { inputs: [x], attrs: g }) {
      const gx = allocFloat32(x.numel);
      if (gx.length > 0) {
        const d = native();
        if (mode === 'nearest') d.upsampleNearest2dBackward(gy._f32(name), gx, g.n, g.c, g.h, g.w, g.oh, g.ow, g.scaleH, g.scaleW);
        else d.upsampleBilinear2dBackward(gy._f32(name), gx, g.n, g.c, g.h, g.w, g.oh, g.ow, g.alignCorners, g.scaleH, g.scaleW);
      }
      return [wrap(gx, x.shape)];
    },
  };
}

const RESIZE_DEFS: Record<InterpolateMode, OpDef<UpsampleGeometry>> = { nearest: resizeDef('nearest'), bilinear: resizeDef('bilinear') };

/**
 * Resizes x [N, C, H, W] to `size` or by `scaleFactor`, as PyTorch's
 * F.interpolate: interpolate(x, { size: [8, 8], mode: 'bilinear' }),
 * interpolate(x, { scaleFactor: 2 }).
 */
export function interpolate(x: Tensor, options: InterpolateOptions): Tensor {
  const op = 'interpolate';
  if (typeof options !== 'object' || options === null) throw new TypeError(`${op}: options { size or scaleFactor, mode } are required`);
  rejectUnknownOptions(options, INTERPOLATE_OPTIONS, op);
  const { mode, alignCorners } = interpolateMode(options, op);
  checkResizeOptions(options, op);
  return apply(RESIZE_DEFS[mode], [x], upsampleGeometry(x, options, alignCorners, op));
}
