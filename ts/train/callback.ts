/**
 * The callback interface of `fit`. A callback is a plain object with any of
 * the hooks below (or a class instance); every hook may be async, and `fit`
 * awaits it. Hooks receive the logs so far and the training context, through
 * which a callback reads the model and optimizer and stops training.
 */
import type { AnyModule } from '../nn/module';
import type { Optimizer } from '../optim/optimizer';
import type { History } from './history';

/** Values by name: `loss`, `accuracy`, `val_loss`, …; batch logs also carry `batch` and `size`. */
export type Logs = Record<string, number>;

export type Awaitable<T> = T | Promise<T>;

/** What a callback can see and change while `fit` runs. */
export interface TrainingContext {
  readonly model: AnyModule;
  readonly optimizer: Optimizer;
  /** Epochs `fit` was asked for. */
  readonly epochs: number;
  /** Batches per epoch, when the data's length is known. */
  readonly stepsPerEpoch: number | undefined;
  /** Epoch logs recorded so far. */
  readonly history: History;
  /**
   * Set to true to stop: `fit` finishes the current batch, skips the rest of
   * the epoch when set during one, records the epoch, then calls onTrainEnd.
   */
  stopTraining: boolean;
}

export interface Callback {
  onTrainBegin?(logs: Logs, ctx: TrainingContext): Awaitable<void>;
  onTrainEnd?(logs: Logs, ctx: TrainingContext): Awaitable<void>;
  onEpochBegin?(epoch: number, logs: Logs, ctx: TrainingContext): Awaitable<void>;
  /** logs hold the epoch's training and validation values (`val_` prefixed), and `lr`. */
  onEpochEnd?(epoch: number, logs: Logs, ctx: TrainingContext): Awaitable<void>;
  onBatchBegin?(batch: number, logs: Logs, ctx: TrainingContext): Awaitable<void>;
  /** logs hold this batch's `loss` and metrics, and its `size`. */
  onBatchEnd?(batch: number, logs: Logs, ctx: TrainingContext): Awaitable<void>;
}

/** Calls one hook on every callback in order, awaiting each. */
export async function runHook<K extends keyof Callback>(
  callbacks: readonly Callback[],
  hook: K,
  ...args: Parameters<NonNullable<Callback[K]>>
): Promise<void> {
  for (const cb of callbacks) {
    const fn = cb[hook] as ((...a: unknown[]) => Awaitable<void>) | undefined;
    if (fn !== undefined) {
      const r = fn.apply(cb, args);
      if (r !== undefined && typeof (r as Promise<void>).then === 'function') await r;
    }
  }
}
