/**
 * Axis reordering: permute, transpose, t. The result is a new dense tensor
 * (the native permute kernel copies in cache-sized tiles); the gradient is
 * the output gradient permuted back.
 */
import { native } from '../native';
import { formatShape, normalizeAxis } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { checkTensor } from './checks';
import { applyLayout, bitsOf, OpDef } from './define';
import { int32Arg } from './int-args';

const MAX_RANK = 8;

function inverse(perm: readonly number[]): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  return inv;
}

const permuteDef: OpDef<readonly number[]> = {
  name: 'permute',
  shape: ([x], perm) => perm.map((p) => x.shape[p]),
  forward([x], out, perm) {
    if (out.length === 0) return undefined;
    native().permute(bitsOf(x), int32Arg(0, x.shape), int32Arg(1, perm), out);
    return undefined;
  },
  backward: (g, { attrs: perm }) => [permuteChecked(g, inverse(perm))],
};

function permuteChecked(x: Tensor, perm: readonly number[]): Tensor {
  return applyLayout(permuteDef, [x], perm);
}

function checkPerm(x: Tensor, perm: unknown, op: string): number[] {
  if (!Array.isArray(perm)) throw new TypeError(`${op}: dims must be an array of axes, got ${typeof perm}`);
  if (perm.length !== x.ndim) {
    throw new RangeError(`${op}: got ${perm.length} axes ${formatShape(perm)} for a tensor of shape ${formatShape(x.shape)} (rank ${x.ndim})`);
  }
  if (x.ndim > MAX_RANK) throw new RangeError(`${op}: tensors of rank above ${MAX_RANK} are not supported (shape ${formatShape(x.shape)})`);
  const axes = perm.map((a) => normalizeAxis(a, x.ndim, op));
  if (new Set(axes).size !== axes.length) throw new RangeError(`${op}: axes ${formatShape(perm)} repeat an axis`);
  return axes;
}

/** Reorders the axes: output axis i is input axis dims[i] (negative axes allowed). */
export function permute(x: Tensor, dims: readonly number[]): Tensor {
  checkTensor(x, 'permute', 'input');
  return permuteChecked(x, checkPerm(x, dims, 'permute'));
}

/** Swaps two axes. */
export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  const op = 'transpose';
  checkTensor(x, op, 'input');
  const a = normalizeAxis(dim0, x.ndim, op);
  const b = normalizeAxis(dim1, x.ndim, op);
  const perm = Array.from({ length: x.ndim }, (_, i) => i);
  perm[a] = b;
  perm[b] = a;
  return permuteChecked(x, checkPerm(x, perm, op));
}

/** The transpose of a matrix (a 0-d or 1-d tensor is returned as a copy of itself). */
export function t(x: Tensor): Tensor {
  checkTensor(x, 't', 'input');
  if (x.ndim > 2) throw new RangeError(`t: expects a tensor of at most 2 dimensions, got shape ${formatShape(x.shape)}; use transpose(x, dim0, dim1)`);
  return permuteChecked(x, x.ndim === 2 ? [1, 0] : x.ndim === 1 ? [0] : []);
}

/** Moves axis `from` to position `to` (as torch.movedim), keeping the others in order. */
export function movedim(x: Tensor, from: number, to: number): Tensor {
  const op = 'movedim';
  checkTensor(x, op, 'input');
  const a = normalizeAxis(from, x.ndim, op);
  const b = normalizeAxis(to, x.ndim, op);
  const rest: number[] = [];
  for (let i = 0; i < x.ndim; i++) if (i !== a) rest.push(i);
  rest.splice(b, 0, a);
  return permuteChecked(x, rest);
}
