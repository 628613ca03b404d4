/**
 * Learning-rate schedules, as PyTorch's torch.optim.lr_scheduler.
 *
 * Each schedule here is a closed form: the rate of every parameter group is a
 * pure function of that group's base rate and the scheduler's step count, so
 * `stateDict()` only needs the count, resuming gives exactly the same rates,
 * and schedules compose by index (SequentialLR) without drift. Call `step()`
 * once per epoch (or per batch, if the schedule is meant in batches).
 * ReduceLROnPlateau reacts to a metric and so keeps state instead.
 */
import { rejectUnknownOptions } from '../options';

/** What a scheduler needs of an optimizer: its parameter groups' rates. */
export interface ScheduledOptimizer {
  paramGroups: Array<{ lr: number; initialLr?: number }>;
}

export interface SchedulerState {
  lastEpoch: number;
  baseLrs: number[];
}

export abstract class LRScheduler {
  readonly optimizer: ScheduledOptimizer;
  /** Rates the schedule starts from (each group's `initialLr`, set on first use). */
  baseLrs: number[];
  /** Steps taken; 0 right after construction. */
  lastEpoch = 0;

  constructor(optimizer: ScheduledOptimizer) {
    this.optimizer = optimizer;
    for (const g of optimizer.paramGroups) if (g.initialLr === undefined) g.initialLr = g.lr;
    this.baseLrs = optimizer.paramGroups.map((g) => g.initialLr as number);
  }

  /** The rate of group `group` after `epoch` steps. */
  abstract lrAt(epoch: number, baseLr: number, group: number): number;

  /** Writes the rates for the current step into the optimizer (subclasses call it at the end of their constructor). */
  protected apply(): void {
    const groups = this.optimizer.paramGroups;
    for (let i = 0; i < groups.length; i++) groups[i].lr = this.lrAt(this.lastEpoch, this.baseLrs[i], i);
  }

  /** Advances one step (or jumps to `epoch`) and updates the optimizer's rates. */
  step(epoch?: number): void {
    this.lastEpoch = epoch === undefined ? this.lastEpoch + 1 : epoch;
    this.apply();
  }

  /** The rates the optimizer has now, one per group. */
  getLastLr(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }

  stateDict(): SchedulerState {
    return { lastEpoch: this.lastEpoch, baseLrs: [...this.baseLrs] };
  }

  loadStateDict(state: SchedulerState): void {
    if (state.baseLrs.length !== this.optimizer.paramGroups.length) {
      throw new RangeError(
        `${this.constructor.name}.loadStateDict: the state has ${state.baseLrs.length} base rates but the optimizer has ${this.optimizer.paramGroups.length} parameter groups`,
      );
    }
    this.lastEpoch = state.lastEpoch;
    this.baseLrs = [...state.baseLrs];
    this.apply();
  }
}

function checkPositiveInteger(where: string, name: string, v: number): void {
  if (!Number.isInteger(v) || v <= 0) throw new RangeError(`${where}: ${name} must be a positive integer, got ${v}`);
}

/** lr = base · gamma^floor(epoch / stepSize). */
export class StepLR extends LRScheduler {
  readonly stepSize: number;
  readonly gamma: number;
  constructor(optimizer: ScheduledOptimizer, options: { stepSize: number; gamma?: number }) {
    super(optimizer);
    rejectUnknownOptions(options, ['stepSize', 'gamma'], 'StepLR');
    checkPositiveInteger('StepLR', 'stepSize', options.stepSize);
    this.stepSize = options.stepSize;
    this.gamma = options.gamma ?? 0.1;
    this.apply();
  }
  lrAt(epoch: number, base: number): number {
    return base * Math.pow(this.gamma, Math.floor(epoch / this.stepSize));
  }
}

/** lr = base · gamma^(number of milestones <= epoch). */
export class MultiStepLR extends LRScheduler {
  readonly milestones: number[];
  readonly gamma: number;
  constructor(optimizer: ScheduledOptimizer, options: { milestones: number[]; gamma?: number }) {
    super(optimizer);
    rejectUnknownOptions(options, ['milestones', 'gamma'], 'MultiStepLR');
    this.milestones = [...options.milestones].sort((a, b) => a - b);
    this.gamma = options.gamma ?? 0.1;
    this.apply();
  }
  lrAt(epoch: number, base: number): number {
    const passed = this.milestones.filter((m) => m <= epoch).length;
    return base * Math.pow(this.gamma, passed);
  }
}

/** lr = base · gamma^epoch. */
export class ExponentialLR extends LRScheduler {
  readonly gamma: number;
  constructor(optimizer: ScheduledOptimizer, options: { gamma: number }) {
    super(optimizer);
    rejectUnknownOptions(options, ['gamma'], 'ExponentialLR');
    this.gamma = options.gamma;
    this.apply();
  }
  lrAt(epoch: number, base: number): number {
    return base * Math.pow(this.gamma, epoch);
  }
}

/** lr = etaMin + (base − etaMin)·(1 + cos(π·epoch/tMax))/2 (SGDR without restarts). */
export class CosineAnnealingLR extends LRScheduler {
  readonly tMax: number;
  readonly etaMin: number;
  constructor(optimizer: ScheduledOptimizer, options: { tMax: number; etaMin?: number }) {
    super(optimizer);
    rejectUnknownOptions(options, ['tMax', 'etaMin'], 'CosineAnnealingLR');
    checkPositiveInteger('CosineAnnealingLR', 'tMax', options.tMax);
    this.tMax = options.tMax;
    this.etaMin = options.etaMin ?? 0;
    this.apply();
  }
  lrAt(epoch: number, base: number): number {
    return this.etaMin + ((base - this.etaMin) * (1 + Math.cos((Math.PI * epoch) / this.tMax))) / 2;
  }
}

/** lr = base · lambda(epoch), with one function for all groups or one per group. */
export class LambdaLR extends LRScheduler {
  private readonly lambdas: Array<(epoch: number) => number>;
  constructor(optimizer: ScheduledOptimizer, lrLambda: ((epoch: number) => number) | Array<(epoch: number) => number>) {
    super(optimizer);
    const n = optimizer.paramGroups.length;
    if (Array.isArray(lrLambda) && lrLambda.length !== n) {
      throw new RangeError(`LambdaLR: got ${lrLambda.length} functions for ${n} parameter groups`);
    }
    this.lambdas = Array.isArray(lrLambda) ? [...lrLambda] : new Array(n).fill(lrLambda);
    this.apply();
  }
  lrAt(epoch: number, base: number, group: number): number {
    return base * this.lambdas[group](epoch);
  }
}

/**
 * lr = base · factor, the factor moving linearly from startFactor to
 * endFactor over totalIters steps and staying at endFactor after.
 */
export class LinearLR extends LRScheduler {
  readonly startFactor: number;
  readonly endFactor: number;
  readonly totalIters: number;
  constructor(optimizer: ScheduledOptimizer, options: { startFactor?: number; endFactor?: number; totalIters?: number } = {}) {
    super(optimizer);
    rejectUnknownOptions(options, ['startFactor', 'endFactor', 'totalIters'], 'LinearLR');
    this.startFactor = options.startFactor ?? 1 / 3;
    this.endFactor = options.endFactor ?? 1;
    this.totalIters = options.totalIters ?? 5;
    if (!(this.startFactor > 0 && this.startFactor <= 1)) throw new RangeError(`LinearLR: startFactor must be in (0, 1], got ${this.startFactor}`);
    if (!(this.endFactor >= 0 && this.endFactor <= 1)) throw new RangeError(`LinearLR: endFactor must be in [0, 1], got ${this.endFactor}`);
    checkPositiveInteger('LinearLR', 'totalIters', this.totalIters);
    this.apply();
  }
  lrAt(epoch: number, base: number): number {
    const t = Math.min(epoch, this.totalIters) / this.totalIters;
    return base * (this.startFactor + (this.endFactor - this.startFactor) * t);
  }
}

/**
 * Linear warm-up: the rate climbs from base·startFactor to base over
 * `warmupSteps` steps, then stays at base. startFactor defaults to
 * 1/(warmupSteps+1), so the first step already trains. Chain it with another
 * schedule through SequentialLR.
 */
export class LinearWarmup extends LinearLR {
  constructor(optimizer: ScheduledOptimizer, options: { warmupSteps: number; startFactor?: number }) {
    rejectUnknownOptions(options, ['warmupSteps', 'startFactor'], 'LinearWarmup');
    checkPositiveInteger('LinearWarmup', 'warmupSteps', options.warmupSteps);
    super(optimizer, {
      startFactor: options.startFactor ?? 1 / (options.warmupSteps + 1),
      endFactor: 1,
      totalIters: options.warmupSteps,
    });
  }
}

/**
 * Runs schedulers one after another: schedulers[i] is in force from
 * milestones[i-1] on, counting its own steps from 0 there.
 */
export class SequentialLR extends LRScheduler {
  readonly schedulers: LRScheduler[];
  readonly milestones: number[];
  constructor(optimizer: ScheduledOptimizer, options: { schedulers: LRScheduler[]; milestones: number[] }) {
    super(optimizer);
    rejectUnknownOptions(options, ['schedulers', 'milestones'], 'SequentialLR');
    const { schedulers, milestones } = options;
    if (schedulers.length === 0 || milestones.length !== schedulers.length - 1) {
      throw new RangeError(`SequentialLR: needs n schedulers and n-1 milestones, got ${schedulers.length} and ${milestones.length}`);
    }
    for (let i = 1; i < milestones.length; i++) {
      if (milestones[i] <= milestones[i - 1]) throw new RangeError('SequentialLR: milestones must increase');
    }
    for (const s of schedulers) {
      if (s.optimizer !== optimizer) throw new RangeError('SequentialLR: every scheduler must drive the same optimizer');
    }
    this.schedulers = schedulers;
    this.milestones = milestones;
    this.apply();
  }
  lrAt(epoch: number, base: number, group: number): number {
    let i = 0;
    while (i < this.milestones.length && epoch >= this.milestones[i]) i++;
    const start = i === 0 ? 0 : this.milestones[i - 1];
    return this.schedulers[i].lrAt(epoch - start, base, group);
  }
}

export interface ReduceLROnPlateauOptions {
  /** 'min': a lower metric is better (a loss); 'max': higher is better (an accuracy). */
  mode?: 'min' | 'max';
  /** New rate = rate · factor (default 0.1). */
  factor?: number;
  /** Steps without improvement tolerated before reducing (default 10). */
  patience?: number;
  /** Smallest change that counts as an improvement (default 1e-4). */
  threshold?: number;
  /** 'rel': relative to the best value; 'abs': absolute (default 'rel'). */
  thresholdMode?: 'rel' | 'abs';
  /** Steps to wait after a reduction before counting again (default 0). */
  cooldown?: number;
  /** Lower bound of the rate, one for all groups or one per group (default 0). */
  minLr?: number | number[];
  /** Reductions smaller than this are skipped (default 1e-8). */
  eps?: number;
}

export interface PlateauState {
  best: number;
  numBadEpochs: number;
  cooldownCounter: number;
  lastEpoch: number;
}

/** Reduces the rates by `factor` when a monitored metric stops improving (PyTorch semantics). */
export class ReduceLROnPlateau {
  readonly optimizer: ScheduledOptimizer;
  readonly mode: 'min' | 'max';
  readonly factor: number;
  readonly patience: number;
  readonly threshold: number;
  readonly thresholdMode: 'rel' | 'abs';
  readonly cooldown: number;
  readonly minLrs: number[];
  readonly eps: number;
  best: number;
  numBadEpochs = 0;
  cooldownCounter = 0;
  lastEpoch = 0;

  constructor(optimizer: ScheduledOptimizer, options: ReduceLROnPlateauOptions = {}) {
    rejectUnknownOptions(options, ['mode', 'factor', 'patience', 'threshold', 'thresholdMode', 'cooldown', 'minLr', 'eps'], 'ReduceLROnPlateau');
    this.optimizer = optimizer;
    this.mode = options.mode ?? 'min';
    this.factor = options.factor ?? 0.1;
    if (!(this.factor < 1 && this.factor >= 0)) throw new RangeError(`ReduceLROnPlateau: factor must be in [0, 1), got ${this.factor}`);
    this.patience = options.patience ?? 10;
    this.threshold = options.threshold ?? 1e-4;
    this.thresholdMode = options.thresholdMode ?? 'rel';
    this.cooldown = options.cooldown ?? 0;
    const n = optimizer.paramGroups.length;
    const minLr = options.minLr ?? 0;
    if (Array.isArray(minLr) && minLr.length !== n) {
      throw new RangeError(`ReduceLROnPlateau: got ${minLr.length} minLr values for ${n} parameter groups`);
    }
    this.minLrs = Array.isArray(minLr) ? [...minLr] : new Array(n).fill(minLr);
    this.eps = options.eps ?? 1e-8;
    this.best = this.mode === 'min' ? Infinity : -Infinity;
  }

  private isBetter(value: number): boolean {
    const rel = this.thresholdMode === 'rel';
    if (this.mode === 'min') return value < (rel ? this.best * (1 - this.threshold) : this.best - this.threshold);
    return value > (rel ? this.best * (1 + this.threshold) : this.best + this.threshold);
  }

  /** Records one value of the metric and reduces the rates if it has not improved for `patience` steps. */
  step(metric: number): void {
    this.lastEpoch++;
    if (this.isBetter(metric)) {
      this.best = metric;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs++;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter--;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      const groups = this.optimizer.paramGroups;
      for (let i = 0; i < groups.length; i++) {
        const next = Math.max(groups[i].lr * this.factor, this.minLrs[i]);
        if (groups[i].lr - next > this.eps) groups[i].lr = next;
      }
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
  }

  getLastLr(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }

  stateDict(): PlateauState {
    return { best: this.best, numBadEpochs: this.numBadEpochs, cooldownCounter: this.cooldownCounter, lastEpoch: this.lastEpoch };
  }

  loadStateDict(state: PlateauState): void {
    this.best = state.best;
    this.numBadEpochs = state.numBadEpochs;
    this.cooldownCounter = state.cooldownCounter;
    this.lastEpoch = state.lastEpoch;
  }
}
