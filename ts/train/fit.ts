/**
 * fit: the training loop (Keras's model.fit). Each batch: zeroGrad, forward,
 * loss, backward, optimizer step; metrics read from the predictions; epoch
 * means logged, validation after each epoch, callbacks at every stage, a
 * progress bar, and the event loop served between batches so a server keeps
 * answering while it trains.
 *
 * Regularization: the logged `loss` is the data loss plus every penalty (those
 * attached to layers, which also enter the gradients through the graph, and
 * those of the optimizer's parameter groups, applied in its step); `val_loss`
 * is the data loss alone. Constraints (max-norm) are applied after each step.
 *
 * Several outputs: a model whose forward returns an array or a record of
 * tensors trains on targets laid out the same way, with a loss per output
 * (`loss`, `lossWeights`, `metrics` as Keras's compile; the rules are in
 * objective.ts). `loss` is then the weighted total and each output's loss is
 * logged as `<output>_loss`, its metrics as `<output>_<metric>`.
 */
import { backward } from '../autograd/engine';
import { Generator, rand, withGenerator } from '../tensor/random';
import { recycleIntermediate } from '../optim/recycle';
import type { AnyModule, ModuleOutput } from '../nn/module';
import { withMode } from '../nn/mode';
import type { Optimizer } from '../optim/optimizer';
import {
  BatchIterable, DataSpec, TargetsFor, TensorData, batchCount, checkData, isTensorData, iterateBatches, mapTargets, seededRandom, takeRows, targetTensors,
} from './batches';
import { Callback, Logs, TrainingContext, runHook } from './callback';
import { checkBatchSize, evaluateLogs, orderLogs } from './evaluate';
import { History } from './history';
import { LossSpecFor, LossWeightsFor, MetricsFor, Objective } from './objective';
import { RunningMeans } from './metrics';
import type { OutputOf, Targets } from './outputs';
import { ProgressBar, ProgressStream, Verbosity } from './progress';
import { EventLoopYielder } from './yielder';
import { rejectUnknownOptions } from '../options';
import { collect } from '../regularize/model-policies';
import { clipGradNorm, clipGradValue } from '../regularize/clip';
import type { Tensor } from '../tensor/tensor';

export interface FitOptions<Out extends ModuleOutput = Tensor> {
  /** The optimizer that updates the model's parameters. */
  optimizer: Optimizer;
  /**
   * A loss name ('crossEntropy', 'mse', 'binaryCrossEntropyWithLogits') or (pred, target) => scalar tensor;
   * for a model with several outputs, one for all or one per output (an array or a record keyed by output name).
   */
  loss: LossSpecFor<Out>;
  /** For a model with several outputs: each output's weight in the minimised loss (an array or a record; default 1 each). */
  lossWeights?: LossWeightsFor<Out>;
  /** Passes over the training data (default 1). */
  epochs?: number;
  /** Samples per batch for in-memory data (default 32; a DataLoader batches itself). */
  batchSize?: number;
  /**
   * Metrics logged as `name` and `val_name` (e.g. ['accuracy']). With several outputs a list applies to every
   * output and is logged as `<output>_<name>`; a record keyed by output name applies each list to its output only.
   */
  metrics?: MetricsFor<Out>;
  /** Data evaluated after every epoch, logged with a `val_` prefix. */
  validationData?: DataSpec<TargetsFor<Out>>;
  /** Fraction of in-memory training data (the last rows, before shuffling) held out for validation. */
  validationSplit?: number;
  /** Batch size for validation (default batchSize). */
  validationBatchSize?: number;
  callbacks?: Callback[];
  /** Reshuffle in-memory training data every epoch (default true). */
  shuffle?: boolean;
  /** Seed of the shuffling order (default: drawn from the global generator, see dd.manualSeed). */
  seed?: number;
  /** 0 silent, 1 progress bar on a terminal / a line per epoch otherwise (default), 2 a line per epoch. */
  verbose?: Verbosity;
  /** Epoch to start counting from, when resuming (default 0). */
  initialEpoch?: number;
  /** Where progress is written (default process.stderr). */
  progressStream?: ProgressStream;
  /** Rescale the gradients after backward so their global L2 norm is at most this (dd.clipGradNorm). */
  clipNorm?: number;
  /** Clamp every gradient element to [-clipValue, clipValue] after backward (dd.clipGradValue); applied before clipNorm. */
  clipValue?: number;
  /**
   * Per-batch transform of the training inputs (never of validation data), e.g.
   * dd.data.augment.compose([...], { seed }); called with the epoch and batch index.
   */
  augment?: { transform(x: Tensor, epoch: number, batch: number): Tensor };
  /**
   * The random stream of this training (a dd.Generator): dropout masks, and the
   * shuffling seed when `seed` is not given, are drawn from it instead of the
   * global stream, so trainings interleaved on one event loop stay reproducible.
   */
  generator?: Generator;
}

const FIT_OPTIONS = [
  'optimizer', 'loss', 'lossWeights', 'epochs', 'batchSize', 'metrics', 'validationData', 'validationSplit', 'validationBatchSize', 'callbacks',
  'shuffle', 'seed', 'verbose', 'initialEpoch', 'progressStream', 'clipNorm', 'clipValue', 'augment', 'generator',
] as const;

function checkOptions(options: FitOptions<ModuleOutput>): void {
  if (!options || typeof options !== 'object') throw new TypeError('fit: options { optimizer, loss, … } are required');
  rejectUnknownOptions(options, FIT_OPTIONS, 'fit');
  if (!options.optimizer || typeof options.optimizer.step !== 'function') throw new TypeError('fit: options.optimizer must be an optimizer (e.g. new dd.optim.Adam(model.parameters()))');
  if (options.loss === undefined) throw new TypeError("fit: options.loss is required (e.g. 'crossEntropy')");
  const epochs = options.epochs ?? 1;
  if (!Number.isInteger(epochs) || epochs < 0) throw new RangeError(`fit: epochs must be a non-negative integer, got ${epochs}`);
  const split = options.validationSplit;
  if (split !== undefined && !(split > 0 && split < 1)) throw new RangeError(`fit: validationSplit must be in (0, 1), got ${split}`);
  if (split !== undefined && options.validationData !== undefined) throw new RangeError('fit: give validationData or validationSplit, not both');
  const v = options.verbose ?? 1;
  if (v !== 0 && v !== 1 && v !== 2) throw new RangeError(`fit: verbose must be 0, 1 or 2, got ${String(v)}`);
  for (const k of ['clipNorm', 'clipValue'] as const) {
    const c = options[k];
    if (c !== undefined && !(typeof c === 'number' && Number.isFinite(c) && c > 0)) throw new RangeError(`fit: ${k} must be a finite number > 0, got ${String(c)}`);
  }
  if (options.generator !== undefined && !(options.generator instanceof Generator)) {
    throw new TypeError('fit: generator must be a dd.Generator (new dd.Generator(seed))');
  }
  if (options.augment !== undefined && typeof options.augment?.transform !== 'function') {
    throw new TypeError('fit: augment must have a transform(x, epoch, batch) method (e.g. dd.data.augment.compose([...]))');
  }
}

/** Splits off the last `fraction` of the rows as validation data, as Keras does. */
function splitValidation(d: TensorData<Targets> | BatchIterable, fraction: number): { train: TensorData<Targets>; validation: TensorData<Targets> } {
  if (!isTensorData(d)) throw new TypeError('fit: validationSplit needs in-memory data { x, y }; give a DataLoader validationData instead');
  const n = d.x.shape[0];
  const cut = n - Math.round(n * fraction);
  if (cut <= 0 || cut >= n) throw new RangeError(`fit: validationSplit ${fraction} of ${n} samples leaves an empty side`);
  return {
    train: { x: takeRows(d.x, 0, cut), y: mapTargets(d.y, (t) => takeRows(t, 0, cut)) },
    validation: { x: takeRows(d.x, cut, n), y: mapTargets(d.y, (t) => takeRows(t, cut, n)) },
  };
}

/**
 * Trains the model and returns the per-epoch History. The training batches
 * run in training mode and validation in evaluation mode, whatever the
 * model's stored mode (train()/eval()), which fit leaves as it was.
 */
export async function fit<M extends AnyModule>(model: M, trainData: DataSpec<TargetsFor<OutputOf<M>>>, options: FitOptions<OutputOf<M>>): Promise<History> {
  checkOptions(options as FitOptions<ModuleOutput>);
  let train = checkData(trainData, 'fit');
  let validation = options.validationData === undefined ? undefined : checkData(options.validationData, 'fit (validationData)');
  if (options.validationSplit !== undefined) {
    const s = splitValidation(train, options.validationSplit);
    train = s.train;
    validation = s.validation;
  }
  const epochs = options.epochs ?? 1;
  const initialEpoch = options.initialEpoch ?? 0;
  const batchSize = checkBatchSize(options.batchSize ?? 32, 'fit');
  const validationBatchSize = checkBatchSize(options.validationBatchSize ?? batchSize, 'fit (validationBatchSize)');
  const objective = new Objective({ loss: options.loss, lossWeights: options.lossWeights, metrics: options.metrics }, 'fit');
  const callbacks = [...(options.callbacks ?? [])];
  const optimizer = options.optimizer;
  const hasRegularizers = optimizer.paramGroups.some((g) => g.regularizers.length > 0);
  // Penalties and constraints attached to the model's layers: the penalties join the loss (and so the gradients).
  const attached = collect(model);
  const clipped = options.clipNorm !== undefined || options.clipValue !== undefined ? optimizer.paramGroups.flatMap((g) => g.params) : [];
  const shuffle = options.shuffle ?? true;
  const generator = options.generator;
  const drawing = <T>(fn: () => T): T => (generator === undefined ? fn() : withGenerator(generator, fn));
  const seed = options.seed ?? drawing(() => Math.floor(rand([1]).data[0] * 4294967296));
  const random = shuffle ? seededRandom(seed) : null;
  const steps = batchCount(train, batchSize);
  const progress = new ProgressBar(options.verbose ?? 1, options.progressStream);
  const history = new History({ epochs, batchSize, steps, samples: isTensorData(train) ? train.x.shape[0] : undefined });
  const ctx: TrainingContext = { model, optimizer, epochs, stepsPerEpoch: steps, history, stopTraining: false };
  const yielder = new EventLoopYielder();

  await runHook(callbacks, 'onTrainBegin', {}, ctx);
  for (let epoch = initialEpoch; epoch < epochs && !ctx.stopTraining; epoch++) {
    await runHook(callbacks, 'onEpochBegin', epoch, {}, ctx);
    progress.epochBegin(epoch, epochs, steps);
    const running = new RunningMeans();
    let batch = 0;
    for await (const b of iterateBatches(train, batchSize, random, 'fit')) {
      const size = b.x.shape[0];
      await runHook(callbacks, 'onBatchBegin', batch, { batch, size }, ctx);
      // The previous step consumed the gradients: their memory is reused (see optim/recycle.ts).
      optimizer.zeroGrad({ recycle: true });
      const x = options.augment ? options.augment.transform(b.x, epoch, batch) : b.x;
      // Training mode (and this fit's random stream) for this forward only: a predict awaiting
      // meanwhile on the same model cannot turn dropout off here, nor another fit take our draws.
      const pred = drawing(() => withMode(model, true, () => model.call(x)));
      // Metrics read the predictions before backward, which may recycle their memory.
      const { loss: dataLoss, values } = objective.compute(pred, b.y, 'fit');
      const loss = attached.addPenalty(dataLoss as Tensor);
      values.loss = loss.item() + (hasRegularizers ? optimizer.regularizationPenalty() : 0);
      // Activations go back to the buffer pool once backward has used them: the next batch reuses them.
      backward(loss, null, { freeActivations: true });
      if (options.clipValue !== undefined) clipGradValue(clipped, options.clipValue);
      if (options.clipNorm !== undefined) clipGradNorm(clipped, options.clipNorm);
      optimizer.step();
      attached.applyConstraints();
      if (b.owned) {
        recycleIntermediate(b.x);
        for (const t of targetTensors(b.y)) recycleIntermediate(t);
      }
      // An augmented batch is fit's own too (pinned memory, such as a tensor the user made, is left alone).
      if (x !== b.x) recycleIntermediate(x);
      running.add(values, size);
      batch++;
      progress.batchEnd(batch, running.means());
      await runHook(callbacks, 'onBatchEnd', batch - 1, { ...values, batch: batch - 1, size }, ctx);
      if (ctx.stopTraining) break;
      await yielder.maybeYield();
    }
    const logs: Logs = orderLogs(running.means(), objective.logNames());
    if (validation !== undefined) {
      const v = await evaluateLogs(model, validation, validationBatchSize, objective, 'fit (validation)');
      Object.assign(logs, orderLogs(v, objective.logNames(), 'val_'));
    }
    logs.lr = optimizer.paramGroups[0].lr;
    history.record(epoch, logs);
    progress.epochEnd(batch, logs);
    await runHook(callbacks, 'onEpochEnd', epoch, logs, ctx);
  }
  await runHook(callbacks, 'onTrainEnd', {}, ctx);
  return history;
}
