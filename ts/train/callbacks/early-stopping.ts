/**
 * Early stopping: stop training when a monitored epoch value (val_loss by
 * default) has stopped improving, and optionally put back the weights of the
 * best epoch.
 *
 * Each epoch, in order:
 *   1. the monitored value v is read from the epoch logs (an error names the
 *      logs there are when it is missing);
 *   2. with `smoothing` β > 0 the judged value is the exponential moving
 *      average s = β·s + (1-β)·v (s starts at the first v), which keeps one
 *      lucky or unlucky epoch of a noisy metric from deciding;
 *   3. epochs before `warmup` only feed the average; from then on, an epoch
 *      improves when its value beats the best so far by more than `minDelta`
 *      (lower for mode 'min', higher for 'max'). NaN never improves;
 *   4. an improvement records the epoch as the best (and, with
 *      restoreBestWeights, a copy of the weights); it resets the patience
 *      count only when it also beats `baseline` by minDelta, if one is given;
 *   5. after `patience` judged epochs in a row without such an improvement
 *      (at least one), training stops: history.stoppedEpoch and history.stopReason say when and why.
 * With restoreBestWeights the best epoch's weights (parameters and buffers)
 * are loaded back when training ends, whether it stopped early or ran out of
 * epochs, so the model `fit` leaves is the best one seen.
 */
import type { StateDict } from '../../nn/module';
import type { Callback, Logs, TrainingContext } from '../callback';
import { rejectUnknownOptions } from '../../options';

export interface EarlyStoppingOptions {
  /** The epoch log to watch (default 'val_loss'). */
  monitor?: string;
  /** The least change that counts as an improvement (default 0). */
  minDelta?: number;
  /** Stop after this many judged epochs in a row without improvement (default 0, which like 1 stops at the first). */
  patience?: number;
  /** 'min', 'max', or 'auto' (default): 'max' for accuracy-like names (acc, auc, precision, recall, f1), else 'min'. */
  mode?: 'min' | 'max' | 'auto';
  /** Epochs at the start that are never judged (default 0); the model is still training then. */
  warmup?: number;
  /** Exponential moving average factor β in [0, 1) applied to the monitored value (default 0: raw values). */
  smoothing?: number;
  /** A value the model must beat for patience to reset (e.g. a known-good loss). */
  baseline?: number;
  /** Load the best epoch's weights back when training ends (default false). */
  restoreBestWeights?: boolean;
  /** Print a line when training stops or weights are restored (default false). */
  verbose?: boolean;
}

const MAX_LIKE = /(^|_)(acc|accuracy|auc|precision|recall|f1)/i;

/** 'min' or 'max' for a monitored log: 'auto' picks 'max' for accuracy-like names (acc, auc, precision, recall, f1). */
export function resolveMode(mode: unknown, monitor: string, where: string): 'min' | 'max' {
  if (mode !== 'min' && mode !== 'max' && mode !== 'auto') throw new RangeError(`${where}: mode must be 'min', 'max' or 'auto', got ${String(mode)}`);
  return mode === 'auto' ? (MAX_LIKE.test(monitor) ? 'max' : 'min') : mode;
}

function finiteAtLeast(name: string, v: number | undefined, fallback: number, integer: boolean): number {
  const x = v ?? fallback;
  if (typeof x !== 'number' || !Number.isFinite(x) || x < 0 || (integer && !Number.isInteger(x))) {
    throw new RangeError(`earlyStopping: ${name} must be a ${integer ? 'non-negative integer' : 'finite number >= 0'}, got ${String(v)}`);
  }
  return x;
}

function format(v: number): string {
  return Number.isFinite(v) ? Number(v.toPrecision(6)).toString() : String(v);
}

export class EarlyStopping implements Callback {
  readonly monitor: string;
  readonly minDelta: number;
  readonly patience: number;
  readonly mode: 'min' | 'max';
  readonly warmup: number;
  readonly smoothing: number;
  readonly baseline: number | undefined;
  readonly restoreBestWeights: boolean;
  readonly verbose: boolean;

  /** The judged (smoothed) value of the best epoch; ±Infinity before any. */
  bestValue = NaN;
  /** The best epoch (0-based), or -1 before any epoch was judged. */
  bestEpoch = -1;
  /** The epoch training was stopped after, or -1. */
  stoppedEpoch = -1;
  /** Judged epochs since the last improvement (that also beat the baseline). */
  wait = 0;
  /** The (smoothed) value of the last epoch seen, NaN before any. */
  smoothedValue = NaN;
  /** Whether the best weights were loaded back at the end of training. */
  restored = false;
  private bestWeights: StateDict | null = null;

  constructor(options: EarlyStoppingOptions = {}) {
    if (typeof options !== 'object' || options === null) throw new TypeError('earlyStopping: options must be an object');
    rejectUnknownOptions(options, ['monitor', 'minDelta', 'patience', 'mode', 'warmup', 'smoothing', 'baseline', 'restoreBestWeights', 'verbose'], 'earlyStopping');
    this.monitor = options.monitor ?? 'val_loss';
    if (typeof this.monitor !== 'string' || this.monitor.length === 0) throw new TypeError('earlyStopping: monitor must be a log name such as \'val_loss\'');
    // A negative minDelta means the same as its magnitude (Keras takes either sign).
    this.minDelta = finiteAtLeast('minDelta', typeof options.minDelta === 'number' ? Math.abs(options.minDelta) : options.minDelta, 0, false);
    this.patience = finiteAtLeast('patience', options.patience, 0, true);
    this.warmup = finiteAtLeast('warmup', options.warmup, 0, true);
    this.mode = resolveMode(options.mode ?? 'auto', this.monitor, 'earlyStopping');
    const beta = options.smoothing ?? 0;
    if (typeof beta !== 'number' || !(beta >= 0 && beta < 1)) throw new RangeError(`earlyStopping: smoothing must be in [0, 1), got ${String(options.smoothing)}`);
    this.smoothing = beta;
    if (options.baseline !== undefined && (typeof options.baseline !== 'number' || !Number.isFinite(options.baseline))) {
      throw new RangeError(`earlyStopping: baseline must be a finite number, got ${String(options.baseline)}`);
    }
    this.baseline = options.baseline;
    this.restoreBestWeights = options.restoreBestWeights ?? false;
    this.verbose = options.verbose ?? false;
    this.reset();
  }

  /** Forgets everything seen (fit calls this at the start of training, so one instance can serve several runs). */
  reset(): void {
    this.bestValue = this.mode === 'min' ? Infinity : -Infinity;
    this.bestEpoch = -1;
    this.stoppedEpoch = -1;
    this.wait = 0;
    this.smoothedValue = NaN;
    this.restored = false;
    this.bestWeights = null;
  }

  /** Whether `value` beats `reference` by more than minDelta in this mode. */
  private beats(value: number, reference: number): boolean {
    return this.mode === 'min' ? value < reference - this.minDelta : value > reference + this.minDelta;
  }

  onTrainBegin(): void {
    this.reset();
  }

  onEpochEnd(epoch: number, logs: Logs, ctx: TrainingContext): void {
    const raw = logs[this.monitor];
    if (raw === undefined) {
      const hint = this.monitor.startsWith('val_') ? ' (val_ values need validationData or validationSplit)' : '';
      throw new RangeError(`earlyStopping: no '${this.monitor}' in the epoch logs; they have ${Object.keys(logs).join(', ')}${hint}`);
    }
    const value = this.observe(raw);
    if (epoch < this.warmup) return;
    if (Number.isFinite(value) && this.beats(value, this.bestValue)) {
      this.bestValue = value;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) this.bestWeights = ctx.model.stateDict();
      if (this.baseline === undefined || this.beats(value, this.baseline)) {
        this.wait = 0;
        return;
      }
    }
    this.wait++;
    if (this.wait >= Math.max(1, this.patience)) {
      this.stoppedEpoch = epoch;
      ctx.stopTraining = true;
      ctx.history.stoppedEpoch = epoch;
      ctx.history.stopReason = this.reason(epoch);
      // eslint-disable-next-line no-console -- printing is what `verbose` asks for
      if (this.verbose) console.log(`earlyStopping: ${ctx.history.stopReason}`);
    }
  }

  /** Feeds one raw value through the moving average; returns the value to judge. */
  private observe(raw: number): number {
    if (this.smoothing === 0 || !Number.isFinite(this.smoothedValue)) this.smoothedValue = raw;
    else this.smoothedValue = this.smoothing * this.smoothedValue + (1 - this.smoothing) * raw;
    return this.smoothedValue;
  }

  private reason(epoch: number): string {
    const what = this.smoothing > 0 ? `${this.monitor} (smoothed, β=${this.smoothing})` : this.monitor;
    const since = this.bestEpoch < 0
      ? `never improved in ${this.wait} judged epochs`
      : this.baseline !== undefined && !this.beats(this.bestValue, this.baseline)
        ? `did not beat the baseline ${format(this.baseline)} in ${this.wait} epochs (best ${format(this.bestValue)} at epoch ${this.bestEpoch})`
        : `did not improve by more than ${format(this.minDelta)} for ${this.wait} epochs since its best, ${format(this.bestValue)} at epoch ${this.bestEpoch}`;
    return `stopped after epoch ${epoch}: ${what} ${since}`;
  }

  onTrainEnd(_logs: Logs, ctx: TrainingContext): void {
    if (!this.restoreBestWeights || this.bestWeights === null) return;
    ctx.model.loadStateDict(this.bestWeights);
    this.restored = true;
    if (ctx.history.stopReason !== undefined) ctx.history.stopReason += `; restored the weights of epoch ${this.bestEpoch}`;
    // eslint-disable-next-line no-console -- printing is what `verbose` asks for
    if (this.verbose) console.log(`earlyStopping: restored the weights of epoch ${this.bestEpoch} (${this.monitor} ${format(this.bestValue)})`);
    this.bestWeights = null;
  }
}

/** Stops training when the monitored value stops improving (see EarlyStopping for the exact rule). */
export function earlyStopping(options: EarlyStoppingOptions = {}): EarlyStopping {
  return new EarlyStopping(options);
}
