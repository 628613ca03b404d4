/** Ready-made callbacks (dd.callbacks). Each returns a Callback object for fit's `callbacks` option. */
import type { LRScheduler, ReduceLROnPlateau } from '../optim/lr_scheduler';
import type { Callback, Logs, TrainingContext } from './callback';
import { rejectUnknownOptions } from '../options';

export { earlyStopping, EarlyStopping } from './callbacks/early-stopping';
export type { EarlyStoppingOptions } from './callbacks/early-stopping';
export { modelCheckpoint, ModelCheckpoint } from './callbacks/model-checkpoint';
export type { ModelCheckpointOptions } from './callbacks/model-checkpoint';

export interface LearningRateSchedulerOptions {
  /** For ReduceLROnPlateau: the log it watches (default 'val_loss', or 'loss' when there is no validation). */
  monitor?: string;
  /** Step the schedule after every batch instead of every epoch (default false). */
  perBatch?: boolean;
}

/** A learningRateScheduler callback: the scheduler it steps and its options. */
export interface SchedulerCallback extends Callback {
  readonly kind: 'learningRateScheduler';
  readonly scheduler: LRScheduler | ReduceLROnPlateau;
  readonly options: LearningRateSchedulerOptions;
}

/**
 * Steps a learning-rate schedule as training goes: after every epoch (or
 * batch). A ReduceLROnPlateau is stepped with the monitored log value.
 */
export function learningRateScheduler(scheduler: LRScheduler | ReduceLROnPlateau, options: LearningRateSchedulerOptions = {}): SchedulerCallback {
  rejectUnknownOptions(options, ['monitor', 'perBatch'], 'learningRateScheduler');
  // The scheduler and options stay readable, so a worker job can rebuild the callback on its own optimizer.
  const described = { kind: 'learningRateScheduler' as const, scheduler, options: { ...options } };
  const plateau = !('lrAt' in scheduler);
  if (plateau && options.perBatch) throw new RangeError('learningRateScheduler: ReduceLROnPlateau steps per epoch, with a metric');
  if (plateau) {
    const s = scheduler as ReduceLROnPlateau;
    return {
      ...described,
      onEpochEnd(_epoch: number, logs: Logs) {
        const key = options.monitor ?? ('val_loss' in logs ? 'val_loss' : 'loss');
        const value = logs[key];
        if (value === undefined) throw new RangeError(`learningRateScheduler: no '${key}' in the epoch logs (have ${Object.keys(logs).join(', ')})`);
        s.step(value);
      },
    };
  }
  const s = scheduler as LRScheduler;
  return options.perBatch ? { ...described, onBatchEnd: () => s.step() } : { ...described, onEpochEnd: () => s.step() };
}

/** Stops training as soon as a batch's loss is NaN or infinite. */
export function terminateOnNaN(): Callback & { readonly kind: 'terminateOnNaN' } {
  return {
    kind: 'terminateOnNaN',
    onBatchEnd(batch: number, logs: Logs, ctx: TrainingContext) {
      if (!Number.isFinite(logs.loss)) {
        ctx.stopTraining = true;
        process.emitWarning(`terminateOnNaN: loss is ${logs.loss} at batch ${batch}; training stopped`);
      }
    },
  };
}

