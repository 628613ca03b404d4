/**
 * fitInWorker: `fit` on a worker thread, so the caller's event loop never
 * runs a training step. The model travels as its description plus weights
 * (what saveModel writes), the optimizer as its class, groups and state, the
 * data as typed arrays (shared, transferred or copied), the callbacks as
 * their settings. The job reports progress as events (and as an async
 * iterator), stops at the next batch when its AbortSignal fires, and on the
 * way out puts the trained weights (and optimizer state) back into the
 * caller's model and optimizer. A throw or a crash in the worker rejects the
 * job with the worker's error; it never takes the host down.
 *
 *   const job = dd.fitInWorker(model, train, { optimizer, loss: 'crossEntropy', epochs: 3, signal });
 *   job.on('epoch', ({ epoch, logs }) => console.log(epoch, logs));
 *   const history = await job;
 *
 * A model with several outputs trains as with `fit`: y holds one target per
 * output (an array or a record), each shipped as its own typed array, and
 * loss, lossWeights and metrics are names and numbers per output.
 */
import { EventEmitter } from 'events';
import { Worker } from 'worker_threads';
import { backendInfo } from '../backend';
import { describeLayers } from '../io/model-description';
import { AnyModule, Module, StateDict } from '../nn/module';
import { Optimizer } from '../optim/optimizer';
import { Generator, getRngState } from '../tensor/random';
import { checkData, isTensorData, SampleData, targetsLayout } from '../train/batches';
import type { Callback } from '../train/callback';
import type { SchedulerCallback } from '../train/callbacks';
import { History } from '../train/history';
import type { LossName } from '../train/losses';
import { isRecord, mapLeaves, PerOutput } from '../train/outputs';
import { RunningMeans } from '../train/metrics';
import { ProgressBar, ProgressStream, Verbosity } from '../train/progress';
import type { Tensor } from '../tensor/tensor';
import { rejectUnknownOptions } from '../options';
import { describeCallback } from './callback-specs';
import { describeOptimizer, OptimizerConfig } from './optimizer-spec';
import { describeAttached } from './policy-spec';
import { checkSetupSpecifier } from './setup-module';
import { revive, stateDictToMessage, tensorToMessage, TensorMessage, transferList } from './tensor-messages';
import type { PlainFitSettings, SamplesMessage, TrainingJobSpec, TrainingWorkerToHost } from './training-protocol';
import { errorFromMessage } from './worker-errors';
import { defaultWorkerThreads, maxWorkerThreads, workerScript } from './worker-script';

export interface WorkerFitOptions extends Omit<PlainFitSettings, 'loss'> {
  /** An optimizer built on the model's parameters (its groups and state travel along), or { type: 'Adam', lr, … }. */
  optimizer: Optimizer | OptimizerConfig;
  /** A loss by name (or, for a model with several outputs, one per output); a loss written as code comes from the setup module's configure(). */
  loss?: PerOutput<LossName>;
  /** Held-out samples { x, y } evaluated after every epoch. */
  validationData?: SampleData;
  /** dd.callbacks' ready-made callbacks (earlyStopping, learningRateScheduler, terminateOnNaN, modelCheckpoint). */
  callbacks?: Callback[];
  /** A module the worker imports first (custom layers via dd.io.registerLayer) and whose configure() may add callbacks, a loss, metrics, augmentation. */
  setup?: string;
  /** Plain data handed to the setup module's configure(). */
  setupOptions?: unknown;
  /** Kernel threads of the worker (default: every core but one, at least 1). */
  threads?: number;
  /** 'low' (default) runs the worker's threads at a lower OS priority, so the caller's event loop wins the CPU when it needs it. */
  priority?: 'low' | 'normal';
  /** Stops training at the next batch; the job then resolves with the epochs so far and the weights so far. */
  signal?: AbortSignal;
  /** Emit a 'batch' event after every batch (default true). */
  batchEvents?: boolean;
  /** Send the weights with every 'epoch' event (as `weights`, a state dict), e.g. to hot-swap them into an inference pool (default false). */
  weightsEveryEpoch?: boolean;
  /** Move the training data's memory to the worker instead of copying it (default false); the caller's x and y become unusable. Shared memory (dd.share) is never copied. */
  transferData?: boolean;
  /** The job's random stream: the worker draws from a copy of it, and the caller's generator moves on to where the job's ended. */
  generator?: Generator;
  /** 0 silent (default), 1 a progress bar on a terminal, 2 a line per epoch, drawn here from the worker's events. */
  verbose?: Verbosity;
  progressStream?: ProgressStream;
}

const KNOWN_OPTIONS = [
  'optimizer', 'loss', 'lossWeights', 'epochs', 'batchSize', 'metrics', 'validationData', 'validationSplit', 'validationBatchSize', 'shuffle', 'seed',
  'initialEpoch', 'clipNorm', 'clipValue', 'callbacks', 'setup', 'setupOptions', 'threads', 'priority', 'signal', 'batchEvents',
  'weightsEveryEpoch', 'transferData', 'verbose', 'progressStream', 'generator',
];

export interface BatchEvent { epoch: number; batch: number; logs: Record<string, number> }
export interface EpochEvent { epoch: number; logs: Record<string, number>; weights?: StateDict }
export type TrainingEvent =
  | ({ type: 'batch' } & BatchEvent)
  | ({ type: 'epoch' } & EpochEvent);

const WHERE = 'fitInWorker';

function checkOptions(options: WorkerFitOptions): void {
  if (options === null || typeof options !== 'object') throw new TypeError(`${WHERE}: options { optimizer, loss, … } are required`);
  rejectUnknownOptions(options, KNOWN_OPTIONS, WHERE);
  if (options.optimizer === undefined) throw new TypeError(`${WHERE}: options.optimizer is required (an Optimizer, or { type: 'Adam', lr: 1e-3 })`);
  const loss = options.loss;
  const losses = Array.isArray(loss) || isRecord(loss) ? Object.values(loss) : [loss];
  if (loss !== undefined && !losses.every((l) => typeof l === 'string')) {
    throw new TypeError(`${WHERE}: loss must be a name ('crossEntropy', 'mse', 'binaryCrossEntropyWithLogits'), or names per output; a loss written as code comes from the setup module`);
  }
  const metrics: unknown = options.metrics ?? [];
  const flat = Array.isArray(metrics) && metrics.every((m) => !Array.isArray(m));
  const lists = flat ? [metrics] : Array.isArray(metrics) || isRecord(metrics) ? Object.values(metrics) : [metrics];
  for (const list of lists) {
    if (!Array.isArray(list) || list.some((m) => m !== 'accuracy')) {
      throw new TypeError(`${WHERE}: metrics must be names ('accuracy'), or lists of names per output; metrics written as code come from the setup module`);
    }
  }
  const t = options.threads;
  const most = maxWorkerThreads(backendInfo().hardwareThreads);
  if (t !== undefined && !(Number.isInteger(t) && t >= 1 && t <= most)) throw new RangeError(`${WHERE}: threads must be an integer in [1, ${most}] (4 per core), got ${String(t)}`);
  if (options.priority !== undefined && options.priority !== 'low' && options.priority !== 'normal') {
    throw new RangeError(`${WHERE}: priority must be 'low' or 'normal', got ${String(options.priority)}`);
  }
  if (options.generator !== undefined && !(options.generator instanceof Generator)) throw new TypeError(`${WHERE}: generator must be a dd.Generator`);
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) throw new TypeError(`${WHERE}: signal must be an AbortSignal`);
  checkSetupSpecifier(options.setup, WHERE);
}

function samplesMessage(data: unknown, where: string, transfer: boolean, buffers: ArrayBuffer[]): SamplesMessage {
  const d = checkData(data, where);
  if (!isTensorData(d)) throw new TypeError(`${where}: a worker job trains on in-memory samples { x, y }; an iterable of batches cannot cross threads`);
  // Shared memory is never copied; other memory is copied by postMessage, or moved when asked.
  const one = (t: Tensor): TensorMessage => (transfer ? moveable(tensorToMessage(t, false), buffers) : tensorToMessage(t, false));
  // Targets per output keep their layout: each becomes a message of its own.
  return { x: one(d.x), y: mapLeaves(d.y, targetsLayout(d.y), one) };
}

/** An abort reason in words (AbortSignal.abort() gives a DOMException 'This operation was aborted'). */
function abortText(reason: unknown): string {
  return reason instanceof Error || (reason !== null && typeof reason === 'object' && 'message' in reason)
    ? String((reason as { message: unknown }).message)
    : String(reason ?? 'aborted');
}

function moveable<T>(value: T, buffers: ArrayBuffer[]): T {
  buffers.push(...transferList(value));
  return value;
}

function historyFrom(h: { epoch: number[]; history: Record<string, number[]>; params: Record<string, unknown>; stoppedEpoch?: number; stopReason?: string }): History {
  const out = new History(h.params);
  out.epoch.push(...h.epoch);
  Object.assign(out.history, h.history);
  out.stoppedEpoch = h.stoppedEpoch;
  out.stopReason = h.stopReason;
  return out;
}

/** A training job running on a worker thread: a Promise of the History, an EventEmitter of progress, an async iterator of events. */
export class TrainingJob extends EventEmitter implements PromiseLike<History>, AsyncIterable<TrainingEvent> {
  /** The worker thread (terminate() it to kill the job at once: the job rejects). */
  readonly worker: Worker;
  private readonly result: Promise<History>;
  private settled = false;
  private readonly queue: TrainingEvent[] = [];
  private wake: (() => void) | null = null;
  private iterators = 0;

  /** @internal Made by fitInWorker(). */
  constructor(model: AnyModule, optimizer: Optimizer | OptimizerConfig, spec: TrainingJobSpec, transfer: ArrayBuffer[], options: WorkerFitOptions) {
    super();
    this.worker = new Worker(workerScript('training-worker'), { workerData: spec, transferList: transfer });
    const progress = new ProgressBar(options.verbose ?? 0, options.progressStream);
    let running = new RunningMeans();
    let batches = 0;
    this.result = new Promise<History>((resolve, reject) => {
      const settle = (fn: () => void): void => {
        if (this.settled) return;
        this.settled = true;
        options.signal?.removeEventListener('abort', onAbort);
        fn();
        this.wakeIterator();
      };
      const onAbort = (): void => {
        this.worker.postMessage({ type: 'abort', reason: abortText(options.signal?.reason) });
      };
      // A signal that fired before the start travels in the job's description instead.
      if (!options.signal?.aborted) options.signal?.addEventListener('abort', onAbort, { once: true });
      this.worker.on('message', (m: TrainingWorkerToHost) => {
        switch (m.type) {
          case 'started':
            this.emit('started', { threads: m.threads, isa: m.isa });
            break;
          case 'epochBegin':
            running = new RunningMeans();
            batches = 0;
            progress.epochBegin(m.epoch, m.epochs, m.steps);
            break;
          case 'batch': {
            const { size, batch: _b, ...values } = m.logs;
            running.add(values, size);
            progress.batchEnd(++batches, running.means());
            this.push({ type: 'batch', epoch: m.epoch, batch: m.batch, logs: m.logs });
            break;
          }
          case 'epoch':
            progress.epochEnd(batches, m.logs);
            this.push({ type: 'epoch', epoch: m.epoch, logs: m.logs, weights: m.weights === undefined ? undefined : revive<StateDict>(m.weights) });
            break;
          case 'done':
            settle(() => {
              try {
                model.loadStateDict(revive(m.weights));
                if (optimizer instanceof Optimizer) optimizer._adoptStateDict(m.optimizerState);
                if (m.generatorState !== undefined) options.generator?.setState(m.generatorState);
                // The caller's schedules catch up with the steps their twins took in the worker.
                (options.callbacks ?? []).forEach((cb, i) => {
                  const state = m.schedulerStates[i];
                  if (state !== null && state !== undefined) (cb as SchedulerCallback).scheduler.loadStateDict(state as never);
                });
                resolve(historyFrom(m.history));
              } catch (e) {
                reject(e);
              }
            });
            void this.worker.terminate();
            break;
          case 'error':
            settle(() => reject(errorFromMessage(m.error, 'the training worker')));
            void this.worker.terminate();
            break;
        }
      });
      this.worker.on('error', (e) => settle(() => reject(e)));
      this.worker.on('messageerror', (e) => settle(() => reject(e)));
      this.worker.on('exit', (code) => {
        settle(() => reject(new Error(`${WHERE}: the training worker stopped (exit code ${code}) before the job finished`)));
      });
    });
    // The job's own promise never counts as an unhandled rejection; whoever awaits it gets the error.
    this.result.catch(() => undefined);
  }

  private push(event: TrainingEvent): void {
    const { type, ...payload } = event;
    this.emit(type, payload);
    if (this.iterators > 0) {
      this.queue.push(event);
      this.wakeIterator();
    }
  }

  private wakeIterator(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  then<R1 = History, R2 = never>(onfulfilled?: ((h: History) => R1 | PromiseLike<R1>) | null, onrejected?: ((e: unknown) => R2 | PromiseLike<R2>) | null): Promise<R1 | R2> {
    return this.result.then(onfulfilled, onrejected);
  }

  catch<R = never>(onrejected?: ((e: unknown) => R | PromiseLike<R>) | null): Promise<History | R> {
    return this.result.catch(onrejected);
  }

  finally(onfinally?: (() => void) | null): Promise<History> {
    return this.result.finally(onfinally);
  }

  /** Kills the worker at once (no weights come back); the job rejects. */
  async terminate(): Promise<void> {
    await this.worker.terminate();
  }

  /** Progress events, in order, until the job ends (then it throws the job's error, if any). Start iterating before training starts to see every event. */
  async *[Symbol.asyncIterator](): AsyncIterator<TrainingEvent> {
    this.iterators++;
    try {
      for (;;) {
        while (this.queue.length > 0) yield this.queue.shift() as TrainingEvent;
        if (this.settled) break;
        await new Promise<void>((resolve) => (this.wake = resolve));
      }
      await this.result;
    } finally {
      this.iterators--;
    }
  }
}

/**
 * Trains `model` on a worker thread with fit's options (those that are
 * data). Returns at once with the running job; awaiting it gives the History,
 * and by then the trained weights are in `model` (and the optimizer's state in
 * `options.optimizer`, when it is an Optimizer). The job's random stream starts
 * where the caller's is, so a seeded job gives the same weights, bit for bit,
 * as the same seeded `fit` on this thread with the same kernel threads.
 */
export function fitInWorker(model: AnyModule, data: SampleData, options: WorkerFitOptions): TrainingJob {
  if (!(model instanceof Module)) throw new TypeError(`${WHERE}: expected a Module, got ${model === null ? 'null' : typeof model}`);
  checkOptions(options);
  let layers;
  try {
    layers = describeLayers(model);
  } catch (e) {
    throw new TypeError(`${WHERE}: the model must be describable to cross threads (${e instanceof Error ? e.message : String(e)}); register custom layers with dd.io.registerLayer in a module passed as setup, and import it here too`);
  }
  const params = model.parameters();
  const transfer: ArrayBuffer[] = [];
  const { optimizer, loss, validationData, callbacks, setup, setupOptions, threads, priority, signal: _s, batchEvents, weightsEveryEpoch, transferData, verbose: _v, progressStream: _p, generator, ...fitSettings } = options;
  const spec: TrainingJobSpec = {
    setup,
    setupOptions,
    threads: threads ?? defaultWorkerThreads(backendInfo().hardwareThreads),
    niceness: (priority ?? 'low') === 'low' ? 10 : 0,
    rngState: getRngState(),
    model: {
      layers,
      // stateDict() made copies: they can move to the worker.
      weights: moveable(stateDictToMessage(model.stateDict()), transfer),
      attached: describeAttached(params, WHERE),
    },
    optimizer: describeOptimizer(optimizer, params, WHERE),
    callbacks: (callbacks ?? []).map((cb, i) => describeCallback(cb, `${WHERE}: callbacks[${i}]`)),
    train: samplesMessage(data, WHERE, transferData === true, transfer),
    validation: validationData === undefined ? undefined : samplesMessage(validationData, `${WHERE} (validationData)`, transferData === true, transfer),
    fit: { ...fitSettings, loss },
    batchEvents: batchEvents ?? true,
    weightsEveryEpoch: weightsEveryEpoch ?? false,
    generatorState: generator?.getState(),
    abortedBefore: options.signal?.aborted ? abortText(options.signal.reason) : null,
  };
  return new TrainingJob(model, optimizer, spec, transfer, options);
}
