#!/usr/bin/env node
/**
 * W8: inference latency of W6's MLP and W7's CNN, batch 1 and 64, eval mode
 * without the graph: median microseconds per call from JavaScript, beside
 * PyTorch (bench/infer_torch.py, OMP_WAIT_POLICY=PASSIVE) from Python.
 *
 *   node bench/infer.js [--threads 1,2] [--reps 200] [--no-reference]
 *
 * Run `npx tsc -p .` first.
 */
'use strict';
const path = require('path');
const fs = require('fs');
const { spawnSync } = require('child_process');
const { parseOptions } = require('./lib/args');

const USAGE = `Usage: node bench/infer.js [options]

  --threads LIST    thread counts, each run by both sides (default 1,2)
  --reps N          timed calls per figure (default 200)
  --no-reference    skip PyTorch
  -h, --help        this text

Needs dist/ (npx tsc -p .). PyTorch: /usr/bin/python3 with torch (bench/infer_torch.py).
`;
const { values } = parseOptions(USAGE, {
  threads: { type: 'string', default: '1,2' },
  reps: { type: 'string', default: '200' },
  'no-reference': { type: 'boolean', default: false },
});

const repo = path.join(__dirname, '..');
const dd = require(path.join(repo, 'dist', 'index.js'));
const { fashionMlp, fashionCnn } = require(path.join(repo, 'dist', 'cli.js'));
const reps = Number(values.reps);
const python = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function ours(make, batch) {
  dd.manualSeed(0);
  const model = make().eval();
  const x = dd.rand([batch, 1, 28, 28]).mul(2).sub(1);
  return dd.noGrad(() => {
    for (let i = 0; i < Math.max(3, reps / 10); i++) model.call(x);
    const ts = [];
    for (let i = 0; i < reps; i++) {
      const t = process.hrtime.bigint();
      model.call(x);
      ts.push(Number(process.hrtime.bigint() - t) / 1000);
    }
    return median(ts);
  });
}

function torch(threads) {
  if (values['no-reference']) return { error: 'skipped' };
  const r = spawnSync(python, [path.join(__dirname, 'infer_torch.py'), String(threads), String(reps)], {
    env: { ...process.env, OMP_WAIT_POLICY: 'PASSIVE' },
    encoding: 'utf8',
  });
  if (r.status !== 0) return { error: `reference unavailable (${(r.stderr || '').trim().split('\n').pop()})` };
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

console.log(`dendrite ${dd.backendInfo().isa}; median µs per call over ${reps} calls`);
console.log('| model | batch | threads | dendrite µs | PyTorch µs | PyTorch/dendrite |');
console.log('|---|---|---|---|---|---|');
for (const threads of values.threads.split(',').map(Number)) {
  dd.setNumThreads(threads);
  const ref = torch(threads);
  for (const [name, make] of [['mlp', fashionMlp], ['cnn', fashionCnn]]) {
    for (const batch of [1, 64]) {
      const a = ours(make, batch);
      const b = ref.error ? NaN : ref[name][String(batch)];
      const refText = ref.error ? ref.error : b.toFixed(1);
      console.log(`| ${name.toUpperCase()} | ${batch} | ${threads} | ${a.toFixed(1)} | ${refText} | ${ref.error ? 'n/a' : (b / a).toFixed(2)} |`);
    }
  }
}
