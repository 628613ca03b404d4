/**
 * 2-D convolution, NCHW input and OIHW weight (groups = 1), through the
 * native im2col + GEMM kernels; one backward call writes the gradients that
 * are needed (input, weight, bias).
 */
import { native } from '../native';
import { allocFloat32 } from '../tensor/alloc';
import { formatShape } from '../tensor/shape';
import { Tensor, wrap } from '../tensor/tensor';
import { checkTensor } from './checks';
import { pair, slidingOutput } from './conv-args';
import { apply, OpDef } from './define';

export interface Conv2dOptions {
  stride?: number | [number, number];
  /** Zero padding per side, or 'valid' (0) or 'same' (output size = input size; stride 1). */
  padding?: number | [number, number] | 'valid' | 'same';
  dilation?: number | [number, number];
  /** Only 1 is supported. */
  groups?: number;
}

interface ConvGeometry {
  n: number; c: number; h: number; w: number; o: number; kh: number; kw: number;
  sh: number; sw: number; ph: number; pw: number; dh: number; dw: number;
  oh: number; ow: number;
  hasBias: boolean;
}

function geometryArgs(g: ConvGeometry): number[] {
  return [g.n, g.c, g.h, g.w, g.o, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, g.dh, g.dw];
}

const conv2dDef: OpDef<ConvGeometry> = {
  name: 'conv2d',
  shape: (_, g) => [g.n, g.o, g.oh, g.ow],
  forward(inputs, out, g) {
    if (out.length === 0) return undefined;
    const bias = g.hasBias ? inputs[2]._f32('conv2d') : null;
    const [n, c, h, w, o, kh, kw, sh, sw, ph, pw, dh, dw] = geometryArgs(g);
    native().conv2dForward(inputs[0]._f32('conv2d'), inputs[1]._f32('conv2d'), bias, out, n, c, h, w, o, kh, kw, sh, sw, ph, pw, dh, dw);
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
      const [n, c, h, wd, o, kh, kw, sh, sw, ph, pw, dh, dw] = geometryArgs(g);
      native().conv2dBackward(x._f32('conv2d'), w._f32('conv2d'), gy._f32('conv2d'), gx, gw, gb, n, c, h, wd, o, kh, kw, sh, sw, ph, pw, dh, dw);
    }
    return [gx && wrap(gx, x.shape), gw && wrap(gw, w.shape), gb && wrap(gb, inputs[2].shape)];
  },
};

/**
 * Convolution of x [N, C, H, W] with weight [O, C, kH, kW] and optional bias
 * [O], as PyTorch's F.conv2d (cross-correlation, zero padding).
 */
export function conv2d(x: Tensor, weight: Tensor, bias?: Tensor | null, options: Conv2dOptions = {}): Tensor {
  const op = 'conv2d';
  checkTensor(x, op, 'input', 'float32');
  checkTensor(weight, op, 'weight', 'float32');
  if (x.ndim !== 4) throw new RangeError(`${op}: input must be 4-D [N, C, H, W], got shape ${formatShape(x.shape)}`);
  if (weight.ndim !== 4) throw new RangeError(`${op}: weight must be 4-D [O, C, kH, kW], got shape ${formatShape(weight.shape)}`);
  if (options.groups !== undefined && options.groups !== 1) throw new RangeError(`${op}: only groups = 1 is supported, got ${options.groups}`);
  const [n, c, h, w] = x.shape;
  const [o, ci, kh, kw] = weight.shape;
  if (ci !== c) {
    throw new RangeError(`${op}: input of shape ${formatShape(x.shape)} has ${c} channels but weight of shape ${formatShape(weight.shape)} expects ${ci}`);
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
  let ph: number, pw: number;
  const padding = options.padding ?? 0;
  if (padding === 'valid') [ph, pw] = [0, 0];
  else if (padding === 'same') {
    if (sh !== 1 || sw !== 1) throw new RangeError(`${op}: padding 'same' needs stride 1, got [${sh}, ${sw}]`);
    const th = dh * (kh - 1), tw = dw * (kw - 1);
    if (th % 2 !== 0 || tw % 2 !== 0) {
      throw new RangeError(`${op}: padding 'same' needs an even total padding (odd kernel sizes); kernel [${kh}, ${kw}] with dilation [${dh}, ${dw}] would pad unevenly`);
    }
    [ph, pw] = [th / 2, tw / 2];
  } else [ph, pw] = pair(padding, op, 'padding', 0);
  const oh = slidingOutput(h, kh, sh, ph, dh);
  const ow = slidingOutput(w, kw, sw, pw, dw);
  if (oh < 1 || ow < 1) {
    throw new RangeError(
      `${op}: the ${kh}x${kw} kernel (dilation [${dh}, ${dw}], padding [${ph}, ${pw}]) does not fit the ${h}x${w} input of shape ${formatShape(x.shape)}`,
    );
  }
  const g: ConvGeometry = { n, c, h, w, o, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow, hasBias };
  return apply(conv2dDef, hasBias ? [x, weight, bias!] : [x, weight], g);
}
