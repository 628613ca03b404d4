/**
 * Classifiers for 28×28 grey images (Fashion-MNIST, MNIST).
 */
import * as nn from '../nn';
import { rejectUnknownOptions } from '../options';
import { Adam, CosineAnnealingLR } from '../optim';
import { augment } from '../data';
import { learningRateScheduler } from '../train/callbacks';
import type { Callback } from '../train';

/** The W6 benchmark's MLP (bench/README.md): 784-512-256-10 with ReLU and dropout 0.5 after each hidden layer. */
export function fashionMlp(): nn.Sequential {
  return new nn.Sequential(
    new nn.Flatten(),
    new nn.Linear(784, 512), new nn.ReLU(), new nn.Dropout(0.5),
    new nn.Linear(512, 256), new nn.ReLU(), new nn.Dropout(0.5),
    new nn.Linear(256, 10),
  );
}

/**
 * The W7 benchmark's CNN (bench/README.md): two conv/ReLU/max-pool stages, a
 * 128-unit dense layer with dropout, 10 outputs.
 *
 * Weights start from He (Kaiming) uniform with zero biases, the initialisation
 * derived for ReLU networks, rather than PyTorch's layer default (uniform
 * ±1/√fanIn, a third of He's variance): after 3 epochs on the full data it
 * scores higher over seeds 0–4 (bench/README.md, the W7 accuracy table).
 */
export function fashionCnn(): nn.Sequential {
  const he = { init: 'heUniform' } as const;
  return new nn.Sequential(
    new nn.Conv2d(1, 32, 3, { padding: 1, ...he }), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Conv2d(32, 64, 3, { padding: 1, ...he }), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Flatten(),
    new nn.Linear(3136, 128, he), new nn.ReLU(), new nn.Dropout(0.5),
    new nn.Linear(128, 10, he),
  );
}


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
 * with random 2-pixel shifts and horizontal flips, 15 epochs of Adam with a
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

export interface FashionBnRecipeOptions {
  /** Epochs the cosine schedule spans (default 15). */
  epochs?: number;
  /** Adam's starting learning rate (default 0.002). */
  lr?: number;
  /** Seed of the augmentation stream (default 0). */
  seed?: number;
}

/**
 * How fashionBnCnn is trained: Adam from lr 0.002 decayed to 0 by a cosine
 * schedule over the epochs, batches of 128, each image shifted by up to 2
 * pixels (zero fill) and mirrored with probability 1/2. Returns the fit
 * options it sets; pass them with the model's loss and epochs:
 *
 *   const recipe = dd.models.fashionBnRecipe(model, { epochs: 15 });
 *   await dd.fit(model, train, { ...recipe, epochs: 15, loss: 'crossEntropy' });
 */
export function fashionBnRecipe(model: nn.Module, options: FashionBnRecipeOptions = {}): {
  optimizer: Adam; batchSize: number; augment: augment.AugmentPipeline; callbacks: Callback[];
} {
  rejectUnknownOptions(options, ['epochs', 'lr', 'seed'], 'fashionBnRecipe');
  const { epochs = 15, lr = 0.002, seed = 0 } = options;
  const optimizer = new Adam(model.parameters(), { lr });
  const schedule = new CosineAnnealingLR(optimizer, { tMax: epochs });
  return {
    optimizer,
    batchSize: 128,
    augment: augment.compose([augment.randomShift({ pad: 2 }), augment.horizontalFlip()], { seed }),
    callbacks: [learningRateScheduler(schedule)],
  };
}
