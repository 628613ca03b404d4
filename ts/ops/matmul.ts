/**
 * Matrix products: matmul with PyTorch's rules for 1-D operands and
 * broadcast batch axes, and linear (x·Wᵀ + b, the layer's fused form).
 * Backward products pass transA/transB to gemm instead of copying
 * transposes; a batch folded into the row count (x [B,T,k] · W [k,n]) runs
 * as one large product.
 */
import { native } from '../native';
import { allocFloat32, allocZeros } from '../tensor/alloc';
import { broadcastShapes, formatShape, numel, Shape } from '../tensor/shape';
import { Tensor, wrap } from '../tensor/tensor';
import { checkTensor } from './checks';
import { apply, OpDef } from './define';
import { batchOffsets, gemmBatch } from './gemm-batch';

interface MatmulPlan {
  m: number;
  k: number;
  n: number;
  /** Batch shapes of a and b (without the matrix axes) and their broadcast. */
  batchA: Shape;
  batchB: Shape;
  batch: Shape;
  /** The whole batch of a folds into its rows (a full, b one shared matrix). */
  foldA: boolean;
}

function plan(a: Tensor, b: Tensor): MatmulPlan {
  const fail = () => new RangeError(`matmul: cannot multiply ${formatShape(a.shape)} by ${formatShape(b.shape)}`);
  if (a.ndim === 0 || b.ndim === 0) {
    throw new RangeError(`matmul: both operands need at least 1 dimension, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  }
  const as = a.ndim === 1 ? [1, a.shape[0]] : a.shape;
  const bs = b.ndim === 1 ? [b.shape[0], 1] : b.shape;
  const m = as[as.length - 2], k = as[as.length - 1];
  const n = bs[bs.length - 1];
  if (bs[bs.length - 2] !== k) throw fail();
  const batchA = as.slice(0, -2), batchB = bs.slice(0, -2);
  let batch: number[];
  try {
    batch = broadcastShapes(batchA, batchB, 'matmul');
  } catch {
    throw fail();
  }
  const foldA = numel(batchB) === 1 && batchA.length === batch.length;
  return { m, k, n, batchA, batchB, batch, foldA };
}

function outputShape(a: Tensor, b: Tensor, p: MatmulPlan): number[] {
  const s = [...p.batch];
  if (a.ndim > 1) s.push(p.m);
  if (b.ndim > 1) s.push(p.n);
  return s;
}

const matmulDef: OpDef<MatmulPlan> = {
  name: 'matmul',
  shape: ([a, b], p) => outputShape(a, b, p),
  forward([a, b], out, p) {
    const { m, k, n } = p;
    const A = a._f32('matmul'), B = b._f32('matmul');
    if (k === 0) out.fill(0);
    if (p.foldA) {
      const rows = numel(p.batch) * m;
      gemmBatch(false, false, rows, n, k, 1, { data: A, offsets: [0], ld: k }, { data: B, offsets: [0], ld: n }, 0, { data: out, offsets: [0], ld: n });
      return undefined;
    }
    const total = numel(p.batch);
    gemmBatch(
      false, false, m, n, k, 1,
      { data: A, offsets: batchOffsets(p.batch, p.batchA, m * k), ld: k },
      { data: B, offsets: batchOffsets(p.batch, p.batchB, k * n), ld: n },
      0, { data: out, offsets: Array.from({ length: total }, (_, i) => i * m * n), ld: n },
    );
    return undefined;
  },
  backward(g, { inputs: [a, b], attrs: p, needs }) {
    const { m, k, n } = p;
    const G = g._f32('matmul'), A = a._f32('matmul'), B = b._f32('matmul');
    const total = numel(p.batch);
    const gOffsets = Array.from({ length: total }, (_, i) => i * m * n);
    let ga: Tensor | null = null, gb: Tensor | null = null;
    if (needs[0]) {
      // dA_i = G_i · B_iᵀ, summed over batch entries that share A_i.
      const gA = allocFloat32(a.numel);
      if (p.foldA) {
        gemmBatch(false, true, total * m, k, n, 1, { data: G, offsets: [0], ld: n }, { data: B, offsets: [0], ld: n }, 0, { data: gA, offsets: [0], ld: k });
      } else {
        const shared = numel(p.batchA) !== total;
        if (shared) gA.fill(0);
        gemmBatch(
          false, true, m, k, n, 1,
          { data: G, offsets: gOffsets, ld: n },
          { data: B, offsets: batchOffsets(p.batch, p.batchB, k * n), ld: n },
          shared ? 1 : 0, { data: gA, offsets: batchOffsets(p.batch, p.batchA, m * k), ld: k },
        );
      }
      ga = wrap(gA, a.shape);
    }
    if (needs[1]) {
      // dB_i = A_iᵀ · G_i, summed over batch entries that share B_i.
      const gB = allocFloat32(b.numel);
      if (p.foldA) {
        gemmBatch(true, false, k, n, total * m, 1, { data: A, offsets: [0], ld: k }, { data: G, offsets: [0], ld: n }, 0, { data: gB, offsets: [0], ld: n });
        if (total * m === 0) gB.fill(0);
      } else {
        const shared = numel(p.batchB) !== total;
        if (shared || m === 0) gB.fill(0);
        gemmBatch(
          true, false, k, n, m, 1,
          { data: A, offsets: batchOffsets(p.batch, p.batchA, m * k), ld: k },
          { data: G, offsets: gOffsets, ld: n },
          shared ? 1 : 0, { data: gB, offsets: batchOffsets(p.batch, p.batchB, k * n), ld: n },
        );
      }
      gb = wrap(gB, b.shape);
    }
    return [ga, gb];
  },
};

/**
 * Matrix product with PyTorch's rules: 1-D·1-D is a dot product, a 1-D
 * first (second) operand is a row (column) vector whose axis is removed from
 * the result, and leading batch axes broadcast.
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  checkTensor(a, 'matmul', 'input 0', 'float32');
  checkTensor(b, 'matmul', 'input 1', 'float32');
  return apply(matmulDef, [a, b], plan(a, b));
}

interface LinearPlan {
  rows: number;
  inF: number;
  outF: number;
  hasBias: boolean;
}

const linearDef: OpDef<LinearPlan> = {
  name: 'linear',
  shape: ([x, w]) => [...x.shape.slice(0, -1), w.shape[0]],
  forward(inputs, out, p) {
    const { rows, inF, outF } = p;
    const x = inputs[0]._f32('linear'), w = inputs[1]._f32('linear');
    let beta = 0;
    if (p.hasBias && rows > 0 && outF > 0) {
      // Every output row starts as the bias; the product is added on top.
      native().copyBlocks(inputs[2]._f32('linear'), 0, out, 0, rows, outF, 0, outF);
      beta = 1;
    } else if (inF === 0) out.fill(0);
    native().gemm(false, true, rows, outF, inF, 1, x, inF, 0, w, inF, 0, beta, out, outF, 0, 1);
    return undefined;
  },
  backward(g, { inputs, attrs: p, needs }) {
    const { rows, inF, outF } = p;
    const G = g._f32('linear'), x = inputs[0]._f32('linear'), w = inputs[1]._f32('linear');
    const grads: Array<Tensor | null> = [null, null, null];
    if (needs[0]) {
      const gx = rows * inF > 0 && outF === 0 ? allocZeros(rows * inF) : allocFloat32(rows * inF);
      native().gemm(false, false, rows, inF, outF, 1, G, outF, 0, w, inF, 0, 0, gx, inF, 0, 1);
      grads[0] = wrap(gx, inputs[0].shape);
    }
    if (needs[1]) {
      const gw = rows === 0 ? allocZeros(outF * inF) : allocFloat32(outF * inF);
      native().gemm(true, false, outF, inF, rows, 1, G, outF, 0, x, inF, 0, 0, gw, inF, 0, 1);
      grads[1] = wrap(gw, inputs[1].shape);
    }
    if (p.hasBias && needs[2]) {
      const gbias = allocFloat32(outF);
      native().reduceSum(G, 1, rows, outF, gbias);
      grads[2] = wrap(gbias, inputs[2].shape);
    }
    return grads;
  },
};

/** y = x·Wᵀ + b for x [..., in], weight [out, in] (PyTorch's layout), bias [out]. */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  const op = 'linear';
  checkTensor(x, op, 'input', 'float32');
  checkTensor(weight, op, 'weight', 'float32');
  if (weight.ndim !== 2) throw new RangeError(`${op}: weight must be 2-D [out, in], got shape ${formatShape(weight.shape)}`);
  if (x.ndim === 0 || x.shape[x.ndim - 1] !== weight.shape[1]) {
    throw new RangeError(`${op}: input of shape ${formatShape(x.shape)} does not match weight of shape ${formatShape(weight.shape)} (expected last size ${weight.shape[1]})`);
  }
  const hasBias = bias !== undefined && bias !== null;
  if (hasBias) {
    checkTensor(bias, op, 'bias', 'float32');
    if (bias.ndim !== 1 || bias.shape[0] !== weight.shape[0]) {
      throw new RangeError(`${op}: bias of shape ${formatShape(bias.shape)} does not match weight of shape ${formatShape(weight.shape)} (expected [${weight.shape[0]}])`);
    }
  }
  const p: LinearPlan = { rows: numel(x.shape.slice(0, -1)), inF: weight.shape[1], outF: weight.shape[0], hasBias };
  return apply(linearDef, hasBias ? [x, weight, bias!] : [x, weight], p);
}
