/**
 * 2-D transposed convolution (PyTorch's F.conv_transpose2d): x [N, Cin, H, W],
 * weight [Cin, Cout/groups, kH, kW], optional bias [Cout]. It is the
 * adjoint of a convolution, and the native kernels compute it with the
 * convolution's own pieces (its forward pass is a convolution's input
 * gradient, and so on).
 */
import { native } from '../native';
import { rejectUnknownOptions } from '../options';
import { allocFloat32 } from '../tensor/alloc';
import { formatShape } from '../tensor/shape';
import { Tensor, wrap } from '../tensor/tensor';
import { checkTensor } from './checks';
import { checkGroups } from './conv';
import { pair } from './conv-args';
import { apply, OpDef } from './define';

export interface ConvTranspose2dOptions {
  stride?: number | [number, number];
  /** Rows and columns removed from each side of the full output (dilation·(k − 1) − padding of zeros added to the input). */
  padding?: number | [number, number];
  /** Extra rows and columns at the bottom and right of the output; smaller than the stride or the dilation. */
  outputPadding?: number | [number, number];
  /** Channel groups (default 1): Cin and Cout divisible by it. */
  groups?: number;
  dilation?: number | [number, number];
}

const CONV_TRANSPOSE2D_OPTIONS = ['stride', 'padding', 'outputPadding', 'groups', 'dilation'];

/** Output extent along one axis: (in − 1)·stride − 2·pad + dilation·(k − 1) + outputPadding + 1. */
export function transposedOutput(size: number, kernel: number, stride: number, pad: number, outputPadding: number, dilation: number): number {
  return (size - 1) * stride - 2 * pad + dilation * (kernel - 1) + outputPadding + 1;
}

interface TransposedGeometry {
  n: number; cin: number; h: number; w: number; cout: number; kh: number; kw: number;
  sh: number; sw: number; ph: number; pw: number; oph: number; opw: number; dh: number; dw: number;
  groups: number;
  oh: number; ow: number;
  hasBias: boolean;
}

function geometryArgs(g: TransposedGeometry): [number, number, number, number, number, number, number, number, number, number, number, number, number, number, number, number] {
  return [g.n, g.cin, g.h, g.w, g.cout, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, g.oph, g.opw, g.dh, g.dw, g.groups];
}

const convTranspose2dDef: OpDef<TransposedGeometry> = {
  name: 'convTranspose2d',
  shape: (_, g) => [g.n, g.cout, g.oh, g.ow],
  forward(inputs, out, g) {
    if (out.length === 0) return undefined;
    const bias = g.hasBias ? inputs[2]._f32('convTranspose2d') : null;
    native().convTranspose2dForward(inputs[0]._f32('convTranspose2d'), inputs[1]._f32('convTranspose2d'), bias, out, ...geometryArgs(g));
    return undefined;
  },
  backward(gy, { inputs, attrs: g, needs }) {
    const [x, w] = inputs;
    const gx = needs[0] ? allocFloat32(x.numel) : null;
    const gw = needs[1] ? allocFloat32(w.numel) : null;
    const gb = g.hasBias && needs[2] ? allocFloat32(g.cout) : null;
    if (gy.numel === 0) {
      for (const b of [gx, gw, gb]) b?.fill(0);
    } else {
      native().convTranspose2dBackward(x._f32('convTranspose2d'), w._f32('convTranspose2d'), gy._f32('convTranspose2d'), gx, gw, gb, ...geometryArgs(g));
    }
    return [gx && wrap(gx, x.shape), gw && wrap(gw, w.shape), gb && wrap(gb, inputs[2].shape)];
  },
};

/**
 * Transposed convolution of x [N, Cin, H, W] with weight [Cin, Cout/groups,
 * kH, kW] and optional bias [Cout], as PyTorch's F.conv_transpose2d; the
 * output is [N, Cout, H_out, W_out] with
 * H_out = (H − 1)·stride − 2·padding + dilation·(kH − 1) + outputPadding + 1.
 */
export function convTranspose2d(x: Tensor, weight: Tensor, bias?: Tensor | null, options: ConvTranspose2dOptions = {}): Tensor {
  const op = 'convTranspose2d';
  checkTensor(x, op, 'input', 'float32');
  checkTensor(weight, op, 'weight', 'float32');
  rejectUnknownOptions(options, CONV_TRANSPOSE2D_OPTIONS, op);
  if (x.ndim !== 4) throw new RangeError(`${op}: input must be 4-D [N, Cin, H, W], got shape ${formatShape(x.shape)}`);
  if (weight.ndim !== 4) throw new RangeError(`${op}: weight must be 4-D [Cin, Cout/groups, kH, kW], got shape ${formatShape(weight.shape)}`);
  const [n, cin, h, w] = x.shape;
  const [wi, perGroup, kh, kw] = weight.shape;
  if (wi !== cin) {
    throw new RangeError(`${op}: input of shape ${formatShape(x.shape)} has ${cin} channels but weight of shape ${formatShape(weight.shape)} expects ${wi}`);
  }
  // The weight holds Cout/groups channels per group: only Cin has to divide.
  const groups = checkGroups(options.groups ?? 1, cin, null, op);
  const cout = perGroup * groups;
  const hasBias = bias !== undefined && bias !== null;
  if (hasBias) {
    checkTensor(bias, op, 'bias', 'float32');
    if (bias.ndim !== 1 || bias.shape[0] !== cout) {
      throw new RangeError(`${op}: bias of shape ${formatShape(bias.shape)} does not match ${cout} output channels`);
    }
  }
  const [sh, sw] = pair(options.stride ?? 1, op, 'stride', 1);
  const [ph, pw] = pair(options.padding ?? 0, op, 'padding', 0);
  const [oph, opw] = pair(options.outputPadding ?? 0, op, 'outputPadding', 0);
  const [dh, dw] = pair(options.dilation ?? 1, op, 'dilation', 1);
  if (oph >= Math.max(sh, dh) || opw >= Math.max(sw, dw)) {
    throw new RangeError(
      `${op}: outputPadding [${oph}, ${opw}] must be smaller than either the stride [${sh}, ${sw}] or the dilation [${dh}, ${dw}] on each axis`,
    );
  }
  if (h < 1 || w < 1) throw new RangeError(`${op}: input height and width must be at least 1, got shape ${formatShape(x.shape)}`);
  const oh = transposedOutput(h, kh, sh, ph, oph, dh), ow = transposedOutput(w, kw, sw, pw, opw, dw);
  if (oh < 1 || ow < 1) {
    throw new RangeError(
      `${op}: the output would be ${oh}x${ow}: padding [${ph}, ${pw}] removes more than the ${h}x${w} input of shape ${formatShape(x.shape)} spreads to with a ${kh}x${kw} kernel (stride [${sh}, ${sw}], dilation [${dh}, ${dw}])`,
    );
  }
  const g: TransposedGeometry = { n, cin, h, w, cout, kh, kw, sh, sw, ph, pw, oph, opw, dh, dw, groups, oh, ow, hasBias };
  return apply(convTranspose2dDef, hasBias ? [x, weight, bias!] : [x, weight], g);
}
