/**
 * Normalization ops, as torch.nn.functional has them:
 *   batchNorm          per channel (axis 1) of [N, C, *], by the batch's statistics
 *                      (training) or running ones; training updates the running ones in place
 *   layerNorm          over the trailing normalizedShape axes, per leading index
 *   localResponseNorm  across channels, AlexNet's LRN
 * Each is one native forward kernel and one backward kernel; batch norm's
 * backward flows through the batch statistics when they were used.
 */
import { native } from '../native';
import { rejectUnknownOptions } from '../options';
import { allocFloat32, release } from '../tensor/alloc';
import { describe, formatShape } from '../tensor/shape';
import { Tensor, wrap } from '../tensor/tensor';
import { checkBoolean, checkFinite, checkInteger, checkTensor } from './checks';
import { apply, OpDef } from './define';

/** A non-negative finite eps. */
function checkEps(v: unknown, op: string): number {
  const eps = checkFinite(v, op, 'eps');
  if (eps < 0) throw new RangeError(`${op}: eps must be >= 0, got ${eps}`);
  return eps;
}

/** An optional per-feature tensor (weight, bias, running statistics) of `shape`, or null. */
function optionalFeatureTensor(t: unknown, op: string, name: string, shape: readonly number[]): Tensor | null {
  if (t === undefined || t === null) return null;
  const checked = checkTensor(t, op, name, 'float32');
  if (checked.shape.length !== shape.length || checked.shape.some((d, i) => d !== shape[i])) {
    throw new RangeError(`${op}: ${name} of shape ${formatShape(checked.shape)} does not match the expected ${formatShape(shape)}`);
  }
  return checked;
}

/** [x, weight?, bias?] and where weight and bias are in it (-1 when absent). */
interface AffineInputs {
  inputs: Tensor[];
  weightAt: number;
  biasAt: number;
}

function affineInputs(x: Tensor, weight: Tensor | null, bias: Tensor | null): AffineInputs {
  const inputs = [x];
  const weightAt = weight === null ? -1 : inputs.push(weight) - 1;
  const biasAt = bias === null ? -1 : inputs.push(bias) - 1;
  return { inputs, weightAt, biasAt };
}

function dataAt(inputs: readonly Tensor[], at: number, op: string): Float32Array | null {
  return at < 0 ? null : inputs[at]._f32(op);
}

/** The gradient buffer of input `at` when it is there and wants one. */
function gradBuffer(needs: readonly boolean[], at: number, size: number): Float32Array | null {
  return at >= 0 && needs[at] ? allocFloat32(size) : null;
}

/**
 * The gradients of [x, weight?, bias?]: buffers for those wanted (weight and
 * bias of `features` values), filled by `kernel`, as tensors of the inputs' shapes.
 */
function affineGradients(
  inputs: readonly Tensor[], needs: readonly boolean[], at: { weightAt: number; biasAt: number }, features: number,
  kernel: (gx: Float32Array | null, gw: Float32Array | null, gb: Float32Array | null) => void,
): Array<Tensor | null> {
  const gx = needs[0] ? allocFloat32(inputs[0].numel) : null;
  const gw = gradBuffer(needs, at.weightAt, features), gb = gradBuffer(needs, at.biasAt, features);
  kernel(gx, gw, gb);
  return inputs.map((t, i) => {
    const g = i === 0 ? gx : i === at.weightAt ? gw : gb;
    return g === null ? null : wrap(g, t.shape);
  });
}

interface Statistics {
  mean: Float32Array;
  invstd: Float32Array;
}

function freeStatistics(s: Statistics | null): void {
  if (s === null) return;
  release(s.mean);
  release(s.invstd);
}

// ---- batch norm ----

export interface BatchNormOptions {
  weight?: Tensor | null;
  bias?: Tensor | null;
  /** Normalize by the batch's statistics (updating the running ones when given); default false. */
  training?: boolean;
  /** Weight of the batch statistics in the running update (default 0.1). */
  momentum?: number;
  eps?: number;
}

interface BatchNormAttrs {
  n: number; c: number; plane: number;
  training: boolean; eps: number; momentum: number;
  weightAt: number; biasAt: number;
  runningMean: Float32Array | null; runningVar: Float32Array | null;
}

const batchNormDef: OpDef<BatchNormAttrs, Statistics | null> = {
  name: 'batchNorm',
  shape: ([x]) => x.shape,
  forward(inputs, y, a, _shape, recording) {
    const op = 'batchNorm';
    const x = inputs[0]._f32(op), weight = dataAt(inputs, a.weightAt, op), bias = dataAt(inputs, a.biasAt, op);
    if (a.training) {
      const saved = { mean: allocFloat32(a.c), invstd: allocFloat32(a.c) };
      native().batchNormForwardTraining(x, weight, bias, a.n, a.c, a.plane, a.eps, y, saved.mean, saved.invstd, a.runningMean, a.runningVar, a.momentum);
      return saved;
    }
    native().batchNormForwardInference(x, a.runningMean!, a.runningVar!, weight, bias, a.n, a.c, a.plane, a.eps, y);
    if (!recording) return null;
    // Backward needs the statistics as they were now (the running ones may change before it runs).
    const saved = { mean: allocFloat32(a.c), invstd: allocFloat32(a.c) };
    saved.mean.set(a.runningMean!);
    for (let ch = 0; ch < a.c; ch++) saved.invstd[ch] = 1 / Math.sqrt(a.runningVar![ch] + a.eps);
    return saved;
  },
  backward(gy, { inputs, attrs: a, saved, needs }) {
    const op = 'batchNorm';
    return affineGradients(inputs, needs, a, a.c, (gx, gw, gb) => {
      native().batchNormBackward(inputs[0]._f32(op), gy._f32(op), saved!.mean, saved!.invstd, dataAt(inputs, a.weightAt, op), a.n, a.c, a.plane, a.training, gx, gw, gb);
    });
  },
  free: freeStatistics,
};

/**
 * Batch normalization of x [N, C, *] per channel C, as torch's F.batch_norm:
 * y = (x − mean)/√(var + eps)·weight + bias. With training, mean and var are
 * the batch's (var biased) and runningMean/runningVar, when given, are
 * updated in place (r ← (1 − momentum)·r + momentum·batch value, var
 * unbiased); otherwise the running statistics are used and are required.
 */
export function batchNorm(x: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, options: BatchNormOptions = {}): Tensor {
  const op = 'batchNorm';
  rejectUnknownOptions(options, ['weight', 'bias', 'training', 'momentum', 'eps'], op);
  checkTensor(x, op, 'input', 'float32');
  if (x.ndim < 2) throw new RangeError(`${op}: input must have at least 2 dimensions [N, C, *], got shape ${formatShape(x.shape)}`);
  const [n, c] = x.shape;
  const plane = x.shape.slice(2).reduce((a, b) => a * b, 1);
  const training = options.training === undefined ? false : checkBoolean(options.training, op, 'training');
  const momentum = options.momentum === undefined ? 0.1 : checkFinite(options.momentum, op, 'momentum');
  const eps = options.eps === undefined ? 1e-5 : checkEps(options.eps, op);
  const mean = optionalFeatureTensor(runningMean, op, 'runningMean', [c]);
  const variance = optionalFeatureTensor(runningVar, op, 'runningVar', [c]);
  if ((mean === null) !== (variance === null)) throw new TypeError(`${op}: runningMean and runningVar must be given together (or both null)`);
  if (!training && mean === null) throw new TypeError(`${op}: runningMean and runningVar are required when training is false`);
  if (training && n * plane <= 1) {
    throw new RangeError(`${op}: expected more than 1 value per channel when training, got input of shape ${formatShape(x.shape)}`);
  }
  const weight = optionalFeatureTensor(options.weight, op, 'weight', [c]);
  const bias = optionalFeatureTensor(options.bias, op, 'bias', [c]);
  const { inputs, weightAt, biasAt } = affineInputs(x, weight, bias);
  return apply(batchNormDef, inputs, {
    n, c, plane, training, eps, momentum, weightAt, biasAt,
    runningMean: mean === null ? null : mean._f32(op),
    runningVar: variance === null ? null : variance._f32(op),
  });
}

// ---- layer norm ----

export interface LayerNormOptions {
  weight?: Tensor | null;
  bias?: Tensor | null;
  eps?: number;
}

interface LayerNormAttrs {
  rows: number; cols: number; eps: number;
  weightAt: number; biasAt: number;
}

const layerNormDef: OpDef<LayerNormAttrs, Statistics> = {
  name: 'layerNorm',
  shape: ([x]) => x.shape,
  forward(inputs, y, a) {
    const op = 'layerNorm';
    const saved = { mean: allocFloat32(a.rows), invstd: allocFloat32(a.rows) };
    native().layerNormForward(inputs[0]._f32(op), dataAt(inputs, a.weightAt, op), dataAt(inputs, a.biasAt, op), a.rows, a.cols, a.eps, y, saved.mean, saved.invstd);
    return saved;
  },
  backward(gy, { inputs, attrs: a, saved, needs }) {
    const op = 'layerNorm';
    return affineGradients(inputs, needs, a, a.cols, (gx, gw, gb) => {
      native().layerNormBackward(inputs[0]._f32(op), gy._f32(op), saved.mean, saved.invstd, dataAt(inputs, a.weightAt, op), a.rows, a.cols, gx, gw, gb);
    });
  },
  free: freeStatistics,
};

/** normalizedShape as a list of positive integers. */
export function normalizedShapeOf(v: unknown, op: string): number[] {
  const shape = typeof v === 'number' ? [v] : v;
  if (!Array.isArray(shape) || shape.length === 0 || !shape.every((d) => Number.isInteger(d) && d >= 1)) {
    throw new TypeError(`${op}: normalizedShape must be a positive integer or a non-empty list of them, got ${describe(v)}`);
  }
  return shape.slice();
}

/**
 * Layer normalization over the trailing axes given by normalizedShape, as
 * torch's F.layer_norm: each leading index is normalized by the mean and
 * biased variance of its normalizedShape values, y = x̂·weight + bias, with
 * weight and bias (optional) of shape normalizedShape.
 */
export function layerNorm(x: Tensor, normalizedShape: number | readonly number[], options: LayerNormOptions = {}): Tensor {
  const op = 'layerNorm';
  rejectUnknownOptions(options, ['weight', 'bias', 'eps'], op);
  checkTensor(x, op, 'input', 'float32');
  const shape = normalizedShapeOf(normalizedShape, op);
  const tail = x.shape.slice(x.ndim - shape.length);
  if (x.ndim < shape.length || tail.some((d, i) => d !== shape[i])) {
    throw new RangeError(`${op}: normalizedShape ${formatShape(shape)} must be the last axes of the input, got shape ${formatShape(x.shape)}`);
  }
  const eps = options.eps === undefined ? 1e-5 : checkEps(options.eps, op);
  const weight = optionalFeatureTensor(options.weight, op, 'weight', shape);
  const bias = optionalFeatureTensor(options.bias, op, 'bias', shape);
  const cols = shape.reduce((a, b) => a * b, 1);
  const { inputs, weightAt, biasAt } = affineInputs(x, weight, bias);
  return apply(layerNormDef, inputs, { rows: x.numel / cols, cols, eps, weightAt, biasAt });
}

// ---- local response norm ----

export interface LocalResponseNormOptions {
  alpha?: number;
  beta?: number;
  k?: number;
}

interface LrnAttrs {
  n: number; c: number; plane: number;
  size: number; alpha: number; beta: number; k: number;
}

const localResponseNormDef: OpDef<LrnAttrs, Float32Array> = {
  name: 'localResponseNorm',
  shape: ([x]) => x.shape,
  forward([x], y, a) {
    const multiplier = allocFloat32(y.length);
    native().localResponseNormForward(x._f32('localResponseNorm'), a.n, a.c, a.plane, a.size, a.alpha, a.beta, a.k, y, multiplier);
    return multiplier;
  },
  backward(gy, { inputs: [x], attrs: a, saved: multiplier }) {
    const gx = allocFloat32(x.numel);
    native().localResponseNormBackward(x._f32('localResponseNorm'), gy._f32('localResponseNorm'), multiplier, a.n, a.c, a.plane, a.size, a.alpha, a.beta, a.k, gx);
    return [wrap(gx, x.shape)];
  },
  free: (multiplier) => release(multiplier),
};

/**
 * Local response normalization across channels of x [N, C, *], as torch's
 * F.local_response_norm: y = x / (k + alpha/size · Σ x²)^beta, the sum over
 * channels c − ⌊size/2⌋ … c + ⌊(size−1)/2⌋ (channels past either end count as 0).
 */
export function localResponseNorm(x: Tensor, size: number, options: LocalResponseNormOptions = {}): Tensor {
  const op = 'localResponseNorm';
  rejectUnknownOptions(options, ['alpha', 'beta', 'k'], op);
  checkTensor(x, op, 'input', 'float32');
  if (x.ndim < 3) throw new RangeError(`${op}: input must have at least 3 dimensions [N, C, *], got shape ${formatShape(x.shape)}`);
  checkInteger(size, op, 'size', 1, 2 ** 31 - 1);
  const alpha = options.alpha === undefined ? 1e-4 : checkFinite(options.alpha, op, 'alpha');
  const beta = options.beta === undefined ? 0.75 : checkFinite(options.beta, op, 'beta');
  const k = options.k === undefined ? 1 : checkFinite(options.k, op, 'k');
  const [n, c] = x.shape;
  const plane = x.shape.slice(2).reduce((p, d) => p * d, 1);
  return apply(localResponseNormDef, [x], { n, c, plane, size, alpha, beta, k });
}
