#!/usr/bin/env node
// Experiment: negative sampling vs the full softmax over 50,000 classes.
// Per-step time (forward + backward + update of the output table) of
//   a) crossEntropy over a [B, V] logits matrix (dense table, Adam), and
//   b) negativeSamplingLoss with K sampled negatives (sparse table, SparseAdam).
//   node bench/negative-sampling.js [--classes 50000] [--dim 128] [--batch 128] [--negatives 5] [--threads N]
'use strict';
const { parseOptions } = require('./lib/args');

const USAGE = `Usage: node bench/negative-sampling.js [options]

  --classes N     output classes, rows of the table (default 50000)
  --dim N         hidden size (default 128)
  --batch N       examples per step (default 128)
  --negatives N   sampled negatives per example (default 5)
  --reps N        timed steps per figure, after 2 warm-ups (default 9)
  --threads N     kernel threads (default: the backend's)
  -h, --help      this text

Needs dist/ (npm run build:ts).
`;
const { values } = parseOptions(USAGE, {
  classes: { type: 'string' }, dim: { type: 'string' }, batch: { type: 'string' }, negatives: { type: 'string' }, reps: { type: 'string' }, threads: { type: 'string' },
});
const dd = require('../dist/index.js');
const V = Number(values.classes ?? 50000), D = Number(values.dim ?? 128), B = Number(values.batch ?? 128);
const K = Number(values.negatives ?? 5), reps = Number(values.reps ?? 9);
const F = dd.nn.functional;
if (values.threads) dd.setNumThreads(Number(values.threads));

function median(xs) { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; }

function time(step) {
  for (let i = 0; i < 2; i++) step();
  const ts = [];
  for (let i = 0; i < reps; i++) { const t = process.hrtime.bigint(); step(); ts.push(Number(process.hrtime.bigint() - t) / 1e6); }
  return median(ts);
}

dd.manualSeed(0);
const hidden = dd.randn([B, D], { requiresGrad: true });
const targets = dd.randint(0, V, [B]);

const dense = dd.randn([V, D], { requiresGrad: true });
const adam = new dd.optim.Adam([dense], { lr: 1e-3 });
const full = time(() => {
  adam.zeroGrad();
  hidden.grad = null;
  F.crossEntropy(dd.matmul(hidden, dense.transpose(0, 1)), targets).backward();
  adam.step();
});

const table = dd.nn.sparseGrad(dd.randn([V, D], { requiresGrad: true }));
const sparseAdam = new dd.optim.SparseAdam([table], { lr: 1e-3 });
const counts = Array.from({ length: V }, (_, i) => 1e6 / (i + 1)); // Zipf-like word counts
const sampler = new dd.nn.UnigramSampler(counts, { seed: 1 });
const sampled = time(() => {
  sparseAdam.zeroGrad();
  hidden.grad = null;
  F.negativeSamplingLoss(hidden, table, targets, { numNegatives: K, sampler }).backward();
  sparseAdam.step();
});

const info = dd.backendInfo();
console.log(`${V} classes, dim ${D}, batch ${B}, ${K} negatives; ${info.isa}, ${info.threads} threads; median of ${reps} steps`);
console.log('| loss | ms per step (fwd+bwd+update) |');
console.log('|---|---|');
console.log(`| full softmax cross-entropy (Adam) | ${full.toFixed(2)} |`);
console.log(`| negative sampling, K=${K} (SparseAdam) | ${sampled.toFixed(3)} |`);
console.log(`speed-up: ${(full / sampled).toFixed(1)}x`);
