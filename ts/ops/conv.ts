/**
 * 2-D convolution, NCHW input and OIHW weight [O, C/groups, kH, kW], through
 * the native kernels (im2col + GEMM per group, Winograd for 3×3 layers, a
 * direct kernel for depthwise layers); one backward call writes the
 * gradients that are needed (input, weight, bias).
 */
import { native } from '../native';
import { rejectUnknownOptions } from '../options';
import { allocFloat32 } from '../tensor/alloc';
import { describe, formatShape } from '../tensor/shape';
import { Tensor, wrap } from '../tensor/tensor';
import { checkInteger, checkTensor } from './checks';
import { pair, slidingOutput } from './conv-args';
import { apply, OpDef } from './define';

export type Conv2dPadding = number | [number, number] | 'valid' | 'same';

export interface Conv2dOptions {
  stride?: number | [number, number];
  /** Zero padding per side, or 'valid' (0) or 'same' (output size = input size; stride 1). */
  padding?: Conv2dPadding;
  dilation?: number | [number, number];
  /** Channel groups (default 1): C and O divisible by it; groups = C is a depthwise convolution. */
  groups?: number;
}

const CONV2D_OPTIONS = ['stride', 'padding', 'dilation', 'groups'];

/**
 * The zero padding per side that `padding` means for a kernel [kh, kw] with
 * this stride and dilation: 'valid' is none; 'same' keeps the input size,
 * which needs stride 1 and an even total padding (odd dilated kernels).
 */
export function convPadding(
  padding: unknown, kernel: [number, number], stride: [number, number], dilation: [number, number], op: string,
): [number, number] {
  if (padding === 'valid') return [0, 0];
  if (padding !== 'same') {
    if (typeof padding === 'string') throw new RangeError(`${op}: padding must be a number, a pair, 'valid' or 'same', got ${describe(padding)}`);
    return pair(padding, op, 'padding', 0);
  }
  if (stride[0] !== 1 || stride[1] !== 1) throw new RangeError(`${op}: padding 'same' needs stride 1, got [${stride[0]}, ${stride[1]}]`);
  const th = dilation[0] * (kernel[0] - 1), tw = dilation[1] * (kernel[1] - 1);
  if (th % 2 !== 0 || tw % 2 !== 0) {
    throw new RangeError(
      `${op}: padding 'same' needs an even total padding (odd kernel sizes); kernel [${kernel[0]}, ${kernel[1]}] with dilation [${dilation[0]}, ${dilation[1]}] would pad unevenly`,
    );
  }
  return [th / 2, tw / 2];
}

/** groups as an integer >= 1 that divides the channel counts given; errors name the counts. */
export function checkGroups(groups: unknown, inChannels: number, outChannels: number | null, op: string): number {
  const g = checkInteger(groups, op, 'groups', 1);
  if (inChannels % g !== 0) throw new RangeError(`${op}: input channels (${inChannels}) must be divisible by groups (${g})`);
  if (outChannels !== null && outChannels % g !== 0) {
    throw new RangeError(`${op}: output channels (${outChannels}) must be divisible by groups (${g})`);
  }
  return g;
}

interface ConvGeometry {
  n: number; c: number; h: number; w: number; o: number; kh: number; kw: number;
  sh: number; sw: number; ph: number; pw: number; dh: number; dw: number;
  groups: number;
  oh: number; ow: number;
  hasBias: boolean;
}

function geometryArgs(g: ConvGeometry): number[] {
  return [g.n, g.c, g.h, g.w, g.o, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, g.dh, g.dw, g.groups];
}

const conv2dDef: OpDef<ConvGeometry> = {
  name: 'conv2d',
  shape: (_, g) => [g.n, g.o, g.oh, g.ow],
  forward(inputs, out, g) {
    if (out.length === 0) return undefined;
    const bias = g.hasBias ? inputs[2]._f32('conv2d') : null;
    const [n, c, h, w, o, kh, kw, sh, sw, ph, pw, dh, dw, groups] = geometryArgs(g);
    native().conv2dForward(inputs[0]._f32('conv2d'), inputs[1]._f32('conv2d'), bias, out, n, c, h, w, o, kh, kw, sh, sw, ph, pw, dh, dw, groups);
    return undefined;
  },
  backward(gy, { inputs, attrs: g, needs }) {
    const [x, w] = inputs;
    const gx = needs[0] ? allocFloat32(x.numel) : null;
    const gw = needs[1] ? allocFloat32(w.numel) : null;
    const gb = g.hasBias && needs[2] ? allocFloat32(g.o) : null;
    if (gy.numel === 0) {
      for (const b of [gx, gw, gb]) b?.fill(0);
    } else {
      const [n, c, h, wd, o, kh, kw, sh, sw, ph, pw, dh, dw, groups] = geometryArgs(g);
      native().conv2dBackward(x._f32('conv2d'), w._f32('conv2d'), gy._f32('conv2d'), gx, gw, gb, n, c, h, wd, o, kh, kw, sh, sw, ph, pw, dh, dw, groups);
    }
    return [gx && wrap(gx, x.shape), gw && wrap(gw, w.shape), gb && wrap(gb, inputs[2].shape)];
  },
};

/**
 * Convolution of x [N, C, H, W] with weight [O, C/groups, kH, kW] and
 * optional bias [O], as PyTorch's F.conv2d (cross-correlation, zero padding).
 */
export function conv2d(x: Tensor, weight: Tensor, bias?: Tensor | null, options: Conv2dOptions = {}): Tensor {
  const op = 'conv2d';
  checkTensor(x, op, 'input', 'float32');
  checkTensor(weight, op, 'weight', 'float32');
  rejectUnknownOptions(options, CONV2D_OPTIONS, op);
  if (x.ndim !== 4) throw new RangeError(`${op}: input must be 4-D [N, C, H, W], got shape ${formatShape(x.shape)}`);
  if (weight.ndim !== 4) throw new RangeError(`${op}: weight must be 4-D [O, C/groups, kH, kW], got shape ${formatShape(weight.shape)}`);
  const [n, c, h, w] = x.shape;
  const [o, ci, kh, kw] = weight.shape;
  const groups = checkGroups(options.groups ?? 1, c, o, op);
  if (ci * groups !== c) {
    const per = groups === 1 ? '' : ` (${c / groups} per group of ${groups})`;
    throw new RangeError(`${op}: input of shape ${formatShape(x.shape)} has ${c} channels${per} but weight of shape ${formatShape(weight.shape)} expects ${ci}`);
  }
  const hasBias = bias !== undefined && bias !== null;
  if (hasBias) {
    checkTensor(bias, op, 'bias', 'float32');
    if (bias.ndim !== 1 || bias.shape[0] !== o) {
      throw new RangeError(`${op}: bias of shape ${formatShape(bias.shape)} does not match ${o} output channels`);
    }
  }
  const [sh, sw] = pair(options.stride ?? 1, op, 'stride', 1);
  const [dh, dw] = pair(options.dilation ?? 1, op, 'dilation', 1);
  const [ph, pw] = convPadding(options.padding ?? 0, [kh, kw], [sh, sw], [dh, dw], op);
  const oh = slidingOutput(h, kh, sh, ph, dh);
  const ow = slidingOutput(w, kw, sw, pw, dw);
  if (oh < 1 || ow < 1) {
    throw new RangeError(
      `${op}: the ${kh}x${kw} kernel (dilation [${dh}, ${dw}], padding [${ph}, ${pw}]) does not fit the ${h}x${w} input of shape ${formatShape(x.shape)}`,
    );
  }
  const g: ConvGeometry = { n, c, h, w, o, kh, kw, sh, sw, ph, pw, dh, dw, groups, oh, ow, hasBias };
  return apply(conv2dDef, hasBias ? [x, weight, bias!] : [x, weight], g);
}
