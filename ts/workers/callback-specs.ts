/**
 * fit's callbacks as data. Functions do not cross threads, so a worker job
 * takes the ready-made callbacks (earlyStopping, learningRateScheduler with a
 * closed-form or plateau schedule, terminateOnNaN, modelCheckpoint) by their
 * settings and rebuilds them on the worker's model and optimizer; anything
 * else belongs in the job's setup module.
 */
import type { Callback } from '../train/callback';
import { EarlyStopping } from '../train/callbacks/early-stopping';
import type { EarlyStoppingOptions } from '../train/callbacks/early-stopping';
import { ModelCheckpoint } from '../train/callbacks/model-checkpoint';
import type { ModelCheckpointOptions } from '../train/callbacks/model-checkpoint';
import { learningRateScheduler, terminateOnNaN } from '../train/callbacks';
import type { LearningRateSchedulerOptions } from '../train/callbacks';
import {
  CosineAnnealingLR, ExponentialLR, LinearLR, LRScheduler, MultiStepLR, ReduceLROnPlateau, StepLR,
} from '../optim/lr_scheduler';
import type { Optimizer } from '../optim/optimizer';

/** A schedule's class (by name), its constructor options and its state. */
export interface SchedulerSpec {
  type: string;
  options: Record<string, unknown>;
  state: object;
}

export type CallbackSpec =
  | { kind: 'earlyStopping'; options: EarlyStoppingOptions }
  | { kind: 'learningRateScheduler'; scheduler: SchedulerSpec; options: LearningRateSchedulerOptions }
  | { kind: 'terminateOnNaN' }
  | { kind: 'modelCheckpoint'; file: string; options: ModelCheckpointOptions };

// Each schedule's options, read back from the instance's fields.
const SCHEDULE_OPTIONS: Record<string, (s: never) => Record<string, unknown>> = {
  StepLR: (s: StepLR) => ({ stepSize: s.stepSize, gamma: s.gamma }),
  MultiStepLR: (s: MultiStepLR) => ({ milestones: [...s.milestones], gamma: s.gamma }),
  ExponentialLR: (s: ExponentialLR) => ({ gamma: s.gamma }),
  CosineAnnealingLR: (s: CosineAnnealingLR) => ({ tMax: s.tMax, etaMin: s.etaMin }),
  // LinearWarmup is a LinearLR with derived settings: rebuilt as the LinearLR it is.
  LinearLR: (s: LinearLR) => ({ startFactor: s.startFactor, endFactor: s.endFactor, totalIters: s.totalIters }),
  LinearWarmup: (s: LinearLR) => ({ startFactor: s.startFactor, endFactor: s.endFactor, totalIters: s.totalIters }),
  ReduceLROnPlateau: (s: ReduceLROnPlateau) => ({
    mode: s.mode, factor: s.factor, patience: s.patience, threshold: s.threshold, thresholdMode: s.thresholdMode,
    cooldown: s.cooldown, minLr: [...s.minLrs], eps: s.eps,
  }),
};

function describeScheduler(s: LRScheduler | ReduceLROnPlateau, where: string): SchedulerSpec {
  const type = s.constructor.name;
  const options = SCHEDULE_OPTIONS[type];
  if (options === undefined) {
    throw new TypeError(`${where}: a ${type} schedule cannot be sent to a worker (its rule is code); build it in the setup module's configure()`);
  }
  return { type, options: options(s as never), state: s.stateDict() };
}

function buildScheduler(spec: SchedulerSpec, optimizer: Optimizer): LRScheduler | ReduceLROnPlateau {
  const o = spec.options as never;
  const s =
    spec.type === 'StepLR' ? new StepLR(optimizer, o)
    : spec.type === 'MultiStepLR' ? new MultiStepLR(optimizer, o)
    : spec.type === 'ExponentialLR' ? new ExponentialLR(optimizer, o)
    : spec.type === 'CosineAnnealingLR' ? new CosineAnnealingLR(optimizer, o)
    : spec.type === 'ReduceLROnPlateau' ? new ReduceLROnPlateau(optimizer, o)
    : new LinearLR(optimizer, o);
  s.loadStateDict(spec.state as never);
  return s;
}

export function describeCallback(cb: Callback, where: string): CallbackSpec {
  if (cb instanceof EarlyStopping) {
    const e = cb;
    return {
      kind: 'earlyStopping',
      options: {
        monitor: e.monitor, minDelta: e.minDelta, patience: e.patience, mode: e.mode, warmup: e.warmup, smoothing: e.smoothing,
        baseline: e.baseline, restoreBestWeights: e.restoreBestWeights, verbose: e.verbose,
      },
    };
  }
  if (cb instanceof ModelCheckpoint) return { kind: 'modelCheckpoint', file: cb.file, options: { saveBestOnly: cb.saveBestOnly, monitor: cb.monitor, mode: cb.mode } };
  const kind = (cb as { kind?: unknown }).kind;
  if (kind === 'terminateOnNaN') return { kind };
  if (kind === 'learningRateScheduler') {
    const s = cb as unknown as { scheduler: LRScheduler | ReduceLROnPlateau; options: LearningRateSchedulerOptions };
    return { kind, scheduler: describeScheduler(s.scheduler, where), options: { ...s.options } };
  }
  throw new TypeError(
    `${where}: this callback cannot run in a worker (functions do not cross threads). ` +
      "Use dd.callbacks' ready-made ones, listen to the job's 'batch' and 'epoch' events, or return it from the setup module's configure()",
  );
}

export function buildCallback(spec: CallbackSpec, optimizer: Optimizer): Callback {
  switch (spec.kind) {
    case 'earlyStopping': return new EarlyStopping(spec.options);
    case 'modelCheckpoint': return new ModelCheckpoint(spec.file, spec.options);
    case 'terminateOnNaN': return terminateOnNaN();
    case 'learningRateScheduler': return learningRateScheduler(buildScheduler(spec.scheduler, optimizer), spec.options);
  }
}
