#!/usr/bin/env node
/**
 * The dendrite command: `npx dendrite train` trains a classifier on
 * Fashion-MNIST (the bundled 10k/2k sample, or the full set with --data DIR)
 * with a progress bar and prints its test accuracy.
 */
import * as path from 'path';
import { parseArgs } from 'util';
import { setNumThreads, getNumThreads, backendInfo } from './backend';
import { manualSeed } from './tensor/random';
import { fashionMnist, FASHION_MNIST_CLASSES as FASHION_CLASSES } from './data';
import { save, saveModel } from './io';
import * as nn from './nn';
import { Adam } from './optim';
import { alexnetSmall, fashionBnCnn, fashionBnRecipe, fashionCnn, fashionMlp } from './models';
import { writeTrainingPlots } from './viz';
import { evaluate, fit } from './train';

// The benchmarks and tests import the workload models from here too.
export { fashionMlp, fashionCnn };

/** The batch size each workload is specified with. */
export const DEFAULT_BATCH = { mlp: 128, cnn: 64, bn: 128, alexnet: 64 } as const;

const USAGE = `Usage: dendrite train [options]

Trains a Fashion-MNIST classifier and prints its test accuracy.

Options:
  --model NAME         the network (default cnn):
                         mlp      784-512-256-10 with dropout
                         cnn      two conv/pool stages and a dense layer
                         bn       the best bundled model: four conv layers with batch
                                  normalisation, trained with shifts, flips and a cosine
                                  schedule (dd.models.fashionBnCnn and fashionBnRecipe)
                         alexnet  AlexNet's design scaled to 28x28 (dd.models.alexnetSmall)
  --data DIR           the four Fashion-MNIST IDX files (default: the bundled 10k/2k sample)
  --epochs N           passes over the training data (default 2)
  --batch-size N       samples per step (default 64 for cnn and alexnet, 128 for mlp and bn)
  --lr X               Adam's learning rate (default 0.001; 0.002 for bn)
  --threads N          kernel threads (default: all cores)
  --seed N             seed for weights, dropout and shuffling (default 0)
  --save PATH          write the trained model as a folder that dd.loadModel(PATH) reads
                       (model.json + model.safetensors); a PATH ending in .safetensors
                       gets the bare weights instead (readable by PyTorch)
  --plots DIR          write training-curves.svg, confusion-matrix.svg and (for conv
                       models) the first layer's filters.png into DIR
  --quiet              no progress output
  -h, --help           this text
`;

function positiveInt(name: string, v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`--${name} must be a positive integer, got ${v}`);
  return n;
}

/**
 * Writes the trained model: a saveModel folder (description and weights, what
 * loadModel reads), or bare safetensors weights when the path says so.
 */
async function saveTrained(model: nn.Sequential, target: string, kind: ModelName, log: (s: string) => void): Promise<void> {
  const where = path.resolve(target);
  if (target.endsWith('.safetensors')) {
    await save(model, target);
    log(`weights written to ${where} (bare safetensors, without the model's description: load them into the same ${kind} network with model.loadStateDict(await dd.loadWeights(${JSON.stringify(where)})))`);
    return;
  }
  await saveModel(model, target);
  log(`model written to ${where}; load it with: const model = await dd.loadModel(${JSON.stringify(where)})`);
}

const MODELS = { mlp: fashionMlp, cnn: fashionCnn, bn: () => fashionBnCnn(), alexnet: () => alexnetSmall() } as const;
type ModelName = keyof typeof MODELS;

function isModelName(name: string): name is ModelName {
  return Object.prototype.hasOwnProperty.call(MODELS, name);
}

export async function train(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      model: { type: 'string', default: 'cnn' },
      data: { type: 'string' },
      epochs: { type: 'string' },
      'batch-size': { type: 'string' },
      lr: { type: 'string' },
      threads: { type: 'string' },
      seed: { type: 'string' },
      save: { type: 'string' },
      plots: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const kind = values.model;
  if (!isModelName(kind)) throw new RangeError(`--model must be one of ${Object.keys(MODELS).join(', ')}, got ${kind}`);
  const epochs = positiveInt('epochs', values.epochs, 2);
  const batchSize = positiveInt('batch-size', values['batch-size'], DEFAULT_BATCH[kind]);
  const lr = values.lr === undefined ? (kind === 'bn' ? 2e-3 : 1e-3) : Number(values.lr);
  if (!(lr > 0)) throw new RangeError(`--lr must be a positive number, got ${values.lr}`);
  const seed = values.seed === undefined ? 0 : Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0) throw new RangeError(`--seed must be a non-negative integer, got ${values.seed}`);
  if (values.threads !== undefined) setNumThreads(positiveInt('threads', values.threads, 1));

  const { train: trainSet, test: testSet } = await fashionMnist(values.data);
  const info = backendInfo();
  const log = (s: string) => process.stderr.write(`${s}\n`);
  log(
    `dendrite: ${kind} on Fashion-MNIST (${values.data ? path.resolve(values.data) : 'bundled sample'}): ` +
      `${trainSet.length} training and ${testSet.length} test images; ${info.isa}, ${getNumThreads()} thread(s)`,
  );

  manualSeed(seed);
  const model = MODELS[kind]();
  // The bn model comes with its recipe (augmentation and a cosine schedule over the epochs); the others train with plain Adam.
  const recipe = kind === 'bn' ? fashionBnRecipe(model, { epochs, lr, seed }) : { optimizer: new Adam(model.parameters(), { lr }) };
  const t0 = performance.now();
  const history = await fit(model, trainSet, {
    ...recipe, epochs, batchSize, loss: 'crossEntropy', metrics: ['accuracy'], seed, verbose: values.quiet ? 0 : 1,
    validationData: values.plots === undefined ? undefined : testSet,
  });
  const seconds = (performance.now() - t0) / 1000;
  const { accuracy, loss } = await evaluate(model, testSet, { batchSize: 500, loss: 'crossEntropy' });
  process.stdout.write(`test accuracy ${(100 * accuracy).toFixed(2)}% (loss ${loss.toFixed(4)}) after ${epochs} epoch(s), ${seconds.toFixed(1)} s of training\n`);
  if (values.save !== undefined) await saveTrained(model, values.save, kind, log);
  if (values.plots !== undefined) {
    const written = await writeTrainingPlots(values.plots, { model, history, testData: testSet, classNames: [...FASHION_CLASSES] });
    log(`plots written: ${written.join(', ')}`);
  }
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'train') return train(rest);
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(`dendrite: deep learning for Node.js\n\n${USAGE}`);
    return command === undefined ? 1 : 0;
  }
  process.stderr.write(`dendrite: unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
  return 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`dendrite: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
