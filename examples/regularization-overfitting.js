// Overfitting and its cures: a wide MLP (784-1024-1024-10) trained on 1,000 Fashion-MNIST images
// memorises them (training accuracy near 100%) while its test accuracy stays far lower; dropout,
// an L2 penalty, early stopping and data augmentation are each measured against it, over several
// seeds, with the per-seed differences shown so that a reader can tell an effect from noise.
//   npx tsc -p . && node examples/regularization-overfitting.js [--epochs 40] [--seeds 3] [--lr 0.02] [--schedule cosine|constant]
//   node examples/regularization-overfitting.js --schedule constant --lr 0.05 --epochs 100   (training that never settles)
// Seeded: the same command prints the same table. Test accuracy is measured on the whole test set
// (10,000 images with the full data set). Early stopping watches training images 1,000 to 1,999
// (never the test set). The dropout rate 0.2, the L2 strength and the patience of 30 were chosen by
// the accuracy on training images 2,000 to 6,999 (see docs/experiments/1-overfitting.md), not on the test set.
'use strict';
const dd = require('..');
const { loadFashionMnist, rows, option, textOption, pct } = require('./regularization-data');
const { wideMlp, checkSchedule, trainWideMlp } = require('./regularization-mlp');

const TRAIN = 1000;
const EPOCHS = option('epochs', 40);
const SEEDS = option('seeds', 3);
const LR = option('lr', 0.02);
const SCHEDULE = checkSchedule(textOption('schedule', 'cosine'));
const BATCH = 32;

const earlyStopping = (monitor, patience) => () => [dd.callbacks.earlyStopping({ monitor, patience, restoreBestWeights: true })];

const VARIANTS = [
  { name: 'baseline (no regularization)', model: () => wideMlp() },
  { name: 'dropout 0.2 after each hidden layer', model: () => wideMlp({ dropout: 0.2 }) },
  { name: 'dropout 0.5 after each hidden layer', model: () => wideMlp({ dropout: 0.5 }) },
  { name: 'L2 penalty: kernelRegularizer l2(1e-3)', model: () => wideMlp({ l2: 1e-3 }) },
  { name: 'early stopping (val_loss, patience 5, restore best)', model: () => wideMlp(), callbacks: earlyStopping('val_loss', 5) },
  { name: 'early stopping (val_accuracy, patience 30, restore best)', model: () => wideMlp(), callbacks: earlyStopping('val_accuracy', 30) },
  {
    name: 'augmentation: random shift ±1 px', model: () => wideMlp(),
    augment: (seed) => dd.data.augment.compose([dd.data.augment.randomShift({ pad: 1 })], { seed }),
  },
];

async function runVariant(v, seed, data) {
  dd.manualSeed(seed);
  const model = v.model();
  const history = await trainWideMlp(model, data, {
    epochs: EPOCHS, lr: LR, batchSize: BATCH, schedule: SCHEDULE, seed,
    callbacks: v.callbacks ? v.callbacks() : [], augment: v.augment ? v.augment(seed) : undefined,
  });
  const train = await dd.evaluate(model, data.train, { batchSize: 500 });
  const test = await dd.evaluate(model, data.test, { batchSize: 500, loss: 'crossEntropy' });
  return { train: train.accuracy, test: test.accuracy, testLoss: test.loss, epochs: history.epoch.length };
}

function signed(v, digits) {
  const text = v.toFixed(digits);
  return Number(text) === 0 ? text.replace('-', '±').replace(/^(\d)/, '±$1') : `${v > 0 ? '+' : ''}${text}`;
}

async function main() {
  dd.setNumThreads(Math.min(2, dd.backendInfo().hardwareThreads));
  const all = await loadFashionMnist();
  const data = {
    train: rows(all.train, 0, TRAIN),
    validation: rows(all.train, TRAIN, 1000),
    test: rows(all.test, 0, all.test.length),
  };
  const decay = SCHEDULE === 'cosine' ? `cosine decay over ${EPOCHS} epochs` : `constant over ${EPOCHS} epochs`;
  console.log(`Data: ${all.source}; training on the first ${TRAIN} training images, test on ${all.test.length} test images.`);
  console.log(`MLP 784-1024-1024-10 (ReLU), SGD lr ${LR} momentum 0.9, ${decay}, batch ${BATCH}, seeds 0..${SEEDS - 1}; ${dd.backendInfo().isa}, ${dd.getNumThreads()} threads.\n`);

  const results = [];
  for (const v of VARIANTS) {
    const started = Date.now();
    const runs = [];
    for (let s = 0; s < SEEDS; s++) runs.push(await runVariant(v, s, data));
    const mean = (k) => runs.reduce((a, r) => a + r[k], 0) / runs.length;
    const r = { name: v.name, runs, train: mean('train'), test: mean('test'), testLoss: mean('testLoss'), epochs: runs.map((x) => x.epochs).join('/') };
    results.push(r);
    console.error(`  ${v.name}: test ${runs.map((x) => pct(x.test)).join(' ')}, mean ${pct(r.test)} (${r.epochs} epochs, ${((Date.now() - started) / 1000).toFixed(0)} s)`);
  }
  const base = results[0];
  const header = ['variant', 'epochs run', 'train acc', 'test acc', 'Δ test acc', 'Δ test acc per seed', 'test loss', 'Δ test loss'];
  console.log(`| ${header.join(' | ')} |`);
  console.log(`|${header.map(() => '---').join('|')}|`);
  results.forEach((r, i) => {
    const perSeed = i === 0
      ? r.runs.map((x) => (100 * x.test).toFixed(2)).join(' / ')
      : r.runs.map((x, s) => signed(100 * (x.test - base.runs[s].test), 2)).join(' / ');
    const d = i === 0 ? ['—', '—'] : [`${signed(100 * (r.test - base.test), 2)} pt`, signed(r.testLoss - base.testLoss, 4)];
    console.log(`| ${[r.name, r.epochs, pct(r.train), pct(r.test), d[0], perSeed, r.testLoss.toFixed(4), d[1]].join(' | ')} |`);
  });
  console.log(`\nMeans over ${SEEDS} seed${SEEDS > 1 ? 's' : ''} (initialisation, dropout masks, batch order); "Δ test acc per seed" compares each seed with the baseline of the same seed, in points (the baseline row lists its own test accuracies). Train accuracy is measured in evaluation mode on the ${TRAIN} training images.`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
