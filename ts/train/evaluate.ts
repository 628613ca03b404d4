/** evaluate and predict: one pass in evaluation mode without recording the graph. */
import type { Tensor } from '../tensor/tensor';
import { noGrad } from '../autograd/grad-mode';
import { concat } from '../ops';
import type { Module } from '../nn/module';
import { withMode } from '../nn/mode';
import { BatchIterable, DataSpec, TensorData, TensorOrArray, checkData, iterateBatches, takeRows, toTensor } from './batches';
import { LossFn, LossSpec, resolveLoss } from './losses';
import { Metric, MetricSpec, RunningMeans, resolveMetrics } from './metrics';
import { EventLoopYielder } from './yielder';
import { rejectUnknownOptions } from '../options';
import { recycleIntermediate } from '../optim/recycle';

export interface EvaluateOptions {
  /** Samples per batch for in-memory data (default 32). */
  batchSize?: number;
  /** Loss to report (a name or a function); omitted, only the metrics are computed. */
  loss?: LossSpec;
  /** Metrics to report (default ['accuracy']). */
  metrics?: MetricSpec[];
}

export function checkBatchSize(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw new RangeError(`${where}: batchSize must be a positive integer, got ${String(v)}`);
  return v;
}

export function accuracyThreshold(loss: LossSpec | undefined): number {
  return loss === 'binaryCrossEntropyWithLogits' ? 0 : 0.5;
}

/** Mean loss and metrics over data (no `val_` prefix); used by `fit` for validation too. */
export async function evaluateLogs(
  model: Module, data: TensorData | BatchIterable, batchSize: number, loss: LossFn | null, metrics: Metric[], where: string,
): Promise<Record<string, number>> {
  const running = new RunningMeans();
  const yielder = new EventLoopYielder();
  // Evaluation mode for this call only (its awaits included): a fit on the same model meanwhile keeps its dropout.
  await withMode(model, false, () =>
    noGrad(async () => {
      for await (const b of iterateBatches(data, batchSize, null, where)) {
        const pred = model.call(b.x);
        const values: Record<string, number> = {};
        if (loss !== null) values.loss = loss(pred, b.y).item();
        for (const m of metrics) values[m.name] = m.fn(pred, b.y);
        running.add(values, b.x.shape[0]);
        recycleIntermediate(pred);
        if (b.owned) {
          recycleIntermediate(b.x);
          recycleIntermediate(b.y);
        }
        await yielder.maybeYield();
      }
    }),
  );
  return running.means();
}

/** Loss and metrics of the model on data, averaged over samples. */
export async function evaluate(model: Module, data: DataSpec, options: EvaluateOptions = {}): Promise<Record<string, number>> {
  const where = 'evaluate';
  rejectUnknownOptions(options, ['batchSize', 'loss', 'metrics'], where);
  const d = checkData(data, where);
  const batchSize = checkBatchSize(options.batchSize ?? 32, where);
  const loss = options.loss === undefined ? null : resolveLoss(options.loss, where);
  const metrics = resolveMetrics(options.metrics ?? ['accuracy'], accuracyThreshold(options.loss), where);
  return evaluateLogs(model, d, batchSize, loss, metrics, where);
}

export interface PredictOptions {
  /** Samples per batch (default 32). */
  batchSize?: number;
}

/** The model's outputs for every row of x (a tensor or a { data, shape } array), in evaluation mode, concatenated along the first dimension. */
export async function predict(model: Module, input: TensorOrArray, options: PredictOptions = {}): Promise<Tensor> {
  const where = 'predict';
  rejectUnknownOptions(options, ['batchSize'], where);
  const x = toTensor(input, where, 'x');
  const batchSize = checkBatchSize(options.batchSize ?? 32, where);
  if (x.shape.length === 0) throw new RangeError(`${where}: x needs a first (sample) dimension`);
  const n = x.shape[0];
  const outputs: Tensor[] = [];
  const yielder = new EventLoopYielder();
  // Evaluation mode for this call only (its awaits included): a fit on the same model meanwhile keeps its dropout.
  await withMode(model, false, () =>
    noGrad(async () => {
      if (n <= batchSize) {
        outputs.push(model.call(x));
        return;
      }
      for (let start = 0; start < n; start += batchSize) {
        outputs.push(model.call(takeRows(x, start, Math.min(n, start + batchSize))));
        await yielder.maybeYield();
      }
    }),
  );
  if (outputs.length === 0) throw new RangeError(`${where}: x has no samples`);
  return outputs.length === 1 ? outputs[0] : concat(outputs, 0);
}
