/** What a training job's host and worker say to each other (see fit-in-worker.ts, training-worker.ts). */
import type { LayerSpec } from '../io/layers/registry';
import type { OptimizerState } from '../optim/optimizer';
import type { RngState } from '../tensor/random';
import type { LossName } from '../train/losses';
import type { PerOutput } from '../train/outputs';
import type { CallbackSpec } from './callback-specs';
import type { OptimizerSpec } from './optimizer-spec';
import type { PolicySpec } from './policy-spec';
import type { StateDictMessage, TensorMessage } from './tensor-messages';
import type { ErrorMessage } from './worker-errors';

/** fit's settings that are plain data. */
export interface PlainFitSettings {
  epochs?: number;
  batchSize?: number;
  loss?: PerOutput<LossName>;
  /** Weights of the outputs' losses, for a model with several outputs. */
  lossWeights?: readonly number[] | { readonly [name: string]: number };
  metrics?: 'accuracy'[] | PerOutput<'accuracy'[]>;
  validationSplit?: number;
  validationBatchSize?: number;
  shuffle?: boolean;
  seed?: number;
  initialEpoch?: number;
  clipNorm?: number;
  clipValue?: number;
}

/** Training samples as plain data: y is one target, or one per output of a model with several (an array or a record). */
export interface SamplesMessage {
  x: TensorMessage;
  y: PerOutput<TensorMessage>;
}

/** Everything the worker needs, sent as its workerData. */
export interface TrainingJobSpec {
  setup?: string;
  setupOptions?: unknown;
  threads: number;
  niceness: number;
  rngState: RngState;
  model: { layers: LayerSpec; weights: StateDictMessage; attached: Array<[number, PolicySpec[]]> };
  optimizer: OptimizerSpec;
  callbacks: CallbackSpec[];
  train: SamplesMessage;
  validation?: SamplesMessage;
  fit: PlainFitSettings;
  batchEvents: boolean;
  weightsEveryEpoch: boolean;
  /** The state of the job's dd.Generator, when it has one (else it draws from a copy of the caller's global stream). */
  generatorState?: RngState;
  /** Set when the signal had fired before the job started: nothing is trained. */
  abortedBefore: string | null;
}

export interface SerializedHistory {
  epoch: number[];
  history: Record<string, number[]>;
  params: Record<string, unknown>;
  stoppedEpoch?: number;
  stopReason?: string;
}

export type HostToTrainingWorker = { type: 'abort'; reason: string };

export type TrainingWorkerToHost =
  | { type: 'started'; threads: number; isa: string }
  | { type: 'epochBegin'; epoch: number; epochs: number; steps: number | undefined }
  | { type: 'batch'; epoch: number; batch: number; logs: Record<string, number> }
  | { type: 'epoch'; epoch: number; logs: Record<string, number>; weights?: StateDictMessage }
  | {
      type: 'done';
      history: SerializedHistory;
      weights: StateDictMessage;
      optimizerState: OptimizerState;
      /** Per job callback: its schedule's state for a learningRateScheduler, else null. */
      schedulerStates: Array<object | null>;
      /** Where the job's generator ended, for the caller's to continue from. */
      generatorState?: RngState;
      aborted: boolean;
    }
  | { type: 'error'; error: ErrorMessage };
