#!/usr/bin/env node
// Convolution, max-pool and dropout workloads (W2, W3, W5 of
// bench/README.md) beside PyTorch measured in the same run.
//
//   npx tsc -p . && node bench/kernels-conv.js [--threads 1,2] [--no-reference] [--json FILE]
//   DENDRITE_ISA=avx2 node bench/kernels-conv.js   AVX2 against PyTorch held to AVX2
//
// Each workload is timed twice. "kernel" rows call the native kernels with
// preallocated outputs reused across repetitions (fresh pages cost about
// 2.5 µs per 4 KiB here). "API" rows time it as a user writes it, which is
// what the PyTorch reference times too: `F.conv2d(x, w, b).sum().backward()`
// with every operand requiring gradients, fresh outputs, autograd on. Figures
// are medians. PyTorch runs twice per thread count, with its defaults and with the
// "best configuration" environment from the reference script's header, and
// the faster figure per workload is the one compared against.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const { parseOptions, usageError } = require('./lib/args');
const { referenceScript } = require('./lib/paths');

const USAGE = `Usage: node bench/kernels-conv.js [options]

  --threads LIST    thread counts, each run by both sides (default 1,2)
  --no-reference    skip PyTorch
  --json FILE       also write the figures as JSON
  -h, --help        this text

Needs dist/ (npx tsc -p .). Reference: bench/reference/kernels_torch.py
on /usr/bin/python3 with torch. DENDRITE_ISA=avx2 holds both sides to AVX2.
`;
const { values: args } = parseOptions(USAGE, {
  threads: { type: 'string', default: '1,2' },
  'no-reference': { type: 'boolean', default: false },
  json: { type: 'string' },
});
const threadCounts = args.threads.split(',').map(Number);
if (!threadCounts.every((t) => Number.isInteger(t) && t >= 1)) usageError(USAGE, `--threads must be positive integers, got ${args.threads}`);
const withReference = !args['no-reference'];
const jsonFile = args.json ?? null;

const repoRoot = path.join(__dirname, '..');
const { native } = require(path.join(repoRoot, 'dist', 'native.js'));
const dd = require(path.join(repoRoot, 'dist', 'index.js'));
const F = dd.nn.functional;
const d = native();

// ---------------------------------------------------------------- timing

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * Milliseconds of fn over `reps` runs after `warmup` runs: the median (the
 * figure compared) and the fastest run (how far the shared machine's load
 * pushed the median up).
 */
function time(fn, reps, warmup = 2) {
  for (let i = 0; i < warmup; i++) fn();
  const ms = [];
  for (let i = 0; i < reps; i++) {
    const t = process.hrtime.bigint();
    fn();
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return { median: median(ms), best: Math.min(...ms) };
}

function uniform(n, seed) {
  // Uniform in [-1, 1), seeded (xorshift32), as WORKLOADS.md asks.
  const a = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    a[i] = (s / 4294967296) * 2 - 1;
  }
  return a;
}

// ---------------------------------------------------------------- workloads

// W2: [N, C, H, O, k, pad, stride] as in the reference script.
const convs = {
  a: [64, 1, 28, 32, 3, 1, 1],
  b: [64, 32, 14, 64, 3, 1, 1],
  c: [32, 64, 56, 64, 3, 1, 1],
  d: [32, 64, 56, 128, 1, 0, 2],
};

function convCase(name) {
  const [N, C, H, O, k, pad, stride] = convs[name];
  const oh = Math.floor((H + 2 * pad - k) / stride) + 1;
  const x = uniform(N * C * H * H, 1), w = uniform(O * C * k * k, 2), b = uniform(O, 3);
  const out = new Float32Array(N * O * oh * oh), gy = uniform(out.length, 4);
  const gx = new Float32Array(x.length), gw = new Float32Array(w.length), gb = new Float32Array(O);
  const geometry = [N, C, H, H, O, k, k, stride, stride, pad, pad, 1, 1];
  const forward = () => d.conv2dForward(x, w, b, out, ...geometry);
  const backward = () => d.conv2dBackward(x, w, gy, gx, gw, gb, ...geometry);
  const reps = name === 'c' ? 5 : 9;
  // The same operands as tensors, for the API rows.
  const xt = dd.tensor(x, [N, C, H, H], { requiresGrad: true });
  const wt = dd.tensor(w, [O, C, k, k], { requiresGrad: true });
  const bt = dd.tensor(b, [O], { requiresGrad: true });
  const options = { stride, padding: pad };
  return {
    forward: () => time(forward, reps),
    forwardBackward: () => time(() => { forward(); backward(); }, reps),
    apiForward: () => time(() => dd.noGrad(() => F.conv2d(xt, wt, bt, options)), reps),
    apiForwardBackward: () => time(() => F.conv2d(xt, wt, bt, options).sum().backward(), reps),
  };
}

function maxPoolCase() {
  const N = 64, C = 32, H = 28, oh = 14;
  const x = uniform(N * C * H * H, 5), out = new Float32Array(N * C * oh * oh);
  const idx = new Int32Array(out.length), gy = uniform(out.length, 6), gx = new Float32Array(x.length);
  // Bytes moved: forward reads x, writes out and indices; backward reads gy and indices, writes gx.
  const bytes = 4 * (x.length + 2 * out.length) + 4 * (2 * out.length + x.length);
  const t = time(() => {
    d.maxPool2dForward(x, out, idx, N, C, H, H, 2, 2, 2, 2, 0, 0);
    d.maxPool2dBackward(gy, idx, gx, N, C, H, H, oh, oh);
  }, 15);
  return { ...t, gbs: bytes / (t.median * 1e6) };
}

function maxPoolApiCase() {
  const x = dd.tensor(uniform(64 * 32 * 28 * 28, 5), [64, 32, 28, 28], { requiresGrad: true });
  return time(() => F.maxPool2d(x, 2, 2).sum().backward(), 15);
}

function dropoutApiCase() {
  const x = dd.tensor(uniform(16777216, 7), [16777216], { requiresGrad: true });
  return time(() => F.dropout(x, 0.5, true).sum().backward(), 7);
}

let dropoutSeed = 1;
function dropoutCase() {
  const n = 16777216;
  const x = uniform(n, 7), out = new Float32Array(n), mask = new Uint8Array(n);
  const gy = uniform(n, 8), gx = new Float32Array(n);
  // Forward reads x, writes out and the mask; backward reads gy and the mask, writes gx.
  const bytes = (4 + 4 + 1) * n + (4 + 1 + 4) * n;
  let offset = 0;
  const t = time(() => {
    // A fresh stream position each call, as training draws a new mask per step.
    d.dropoutForward(x, out, mask, 0.5, dropoutSeed, offset);
    d.dropoutBackward(gy, mask, 0.5, gx);
    offset += n;
  }, 7);
  dropoutSeed++;
  return { ...t, gbs: bytes / (t.median * 1e6) };
}

// ---------------------------------------------------------------- reference

const bestEnv = {
  TORCH_NO_MKLDNN: '1',
  OMP_WAIT_POLICY: 'PASSIVE',
  GLIBC_TUNABLES: 'glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=68719476736',
};

/**
 * When dendrite runs its AVX2 kernels (DENDRITE_ISA=avx2 on an AVX-512 CPU, or an AVX2 CPU), PyTorch is
 * held to AVX2 too (oneDNN's and ATen's own dispatch), so that the ratio compares like with like.
 */
function referenceIsaEnv() {
  return d.backendInfo().isa === 'avx2' ? { ONEDNN_MAX_CPU_ISA: 'AVX2', DNNL_MAX_CPU_ISA: 'AVX2', ATEN_CPU_CAPABILITY: 'avx2' } : {};
}

/** PyTorch's figures for `threads`: { name: { ms, config } }, the faster of both configurations; or a reason string. */
function reference(threads) {
  const script = referenceScript('kernels_torch.py');
  const python = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  const best = {};
  const failures = [];
  for (const [config, extra] of [['default', {}], ['tuned', bestEnv]]) {
    const r = spawnSync(python, [script, String(threads)], {
      encoding: 'utf8', env: { ...process.env, ...referenceIsaEnv(), ...extra }, timeout: 30 * 60 * 1000,
    });
    if (r.status !== 0) {
      failures.push(`${config}: ${(r.stderr || r.error || '').toString().trim().split('\n').pop()}`);
      continue;
    }
    const figures = JSON.parse(r.stdout.trim().split('\n').pop());
    for (const [name, ms] of Object.entries(figures)) {
      if (!best[name] || ms < best[name].ms) best[name] = { ms, config };
    }
  }
  if (Object.keys(best).length === 0) return `reference unavailable (${failures.join('; ')})`;
  return best;
}

// ---------------------------------------------------------------- run

const rows = [];
const references = {};
const info = d.backendInfo();
const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' ');
console.log(`dendrite ${info.isa}, hardware threads ${info.hardwareThreads}; medians; ratio = PyTorch ms / dendrite ms (> 1: dendrite faster)`);
if (info.isa === 'avx2') console.log('PyTorch is held to AVX2 as well (ONEDNN_MAX_CPU_ISA=AVX2 ATEN_CPU_CAPABILITY=avx2)');
console.log(`load average at start: ${load()} (the machine is shared: figures taken under load are slower for both sides)`);
// Each thread count's PyTorch figures are taken right after ours, so both see
// about the same load on the shared machine.
for (const threads of threadCounts) {
  d.setNumThreads(threads);
  for (const name of Object.keys(convs)) {
    const c = convCase(name);
    const f = c.forward(), fb = c.forwardBackward();
    const af = c.apiForward(), afb = c.apiForwardBackward();
    rows.push({ workload: `W2${name} conv fwd`, how: 'kernel', threads, ms: f.median, best: f.best, ref: null });
    rows.push({ workload: `W2${name} conv fwd`, how: 'API', threads, ms: af.median, best: af.best, ref: null });
    rows.push({ workload: `W2${name} conv fwd+bwd`, how: 'kernel', threads, ms: fb.median, best: fb.best, ref: `conv_${name}` });
    rows.push({ workload: `W2${name} conv fwd+bwd`, how: 'API', threads, ms: afb.median, best: afb.best, ref: `conv_${name}` });
  }
  const mp = maxPoolCase(), mpApi = maxPoolApiCase();
  rows.push({ workload: 'W3 maxpool fwd+bwd', how: 'kernel', threads, ms: mp.median, best: mp.best, gbs: mp.gbs, ref: 'maxpool' });
  rows.push({ workload: 'W3 maxpool fwd+bwd', how: 'API', threads, ms: mpApi.median, best: mpApi.best, ref: 'maxpool' });
  const dr = dropoutCase(), drApi = dropoutApiCase();
  rows.push({ workload: 'W5 dropout fwd+bwd', how: 'kernel', threads, ms: dr.median, best: dr.best, gbs: dr.gbs, ref: 'dropout' });
  rows.push({ workload: 'W5 dropout fwd+bwd', how: 'API', threads, ms: drApi.median, best: drApi.best, ref: 'dropout' });
  if (withReference) references[threads] = reference(threads);
}
d.setNumThreads(info.threads);

const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);
console.log(`load average at end: ${load()}`);
console.log(`${pad('workload', 22)}${pad('timed', 8)}${lpad('threads', 8)}${lpad('dendrite ms', 13)}${lpad('(best)', 9)}${lpad('GB/s', 8)}${lpad('PyTorch ms', 12)}  ${pad('(config)', 10)}${lpad('ratio', 7)}`);
for (const r of rows) {
  const refs = references[r.threads];
  let refText = '', config = '', ratio = '';
  if (!withReference) {
    refText = 'skipped';
  } else if (typeof refs === 'string') {
    refText = 'n/a';
  } else if (r.ref === null) {
    refText = '—';  // the reference times forward+backward only
  } else if (refs[r.ref]) {
    r.refMs = refs[r.ref].ms;
    r.refConfig = refs[r.ref].config;
    r.ratio = r.refMs / r.ms;
    refText = r.refMs.toFixed(2);
    config = `(${r.refConfig})`;
    ratio = r.ratio.toFixed(2);
  }
  console.log(`${pad(r.workload, 22)}${pad(r.how, 8)}${lpad(r.threads, 8)}${lpad(r.ms.toFixed(2), 13)}${lpad(`(${r.best.toFixed(2)})`, 9)}${lpad(r.gbs ? r.gbs.toFixed(1) : '', 8)}${lpad(refText, 12)}  ${pad(config, 10)}${lpad(ratio, 7)}`);
}
for (const [threads, refs] of Object.entries(references)) {
  if (typeof refs === 'string') console.log(`${threads} thread(s): ${refs}`);
}
console.log('kernel: the native kernels on preallocated outputs; API: through F.* with autograd and fresh outputs, as PyTorch is timed.');
console.log('dendrite ms: median (fastest run). GB/s from the median. The PyTorch reference times forward+backward only (— for forward rows). tuned = ' +
  Object.entries(bestEnv).map(([k, v]) => `${k}=${v}`).join(' '));
if (jsonFile) fs.writeFileSync(jsonFile, JSON.stringify({ backend: info, rows }, null, 2));
