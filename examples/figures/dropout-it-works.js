#!/usr/bin/env node
// The dropout paper's "It works!" figure (Srivastava et al. 2014, Figure 4), on Fashion-MNIST instead
// of MNIST: test error per epoch of ReLU MLPs with two and three hidden layers of 1024 units, trained
// with and without dropout. As in the paper the dropout nets drop 20% of the inputs and 50% of the
// hidden units and hold every unit's incoming weight vector inside a ball of radius c (max-norm);
// every net trains with plain SGD with momentum on minibatches of 100.
//   npm run build:ts && node examples/figures/dropout-it-works.js --data DIR --out docs/figures
'use strict';
const fs = require('fs');
const path = require('path');
const dd = require('../..');
const { commonUsage, figureOptions, loadFashionMnist, secondsSince } = require('./figure-options');

const { nn, regularize } = dd;
const BATCH = 100;
const LR = 0.01;
const MOMENTUM = 0.95;
const MAX_NORM = 3.5; // the paper's c, "typically 3 to 4"
const NETS = [[1024, 1024], [1024, 1024, 1024]];
const USAGE = `Usage: node examples/figures/dropout-it-works.js [options]

Trains the MLPs 784-1024-1024-10 and 784-1024-1024-1024-10 (ReLU) on Fashion-MNIST without and with
dropout (0.2 on the inputs, 0.5 on hidden units, max-norm ${MAX_NORM} on incoming weights), SGD lr ${LR},
momentum ${MOMENTUM}, batch ${BATCH}, and writes into --out dropout-it-works.svg (the four test-error
curves) and dropout-it-works.json (the curves and timings).

${commonUsage(100)}`;

/** A 784-…-10 ReLU MLP with hidden layers `widths`; with dropout, also max-norm on every layer's incoming weights. */
function mlp(widths, withDropout) {
  const constraint = withDropout ? { kernelConstraint: regularize.maxNorm(MAX_NORM) } : {};
  const layers = [new nn.Flatten()];
  if (withDropout) layers.push(new nn.Dropout(0.2));
  const sizes = [784, ...widths];
  for (let i = 1; i < sizes.length; i++) {
    layers.push(new nn.Linear(sizes[i - 1], sizes[i], { init: 'heUniform', ...constraint }), new nn.ReLU());
    if (withDropout) layers.push(new nn.Dropout(0.5));
  }
  layers.push(new nn.Linear(sizes[sizes.length - 1], 10, constraint));
  return new nn.Sequential(...layers);
}

async function main() {
  const options = figureOptions(USAGE, { epochs: 100 });
  const { train, test, source } = await loadFashionMnist(options, BATCH);
  console.log(`data: ${source} (${train.length} train, ${test.length} test)`);

  const curves = {};
  const runs = {};
  for (const widths of NETS) {
    for (const withDropout of [false, true]) {
      const name = `${[784, ...widths, 10].join('-')}, ${withDropout ? 'dropout' : 'no dropout'}`;
      dd.manualSeed(options.seed);
      const model = mlp(widths, withDropout);
      const start = Date.now();
      const history = await dd.fit(model, train, {
        epochs: options.epochs, batchSize: BATCH, optimizer: new dd.optim.SGD(model.parameters(), { lr: LR, momentum: MOMENTUM }),
        loss: 'crossEntropy', metrics: ['accuracy'], validationData: test, validationBatchSize: 1000, seed: options.seed, verbose: 0,
      });
      const seconds = secondsSince(start);
      const error = history.history.val_accuracy.map((a) => Number((100 * (1 - a)).toFixed(2)));
      curves[name] = { 'test error (%)': error };
      runs[name] = { testErrorPercent: error, seconds, secondsPerEpoch: Math.round((10 * seconds) / options.epochs) / 10 };
      console.log(`${name.padEnd(36)} test error ${error.at(-1).toFixed(2)}% after ${options.epochs} epochs (${runs[name].secondsPerEpoch} s/epoch)`);
    }
  }

  const title = 'Dropout: MLPs on Fashion-MNIST';
  await dd.viz.saveSvg(dd.viz.compareCurves(curves, { title }), path.join(options.out, 'dropout-it-works.svg'));
  const summary = { data: source, epochs: options.epochs, seed: options.seed, batchSize: BATCH, lr: LR, momentum: MOMENTUM, maxNorm: MAX_NORM, runs };
  fs.writeFileSync(path.join(options.out, 'dropout-it-works.json'), `${JSON.stringify(summary, null, 2)}\n`);
  console.log(`wrote dropout-it-works.svg and dropout-it-works.json in ${options.out}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
