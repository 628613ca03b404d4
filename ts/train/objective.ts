/**
 * What `fit` and `evaluate` compute from a batch's predictions and targets:
 * the loss to minimise and the values to log, for a model with one output or
 * several (an array or a record of tensors, see outputs.ts), as Keras's
 * compile(loss, lossWeights, metrics) does.
 *
 * The rules, for a model with several outputs:
 *   - `loss` is one loss (applied to every output), an array (one per output
 *     of a model returning an array) or a record keyed by output name. Every
 *     output needs a loss; a weight of 0 keeps an output out of training.
 *   - `lossWeights` is an array or a record of numbers >= 0 (1 for an output
 *     not named). The minimised and logged `loss` is Σ weight · loss of the
 *     output (plus regularization penalties, in fit).
 *   - each output's own loss is logged unweighted as `<output>_loss`
 *     (`main_loss`, `aux_loss`; `output0_loss`, … for an array).
 *   - `metrics` as an array applies to every output; as a record keyed by
 *     output name (or, for an array of outputs, an array of arrays) it applies
 *     each list to its output only. They are logged as `<output>_<metric>`
 *     (`main_accuracy`). With one output, names stay as they are (`accuracy`).
 *   - the targets `y` are laid out as the outputs: an array of tensors in the
 *     same order, or a record with the same names.
 * Mismatches (3 outputs and 2 losses, a name no output has, y laid out
 * otherwise than the outputs) are errors that say what the model returns.
 */
import type { Tensor } from '../tensor/tensor';
import type { ModuleOutput } from '../nn/module';
import { add, mul } from '../ops';
import { closest } from '../options';
import { LossFn, LossSpec, resolveLoss } from './losses';
import { Metric, MetricSpec, resolveMetrics } from './metrics';
import { Layout, Targets, describeLayout, isRecord, isTensor, layoutOf, outputLayout, partsOf, sameLayout } from './outputs';

/** `loss` for a model with output type Out: one loss, or one per output laid out as the outputs. */
export type LossSpecFor<Out extends ModuleOutput> = LossSpec | (Out extends Tensor ? never : { readonly [K in keyof Out]: LossSpec });

/** `lossWeights` for a model with output type Out (only with several outputs): a number per output, 1 where left out. */
export type LossWeightsFor<Out extends ModuleOutput> = Out extends Tensor ? never : { readonly [K in keyof Out]?: number };

/** `metrics` for a model with output type Out: a list for every output, or a list per output. */
export type MetricsFor<Out extends ModuleOutput> = MetricSpec[] | (Out extends Tensor ? never : { readonly [K in keyof Out]?: MetricSpec[] });

export interface ObjectiveOptions {
  loss?: unknown;
  lossWeights?: unknown;
  metrics?: unknown;
}

/** One output's share of the objective. */
interface Head {
  loss: LossFn | null;
  weight: number;
  /** Its unweighted loss's log name (only with several outputs). */
  lossLog: string | null;
  metrics: Array<{ log: string; metric: Metric }>;
}

function isLossSpec(v: unknown): boolean {
  return typeof v === 'string' || typeof v === 'function';
}

function isMetricList(v: unknown): boolean {
  return Array.isArray(v) && v.every((m) => !Array.isArray(m));
}

/** A threshold for 'accuracy' on one-column predictions: 0 for logits (binaryCrossEntropyWithLogits), else 0.5. */
function accuracyThreshold(loss: unknown): number {
  return loss === 'binaryCrossEntropyWithLogits' ? 0 : 0.5;
}

export class Objective {
  private layout: Layout | null = null;
  private heads: Head[] = [];

  /**
   * Checks the forms of the options now; they are matched with the model's
   * outputs at the first batch, when the outputs are known.
   */
  constructor(private readonly options: ObjectiveOptions, private readonly where: string) {
    const { loss, lossWeights, metrics } = options;
    if (loss !== undefined) {
      if (isLossSpec(loss)) resolveLoss(loss as LossSpec, where);
      else if (Array.isArray(loss) || isRecord(loss)) for (const v of Object.values(loss)) resolveLoss(v as LossSpec, where);
      else throw new TypeError(`${where}: loss must be a loss name or function, or an array or record of them (one per output)`);
    }
    if (lossWeights !== undefined) {
      if (!Array.isArray(lossWeights) && !isRecord(lossWeights)) {
        throw new TypeError(`${where}: lossWeights must be an array or a record of numbers (one per output of a model with several outputs)`);
      }
      for (const [k, w] of Object.entries(lossWeights)) {
        if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) throw new RangeError(`${where}: lossWeights[${JSON.stringify(k)}] must be a finite number >= 0, got ${String(w)}`);
      }
    }
    if (metrics !== undefined) {
      const lists = isMetricList(metrics) ? [metrics] : Array.isArray(metrics) || isRecord(metrics) ? Object.values(metrics) : null;
      if (lists === null || !lists.every((l) => l === undefined || Array.isArray(l))) {
        throw new TypeError(`${where}: metrics must be an array (for every output), or an array of arrays or a record of arrays (one per output)`);
      }
      for (const l of lists) resolveMetrics(l as MetricSpec[] | undefined, 0.5, where);
    }
  }

  /** Whether a loss is computed (evaluate may be asked for metrics only). */
  get hasLoss(): boolean {
    return this.options.loss !== undefined;
  }

  /** The log names in order: loss, each output's loss, then the metrics; empty before the first batch. */
  logNames(): string[] {
    if (this.layout === null) return this.hasLoss ? ['loss'] : [];
    const names = this.hasLoss ? ['loss'] : [];
    for (const h of this.heads) if (h.lossLog !== null) names.push(h.lossLog);
    for (const h of this.heads) for (const m of h.metrics) names.push(m.log);
    return names;
  }

  /**
   * The batch's loss (Σ weight · loss over the outputs; null without a loss)
   * and its logged values other than `loss`: each output's loss, the metrics.
   */
  compute(pred: ModuleOutput, y: Targets, where: string): { loss: Tensor | null; values: Record<string, number> } {
    const layout = outputLayout(pred, where);
    if (this.layout === null) this.bind(layout);
    else if (!sameLayout(this.layout, layout)) {
      throw new RangeError(`${where}: the model returned ${describeLayout(layout)}, but ${describeLayout(this.layout)} before`);
    }
    const yLayout = layoutOf(y, isTensor);
    if (yLayout === null || !sameLayout(layout, yLayout)) {
      const what = yLayout === null ? 'neither a tensor nor an array or record of tensors' : describeLayout(yLayout);
      throw new RangeError(`${where}: the targets y must be laid out as the model's outputs (${describeLayout(layout)}), but y is ${what}`);
    }
    const preds = partsOf(pred, layout);
    const targets = partsOf(y, layout);
    const values: Record<string, number> = {};
    let total: Tensor | null = null;
    for (let i = 0; i < this.heads.length; i++) {
      const h = this.heads[i];
      if (h.loss !== null) {
        const l = h.loss(preds[i], targets[i]);
        if (l.numel !== 1) {
          const of = layout.kind === 'single' ? '' : ` of output ${JSON.stringify(this.nameOf(i))}`;
          throw new RangeError(`${where}: the loss${of} must be a scalar, got shape [${l.shape.join(', ')}] (reduce it with mean() or sum())`);
        }
        if (h.lossLog !== null) values[h.lossLog] = l.item();
        const term = h.weight === 1 ? l : mul(l, h.weight);
        total = total === null ? term : add(total, term);
      }
      for (const m of h.metrics) values[m.log] = m.metric.fn(preds[i], targets[i]);
    }
    return { loss: total, values };
  }

  private nameOf(i: number): string {
    const l = this.layout as Layout;
    return l.kind === 'single' ? '' : l.names[i];
  }

  /** Matches the options with the model's outputs, once. */
  private bind(layout: Layout): void {
    const where = this.where;
    const { loss, lossWeights, metrics } = this.options;
    if (layout.kind === 'single') {
      if (loss !== undefined && !isLossSpec(loss)) throw new RangeError(`${where}: loss has one entry per output, but the model returns one tensor; give one loss`);
      if (lossWeights !== undefined) throw new RangeError(`${where}: lossWeights is for models with several outputs; this one returns one tensor`);
      if (metrics !== undefined && !isMetricList(metrics)) throw new RangeError(`${where}: metrics has one list per output, but the model returns one tensor; give one list`);
      const lossFn = loss === undefined ? null : resolveLoss(loss as LossSpec, where);
      const threshold = accuracyThreshold(loss);
      const list = resolveMetrics(metrics as MetricSpec[] | undefined, threshold, where);
      this.heads = [{ loss: lossFn, weight: 1, lossLog: null, metrics: list.map((m) => ({ log: m.name, metric: m })) }];
    } else {
      const losses = loss === undefined ? layout.names.map(() => undefined) : spread(loss, isLossSpec, layout, 'loss', where, true);
      const weights = lossWeights === undefined ? [] : spread(lossWeights, () => false, layout, 'lossWeights', where, false);
      const lists = metrics === undefined ? [] : spread(metrics, isMetricList, layout, 'metrics', where, false);
      this.heads = layout.names.map((name, i) => ({
        loss: losses[i] === undefined ? null : resolveLoss(losses[i] as LossSpec, where),
        weight: (weights[i] as number | undefined) ?? 1,
        lossLog: loss === undefined ? null : `${name}_loss`,
        metrics: resolveMetrics(lists[i] as MetricSpec[] | undefined, accuracyThreshold(losses[i]), where).map((m) => ({ log: `${name}_${m.name}`, metric: m })),
      }));
    }
    this.layout = layout;
  }
}

/**
 * One entry per output (in the layout's order) of an option given once for
 * all outputs (when isOne says so), as an array (outputs of an array) or as a
 * record keyed by output name; undefined where a record leaves an output out.
 */
function spread(v: unknown, isOne: (v: unknown) => boolean, layout: Layout, what: string, where: string, required: boolean): unknown[] {
  const names = layout.kind === 'single' ? [] : layout.names;
  const outputs = `the model's outputs are ${names.map((n) => JSON.stringify(n)).join(', ')}`;
  if (isOne(v)) return names.map(() => v);
  if (Array.isArray(v)) {
    if (layout.kind !== 'array') throw new RangeError(`${where}: ${what} is an array, but ${outputs}: give a record keyed by these names`);
    if (v.length !== names.length) throw new RangeError(`${where}: the model returns ${names.length} outputs, but ${what} has ${v.length} entries`);
    return v;
  }
  const record = v as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!names.includes(key)) {
      const near = closest(key, names);
      throw new RangeError(`${where}: ${what} names an output ${JSON.stringify(key)} that the model does not have (${outputs}${near === null ? '' : `; did you mean ${JSON.stringify(near)}?`})`);
    }
  }
  return names.map((n) => {
    if (required && record[n] === undefined) {
      throw new RangeError(`${where}: ${what} has no entry for output ${JSON.stringify(n)}; every output needs one (a lossWeights of 0 keeps an output out of training)`);
    }
    return record[n];
  });
}
