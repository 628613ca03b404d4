/**
 * Classification losses on int32 labels. crossEntropy is one fused kernel
 * (log-softmax, picking the label, and the gradient softmax - onehot in the
 * same pass); with class weights, an ignored label or label smoothing it is
 * logSoftmax followed by nllLoss, which picks log-probabilities directly.
 */
import { scalarOpCode } from '../bindings/elementwise';
import { native } from '../native';
import { allocFloat32, allocZeros, release } from '../tensor/alloc';
import { formatShape, shapesEqual } from '../tensor/shape';
import { Tensor, wrap } from '../tensor/tensor';
import { checkFinite, checkInteger, checkTensor } from './checks';
import { add, mulScalar } from './elementwise';
import { apply, OpDef } from './define';
import { LossOptions, readReduction, Reduction } from './loss-common';
import { movedim } from './permute';
import { mean, sum } from './reduce';
import { logSoftmax } from './softmax';
import { reshape } from './view';

export interface ClassLossOptions extends LossOptions {
  /** A weight per class (float32 [C]); the mean divides by the summed weights of the labels, as PyTorch. */
  weight?: Tensor | null;
  /** Label value whose positions contribute nothing (and are left out of the mean), e.g. padding. */
  ignoreIndex?: number;
}

export interface CrossEntropyOptions extends ClassLossOptions {
  /** Mixes the one-hot target with the uniform distribution: (1 - ε)·onehot + ε/C. */
  labelSmoothing?: number;
}

interface ClassProblem {
  /** Scores as [rows, classes]. */
  scores: Tensor;
  labels: Int32Array;
  /** Shape of the per-element losses (the labels' shape). */
  labelShape: readonly number[];
  weight: Float32Array | null;
  ignoreIndex: number | null;
}

/**
 * Brings (scores, labels) to [rows, classes] and [rows]: scores [C] with a
 * 0-d label, [N, C] with [N], or [N, C, d1, ...] with [N, d1, ...] (classes
 * on axis 1, as PyTorch has them). Checks dtypes, shapes, options and the label range.
 */
function classProblem(scores: Tensor, labels: Tensor, options: ClassLossOptions | undefined, op: string): ClassProblem {
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
  let weight: Float32Array | null = null;
  if (options?.weight !== undefined && options.weight !== null) {
    const w = checkTensor(options.weight, op, 'weight', 'float32');
    if (w.ndim !== 1 || w.shape[0] !== classes) {
      throw new RangeError(`${op}: weight of shape ${formatShape(w.shape)} should have one entry per class ([${classes}])`);
    }
    weight = w._f32(op);
  }
  const ignoreIndex = options?.ignoreIndex === undefined ? null : checkInteger(options.ignoreIndex, op, 'ignoreIndex');
  const data = labels._typed() as Int32Array;
  for (let i = 0; i < data.length; i++) {
    if ((data[i] < 0 || data[i] >= classes) && data[i] !== ignoreIndex) {
      throw new RangeError(`${op}: label ${data[i]} at position ${i} is out of range for ${classes} classes`);
    }
  }
  let s = scores;
  if (scores.ndim === 1) s = reshape(scores, [1, classes]);
  else if (scores.ndim > 2) s = reshape(movedim(scores, 1, -1), [-1, classes]);
  return { scores: s, labels: data, labelShape: labels.shape, weight, ignoreIndex };
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
    if (gx.length > 0) native().scalarOp(scalarOpCode('mul'), grad, g._f32('crossEntropy')[0] * a.scale, gx);
    return [wrap(gx, x.shape)];
  },
  free: (grad) => release(grad),
};

interface NllAttrs {
  labels: Int32Array;
  cols: number;
  reduction: Reduction;
  labelShape: readonly number[];
  /** Weight of each row: its class weight, 0 where its label is ignored. */
  rowWeights: Float64Array;
  /** The mean's divisor: the sum of the row weights. */
  divisor: number;
}

const nllDef: OpDef<NllAttrs> = {
  name: 'nllLoss',
  shape: (_, a) => (a.reduction === 'none' ? a.labelShape : []),
  forward([x], out, a) {
    const lp = x._f32('nllLoss');
    let total = 0;
    for (let i = 0; i < a.labels.length; i++) {
      const w = a.rowWeights[i];
      const v = w === 0 ? 0 : -w * lp[i * a.cols + a.labels[i]];
      if (a.reduction === 'none') out[i] = v;
      else total += v;
    }
    if (a.reduction !== 'none') out[0] = a.reduction === 'mean' ? total / a.divisor : total;
    return undefined;
  },
  backward(g, { inputs: [x], attrs: a }) {
    const gx = allocZeros(x.numel);
    const gy = g._f32('nllLoss');
    for (let i = 0; i < a.labels.length; i++) {
      const w = a.rowWeights[i];
      if (w === 0) continue;
      const gi = a.reduction === 'none' ? gy[i] : a.reduction === 'mean' ? gy[0] / a.divisor : gy[0];
      gx[i * a.cols + a.labels[i]] = -w * gi;
    }
    return [wrap(gx, x.shape)];
  },
};

function nllPick(logProbs: Tensor, p: ClassProblem, reduction: Reduction, op: string): Tensor {
  const rowWeights = new Float64Array(p.labels.length);
  let divisor = 0;
  for (let i = 0; i < p.labels.length; i++) {
    const label = p.labels[i];
    const w = label === p.ignoreIndex ? 0 : p.weight ? p.weight[label] : 1;
    rowWeights[i] = w;
    divisor += w;
  }
  if (reduction === 'mean' && divisor === 0) {
    throw new RangeError(`${op}: the mean is undefined: no label counts (empty batch, all ignored, or zero weights)`);
  }
  return apply(nllDef, [logProbs], { labels: p.labels, cols: logProbs.shape[1], reduction, labelShape: p.labelShape, rowWeights, divisor });
}

/**
 * Cross-entropy of raw scores (logits) against int32 class labels, as
 * PyTorch's F.cross_entropy: input [N, C] with labels [N], [C] with a 0-d
 * label, or [N, C, d1, ...] with labels [N, d1, ...]. Options: reduction,
 * weight, ignoreIndex, labelSmoothing.
 */
export function crossEntropy(logits: Tensor, labels: Tensor, options?: CrossEntropyOptions): Tensor {
  const op = 'crossEntropy';
  const reduction = readReduction(options, op, ['weight', 'ignoreIndex', 'labelSmoothing']);
  const p = classProblem(logits, labels, options, op);
  const smoothing = checkFinite(options?.labelSmoothing ?? 0, op, 'labelSmoothing');
  if (smoothing < 0 || smoothing > 1) throw new RangeError(`${op}: labelSmoothing must be in [0, 1], got ${smoothing}`);
  const [rows, cols] = p.scores.shape;
  if (smoothing > 0) return smoothedCrossEntropy(p, reduction, smoothing, op);
  if (reduction === 'none' || p.weight !== null || p.ignoreIndex !== null) {
    return nllPick(logSoftmax(p.scores, -1), p, reduction, op);
  }
  if (reduction === 'mean' && rows === 0) throw new RangeError(`${op}: the mean over an empty batch is undefined`);
  const scale = reduction === 'mean' ? 1 / rows : 1;
  return apply(crossEntropyDef, [p.scores], { labels: p.labels, rows, cols, scale });
}

/**
 * (1 - ε)·nll + ε·(mean over classes of -log p), per row; ignored rows
 * count for neither term. Class weights are not combined with smoothing.
 */
function smoothedCrossEntropy(p: ClassProblem, reduction: Reduction, eps: number, op: string): Tensor {
  if (p.weight !== null) throw new RangeError(`${op}: labelSmoothing together with weight is not supported`);
  const logp = logSoftmax(p.scores, -1);
  const nll = nllPick(logp, p, 'none', op);
  // -mean_c log p per row, zeroed on ignored rows.
  let uniform = mulScalar(mean(logp, -1), -1);
  if (p.ignoreIndex !== null) {
    const keep = new Float32Array(p.labels.length).map((_, i) => (p.labels[i] === p.ignoreIndex ? 0 : 1));
    uniform = uniform.mul(wrap(keep, [p.labels.length]));
  }
  const mixed = add(mulScalar(nll.reshape([-1]), 1 - eps), mulScalar(uniform, eps));
  if (reduction === 'none') return reshape(mixed, p.labelShape);
  if (reduction === 'sum') return sum(mixed);
  const counted = p.labels.reduce((n, l) => n + (l === p.ignoreIndex ? 0 : 1), 0);
  if (counted === 0) throw new RangeError(`${op}: the mean is undefined: every label is ignored`);
  return mulScalar(sum(mixed), 1 / counted);
}

/**
 * Negative log-likelihood of log-probabilities (e.g. logSoftmax output) at
 * int32 labels; shapes and options (reduction, weight, ignoreIndex) as crossEntropy.
 */
export function nllLoss(logProbs: Tensor, labels: Tensor, options?: ClassLossOptions): Tensor {
  const op = 'nllLoss';
  const reduction = readReduction(options, op, ['weight', 'ignoreIndex']);
  const p = classProblem(logProbs, labels, options, op);
  return nllPick(p.scores, p, reduction, op);
}
