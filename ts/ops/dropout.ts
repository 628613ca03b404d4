/**
 * Inverted dropout: in training each element is kept with probability 1 - p
 * and scaled by 1/(1 - p); in evaluation it is the identity. The fused native
 * kernel draws the mask from a Philox stream whose seed is taken from the
 * global generator (dd.manualSeed makes runs repeat), so the mask does not
 * depend on thread count or ISA. p = 1 drops everything (zeros).
 */
import { native } from '../native';
import { allocFloat32, allocUint8, release } from '../tensor/alloc';
import { formatShape, numel } from '../tensor/shape';
import { nextKernelSeed } from '../tensor/random';
import { Tensor, wrap } from '../tensor/tensor';
import { checkBoolean, checkFinite, checkTensor } from './checks';
import { apply, OpDef } from './define';
import { mulScalar } from './elementwise';

interface DropoutAttrs {
  p: number;
  seed: number;
  /** For channel dropout: [n, c, spatial]; null for elementwise dropout. */
  channels: [number, number, number] | null;
}

const dropoutDef: OpDef<DropoutAttrs, Uint8Array> = {
  name: 'dropout',
  shape: ([x]) => x.shape,
  forward([x], out, a) {
    const data = x._f32('dropout');
    if (a.channels === null) {
      const mask = allocUint8(data.length);
      if (data.length > 0) native().dropoutForward(data, out, mask, a.p, a.seed, 0);
      return mask;
    }
    const [n, c, spatial] = a.channels;
    const mask = allocUint8(n * c);
    if (data.length > 0) native().channelDropoutForward(data, out, mask, n, c, spatial, a.p, a.seed, 0);
    return mask;
  },
  backward(g, { inputs: [x], attrs: a, saved: mask }) {
    const gx = allocFloat32(x.numel);
    if (gx.length > 0) {
      const uniform = g._uniformValue();
      // A sum's gradient is one number: only the mask is read.
      if (a.channels === null && uniform !== null) native().dropoutBackwardUniform(uniform, mask, a.p, gx);
      else if (a.channels === null) native().dropoutBackward(g._f32('dropout'), mask, a.p, gx);
      else native().channelDropoutBackward(g._f32('dropout'), mask, a.channels[0], a.channels[1], a.channels[2], a.p, gx);
    }
    return [wrap(gx, x.shape)];
  },
  free: (mask) => release(mask),
};

function checkP(p: unknown, training: unknown, op: string): number {
  checkFinite(p, op, 'p');
  if ((p as number) < 0 || (p as number) > 1) throw new RangeError(`${op}: p must be in [0, 1], got ${p}`);
  checkBoolean(training, op, 'training');
  return p as number;
}

/** Zeroes each element with probability p and scales the rest by 1/(1 - p) (training only). */
export function dropout(x: Tensor, p = 0.5, training = true): Tensor {
  const op = 'dropout';
  checkTensor(x, op, 'input', 'float32');
  checkP(p, training, op);
  if (!training || p === 0) return x;
  if (p === 1) return mulScalar(x, 0);
  return apply(dropoutDef, [x], { p, seed: nextKernelSeed(), channels: null });
}

/**
 * Zeroes whole channels: x is [N, C, ...spatial] (e.g. NCHW), and each (n, c)
 * plane is kept or dropped together (spatial dropout, as nn.Dropout2d).
 */
export function dropout2d(x: Tensor, p = 0.5, training = true): Tensor {
  const op = 'dropout2d';
  checkTensor(x, op, 'input', 'float32');
  checkP(p, training, op);
  if (x.ndim < 2) throw new RangeError(`${op}: input must be [N, C, ...], got shape ${formatShape(x.shape)}`);
  if (!training || p === 0) return x;
  if (p === 1) return mulScalar(x, 0);
  const [n, c] = x.shape;
  const channels: [number, number, number] = [n, c, numel(x.shape.slice(2))];
  return apply(dropoutDef, [x], { p, seed: nextKernelSeed(), channels });
}
