/**
 * Negative-sampling loss (Mikolov et al. 2013) for outputs with very many
 * classes. For each example b with hidden vector h_b and target t_b, the
 * target's output row and K sampled rows are scored, and
 *   loss_b = softplus(-h_b·w_{t_b}) + Σ_k softplus(h_b·w_{n_bk})
 * (binary logistic loss: the target is a positive, the samples negatives).
 * Only the K+1 gathered rows of the [V, D] output table get gradients, so a
 * step costs O(B·(K+1)·D) instead of the full softmax's O(B·V·D); with the
 * table marked by sparseGrad() they arrive as row gradients and the table is
 * never touched as a whole.
 */
import { native } from '../native';
import { allocFloat32, allocZeros } from '../tensor/alloc';
import { formatShape } from '../tensor/shape';
import { Tensor, wrap } from '../tensor/tensor';
import { checkTensor } from './checks';
import { apply, OpDef } from './define';
import { accumulateRows, isSparseGrad } from '../nn/sparse-grad';
import { Sampler, UniformSampler } from '../nn/sampling';
import { rejectUnknownOptions } from '../options';

export interface NegativeSamplingOptions {
  /** Negatives per example (default 5). Ignored when `negatives` is given. */
  numNegatives?: number;
  /** Where negatives come from (default: uniform over the table's rows, seed 0). */
  sampler?: Sampler;
  /** Explicit negatives, an int32 tensor [B, K] (for tests and custom schemes). */
  negatives?: Tensor;
  /** 'mean' over examples (default) or 'sum'. */
  reduction?: 'mean' | 'sum';
}

interface Attrs {
  /** Row ids, [B, K+1]: the target first, then the negatives. */
  ids: Int32Array;
  batch: number;
  perExample: number;
  dim: number;
  scale: number;
}

interface Saved {
  rows: Float32Array;
  scores: Float32Array;
}

function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

const negativeSamplingDef: OpDef<Attrs, Saved> = {
  name: 'negativeSamplingLoss',
  shape: () => [],
  forward([hidden, table], out, a) {
    const { batch, perExample: k1, dim } = a;
    const rows = allocFloat32(batch * k1 * dim);
    native().gatherRows(table._f32('negativeSamplingLoss'), table.shape[0], dim, a.ids, rows);
    const scores = allocFloat32(batch * k1);
    // scores_b = rows_b [K+1, D] · h_b [D]: one batched GEMM.
    native().gemm(false, false, k1, 1, dim, 1, rows, dim, k1 * dim, hidden._f32('negativeSamplingLoss'), 1, dim, 0, scores, 1, k1, batch);
    let loss = 0;
    for (let b = 0; b < batch; b++) {
      loss += softplus(-scores[b * k1]);
      for (let j = 1; j < k1; j++) loss += softplus(scores[b * k1 + j]);
    }
    out[0] = loss * a.scale;
    return { rows, scores };
  },
  backward(g, { inputs: [hidden, table], attrs: a, saved, needs }) {
    const { batch, perExample: k1, dim } = a;
    const gScale = g._f32('negativeSamplingLoss')[0] * a.scale;
    // d loss / d score: sigmoid(s) − label.
    const coef = allocFloat32(batch * k1);
    for (let i = 0; i < batch * k1; i++) coef[i] = (sigmoid(saved.scores[i]) - (i % k1 === 0 ? 1 : 0)) * gScale;
    let gHidden: Tensor | null = null;
    if (needs[0]) {
      const gh = allocFloat32(batch * dim);
      // gh_b = rows_bᵀ [D, K+1] · coef_b [K+1].
      native().gemm(true, false, dim, 1, k1, 1, saved.rows, dim, k1 * dim, coef, 1, k1, 0, gh, 1, dim, batch);
      gHidden = wrap(gh, hidden.shape);
    }
    let gTable: Tensor | null = null;
    if (needs[1]) {
      // Row gradients: coef_b [K+1, 1] · h_b [1, D].
      const sparse = isSparseGrad(table);
      const gRows = sparse ? new Float32Array(batch * k1 * dim) : allocFloat32(batch * k1 * dim);
      native().gemm(false, false, k1, dim, 1, 1, coef, 1, k1, hidden._f32('negativeSamplingLoss'), dim, dim, 0, gRows, dim, k1 * dim, batch);
      if (sparse) {
        accumulateRows(table, a.ids.slice(), gRows);
      } else {
        const gt = allocZeros(table.numel);
        native().scatterAddRows(gRows, a.ids, dim, gt, table.shape[0]);
        gTable = wrap(gt, table.shape);
      }
    }
    return [gHidden, gTable];
  },
};

/**
 * Negative-sampling loss of `hidden` [B, D] against the output table [V, D]
 * for int32 `targets` [B]. Mark the table with dd.nn.sparseGrad(table) and
 * step it with dd.optim.SparseSGD/SparseAdam to update only sampled rows.
 */
export function negativeSamplingLoss(hidden: Tensor, table: Tensor, targets: Tensor, options: NegativeSamplingOptions = {}): Tensor {
  const op = 'negativeSamplingLoss';
  rejectUnknownOptions(options, ['numNegatives', 'sampler', 'negatives', 'reduction'], op);
  checkTensor(hidden, op, 'hidden', 'float32');
  checkTensor(table, op, 'table', 'float32');
  checkTensor(targets, op, 'targets', 'int32');
  if (hidden.shape.length !== 2 || table.shape.length !== 2 || hidden.shape[1] !== table.shape[1]) {
    throw new RangeError(`${op}: hidden must be [B, D] and table [V, D], got ${formatShape(hidden.shape)} and ${formatShape(table.shape)}`);
  }
  const [batch, dim] = hidden.shape;
  const classes = table.shape[0];
  if (targets.shape.length !== 1 || targets.shape[0] !== batch) {
    throw new RangeError(`${op}: targets must be [${batch}], got ${formatShape(targets.shape)}`);
  }
  const reduction = options.reduction ?? 'mean';
  if (reduction !== 'mean' && reduction !== 'sum') throw new RangeError(`${op}: reduction must be 'mean' or 'sum', got ${String(reduction)}`);
  let negatives: Int32Array;
  let k: number;
  if (options.negatives !== undefined) {
    const n = checkTensor(options.negatives, op, 'negatives', 'int32');
    if (n.shape.length !== 2 || n.shape[0] !== batch) throw new RangeError(`${op}: negatives must be [${batch}, K], got ${formatShape(n.shape)}`);
    k = n.shape[1];
    negatives = n.int32Data;
  } else {
    k = options.numNegatives ?? 5;
    if (!Number.isInteger(k) || k < 0) throw new RangeError(`${op}: numNegatives must be a non-negative integer, got ${k}`);
    const sampler = options.sampler ?? new UniformSampler(classes, { seed: 0 });
    if (sampler.numClasses !== classes) {
      throw new RangeError(`${op}: the sampler draws from ${sampler.numClasses} classes but the table has ${classes} rows`);
    }
    negatives = new Int32Array(batch * k);
    sampler.sampleInto(negatives);
  }
  const k1 = k + 1;
  const ids = new Int32Array(batch * k1);
  const t = targets.int32Data;
  for (let b = 0; b < batch; b++) {
    const target = t[b];
    if (!Number.isInteger(target) || target < 0 || target >= classes) {
      throw new RangeError(`${op}: targets[${b}] = ${target} is outside [0, ${classes})`);
    }
    ids[b * k1] = target;
    for (let j = 0; j < k; j++) ids[b * k1 + 1 + j] = negatives[b * k + j];
  }
  return apply(negativeSamplingDef, [hidden, table], {
    ids, batch, perExample: k1, dim, scale: reduction === 'mean' && batch > 0 ? 1 / batch : 1,
  });
}
