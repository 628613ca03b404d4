// Overfitting and its cures: a wide MLP (784-1024-1024-10) trained on 1,000 Fashion-MNIST images
// memorises them (training accuracy near 100%) while its test accuracy stays far lower; dropout,
// an L2 penalty, early stopping and data augmentation are each measured against it.
//   npx tsc -p . && node examples/regularization-overfitting.js [--epochs 40] [--seeds 2]
// Seeded: the same command prints the same table. Test accuracy is measured on the whole test set
// (10,000 images with the full data set). Early stopping watches val_loss on 1,000 further training
// images (never the test set).
'use strict';
const dd = require('..');
const { loadFashionMnist, rows, option, pct } = require('./regularization-data');
const { nn, regularize } = dd;

const TRAIN = 1000;
const EPOCHS = option('epochs', 40);
const SEEDS = option('seeds', 2);
const BATCH = 32;

function mlp({ dropout = 0, l2 = 0 } = {}) {
  const reg = l2 > 0 ? { kernelRegularizer: regularize.l2(l2) } : {};
  const layers = [new nn.Flatten()];
  const widths = [784, 1024, 1024];
  for (let i = 0; i + 1 < widths.length; i++) {
    layers.push(new nn.Linear(widths[i], widths[i + 1], { init: 'heUniform', ...reg }), new nn.ReLU());
    if (dropout > 0) layers.push(new nn.Dropout(dropout));
  }
  layers.push(new nn.Linear(1024, 10, reg));
  return new nn.Sequential(...layers);
}

const VARIANTS = [
  { name: 'baseline (no regularization)', model: () => mlp() },
  { name: 'dropout 0.5 after each hidden layer', model: () => mlp({ dropout: 0.5 }) },
  { name: 'L2 penalty: kernelRegularizer l2(2e-3)', model: () => mlp({ l2: 2e-3 }) },
  {
    name: 'early stopping (val_loss, patience 5, restore best)', model: () => mlp(),
    callbacks: () => [dd.callbacks.earlyStopping({ monitor: 'val_loss', patience: 5, restoreBestWeights: true })],
  },
  {
    name: 'early stopping (val_accuracy, patience 10, restore best)', model: () => mlp(),
    callbacks: () => [dd.callbacks.earlyStopping({ monitor: 'val_accuracy', patience: 10, restoreBestWeights: true })],
  },
  {
    name: 'augmentation: random shift ±1 px', model: () => mlp(),
    augment: (seed) => dd.data.augment.compose([dd.data.augment.randomShift({ pad: 1 })], { seed }),
  },
];

async function runVariant(v, seed, data) {
  dd.manualSeed(seed);
  const model = v.model();
  const optimizer = new dd.optim.SGD(model.parameters(), { lr: 0.02, momentum: 0.9 });
  const schedule = dd.callbacks.learningRateScheduler(new dd.optim.CosineAnnealingLR(optimizer, { tMax: EPOCHS }));
  const history = await dd.fit(model, data.train, {
    epochs: EPOCHS, batchSize: BATCH, optimizer, loss: 'crossEntropy', metrics: ['accuracy'], validationData: data.validation, seed, verbose: 0,
    callbacks: [schedule, ...(v.callbacks ? v.callbacks() : [])], augment: v.augment ? v.augment(seed) : undefined,
  });
  const train = await dd.evaluate(model, data.train, { batchSize: 500 });
  const test = await dd.evaluate(model, data.test, { batchSize: 500, loss: 'crossEntropy' });
  return { train: train.accuracy, test: test.accuracy, testLoss: test.loss, epochs: history.epoch.length };
}

async function main() {
  dd.setNumThreads(Math.min(2, dd.backendInfo().hardwareThreads));
  const all = await loadFashionMnist();
  const data = {
    train: rows(all.train, 0, TRAIN),
    validation: rows(all.train, TRAIN, 1000),
    test: rows(all.test, 0, all.test.length),
  };
  console.log(`Data: ${all.source}; training on the first ${TRAIN} training images, test on ${all.test.length} test images.`);
  console.log(`MLP 784-1024-1024-10 (ReLU), SGD lr 0.02 momentum 0.9 with cosine decay over ${EPOCHS} epochs, batch ${BATCH}, seeds 0..${SEEDS - 1}; ${dd.backendInfo().isa}, ${dd.getNumThreads()} threads.\n`);

  const results = [];
  for (const v of VARIANTS) {
    const started = Date.now();
    const runs = [];
    for (let s = 0; s < SEEDS; s++) runs.push(await runVariant(v, s, data));
    const mean = (k) => runs.reduce((a, r) => a + r[k], 0) / runs.length;
    const r = { name: v.name, train: mean('train'), test: mean('test'), testLoss: mean('testLoss'), epochs: runs.map((x) => x.epochs).join('/') };
    results.push(r);
    console.error(`  ${v.name}: train ${pct(r.train)}, test ${pct(r.test)}, test loss ${r.testLoss.toFixed(4)} (${r.epochs} epochs, ${((Date.now() - started) / 1000).toFixed(0)} s)`);
  }
  const base = results[0];
  const signed = (v, digits) => {
    const text = v.toFixed(digits);
    return Number(text) === 0 ? text.replace('-', '±').replace(/^(\d)/, '±$1') : `${v > 0 ? '+' : ''}${text}`;
  };
  const header = ['variant', 'epochs run', 'train acc', 'test acc', 'Δ test acc', 'test loss', 'Δ test loss'];
  console.log(`| ${header.join(' | ')} |`);
  console.log(`|${header.map(() => '---').join('|')}|`);
  results.forEach((r, i) => {
    const d = i === 0 ? ['—', '—'] : [`${signed(100 * (r.test - base.test), 2)} pt`, signed(r.testLoss - base.testLoss, 4)];
    console.log(`| ${[r.name, r.epochs, pct(r.train), pct(r.test), d[0], r.testLoss.toFixed(4), d[1]].join(' | ')} |`);
  });
  console.log(`\nAccuracies and losses are means over ${SEEDS} seed${SEEDS > 1 ? 's' : ''} (initialisation, dropout masks and batch order); train accuracy is measured in evaluation mode on the ${TRAIN} training images.`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
