/**
 * softmax and logSoftmax along any axis. The native kernels work on the
 * last axis (row max subtracted); another axis is moved last and back, and
 * autograd composes the gradients of the moves.
 */
import { native } from '../native';
import { allocFloat32 } from '../tensor/alloc';
import { normalizeAxis, numel } from '../tensor/shape';
import { Tensor, wrap } from '../tensor/tensor';
import { checkTensor } from './checks';
import { apply, OpDef } from './define';
import { movedim } from './permute';
import { reshape } from './view';

function rowsCols(shape: readonly number[]): [number, number] {
  const cols = shape[shape.length - 1];
  return [numel(shape) / (cols || 1), cols];
}

function lastAxisDef(name: 'softmax' | 'logSoftmax'): OpDef<undefined> {
  return {
    name,
    shape: ([x]) => x.shape,
    forward([x], out) {
      const [rows, cols] = rowsCols(x.shape);
      if (out.length > 0) native()[name](x._f32(name), rows, cols, out);
      return undefined;
    },
    backward(g, { inputs: [x], output }) {
      const [rows, cols] = rowsCols(x.shape);
      const gx = allocFloat32(x.numel);
      const backwardKernel = name === 'softmax' ? 'softmaxBackward' : 'logSoftmaxBackward';
      if (gx.length > 0) native()[backwardKernel](output._f32(name), g._f32(name), rows, cols, gx);
      return [wrap(gx, x.shape)];
    },
  };
}

const softmaxDef = lastAxisDef('softmax');
const logSoftmaxDef = lastAxisDef('logSoftmax');

function alongAxis(def: OpDef<undefined>, x: Tensor, axis: number): Tensor {
  checkTensor(x, def.name, 'input', 'float32');
  if (x.ndim === 0) return reshape(apply(def, [reshape(x, [1])], undefined), []);
  const a = normalizeAxis(axis, x.ndim, def.name);
  if (a === x.ndim - 1) return apply(def, [x], undefined);
  return movedim(apply(def, [movedim(x, a, -1)], undefined), -1, a);
}

/** exp(x) / Σ exp(x) along `axis` (default the last). */
export function softmax(x: Tensor, axis = -1): Tensor {
  return alongAxis(softmaxDef, x, axis);
}

/** log(softmax(x)) along `axis`, computed stably in one pass. */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  return alongAxis(logSoftmaxDef, x, axis);
}
