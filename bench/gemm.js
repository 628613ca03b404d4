#!/usr/bin/env node
// W1 / W1t of bench/README.md: SGEMM GFLOP/s (2mnk / t) for one
// thread and all threads, beside numpy's OpenBLAS measured in the same run.
//
//   npx tsc -p . && node bench/gemm.js [--rounds N] [--quick] [--python PATH] [--cpu-time] [--no-reference]
//
// Each figure is the median of 7 timed batches (each about 50 ms) after 3
// warm-up calls, the same protocol as the reference script. With --rounds N
// (default 3) the whole table, ours and the reference, is measured N times
// and the median of the rounds is printed: the machine may be shared, so
// single runs are noisy. When the OpenBLAS that numpy loads does not know
// this CPU and falls back to a pre-AVX2 kernel, the table adds OpenBLAS
// forced to its AVX2 (Haswell) kernel as a like-for-like reference.
// The reference runs on /usr/bin/python3 (the system numpy) when it has
// numpy, else on the first python3 on PATH; --python picks another.
// --cpu-time measures one thread by the process's CPU time instead of the
// clock, on both sides (the reference script is run with time.process_time
// in place of time.perf_counter): on a machine shared with other work, time
// spent waiting for a core then no longer counts against either side.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const { parseOptions, usageError } = require('./lib/args');
const { referenceScript } = require('./lib/paths');

const USAGE = `Usage: node bench/gemm.js [options]

  --rounds N       measure the whole table N times, print the median per cell (default 3)
  --quick          10 ms timed batches instead of 50 ms
  --python PATH    the python3 that runs the numpy reference (default /usr/bin/python3 if it has numpy)
  --cpu-time       time one thread by CPU time instead of the clock, on both sides
  --no-reference   skip numpy
  -h, --help       this text

Needs dist/ (npx tsc -p .). Reference: bench/reference/gemm_numpy.py on a python3 with numpy.
`;
const { values: args } = parseOptions(USAGE, {
  rounds: { type: 'string', default: '3' },
  quick: { type: 'boolean', default: false },
  python: { type: 'string' },
  'cpu-time': { type: 'boolean', default: false },
  'no-reference': { type: 'boolean', default: false },
});
const rounds = Math.max(1, Number(args.rounds));
if (!Number.isInteger(rounds)) usageError(USAGE, `--rounds must be a positive integer, got ${args.rounds}`);
const quick = args.quick;
const cpuTime = args['cpu-time'];
const pythonArg = args.python ?? null;

const repoRoot = path.join(__dirname, '..');
const { native } = require(path.join(repoRoot, 'dist', 'native.js'));
const dd = require(path.join(repoRoot, 'dist', 'index.js'));

// The shapes of W1 and W1t, in the order of the reference script.
const shapes = [];
for (const n of [64, 128, 256, 512, 1024, 2048]) shapes.push([n, n, n, 'NN']);
shapes.push([1000, 1000, 1000, 'NN'], [4096, 64, 64, 'NN'], [64, 4096, 4096, 'NN'], [1, 784, 512, 'NN']);
for (const n of [512, 1024]) for (const op of ['TN', 'NT']) shapes.push([n, n, n, op]);
const key = (m, n, k, op) => `${m}x${n}x${k} ${op}`;

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

function uniform(len, seed) {
  // A small LCG: the values only need to be in [-1, 1) and not all equal.
  const out = new Float32Array(len);
  let s = seed >>> 0;
  for (let i = 0; i < len; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2147483648 - 1;
  }
  return out;
}

/** GFLOP/s of the native gemm kernel on one shape (C preallocated), with the current thread count. */
function measureKernel(m, n, k, op) {
  const ta = op[0] === 'T', tb = op[1] === 'T';
  const a = uniform(m * k, 1), b = uniform(k * n, 2), c = new Float32Array(m * n);
  const lda = ta ? m : k, ldb = tb ? k : n;
  const g = native().gemm;
  return gflops(m, n, k, () => g(ta, tb, m, n, k, 1, a, lda, 0, b, ldb, 0, 0, c, n, 0, 1));
}

/** GFLOP/s of dd.matmul as a user calls it: a fresh output tensor per call, transposes as views (`.t()`). */
function measureApi(m, n, k, op) {
  const ta = op[0] === 'T', tb = op[1] === 'T';
  const a = dd.tensor(uniform(m * k, 1), ta ? [k, m] : [m, k]);
  const b = dd.tensor(uniform(k * n, 2), tb ? [n, k] : [k, n]);
  const lhs = ta ? a.t() : a, rhs = tb ? b.t() : b;
  return gflops(m, n, k, () => dd.matmul(lhs, rhs));
}

/** 2mnk / (median seconds per call of f), f repeated for about 50 ms per timed batch. */
function gflops(m, n, k, f) {
  // Seconds, by the clock or by this process's CPU time.
  const now = cpuTime
    ? () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; }
    : () => Number(process.hrtime.bigint()) / 1e9;
  for (let i = 0; i < 3; i++) f();
  let t = now();
  f();
  const one = now() - t;
  const reps = Math.max(1, Math.floor((quick ? 0.01 : 0.05) / Math.max(one, 1e-7)));
  const times = [];
  for (let r = 0; r < 7; r++) {
    t = now();
    for (let i = 0; i < reps; i++) f();
    times.push((now() - t) / reps);
  }
  return (2 * m * n * k) / median(times) / 1e9;
}

// ---- the reference: numpy in a child process ----

/** The environment for numpy: OpenBLAS with `threads` threads and, if given, a forced kernel. */
function referenceEnv(threads, coretype) {
  const env = { ...process.env, OPENBLAS_NUM_THREADS: String(threads) };
  // Set on some machines for old OpenBLAS builds; they slow a current numpy.
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  if (coretype) env.OPENBLAS_CORETYPE = coretype;
  return env;
}

const hasNumpy = (python) =>
  spawnSync(python, ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;
const python = pythonArg || (fs.existsSync('/usr/bin/python3') && hasNumpy('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

/** Which OpenBLAS numpy loads and which kernel it picks, or null without numpy. */
function referenceInfo(coretype) {
  const probe = `
import json, numpy as np
a = np.ones((64, 64), np.float32); a @ a
info = {'numpy': np.__version__}
try:
    import threadpoolctl
    blas = [x for x in threadpoolctl.threadpool_info() if x.get('user_api') == 'blas']
    if blas: info.update(blas[0])
    else: info['internal_api'] = 'not OpenBLAS (no BLAS seen by threadpoolctl)'
except Exception as e:
    info['threadpoolctl'] = str(e)
print(json.dumps(info))`;
  const r = spawnSync(python, ['-c', probe], { env: referenceEnv(1, coretype), encoding: 'utf8' });
  if (r.status !== 0) return null;
  try {
    return JSON.parse(r.stdout.trim().split('\n').pop());
  } catch {
    return null;
  }
}

/** { 'MxNxK OP': gflops } from the reference script, or null. */
function measureReference(script, threads, coretype) {
  const argv = cpuTime
    ? ['-c', `exec(open(${JSON.stringify(script)}).read().replace('time.perf_counter()', 'time.process_time()'))`]
    : [script];
  const r = spawnSync(python, argv, { env: referenceEnv(threads, coretype), encoding: 'utf8', timeout: 600000 });
  if (r.status !== 0) {
    process.stderr.write(`reference failed (${threads} threads): ${r.stderr || r.error}\n`);
    return null;
  }
  const out = {};
  for (const line of r.stdout.split('\n')) {
    if (!line.trim()) continue;
    const x = JSON.parse(line);
    out[key(x.m, x.n, x.k, x.op)] = x.gflops;
  }
  return out;
}

// ---- run ----

const info = native().backendInfo();
const allThreads = info.hardwareThreads;
const script = referenceScript('gemm_numpy.py');
let refInfo = null;
if (args['no-reference']) {
  console.log('reference skipped (--no-reference)');
} else {
  refInfo = referenceInfo(null);
  if (!refInfo) console.log('reference unavailable: python3 with numpy not found (apt-get install -y python3-numpy)');
}
// OpenBLAS falls back to a pre-AVX2 kernel on CPUs newer than its build knows.
const oldKernels = ['Prescott', 'Core2', 'Penryn', 'Dunnington', 'Nehalem', 'Atom', 'Katmai', 'Coppermine', 'Northwood'];
const addHaswell = refInfo && oldKernels.includes(refInfo.architecture);

console.log(`dendrite gemm: isa ${info.isa}, ${allThreads} hardware threads, ${rounds} round(s), median of each` +
  (cpuTime ? ', timed by CPU time (1 thread only)' : ''));
if (refInfo) {
  console.log(`reference: ${python}, numpy ${refInfo.numpy}, ${refInfo.internal_api || 'BLAS (threadpoolctl missing)'}` +
    ` ${refInfo.version || ''} (${refInfo.filepath || '?'}), kernel ${refInfo.architecture || '?'}`);
  if (refInfo.internal_api && refInfo.internal_api !== 'openblas') {
    console.log(`  note: numpy does not use OpenBLAS here (apt-get install -y libopenblas0-pthread)`);
  }
  if (addHaswell) {
    const h = referenceInfo('Haswell');
    console.log(`  OpenBLAS does not know this CPU and runs its ${refInfo.architecture} kernel; ` +
      `"hsw" columns force its AVX2 kernel (OPENBLAS_CORETYPE=Haswell → ${h && h.architecture})`);
  }
}

const threadCounts = allThreads > 1 && !cpuTime ? [1, allThreads] : [1];
const samples = {}; // samples[`${who} ${threads}`][shapeKey] = [gflops per round]
const record = (who, threads, k, v) => {
  const s = (samples[`${who} ${threads}`] ??= {});
  (s[k] ??= []).push(v);
};
for (let round = 0; round < rounds; round++) {
  for (const t of threadCounts) {
    native().setNumThreads(t);
    for (const [m, n, k, op] of shapes) {
      record('ours', t, key(m, n, k, op), measureKernel(m, n, k, op));
      record('api', t, key(m, n, k, op), measureApi(m, n, k, op));
    }
    if (refInfo) {
      const ref = measureReference(script, t, null);
      if (ref) for (const [k, v] of Object.entries(ref)) record('ref', t, k, v);
      if (addHaswell) {
        const hsw = measureReference(script, t, 'Haswell');
        if (hsw) for (const [k, v] of Object.entries(hsw)) record('hsw', t, k, v);
      }
    }
  }
  process.stderr.write(`round ${round + 1}/${rounds} done\n`);
}
native().setNumThreads(info.threads);

const fmt = (x, w = 7) => (x === undefined ? '—' : x.toFixed(1)).padStart(w);
const fmtRatio = (a, b) => (a === undefined || b === undefined ? '—' : (a / b).toFixed(2)).padStart(6);
const get = (who, t, k) => (samples[`${who} ${t}`]?.[k] ? median(samples[`${who} ${t}`][k]) : undefined);

console.log('kernel: the native gemm on a preallocated C; API: dd.matmul with a fresh output per call (transposes as .t() views); ratios against OpenBLAS');
for (const t of threadCounts) {
  console.log(`\n${t} thread${t > 1 ? 's' : ''}: GFLOP/s`);
  let header = `${'shape'.padEnd(20)} ${'kernel'.padStart(7)} ${'API'.padStart(7)} ${'OpenBLAS'.padStart(9)} ${'ratio'.padStart(6)} ${'API r.'.padStart(6)}`;
  if (addHaswell) header += ` ${'OB hsw'.padStart(7)} ${'ratio'.padStart(6)}`;
  console.log(header);
  for (const [m, n, k, op] of shapes) {
    const id = key(m, n, k, op);
    const ours = get('ours', t, id), api = get('api', t, id), ref = get('ref', t, id), hsw = get('hsw', t, id);
    let line = `${id.padEnd(20)} ${fmt(ours)} ${fmt(api)} ${fmt(ref, 9)} ${fmtRatio(ours, ref)} ${fmtRatio(api, ref)}`;
    if (addHaswell) line += ` ${fmt(hsw)} ${fmtRatio(ours, hsw)}`;
    console.log(line);
  }
}
