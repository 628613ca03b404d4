/**
 * Confusion matrices: counts[t][p] is the number of samples of true class t
 * predicted as class p (rows true, columns predicted, as scikit-learn).
 * Predictions come from a model run over data (the argmax of its scores, in
 * evaluation mode, no graph) or are given: scores [N, classes] or class
 * indices [N].
 */
import { Tensor } from '../tensor/tensor';
import type { AnyModule } from '../nn/module';
import { Module } from '../nn/module';
import { noGrad } from '../autograd/grad-mode';
import { withMode } from '../nn/mode';
import { formatShape } from '../tensor/shape';
import { rejectUnknownOptions } from '../options';
import { checkData, iterateBatches, TensorOrArray, toTensor } from '../train/batches';
import type { DataSpec } from '../train/batches';
import { EventLoopYielder } from '../train/yielder';
import { checkBatchSize } from '../train/evaluate';
import { describe, integerOption } from './checks';

/** 'none': counts; 'true': each row sums to 1 (recall); 'pred': each column (precision); 'all': the whole matrix. */
export type ConfusionNormalize = 'none' | 'true' | 'pred' | 'all';

export interface ConfusionMatrixOptions {
  /** Names of the classes, in index order (their count fixes the number of classes). */
  classNames?: readonly string[];
  /** What `values` holds (default 'none': the counts). */
  normalize?: ConfusionNormalize;
  /** The number of classes, when neither classNames nor the scores say (default: the largest index seen + 1). */
  numClasses?: number;
  /** Samples per batch when a model runs over in-memory data (default 32). */
  batchSize?: number;
}

export interface ConfusionMatrix {
  /** counts[true class][predicted class]. */
  counts: number[][];
  /** The counts normalised as asked (equal to counts under 'none'); a row or column of zeros stays zeros. */
  values: number[][];
  normalize: ConfusionNormalize;
  /** One per class (the given names, else '0', '1', …). */
  classNames: string[];
  /** Samples counted. */
  total: number;
  /** The diagonal's share of the total. */
  accuracy: number;
}

/** Class indices of a label or prediction tensor: int [N], integral float [N], or scores / one-hot [N, K] (argmax). */
function classIndices(t: Tensor, where: string, name: string): { indices: Int32Array; width: number | null } {
  if (t.ndim === 2) {
    const [n, k] = t.shape;
    const v = t._f32(where);
    const indices = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let j = 1; j < k; j++) if (v[i * k + j] > v[i * k + best]) best = j;
      indices[i] = best;
    }
    return { indices, width: k };
  }
  if (t.ndim !== 1) throw new RangeError(`${where}: ${name} must be class indices [N] or scores [N, classes], got ${formatShape(t.shape)}`);
  const v = t._typed();
  const indices = new Int32Array(v.length);
  for (let i = 0; i < v.length; i++) {
    if (!Number.isInteger(v[i]) || v[i] < 0) throw new RangeError(`${where}: ${name}[${i}] is ${v[i]}, not a class index (an integer >= 0)`);
    indices[i] = v[i];
  }
  return { indices, width: null };
}

function asTensorArg(v: unknown, where: string, name: string): Tensor {
  if (Array.isArray(v)) return toTensor({ data: Float32Array.from(v as number[]), shape: [v.length] }, where, name);
  return toTensor(v as TensorOrArray, where, name);
}

/** Labels given as a tensor, an array, or the y of { x, y } data. */
function labelsOf(data: unknown, where: string): Tensor {
  if (data !== null && typeof data === 'object' && !(data instanceof Tensor) && !Array.isArray(data) && 'y' in data && 'x' in data) {
    return asTensorArg((data as { y: unknown }).y, where, 'data.y');
  }
  return asTensorArg(data, where, 'labels');
}

/** Predicted and true class indices of every sample of data, running the model batch by batch. */
async function runModel(model: AnyModule, data: unknown, batchSize: number, where: string): Promise<{ predicted: number[]; truth: number[]; width: number | null }> {
  const d = checkData(data, where);
  const predicted: number[] = [];
  const truth: number[] = [];
  let width: number | null = null;
  const yielder = new EventLoopYielder();
  await withMode(model, false, () =>
    noGrad(async () => {
      for await (const b of iterateBatches(d, batchSize, null, where)) {
        const out = model.call(b.x);
        if (!(out instanceof Tensor)) throw new TypeError(`${where}: the model must output one tensor of scores [N, classes], got ${describe(out)}`);
        if (!(b.y instanceof Tensor)) throw new TypeError(`${where}: data must hold one label tensor y`);
        const p = classIndices(out, where, 'the model output');
        width = p.width;
        for (const v of p.indices) predicted.push(v);
        for (const v of classIndices(b.y, where, 'data.y').indices) truth.push(v);
        await yielder.maybeYield();
      }
    }),
  );
  return { predicted, truth, width };
}

function normalized(counts: number[][], how: ConfusionNormalize): number[][] {
  const k = counts.length;
  const divide = (v: number, d: number) => (d === 0 ? 0 : v / d);
  if (how === 'none') return counts.map((r) => r.slice());
  if (how === 'true') return counts.map((r) => r.map((v) => divide(v, r.reduce((a, b) => a + b, 0))));
  if (how === 'all') {
    const total = counts.flat().reduce((a, b) => a + b, 0);
    return counts.map((r) => r.map((v) => divide(v, total)));
  }
  const columns = Array.from({ length: k }, (_, j) => counts.reduce((s, r) => s + r[j], 0));
  return counts.map((r) => r.map((v, j) => divide(v, columns[j])));
}

/**
 * The confusion matrix of `model` over `data` ({ x, y } tensors, a
 * data.Dataset, or an iterable of batches), or of given `predictions`
 * (scores [N, classes] or class indices [N], tensor or array) against
 * `data`'s labels (a tensor or array [N], or the y of { x, y }).
 */
export async function confusionMatrix(
  modelOrPredictions: AnyModule | Tensor | readonly number[], data: DataSpec | Tensor | readonly number[], options: ConfusionMatrixOptions = {},
): Promise<ConfusionMatrix> {
  const where = 'confusionMatrix';
  rejectUnknownOptions(options, ['classNames', 'normalize', 'numClasses', 'batchSize'], where);
  const normalize = options.normalize ?? 'none';
  if (!['none', 'true', 'pred', 'all'].includes(normalize)) throw new RangeError(`${where}: normalize must be 'none', 'true', 'pred' or 'all', got ${JSON.stringify(normalize)}`);
  const names = options.classNames;
  if (names !== undefined && (!Array.isArray(names) || names.length === 0 || !names.every((n) => typeof n === 'string'))) {
    throw new TypeError(`${where}: classNames must be a non-empty array of strings`);
  }
  let predicted: ArrayLike<number>;
  let truth: ArrayLike<number>;
  let width: number | null;
  if (modelOrPredictions instanceof Module) {
    const r = await runModel(modelOrPredictions as AnyModule, data, checkBatchSize(options.batchSize ?? 32, where), where);
    [predicted, truth, width] = [r.predicted, r.truth, r.width];
  } else {
    const p = classIndices(asTensorArg(modelOrPredictions, where, 'predictions'), where, 'predictions');
    [predicted, width] = [p.indices, p.width];
    truth = classIndices(labelsOf(data, where), where, 'labels').indices;
    if (truth.length !== predicted.length) throw new RangeError(`${where}: ${predicted.length} predictions but ${truth.length} labels`);
  }
  let seen = 1;
  for (let i = 0; i < truth.length; i++) seen = Math.max(seen, truth[i] + 1, predicted[i] + 1);
  const k = integerOption(options.numClasses, names?.length ?? width ?? seen, 1, where, 'numClasses');
  if (names !== undefined && names.length !== k) throw new RangeError(`${where}: ${names.length} classNames for ${k} classes`);
  const counts = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < truth.length; i++) {
    if (truth[i] >= k || predicted[i] >= k) throw new RangeError(`${where}: sample ${i} has class ${Math.max(truth[i], predicted[i])}, outside the ${k} classes`);
    counts[truth[i]][predicted[i]]++;
  }
  const diagonal = counts.reduce((s, r, i) => s + r[i], 0);
  return {
    counts,
    values: normalized(counts, normalize),
    normalize,
    classNames: names?.slice() ?? counts.map((_, i) => String(i)),
    total: truth.length,
    accuracy: truth.length === 0 ? 0 : diagonal / truth.length,
  };
}
