/**
 * modelCheckpoint: saves a training checkpoint (model, optimizer, epoch; see
 * io/checkpoint.ts) at the end of every epoch, or only when the monitored log
 * improves, as Keras's ModelCheckpoint. Each write is atomic, so a crash
 * mid-save leaves the previous checkpoint whole. `{epoch}` in the file name
 * becomes the 1-based epoch number, keeping one file per epoch.
 */
import { saveCheckpoint } from '../../io/checkpoint';
import type { Callback, Logs, TrainingContext } from '../callback';
import { resolveMode } from './early-stopping';
import { rejectUnknownOptions } from '../../options';

export interface ModelCheckpointOptions {
  /** Save only when `monitor` improves on the best value so far (default false: every epoch). */
  saveBestOnly?: boolean;
  /** The epoch log judged by saveBestOnly (default 'val_loss'). */
  monitor?: string;
  /** 'min', 'max' or 'auto' (default): 'max' for accuracy-like names. */
  mode?: 'min' | 'max' | 'auto';
}

export class ModelCheckpoint implements Callback {
  readonly kind = 'modelCheckpoint' as const;
  readonly file: string;
  readonly saveBestOnly: boolean;
  readonly monitor: string;
  readonly mode: 'min' | 'max';
  /** The best monitored value saved so far. */
  best: number;

  constructor(file: string, options: ModelCheckpointOptions = {}) {
    if (typeof file !== 'string' || file === '') throw new TypeError('modelCheckpoint: the file must be a non-empty string');
    rejectUnknownOptions(options, ['saveBestOnly', 'monitor', 'mode'], 'modelCheckpoint');
    this.file = file;
    this.saveBestOnly = options.saveBestOnly ?? false;
    this.monitor = options.monitor ?? 'val_loss';
    this.mode = resolveMode(options.mode ?? 'auto', this.monitor, 'modelCheckpoint');
    this.best = this.mode === 'min' ? Infinity : -Infinity;
  }

  async onEpochEnd(epoch: number, logs: Logs, ctx: TrainingContext): Promise<void> {
    if (this.saveBestOnly) {
      const value = logs[this.monitor];
      if (value === undefined) throw new RangeError(`modelCheckpoint: no '${this.monitor}' in the epoch logs (have ${Object.keys(logs).join(', ')})`);
      const better = this.mode === 'min' ? value < this.best : value > this.best;
      if (!better) return;
      this.best = value;
    }
    const file = this.file.split('{epoch}').join(String(epoch + 1));
    await saveCheckpoint(file, { model: ctx.model, optimizer: ctx.optimizer, epoch: epoch + 1 });
  }
}

/** A callback that writes a checkpoint every epoch (or at each improvement with saveBestOnly). */
export function modelCheckpoint(file: string, options: ModelCheckpointOptions = {}): ModelCheckpoint {
  return new ModelCheckpoint(file, options);
}
