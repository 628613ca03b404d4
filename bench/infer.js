#!/usr/bin/env node
/**
 * W8: inference latency of W6's MLP and W7's CNN, batch 1 and 64, evaluation
 * mode: median microseconds per call from JavaScript, through
 *   - dendrite's inference session (dd.compileForInference(model).run(x)),
 *   - dendrite's plain forward (model.call(x) under dd.noGrad),
 *   - dd.predict(model, x) (async; it uses the session),
 *   - onnxruntime-node on the model dd.io.toOnnx exports (await session.run),
 * all in this process (with one thread their calls interleaved, so that each
 * sees the same machine; with more, one variant after the other, since
 * onnxruntime's threads spin between calls and would take the cores from the
 * next call of another variant); and PyTorch (bench/reference/infer_torch.py, OMP_WAIT_POLICY=PASSIVE) from
 * Python, run after them. Calls are timed by the wall clock (what a caller
 * waits; a synchronous call is not awaited); --cpu adds the process's CPU
 * time per call (user + system, all threads: what it costs, less sensitive
 * to other programs on a busy machine).
 *
 *   node bench/infer.js [--threads 1,2] [--reps 200] [--order interleaved|blocks] [--cpu] [--no-reference] [--json]
 *
 * Run `npx tsc -p .` first.
 */
'use strict';
const path = require('path');
const fs = require('fs');
const { spawnSync } = require('child_process');
const { parseOptions } = require('./lib/args');
const { referenceScript } = require('./lib/paths');

const USAGE = `Usage: node bench/infer.js [options]

  --threads LIST    thread counts, each run by every side (default 1,2)
  --reps N          timed calls per figure (default 200)
  --no-reference    skip onnxruntime-node and PyTorch
  --order ORDER     interleaved (one call of each variant per round) or blocks
                    (each variant's calls together); default: interleaved with
                    one thread, blocks with more
  --cpu             also CPU time per call (each variant's calls in a block)
  --json            one JSON object instead of the table
  -h, --help        this text

Needs dist/ (npx tsc -p .). References: onnxruntime-node (a devDependency) and
/usr/bin/python3 with torch (bench/reference/infer_torch.py); each is reported missing when absent.
`;
const { values } = parseOptions(USAGE, {
  threads: { type: 'string', default: '1,2' },
  reps: { type: 'string', default: '200' },
  'no-reference': { type: 'boolean', default: false },
  order: { type: 'string' },
  cpu: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
});
if (values.order !== undefined && values.order !== 'interleaved' && values.order !== 'blocks') {
  process.stderr.write(`infer.js: --order must be interleaved or blocks, got ${values.order}\n`);
  process.exit(2);
}

const repo = path.join(__dirname, '..');
const dd = require(path.join(repo, 'dist', 'index.js'));
const reps = Number(values.reps);
const threadCounts = values.threads.split(',').map(Number);
if (!Number.isInteger(reps) || reps < 1) {
  process.stderr.write(`infer.js: --reps must be a positive integer, got ${values.reps}\n`);
  process.exit(2);
}
if (!threadCounts.every((t) => Number.isInteger(t) && t >= 1)) {
  process.stderr.write(`infer.js: --threads must list positive integers, got ${values.threads}\n`);
  process.exit(2);
}
const python = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const MODELS = [['mlp', dd.models.fashionMlp], ['cnn', dd.models.fashionCnn]];
const BATCHES = [1, 64];

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function loadOrt() {
  if (values['no-reference']) return { error: 'skipped' };
  try {
    return { ort: require('onnxruntime-node') };
  } catch (e) {
    return { error: `onnxruntime-node unavailable (${String(e.message).split('\n')[0]})` };
  }
}

function torch(threads) {
  if (values['no-reference']) return { error: 'skipped' };
  const r = spawnSync(python, [referenceScript('infer_torch.py'), String(threads), String(reps)], {
    env: { ...process.env, OMP_WAIT_POLICY: 'PASSIVE' },
    encoding: 'utf8',
  });
  if (r.status !== 0) return { error: `PyTorch unavailable (${(r.stderr || '').trim().split('\n').pop()})` };
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

const microseconds = (t0) => Number(process.hrtime.bigint() - t0) / 1000;

/** Calls fn, awaiting what it returns only when that is a promise (a synchronous call is timed as one). */
function call(fn) {
  const r = fn();
  return r !== null && typeof r === 'object' && typeof r.then === 'function' ? r : undefined;
}

/**
 * Median wall-clock µs per call of each variant after max(3, reps/10)
 * warm-up calls; `interleaved`: one call of each per round, the order
 * rotating; else each variant's calls together. Nothing but the clock is
 * read between calls (a system call there would cost the next call its TLB).
 */
async function timeVariants(variants, interleaved) {
  const names = Object.keys(variants);
  const wall = Object.fromEntries(names.map((n) => [n, []]));
  const warm = Math.max(3, Math.round(reps / 10));
  const timed = async (name, keep) => {
    const t0 = process.hrtime.bigint();
    const pending = call(variants[name]);
    if (pending !== undefined) await pending;
    if (keep) wall[name].push(microseconds(t0));
  };
  if (interleaved) {
    for (let round = 0; round < warm + reps; round++) {
      for (let k = 0; k < names.length; k++) await timed(names[(round + k) % names.length], round >= warm);
    }
  } else {
    for (const name of names) {
      for (let i = 0; i < warm + reps; i++) await timed(name, i >= warm);
    }
  }
  return Object.fromEntries(names.map((n) => [n, median(wall[n])]));
}

/**
 * CPU µs per call of each variant (the process's user + system time, every
 * thread): each variant's calls in one block, their total over the count.
 */
async function cpuPerCall(variants) {
  const out = {};
  for (const [name, fn] of Object.entries(variants)) {
    for (let i = 0; i < Math.max(3, Math.round(reps / 10)); i++) await call(fn);
    const c0 = process.cpuUsage();
    for (let i = 0; i < reps; i++) {
      const pending = call(fn);
      if (pending !== undefined) await pending;
    }
    const c = process.cpuUsage(c0);
    out[name] = (c.user + c.system) / reps;
  }
  return out;
}

/** The largest |a − b| between two outputs, for a line saying the variants agree. */
function maxDifference(a, b) {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

async function measure(threads, ort) {
  dd.setNumThreads(threads);
  const rows = [];
  for (const [name, make] of MODELS) {
    dd.manualSeed(0);
    const model = make().eval();
    const session = dd.compileForInference(model, { inputShape: [1, 28, 28] });
    const ortSession = ort.ort
      ? await ort.ort.InferenceSession.create(dd.io.toOnnx(model, { inputShape: [1, 28, 28] }), {
          intraOpNumThreads: threads, interOpNumThreads: 1,
        })
      : null;
    for (const batch of BATCHES) {
      const x = dd.rand([batch, 1, 28, 28]).mul(2).sub(1);
      const variants = {
        session: () => session.run(x),
        forward: () => dd.noGrad(() => model.call(x)),
        predict: () => dd.predict(model, x, { batchSize: batch }),
      };
      let agreement = maxDifference(session.run(x).data, dd.noGrad(() => model.call(x)).data);
      if (ortSession) {
        const feeds = { input: new ort.ort.Tensor('float32', x.data.slice(), [batch, 1, 28, 28]) };
        variants.onnxruntime = () => ortSession.run(feeds);
        agreement = Math.max(agreement, maxDifference(session.run(x).data, (await ortSession.run(feeds)).output.data));
      }
      const wall = await timeVariants(variants, (values.order ?? (threads === 1 ? 'interleaved' : 'blocks')) === 'interleaved');
      const cpu = values.cpu ? await cpuPerCall(variants) : null;
      rows.push({ model: name, batch, threads, ...wall, cpu, agreement });
    }
  }
  return rows;
}

async function main() {
  const ort = loadOrt();
  const all = [];
  for (const threads of threadCounts) all.push(...(await measure(threads, ort)));
  // PyTorch last: the first calls measured right after its process ends ran
  // up to twice as long (the memory it gives back is reclaimed meanwhile).
  for (const threads of threadCounts) {
    const ref = torch(threads);
    for (const row of all) if (row.threads === threads) row.pytorch = ref.error ? null : ref[row.model][String(row.batch)];
    if (ref.error && !values.json) console.error(ref.error);
  }
  if (ort.error && !values.json) console.error(ort.error);
  if (values.json) {
    console.log(JSON.stringify({ isa: dd.backendInfo().isa, reps, rows: all, ortError: ort.error ?? null }));
    return;
  }
  const f = (v) => (v === undefined || v === null ? 'n/a' : v.toFixed(1));
  const ratio = (ref, ours) => (ref === undefined || ref === null ? 'n/a' : (ref / ours).toFixed(2));
  const order = values.order ?? 'interleaved with one thread, in blocks with more';
  console.log(`dendrite ${dd.backendInfo().isa}; median µs per call over ${reps} calls (${order})`);
  console.log('| model | batch | threads | dendrite session µs | onnxruntime µs | onnxruntime/session | forward µs | predict µs | PyTorch µs | PyTorch/session |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const r of all) {
    console.log(
      `| ${r.model.toUpperCase()} | ${r.batch} | ${r.threads} | ${f(r.session)} | ${f(r.onnxruntime)} | ${ratio(r.onnxruntime, r.session)} | ` +
        `${f(r.forward)} | ${f(r.predict)} | ${f(r.pytorch)} | ${ratio(r.pytorch, r.session)} |`,
    );
  }
  if (values.cpu) {
    console.log('\nCPU time of the process (user + system, every thread), µs per call, each variant in a block:');
    console.log('| model | batch | threads | session | onnxruntime | onnxruntime/session | forward | predict |');
    console.log('|---|---|---|---|---|---|---|---|');
    for (const r of all) {
      const c = r.cpu;
      console.log(`| ${r.model.toUpperCase()} | ${r.batch} | ${r.threads} | ${f(c.session)} | ${f(c.onnxruntime)} | ${ratio(c.onnxruntime, c.session)} | ${f(c.forward)} | ${f(c.predict)} |`);
    }
  }
  const worst = Math.max(...all.map((r) => r.agreement));
  console.log(`\nLargest difference between the session's outputs and the forward's${ort.ort ? ' and onnxruntime\'s' : ''}: ${worst.toExponential(1)}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
