/**
 * The pictures worth looking at after a training run, written to one folder
 * (what the command line's --plots DIR writes): the training curves, the
 * confusion matrix on the test data, and the first convolution's filters.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { AnyModule } from '../nn/module';
import { Conv2d } from '../nn/layers/conv';
import type { History } from '../train/history';
import type { DataSpec } from '../train/batches';
import { rejectUnknownOptions } from '../options';
import { checkModel } from './capture';
import { confusionMatrix } from './confusion';
import { confusionMatrixSvg } from './confusion-svg';
import { filterGrid } from './filters';
import { savePng } from './png';
import { saveSvg } from './svg';
import { trainingCurves } from './training-curves';

export interface TrainingPlotsInput {
  model: AnyModule;
  /** What fit returned; curves are drawn when it holds at least one epoch. */
  history?: History;
  /** Data to draw the confusion matrix on (left out: no matrix). */
  testData?: DataSpec;
  classNames?: readonly string[];
  /** Samples per batch for the confusion matrix (default 256). */
  batchSize?: number;
}

/**
 * Writes into `dir` (made if missing) training-curves.svg, confusion-matrix.svg
 * (with testData) and filters.png (when the model has a Conv2d), each
 * atomically; returns the paths written.
 */
export async function writeTrainingPlots(dir: string, input: TrainingPlotsInput): Promise<string[]> {
  const where = 'writeTrainingPlots';
  if (typeof dir !== 'string' || dir === '') throw new TypeError(`${where}: dir must be a non-empty path string`);
  if (input === null || typeof input !== 'object') throw new TypeError(`${where}: the second argument must be { model, history, testData, classNames }`);
  rejectUnknownOptions(input, ['model', 'history', 'testData', 'classNames', 'batchSize'], where);
  const model = checkModel(input.model, where);
  await fs.promises.mkdir(dir, { recursive: true });
  const written: string[] = [];
  if (input.history !== undefined && input.history.epoch.length > 0) {
    const file = path.join(dir, 'training-curves.svg');
    await saveSvg(trainingCurves(input.history), file);
    written.push(file);
  }
  if (input.testData !== undefined) {
    const matrix = await confusionMatrix(model, input.testData, { classNames: input.classNames, batchSize: input.batchSize ?? 256 });
    const file = path.join(dir, 'confusion-matrix.svg');
    await saveSvg(confusionMatrixSvg(matrix, { title: `accuracy ${(100 * matrix.accuracy).toFixed(1)}% on ${matrix.total} samples` }), file);
    written.push(file);
  }
  const conv = [...model.modules()].find((m): m is Conv2d => m instanceof Conv2d);
  if (conv !== undefined) {
    const file = path.join(dir, 'filters.png');
    await savePng(filterGrid(conv, { scale: Math.max(1, Math.floor(32 / Math.max(...conv.kernelSize))), padding: 2, padValue: 1 }), file);
    written.push(file);
  }
  return written;
}
