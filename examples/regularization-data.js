// Data for the regularization experiments: Fashion-MNIST from $DENDRITE_SHARED/data/fashion-mnist
// (default ../shared) when it is there, else the sample bundled with the package (10k train / 2k test).
'use strict';
const fs = require('fs');
const path = require('path');
const dd = require('..');

async function loadFashionMnist() {
  const shared = process.env.DENDRITE_SHARED || path.join(__dirname, '..', '..', 'shared');
  const dir = path.join(shared, 'data', 'fashion-mnist');
  const full = fs.existsSync(path.join(dir, 'train-images-idx3-ubyte.gz'));
  const data = full ? await dd.data.fashionMnist(dir) : await dd.data.fashionMnist();
  return { ...data, source: full ? `full Fashion-MNIST (${dir})` : 'the bundled Fashion-MNIST sample (data/fashion-mnist-sample)' };
}

/** Rows [start, start + count) of a Dataset as in-memory { x, y } arrays. */
function rows(dataset, start, count) {
  const idx = Int32Array.from({ length: count }, (_, i) => start + i);
  const sub = dataset.subset(idx);
  return { x: sub.x, y: sub.y };
}

/** Minimal argument parsing: --name value. */
function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? Number(process.argv[i + 1]) : fallback;
}

/** A text option: --name value. */
function textOption(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

function pct(v) {
  return `${(100 * v).toFixed(2)}%`;
}

module.exports = { loadFashionMnist, rows, option, textOption, pct };
