/**
 * Normalization layers, as PyTorch has them: BatchNorm1d / BatchNorm2d
 * (per channel, with running statistics), LayerNorm (over the trailing
 * axes) and LocalResponseNorm (across channels).
 *
 * Batch norm's state-dict names are PyTorch's: weight, bias, running_mean,
 * running_var, num_batches_tracked (int32 here, int64 in PyTorch files; both
 * load), so a PyTorch state dict loads as it is.
 */
import { tensor, ones, zeros } from '../../tensor/create';
import { formatShape } from '../../tensor/shape';
import type { Tensor } from '../../tensor/tensor';
import { rejectUnknownOptions } from '../../options';
import { batchNorm, layerNorm, localResponseNorm } from '../functional';
import { normalizedShapeOf } from '../../ops/norm';
import { Module, parameter } from '../module';

export interface BatchNormOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Weight of each batch in the running statistics (default 0.1); null: their cumulative average. */
  momentum?: number | null;
  /** Whether the layer has a learned weight and bias (default true). */
  affine?: boolean;
  /** Whether running statistics are kept and used in evaluation (default true); without, batch statistics always. */
  trackRunningStats?: boolean;
}

function checkNumber(where: string, name: string, v: unknown, min: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min) throw new RangeError(`${where}: ${name} must be a finite number >= ${min}, got ${String(v)}`);
  return v;
}

function checkFlag(where: string, name: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new TypeError(`${where}: ${name} must be true or false, got ${String(v)}`);
  return v;
}

/** What BatchNorm1d and BatchNorm2d share; they differ in the input ranks they accept. */
abstract class BatchNormBase extends Module {
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  weight: Tensor | null;
  bias: Tensor | null;

  constructor(numFeatures: number, options: BatchNormOptions, where: string) {
    super();
    rejectUnknownOptions(options, ['eps', 'momentum', 'affine', 'trackRunningStats'], where);
    if (!Number.isInteger(numFeatures) || numFeatures <= 0) throw new RangeError(`${where}: numFeatures must be a positive integer, got ${numFeatures}`);
    this.numFeatures = numFeatures;
    this.eps = checkNumber(where, 'eps', options.eps ?? 1e-5, 0);
    this.momentum = options.momentum === null ? null : checkNumber(where, 'momentum', options.momentum ?? 0.1, -Number.MAX_VALUE);
    this.affine = checkFlag(where, 'affine', options.affine ?? true);
    this.trackRunningStats = checkFlag(where, 'trackRunningStats', options.trackRunningStats ?? true);
    this.weight = this.affine ? parameter(ones([numFeatures])) : null;
    this.bias = this.affine ? parameter(zeros([numFeatures])) : null;
    const track = this.trackRunningStats;
    this.registerBuffer('running_mean', track ? zeros([numFeatures]) : null);
    this.registerBuffer('running_var', track ? ones([numFeatures]) : null);
    this.registerBuffer('num_batches_tracked', track ? tensor(new Int32Array(1), [], { dtype: 'int32' }) : null);
  }

  // The buffers live in the fields registerBuffer keeps under PyTorch's names (assigning one replaces it).
  private bufferField(name: string): Tensor | null {
    return ((this as unknown as Record<string, Tensor | null | undefined>)[name]) ?? null;
  }

  /** The buffer running_mean (null without trackRunningStats). */
  get runningMean(): Tensor | null {
    return this.bufferField('running_mean');
  }

  /** The buffer running_var (null without trackRunningStats). */
  get runningVar(): Tensor | null {
    return this.bufferField('running_var');
  }

  /** The buffer num_batches_tracked, an int32 scalar (null without trackRunningStats). */
  get numBatchesTracked(): Tensor | null {
    return this.bufferField('num_batches_tracked');
  }

  /** Throws unless x has a rank this layer takes and numFeatures channels on axis 1. */
  protected abstract checkInput(x: Tensor): void;

  protected checkChannels(x: Tensor, expected: string): void {
    if (x.shape[1] !== this.numFeatures) {
      throw new RangeError(
        `${this.constructor.name}(${this.numFeatures}): input of shape ${formatShape(x.shape)} has ${x.shape[1]} channels on axis 1, expected ${this.numFeatures} (input ${expected})`,
      );
    }
  }

  forward(x: Tensor): Tensor {
    this.checkInput(x);
    const [runningMean, runningVar, tracked] = [this.runningMean, this.runningVar, this.numBatchesTracked];
    const useBatchStats = this.training || runningMean === null;
    const updating = this.training && runningMean !== null;
    const counter = tracked?._typed() as Int32Array | undefined;
    // momentum null: the running statistics are the plain average of every batch so far.
    const momentum = updating && this.momentum === null ? 1 / ((counter?.[0] ?? 0) + 1) : this.momentum ?? 0;
    const y = batchNorm(x, runningMean, runningVar, {
      weight: this.weight, bias: this.bias, training: useBatchStats, momentum, eps: this.eps,
    });
    if (updating && counter !== undefined) counter[0] += 1;
    return y;
  }

  /** Running statistics back to mean 0, variance 1, no batches counted. */
  resetRunningStats(): void {
    this.runningMean?._typed().fill(0);
    this.runningVar?._typed().fill(1);
    this.numBatchesTracked?._typed().fill(0);
  }

  /** Running statistics reset, and weight 1, bias 0. */
  resetParameters(): void {
    this.resetRunningStats();
    this.weight?._typed().fill(1);
    this.bias?._typed().fill(0);
  }

  override extraRepr(): string {
    return `${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum}, affine=${this.affine}, trackRunningStats=${this.trackRunningStats}`;
  }
}

/** Batch normalization of [N, C] or [N, C, L] input over N (and L), per feature C. */
export class BatchNorm1d extends BatchNormBase {
  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super(numFeatures, options, 'BatchNorm1d');
  }

  protected checkInput(x: Tensor): void {
    if (x?.ndim !== 2 && x?.ndim !== 3) {
      throw new RangeError(`BatchNorm1d(${this.numFeatures}): expected 2-D [N, C] or 3-D [N, C, L] input, got ${x?.shape ? `shape ${formatShape(x.shape)}` : String(x)}`);
    }
    this.checkChannels(x, x.ndim === 2 ? '[N, C]' : '[N, C, L]');
  }
}

/** Batch normalization of [N, C, H, W] input over N, H and W, per channel C. */
export class BatchNorm2d extends BatchNormBase {
  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super(numFeatures, options, 'BatchNorm2d');
  }

  protected checkInput(x: Tensor): void {
    if (x?.ndim !== 4) {
      throw new RangeError(`BatchNorm2d(${this.numFeatures}): expected 4-D [N, C, H, W] input, got ${x?.shape ? `shape ${formatShape(x.shape)}` : String(x)}`);
    }
    this.checkChannels(x, '[N, C, H, W]');
  }
}

export interface LayerNormOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Whether the layer has a learned weight (and bias) of normalizedShape (default true). */
  elementwiseAffine?: boolean;
  /** Whether the affine part includes a bias (default true). */
  bias?: boolean;
}

/** Layer normalization over the trailing normalizedShape axes of its input. */
export class LayerNorm extends Module {
  readonly normalizedShape: number[];
  readonly eps: number;
  readonly elementwiseAffine: boolean;
  weight: Tensor | null;
  bias: Tensor | null;

  constructor(normalizedShape: number | readonly number[], options: LayerNormOptions = {}) {
    super();
    rejectUnknownOptions(options, ['eps', 'elementwiseAffine', 'bias'], 'LayerNorm');
    this.normalizedShape = normalizedShapeOf(normalizedShape, 'LayerNorm');
    this.eps = checkNumber('LayerNorm', 'eps', options.eps ?? 1e-5, 0);
    this.elementwiseAffine = checkFlag('LayerNorm', 'elementwiseAffine', options.elementwiseAffine ?? true);
    const withBias = checkFlag('LayerNorm', 'bias', options.bias ?? true);
    this.weight = this.elementwiseAffine ? parameter(ones(this.normalizedShape)) : null;
    this.bias = this.elementwiseAffine && withBias ? parameter(zeros(this.normalizedShape)) : null;
  }

  forward(x: Tensor): Tensor {
    const d = this.normalizedShape.length;
    if (x?.shape && (x.ndim < d || x.shape.slice(x.ndim - d).some((v, i) => v !== this.normalizedShape[i]))) {
      throw new RangeError(
        `LayerNorm(${formatShape(this.normalizedShape)}): input of shape ${formatShape(x.shape)} does not end in the normalized shape ${formatShape(this.normalizedShape)}`,
      );
    }
    return layerNorm(x, this.normalizedShape, { weight: this.weight, bias: this.bias, eps: this.eps });
  }

  override extraRepr(): string {
    const parts = [formatShape(this.normalizedShape), `eps=${this.eps}`, `elementwiseAffine=${this.elementwiseAffine}`];
    if (this.elementwiseAffine && this.bias === null) parts.push('bias=false');
    return parts.join(', ');
  }
}

export interface LocalResponseNormOptions {
  /** Scale of the sum of squares (default 1e-4). */
  alpha?: number;
  /** Exponent (default 0.75). */
  beta?: number;
  /** Additive constant (default 1). */
  k?: number;
}

/** AlexNet's local response normalization across `size` neighbouring channels of [N, C, *] input. */
export class LocalResponseNorm extends Module {
  readonly size: number;
  readonly alpha: number;
  readonly beta: number;
  readonly k: number;

  constructor(size: number, options: LocalResponseNormOptions = {}) {
    super();
    rejectUnknownOptions(options, ['alpha', 'beta', 'k'], 'LocalResponseNorm');
    if (!Number.isInteger(size) || size < 1 || size > 2 ** 31 - 1) throw new RangeError(`LocalResponseNorm: size must be a positive integer, got ${size}`);
    this.size = size;
    this.alpha = checkNumber('LocalResponseNorm', 'alpha', options.alpha ?? 1e-4, -Number.MAX_VALUE);
    this.beta = checkNumber('LocalResponseNorm', 'beta', options.beta ?? 0.75, -Number.MAX_VALUE);
    this.k = checkNumber('LocalResponseNorm', 'k', options.k ?? 1, -Number.MAX_VALUE);
  }

  forward(x: Tensor): Tensor {
    return localResponseNorm(x, this.size, { alpha: this.alpha, beta: this.beta, k: this.k });
  }

  override extraRepr(): string {
    return `${this.size}, alpha=${this.alpha}, beta=${this.beta}, k=${this.k}`;
  }
}
