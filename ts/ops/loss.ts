/**
 * Loss functions. crossEntropy is one fused kernel (log-softmax, picking the
 * label, and the gradient softmax - onehot in the same pass); nllLoss picks
 * log-probabilities directly; the regression and binary losses are
 * compositions of differentiable ops, written in their numerically stable forms.
 */
import { ScalarOpCode } from '../bindings/elementwise';
import { native } from '../native';
import { allocFloat32, allocZeros, release } from '../tensor/alloc';
import { formatShape, shapesEqual } from '../tensor/shape';
import { Tensor, wrap } from '../tensor/tensor';
import { checkFinite, checkTensor } from './checks';
import { clamp } from './clamp';
import { add, mul, mulScalar, rsub, sub } from './elementwise';
import { apply, OpDef } from './define';
import { movedim } from './permute';
import { mean, sum } from './reduce';
import { softplus } from './activation';
import { logSoftmax } from './softmax';
import { abs, log, neg, square } from './unary';
import { reshape } from './view';

export type Reduction = 'mean' | 'sum' | 'none';

export interface LossOptions {
  /** 'mean' (default), 'sum', or 'none' (one loss per element). */
  reduction?: Reduction;
}

function readReduction(options: LossOptions | undefined, op: string): Reduction {
  const r = options?.reduction ?? 'mean';
  if (r !== 'mean' && r !== 'sum' && r !== 'none') {
    throw new TypeError(`${op}: reduction must be 'mean', 'sum' or 'none', got ${JSON.stringify(r)}`);
  }
  return r;
}

function reduce(x: Tensor, r: Reduction): Tensor {
  return r === 'none' ? x : r === 'sum' ? sum(x) : mean(x);
}

interface ClassProblem {
  /** Scores as [rows, classes]. */
  scores: Tensor;
  labels: Int32Array;
  /** Shape of the per-element losses (the labels' shape). */
  labelShape: readonly number[];
}

/**
 * Brings (scores, labels) to [rows, classes] and [rows]: scores [C] with a
 * 0-d label, [N, C] with [N], or [N, C, d1, ...] with [N, d1, ...] (classes
 * on axis 1, as PyTorch has them). Checks dtype, shapes and label range.
 */
function classProblem(scores: Tensor, labels: Tensor, op: string): ClassProblem {
  checkTensor(scores, op, 'input', 'float32');
  checkTensor(labels, op, 'labels', 'int32');
  if (scores.ndim === 0) throw new RangeError(`${op}: input must have a class axis, got a 0-d tensor`);
  const classAxis = scores.ndim === 1 ? 0 : 1;
  const expected = scores.shape.filter((_, i) => i !== classAxis);
  if (!shapesEqual(labels.shape, expected)) {
    throw new RangeError(
      `${op}: labels of shape ${formatShape(labels.shape)} do not match input of shape ${formatShape(scores.shape)} (expected labels of shape ${formatShape(expected)})`,
    );
  }
  const classes = scores.shape[classAxis];
  const data = labels._typed() as Int32Array;
  for (let i = 0; i < data.length; i++) {
    if (data[i] < 0 || data[i] >= classes) {
      throw new RangeError(`${op}: label ${data[i]} at position ${i} is out of range for ${classes} classes`);
    }
  }
  let s = scores;
  if (scores.ndim === 1) s = reshape(scores, [1, classes]);
  else if (scores.ndim > 2) s = reshape(movedim(scores, 1, -1), [-1, classes]);
  return { scores: s, labels: data, labelShape: labels.shape };
}

interface CrossEntropyAttrs {
  labels: Int32Array;
  rows: number;
  cols: number;
  /** 1/rows for the mean, 1 for the sum. */
  scale: number;
}

const crossEntropyDef: OpDef<CrossEntropyAttrs, Float32Array> = {
  name: 'crossEntropy',
  shape: () => [],
  forward([x], out, a) {
    // grad = softmax(x) - onehot(label), unscaled: saved for backward.
    const grad = allocFloat32(a.rows * a.cols);
    const total = a.rows === 0 ? 0 : native().softmaxCrossEntropy(x._f32('crossEntropy'), a.labels, a.rows, a.cols, grad);
    out[0] = total * a.scale;
    return grad;
  },
  backward(g, { inputs: [x], attrs: a, saved: grad }) {
    const gx = allocFloat32(grad.length);
    if (gx.length > 0) native().scalarOp(ScalarOpCode.MUL, grad, g._f32('crossEntropy')[0] * a.scale, gx);
    return [wrap(gx, x.shape)];
  },
  free: (grad) => release(grad),
};

/**
 * Cross-entropy of raw scores (logits) against int32 class labels, as
 * PyTorch's F.cross_entropy: input [N, C] with labels [N], [C] with a 0-d
 * label, or [N, C, d1, ...] with labels [N, d1, ...].
 */
export function crossEntropy(logits: Tensor, labels: Tensor, options?: LossOptions): Tensor {
  const op = 'crossEntropy';
  const reduction = readReduction(options, op);
  const p = classProblem(logits, labels, op);
  const [rows, cols] = p.scores.shape;
  if (reduction === 'none') return nllPick(logSoftmax(p.scores, -1), p, 'none', op);
  if (reduction === 'mean' && rows === 0) throw new RangeError(`${op}: the mean over an empty batch is undefined`);
  const scale = reduction === 'mean' ? 1 / rows : 1;
  return apply(crossEntropyDef, [p.scores], { labels: p.labels, rows, cols, scale });
}

interface NllAttrs {
  labels: Int32Array;
  cols: number;
  reduction: Reduction;
  labelShape: readonly number[];
}

const nllDef: OpDef<NllAttrs> = {
  name: 'nllLoss',
  shape: (_, a) => (a.reduction === 'none' ? a.labelShape : []),
  forward([x], out, a) {
    const lp = x._f32('nllLoss');
    let total = 0;
    for (let i = 0; i < a.labels.length; i++) {
      const v = -lp[i * a.cols + a.labels[i]];
      if (a.reduction === 'none') out[i] = v;
      else total += v;
    }
    if (a.reduction !== 'none') out[0] = a.reduction === 'mean' ? total / a.labels.length : total;
    return undefined;
  },
  backward(g, { inputs: [x], attrs: a }) {
    const gx = allocZeros(x.numel);
    const gy = g._f32('nllLoss');
    const n = a.labels.length;
    for (let i = 0; i < n; i++) {
      const gi = a.reduction === 'none' ? gy[i] : a.reduction === 'mean' ? gy[0] / n : gy[0];
      gx[i * a.cols + a.labels[i]] = -gi;
    }
    return [wrap(gx, x.shape)];
  },
};

function nllPick(logProbs: Tensor, p: ClassProblem, reduction: Reduction, op: string): Tensor {
  if (reduction === 'mean' && p.labels.length === 0) throw new RangeError(`${op}: the mean over an empty batch is undefined`);
  return apply(nllDef, [logProbs], { labels: p.labels, cols: logProbs.shape[1], reduction, labelShape: p.labelShape });
}

/** Negative log-likelihood of log-probabilities (e.g. logSoftmax output) at int32 labels; shapes as crossEntropy. */
export function nllLoss(logProbs: Tensor, labels: Tensor, options?: LossOptions): Tensor {
  const op = 'nllLoss';
  const reduction = readReduction(options, op);
  const p = classProblem(logProbs, labels, op);
  return nllPick(p.scores, p, reduction, op);
}

function checkPair(input: Tensor, target: Tensor, op: string): void {
  checkTensor(input, op, 'input', 'float32');
  checkTensor(target, op, 'target', 'float32');
  if (!shapesEqual(input.shape, target.shape)) {
    throw new RangeError(`${op}: input of shape ${formatShape(input.shape)} and target of shape ${formatShape(target.shape)} differ`);
  }
}

/** Mean squared error (input - target)². */
export function mse(input: Tensor, target: Tensor, options?: LossOptions): Tensor {
  const reduction = readReduction(options, 'mse');
  checkPair(input, target, 'mse');
  return reduce(square(sub(input, target)), reduction);
}

/** PyTorch's name for mse. */
export const mseLoss = mse;

/** Mean absolute error |input - target|. */
export function l1Loss(input: Tensor, target: Tensor, options?: LossOptions): Tensor {
  const reduction = readReduction(options, 'l1Loss');
  checkPair(input, target, 'l1Loss');
  return reduce(abs(sub(input, target)), reduction);
}

/**
 * Huber loss: ½d² where |d| <= delta, delta·(|d| - ½delta) beyond, with
 * d = input - target. Written as ½m² + delta·(|d| - m) with m = min(|d|, delta).
 */
export function huberLoss(input: Tensor, target: Tensor, options?: LossOptions & { delta?: number }): Tensor {
  const op = 'huberLoss';
  const reduction = readReduction(options, op);
  checkPair(input, target, op);
  const delta = checkFinite(options?.delta ?? 1, op, 'delta');
  if (delta <= 0) throw new RangeError(`${op}: delta must be positive, got ${delta}`);
  const d = abs(sub(input, target));
  const m = clamp(d, null, delta);
  return reduce(add(mulScalar(square(m), 0.5), mulScalar(sub(d, m), delta)), reduction);
}

/** Smooth L1 loss (huberLoss / beta, as PyTorch defines it). */
export function smoothL1Loss(input: Tensor, target: Tensor, options?: LossOptions & { beta?: number }): Tensor {
  const beta = checkFinite(options?.beta ?? 1, 'smoothL1Loss', 'beta');
  if (beta <= 0) throw new RangeError(`smoothL1Loss: beta must be positive, got ${beta}`);
  return mulScalar(huberLoss(input, target, { reduction: options?.reduction, delta: beta }), 1 / beta);
}

/**
 * Binary cross-entropy on logits, stable for any magnitude:
 * (1 - t)·x + w·softplus(-x) with w = 1 + (posWeight - 1)·t
 * (= softplus(x) - t·x without posWeight).
 */
export function binaryCrossEntropyWithLogits(
  logits: Tensor, target: Tensor, options?: LossOptions & { posWeight?: Tensor | number },
): Tensor {
  const op = 'binaryCrossEntropyWithLogits';
  const reduction = readReduction(options, op);
  checkPair(logits, target, op);
  const pw = options?.posWeight;
  if (pw === undefined) return reduce(sub(softplus(logits), mul(logits, target)), reduction);
  const w = typeof pw === 'number' ? add(mulScalar(target, checkFinite(pw, op, 'posWeight') - 1), 1) : add(mul(target, add(pw, -1)), 1);
  return reduce(add(mul(rsub(target, 1), logits), mul(w, softplus(neg(logits)))), reduction);
}

/** Binary cross-entropy of probabilities in [0, 1]; logs are clamped at -100 as in PyTorch. */
export function binaryCrossEntropy(probs: Tensor, target: Tensor, options?: LossOptions): Tensor {
  const op = 'binaryCrossEntropy';
  const reduction = readReduction(options, op);
  checkPair(probs, target, op);
  const logP = clamp(log(probs), -100);
  const log1mP = clamp(log(rsub(probs, 1)), -100);
  return reduce(neg(add(mul(target, logP), mul(rsub(target, 1), log1mP))), reduction);
}
