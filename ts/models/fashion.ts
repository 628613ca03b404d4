/**
 * Classifiers for 28×28 grey images (Fashion-MNIST, MNIST).
 */
import * as nn from '../nn';
import { rejectUnknownOptions } from '../options';

export interface FashionBnOptions {
  /** Output classes (default 10). */
  numClasses?: number;
  /** Dropout after the hidden fully connected layer (default 0.5). */
  dropout?: number;
}

/**
 * The best of the bundled models: two VGG-style stages of two 3×3
 * convolutions with batch normalisation (32 then 64 channels, 2×2 max
 * pooling after each stage), a 256-unit hidden layer with batch
 * normalisation and dropout, 10 outputs. About 0.87 M parameters. Trained
 * with random 2-pixel shifts and horizontal flips, 30 epochs of Adam with a
 * cosine schedule (bench/best-model.js), it is the model `npx dendrite train
 * --model bn` trains.
 */
export function fashionBnCnn(options: FashionBnOptions = {}): nn.Sequential {
  rejectUnknownOptions(options, ['numClasses', 'dropout'], 'fashionBnCnn');
  const { numClasses = 10, dropout = 0.5 } = options;
  if (!Number.isInteger(numClasses) || numClasses < 1) throw new RangeError(`fashionBnCnn: numClasses must be a positive integer, got ${numClasses}`);
  if (typeof dropout !== 'number' || !(dropout >= 0 && dropout < 1)) throw new RangeError(`fashionBnCnn: dropout must be in [0, 1), got ${dropout}`);
  const he = { init: 'heUniform', bias: false } as const;
  const convBnRelu = (i: number, o: number): nn.Module[] => [new nn.Conv2d(i, o, 3, { padding: 1, ...he }), new nn.BatchNorm2d(o), new nn.ReLU()];
  return new nn.Sequential(
    ...convBnRelu(1, 32), ...convBnRelu(32, 32), new nn.MaxPool2d(2), // 28 → 14
    ...convBnRelu(32, 64), ...convBnRelu(64, 64), new nn.MaxPool2d(2), // 14 → 7
    new nn.Flatten(),
    new nn.Linear(64 * 7 * 7, 256, { init: 'heUniform', bias: false }), new nn.BatchNorm1d(256), new nn.ReLU(), new nn.Dropout(dropout),
    new nn.Linear(256, numClasses),
  );
}
