#!/usr/bin/env node
// A convolutional autoencoder on Fashion-MNIST: two stride-2 convolutions squeeze each 28×28 image
// into 4 maps of 7×7 (196 numbers, a quarter of its pixels), two transposed convolutions grow it
// back, a sigmoid gives pixels in [0, 1]. It learns from the images alone (the target is the input)
// with a mean squared error; the picture shows test images above their reconstructions.
//   npm run build:ts && node examples/figures/autoencoder.js --data DIR --out docs/figures
'use strict';
const fs = require('fs');
const path = require('path');
const dd = require('../..');
const { commonUsage, figureOptions, loadFashionMnist, secondsSince } = require('./figure-options');

const { nn } = dd;
const BATCH = 64;
const SHOWN = 16;
const USAGE = `Usage: node examples/figures/autoencoder.js [options]

Trains a convolutional autoencoder (784 pixels -> 4×7×7 code -> 784 pixels; Adam 1e-3, batch ${BATCH},
mean squared error) on Fashion-MNIST and writes into --out autoencoder.png (${SHOWN} test images above
their reconstructions) and autoencoder.json (losses, timings).

${commonUsage(5)}`;

function autoencoder() {
  const down = (i, o) => new nn.Conv2d(i, o, 3, { stride: 2, padding: 1 }); // halves height and width
  const up = (i, o) => new nn.ConvTranspose2d(i, o, 3, { stride: 2, padding: 1, outputPadding: 1 }); // doubles them
  return new nn.Sequential(
    down(1, 32), new nn.ReLU(), // [32, 14, 14]
    down(32, 4), new nn.ReLU(), // [4, 7, 7]: the code
    up(4, 32), new nn.ReLU(), // [32, 14, 14]
    up(32, 1), new nn.Sigmoid(), // [1, 28, 28]
  );
}

async function main() {
  const options = figureOptions(USAGE, { epochs: 5 });
  dd.manualSeed(options.seed);
  const { train, test, source } = await loadFashionMnist(options, BATCH);
  console.log(`data: ${source} (${train.length} train, ${test.length} test)`);

  const model = autoencoder();
  const start = Date.now();
  const history = await dd.fit(model, { x: train.x, y: train.x }, {
    epochs: options.epochs, batchSize: BATCH, optimizer: new dd.optim.Adam(model.parameters(), { lr: 1e-3 }),
    loss: 'mse', validationData: { x: test.x, y: test.x }, validationBatchSize: 500, seed: options.seed, verbose: 2,
  });
  const trainSeconds = secondsSince(start);

  const images = dd.asTensor(test.x.data, test.x.shape).narrow(0, 0, SHOWN);
  const reconstructions = await dd.predict(model, images);
  const grid = dd.viz.makeGrid(dd.cat([images, reconstructions], 0), { nrow: SHOWN, padding: 2, padValue: 1, scale: 2 });
  await dd.viz.savePng(grid, path.join(options.out, 'autoencoder.png'));

  const testLoss = history.history.val_loss.at(-1);
  const summary = { data: source, epochs: options.epochs, seed: options.seed, trainSeconds, testMse: testLoss, history: history.history };
  fs.writeFileSync(path.join(options.out, 'autoencoder.json'), `${JSON.stringify(summary, null, 2)}\n`);
  console.log(`test mean squared error ${testLoss.toFixed(4)}; training ${trainSeconds} s; wrote autoencoder.png in ${options.out}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
