#!/usr/bin/env node
// The depth experiment as curves: 30 sigmoid layers of 64 units trained on Fashion-MNIST stacked
// plainly, as highway layers and as residual blocks (the networks of bench/depth.js), with their
// training and test loss and accuracy after every epoch overlaid on one plot.
//   npm run build:ts && node examples/figures/depth-curves.js --data DIR --out docs/figures
'use strict';
const fs = require('fs');
const path = require('path');
const dd = require('../..');
const { commonUsage, figureOptions, loadFashionMnist, secondsSince } = require('./figure-options');
const { DEPTH_KINDS, depthNetwork } = require('./depth-networks');

const BATCH = 128;
const DEPTH = 30;
const WIDTH = 64;
const USAGE = `Usage: node examples/figures/depth-curves.js [options]

Trains three ${DEPTH}-layer sigmoid networks of width ${WIDTH} (plain, highway with gate bias -2, residual;
Adam 1e-3, batch ${BATCH}) on Fashion-MNIST, the test set as validation data, and writes into --out
depth-curves.svg (their loss and accuracy per epoch, overlaid) and depth-curves.json (the histories).

${commonUsage(10)}`;

async function main() {
  const options = figureOptions(USAGE, { epochs: 10 });
  const { train, test, source } = await loadFashionMnist(options, BATCH);
  console.log(`data: ${source} (${train.length} train, ${test.length} test)`);

  const runs = {};
  const results = {};
  for (const kind of DEPTH_KINDS) {
    dd.manualSeed(options.seed); // the same seed for every network's weights and batch order
    const model = depthNetwork(kind, { depth: DEPTH, width: WIDTH });
    const start = Date.now();
    const history = await dd.fit(model, train, {
      epochs: options.epochs, batchSize: BATCH, optimizer: new dd.optim.Adam(model.parameters(), { lr: 1e-3 }),
      loss: 'crossEntropy', metrics: ['accuracy'], validationData: test, validationBatchSize: 1000, seed: options.seed, verbose: 0,
    });
    runs[kind] = history;
    results[kind] = { seconds: secondsSince(start), history: history.history };
    const last = (name) => (100 * history.history[name].at(-1)).toFixed(1);
    console.log(`${kind.padEnd(9)} train accuracy ${last('accuracy')}%, test accuracy ${last('val_accuracy')}% (${results[kind].seconds} s)`);
  }

  const title = `${DEPTH} sigmoid layers of ${WIDTH} units on Fashion-MNIST`;
  await dd.viz.saveSvg(dd.viz.compareCurves(runs, { title, metrics: ['loss', 'accuracy'], validationLabel: 'test' }), path.join(options.out, 'depth-curves.svg'));
  const summary = { data: source, depth: DEPTH, width: WIDTH, epochs: options.epochs, seed: options.seed, runs: results };
  fs.writeFileSync(path.join(options.out, 'depth-curves.json'), `${JSON.stringify(summary, null, 2)}\n`);
  console.log(`wrote depth-curves.svg and depth-curves.json in ${options.out}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
