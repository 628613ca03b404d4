/**
 * A fit callback that redraws the training curves after every epoch and
 * writes them to one SVG file, atomically: open the file in a browser or an
 * editor and reload it while training runs.
 */
import type { Callback, TrainingContext } from '../train/callback';
import { rejectUnknownOptions } from '../options';
import { saveSvg } from './svg';
import { TRAINING_CURVES_OPTIONS, trainingCurves, TrainingCurvesOptions } from './training-curves';

export interface PlotCallback extends Callback {
  readonly kind: 'plotCurves';
  readonly file: string;
  readonly options: TrainingCurvesOptions;
}

/** A callback for fit's `callbacks` that rewrites `file` with trainingCurves(history, options) after each epoch. */
export function plotCallback(file: string, options: TrainingCurvesOptions = {}): PlotCallback {
  if (typeof file !== 'string' || file === '') throw new TypeError('plotCallback: file must be a non-empty path string');
  rejectUnknownOptions(options, TRAINING_CURVES_OPTIONS, 'plotCallback');
  const copy = { ...options };
  return {
    kind: 'plotCurves',
    file,
    options: copy,
    async onEpochEnd(_epoch: number, _logs: unknown, ctx: TrainingContext) {
      await saveSvg(trainingCurves(ctx.history, copy), file);
    },
  };
}
