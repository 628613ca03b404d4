#!/usr/bin/env node
// Experiment: depth. A 30-layer plain sigmoid MLP (64 wide) hardly trains on
// Fashion-MNIST in 2 epochs; the same depth with highway layers (gate bias −2)
// or with residual blocks does.
//   node bench/depth.js [--epochs 2] [--depth 30] [--data DIR]
// Uses the full Fashion-MNIST from ../shared/data/fashion-mnist (or DENDRITE_SHARED)
// when present, else the bundled 10k/2k sample. Seeded; prints a table.
'use strict';
const path = require('path');
const fs = require('fs');
const { parseOptions } = require('./lib/args');

const USAGE = `Usage: node bench/depth.js [options]

  --epochs N    training epochs per network (default 2)
  --depth N     layers per network (default 30)
  --data DIR    the four Fashion-MNIST files (default ../shared/data/fashion-mnist if present, else the bundled sample)
  --seed N      seed of the weights and the batch order (default 0)
  -h, --help    this text

Needs dist/ (npm run build:ts).
`;
const { values } = parseOptions(USAGE, { epochs: { type: 'string' }, depth: { type: 'string' }, data: { type: 'string' }, seed: { type: 'string' } });
const dd = require('../dist/index.js');
const epochs = Number(values.epochs ?? 2);
const depth = Number(values.depth ?? 30);
const seed = Number(values.seed ?? 0);
const shared = process.env.DENDRITE_SHARED ?? path.join(__dirname, '..', '..', 'shared');
const fullDir = path.join(shared, 'data', 'fashion-mnist');
const dataDir = values.data ?? (fs.existsSync(path.join(fullDir, 'train-images-idx3-ubyte.gz')) ? fullDir : undefined);

const { DEPTH_KINDS, depthNetwork } = require('../examples/figures/depth-networks');
const width = 64;

async function main() {
  const { train, test } = await dd.data.fashionMnist(dataDir);
  console.log(`data: ${dataDir ?? 'bundled sample'} (${train.x.shape[0]} train, ${test.x.shape[0]} test); ${depth} layers of width ${width}, sigmoid, Adam 1e-3, batch 128, ${epochs} epochs`);
  const rows = [];
  for (const kind of DEPTH_KINDS) {
    dd.manualSeed(seed);
    const model = depthNetwork(kind, { depth, width });
    const optimizer = new dd.optim.Adam(model.parameters(), { lr: 1e-3 });
    const t0 = Date.now();
    await dd.fit(model, train, { epochs, batchSize: 128, optimizer, loss: 'crossEntropy', metrics: ['accuracy'], seed, verbose: 0 });
    const seconds = (Date.now() - t0) / 1000;
    const { accuracy } = await dd.evaluate(model, test, { batchSize: 1000, loss: 'crossEntropy', metrics: ['accuracy'] });
    rows.push({ kind, params: model.parameters().reduce((s, p) => s + p.numel, 0), accuracy, seconds });
    console.log(`${kind.padEnd(9)} test accuracy ${(accuracy * 100).toFixed(1)}%  (${seconds.toFixed(1)} s)`);
  }
  console.log('\n| network (depth ' + depth + ') | parameters | test accuracy | train time |');
  console.log('|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.kind} | ${r.params} | ${(r.accuracy * 100).toFixed(1)}% | ${r.seconds.toFixed(1)} s |`);
}

main().catch((e) => { console.error(e); process.exit(1); });
