/** evaluate: one pass in evaluation mode without recording the graph, averaging the loss and metrics. */
import type { Tensor } from '../tensor/tensor';
import { noGrad } from '../autograd/grad-mode';
import type { AnyModule, ModuleOutput } from '../nn/module';
import { withMode } from '../nn/mode';
import { BatchIterable, DataSpec, TargetsFor, TensorData, checkData, iterateBatches, targetTensors } from './batches';
import { LossSpecFor, LossWeightsFor, MetricsFor, Objective } from './objective';
import { RunningMeans } from './metrics';
import { OutputOf, Targets } from './outputs';
import { EventLoopYielder } from './yielder';
import { rejectUnknownOptions } from '../options';
import { recycleIntermediate } from '../optim/recycle';

export interface EvaluateOptions<Out extends ModuleOutput = Tensor> {
  /** Samples per batch for in-memory data (default 32). */
  batchSize?: number;
  /** Loss to report (a name or a function; one per output for a model with several); omitted, only the metrics are computed. */
  loss?: LossSpecFor<Out>;
  /** Weights of the outputs' losses in the reported `loss`, for a model with several outputs (default 1 each). */
  lossWeights?: LossWeightsFor<Out>;
  /** Metrics to report (default ['accuracy'], for every output); see objective.ts for how they are named per output. */
  metrics?: MetricsFor<Out>;
}

export function checkBatchSize(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw new RangeError(`${where}: batchSize must be a positive integer, got ${String(v)}`);
  return v;
}

/** Mean loss and metrics over data (no `val_` prefix); used by `fit` for validation too. */
export async function evaluateLogs(
  model: AnyModule, data: TensorData<Targets> | BatchIterable, batchSize: number, objective: Objective, where: string,
): Promise<Record<string, number>> {
  const running = new RunningMeans();
  const yielder = new EventLoopYielder();
  // Evaluation mode for this call only (its awaits included): a fit on the same model meanwhile keeps its dropout.
  await withMode(model, false, () =>
    noGrad(async () => {
      for await (const b of iterateBatches(data, batchSize, null, where)) {
        const pred = model.call(b.x);
        const { loss, values } = objective.compute(pred, b.y, where);
        const logs: Record<string, number> = loss === null ? values : { loss: loss.item(), ...values };
        running.add(logs, b.x.shape[0]);
        for (const t of targetTensors(pred)) recycleIntermediate(t);
        if (b.owned) {
          recycleIntermediate(b.x);
          for (const t of targetTensors(b.y)) recycleIntermediate(t);
        }
        await yielder.maybeYield();
      }
    }),
  );
  return orderLogs(running.means(), objective.logNames());
}

/** The values named in `names`, in that order, optionally prefixed. */
export function orderLogs(values: Record<string, number>, names: readonly string[], prefix = ''): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of names) if (k in values) out[prefix + k] = values[k];
  return out;
}

/**
 * Loss and metrics of the model on data, averaged over samples. For a model
 * with several outputs, y holds one target per output and the values are
 * named per output (`main_loss`, `aux_accuracy`) besides the weighted `loss`.
 */
export async function evaluate<M extends AnyModule>(
  model: M, data: DataSpec<TargetsFor<OutputOf<M>>>, options: EvaluateOptions<OutputOf<M>> = {},
): Promise<Record<string, number>> {
  const where = 'evaluate';
  rejectUnknownOptions(options, ['batchSize', 'loss', 'lossWeights', 'metrics'], where);
  const d = checkData(data, where);
  const batchSize = checkBatchSize(options.batchSize ?? 32, where);
  const objective = new Objective({ loss: options.loss, lossWeights: options.lossWeights, metrics: options.metrics ?? ['accuracy'] }, where);
  return evaluateLogs(model, d, batchSize, objective, where);
}
