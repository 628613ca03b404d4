#!/usr/bin/env node
// Makes the Fashion-MNIST sample bundled in data/fashion-mnist-sample/: the
// first 10,000 training and the first 2,000 test images and labels of the
// original files, as gzip IDX with the original names, plus the licence.
//
//   npx tsc -p . && node scripts/make-fashion-mnist-sample.js [source-folder]
//
// source-folder defaults to $DENDRITE_SHARED/data/fashion-mnist or
// ../shared/data/fashion-mnist beside the repository.
'use strict';
const fs = require('fs');
const path = require('path');
const { readIdxSync, writeIdxSync } = require('../dist/data');

const root = path.join(__dirname, '..');
const shared = process.env.DENDRITE_SHARED || path.join(root, '..', 'shared');
const source = process.argv[2] || path.join(shared, 'data', 'fashion-mnist');
const target = path.join(root, 'data', 'fashion-mnist-sample');
const counts = { 'train-': 10000, 't10k-': 2000 };

fs.mkdirSync(target, { recursive: true });
for (const base of ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) {
  const full = readIdxSync(path.join(source, `${base}.gz`));
  const n = counts[base.startsWith('train-') ? 'train-' : 't10k-'];
  const per = full.shape.slice(1).reduce((a, b) => a * b, 1);
  const sample = { data: full.data.slice(0, n * per), shape: [n, ...full.shape.slice(1)] };
  writeIdxSync(path.join(target, `${base}.gz`), sample, { level: 9 });
  console.log(`${base}.gz: [${sample.shape.join(', ')}], ${fs.statSync(path.join(target, `${base}.gz`)).size} bytes`);
}
fs.copyFileSync(path.join(source, 'LICENSE'), path.join(target, 'LICENSE'));
fs.chmodSync(path.join(target, 'LICENSE'), 0o644);
