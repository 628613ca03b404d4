#!/usr/bin/env node
// What the W7 CNN (bench/README.md) learns on Fashion-MNIST, in pictures: its first-layer filters,
// the feature maps of both convolutions for 4 test images, the test patches 8 channels of the second
// convolution respond to most, saliency maps of the predicted class, its training curves and its
// confusion matrix.
//   npm run build:ts && node examples/figures/w7-pictures.js --data DIR --out docs/figures
'use strict';
const fs = require('fs');
const path = require('path');
const dd = require('../..');
const { commonUsage, figureOptions, loadFashionMnist, secondsSince } = require('./figure-options');

const { viz } = dd;
const BATCH = 64;
const USAGE = `Usage: node examples/figures/w7-pictures.js [options]

Trains the W7 CNN (dd.models.fashionCnn(), Adam 1e-3, batch 64) on Fashion-MNIST, the test set as
validation data, and writes into --out: w7-filters.png, w7-feature-maps-conv1.png,
w7-feature-maps-conv2.png, w7-top-patches.png, w7-saliency.png, w7-curves.svg, w7-confusion.svg
and w7-summary.json (accuracy, timings, the saliency images' labels).

${commonUsage(3)}`;

/** A viz Image (8-bit, channels interleaved) as a [channels, H, W] tensor in [0, 1], to tile with makeGrid. */
function imageTensor(image) {
  const hwc = dd.asTensor(Float32Array.from(image.data, (v) => v / 255), [image.height, image.width, image.channels]);
  return hwc.permute([2, 0, 1]);
}

/**
 * One row per image: the image itself (shrunk to the maps' size), then the first `channels` maps
 * of `layer`, each tile min-max normalised on its own.
 */
function featureMapRows(model, layer, images, channels, scale) {
  const maps = viz.featureMaps(model, layer, images).narrow(1, 0, channels); // [N, channels, h, w]
  const [n, , h] = maps.shape;
  const shrink = images.shape[2] / h;
  const small = shrink === 1 ? images : dd.nn.functional.avgPool2d(images, shrink);
  const rows = dd.cat([small, maps], 1).reshape([n * (channels + 1), 1, h, h]);
  return viz.makeGrid(rows, { nrow: channels + 1, normalize: 'each', padding: 1, padValue: 1, scale });
}

async function main() {
  const options = figureOptions(USAGE, { epochs: 3 });
  const out = (name) => path.join(options.out, name);
  dd.manualSeed(options.seed);
  const { train, test, classes, source } = await loadFashionMnist(options, BATCH);
  console.log(`data: ${source} (${train.length} train, ${test.length} test)`);

  const model = dd.models.fashionCnn();
  const start = Date.now();
  const history = await dd.fit(model, train, {
    epochs: options.epochs, batchSize: BATCH, optimizer: new dd.optim.Adam(model.parameters(), { lr: 1e-3 }),
    loss: 'crossEntropy', metrics: ['accuracy'], validationData: test, seed: options.seed, verbose: 2,
    callbacks: [viz.plotCallback(out('w7-curves.svg'), { title: 'W7 CNN on Fashion-MNIST', metrics: ['loss', 'accuracy'], validationLabel: 'test' })],
  });
  const trainSeconds = secondsSince(start);
  const testImages = dd.asTensor(test.x.data, test.x.shape); // [N, 1, 28, 28]

  // The 32 first-layer filters (3×3), each min-max normalised.
  await viz.savePng(viz.filterGrid(model.at(0), { nrow: 8, scale: 12, padding: 4, padValue: 1 }), out('w7-filters.png'));

  // Feature maps of 4 test images after each conv + ReLU ('1' and '4' in model.namedModules()), caught by forward hooks.
  const four = testImages.narrow(0, 0, 4);
  await viz.savePng(featureMapRows(model, '1', four, 32, 1), out('w7-feature-maps-conv1.png'));
  await viz.savePng(featureMapRows(model, '4', four, 32, 2), out('w7-feature-maps-conv2.png'));

  // The 9 test patches that excite each of channels 0-7 of the second convolution most (its 8×8 receptive field).
  const channels = [0, 1, 2, 3, 4, 5, 6, 7];
  await viz.savePng(await viz.topPatches(model, '4', testImages, { k: 9, channels, scale: 4, padding: 2, padValue: 1 }), out('w7-top-patches.png'));

  // |∂ score of the predicted class / ∂ pixel| for 8 test images: each image beside its map.
  const eight = testImages.narrow(0, 0, 8);
  const predicted = (await dd.predict(model, eight)).argmax(-1).toArray();
  const pictures = predicted.map((label, i) => {
    const image = eight.narrow(0, i, 1);
    return imageTensor(viz.saliencyImage(image, viz.saliency(model, image, label), { mode: 'side-by-side', scale: 3 }));
  });
  await viz.savePng(viz.makeGrid(dd.stack(pictures), { nrow: 4, padding: 6, padValue: 1 }), out('w7-saliency.png'));

  const matrix = await viz.confusionMatrix(model, test, { classNames: classes });
  const title = `W7 CNN, ${options.epochs} epochs: test accuracy ${(100 * matrix.accuracy).toFixed(1)}%`;
  await viz.saveSvg(viz.confusionMatrixSvg(matrix, { title }), out('w7-confusion.svg'));

  const summary = {
    data: source, epochs: options.epochs, seed: options.seed, trainSeconds, totalSeconds: secondsSince(start),
    testAccuracy: matrix.accuracy, history: history.history,
    saliency: predicted.map((p, i) => ({ predicted: classes[p], label: classes[test.y.data[i]] })),
  };
  fs.writeFileSync(out('w7-summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  console.log(`test accuracy ${(100 * matrix.accuracy).toFixed(2)}%; training ${trainSeconds} s, all ${summary.totalSeconds} s; pictures in ${options.out}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
