#!/usr/bin/env node
/**
 * Serving while training: how well examples/server.js answers POST /predict
 * while its W7 CNN trains, with training on the main thread (dd.fit) or in a
 * worker (dd.fitInWorker + an inference pool with hot-swapped weights).
 *
 * Each scenario is a fresh server process (so the event-loop delay it reports
 * is its own). Once its training has started, a client POSTs one real test
 * image at a fixed rate until training ends; then the server's /metrics gives
 * its event-loop delay over that window (monitorEventLoopDelay, 1 ms
 * resolution: an idle loop reads about 1 ms) and its seconds per epoch.
 *
 *   node bench/serve.js                    main, worker, worker-2t, idle; 2 epochs on the bundled sample
 *   node bench/serve.js --quick            1 epoch, 5 s idle, a short batching section
 *   node bench/serve.js --data DIR         the full Fashion-MNIST (60k images: 11-17 s per epoch on 2 cores)
 *   node bench/serve.js --client autocannon   the load from autocannon's overallRate instead, which
 *                                          sends each second's requests as one burst (serve-lib/load.js)
 *
 * A last section, in this process and without HTTP, measures dynamic batching:
 * 32 concurrent clients of batch-1 requests against a pool with maxBatchSize 1
 * and one with 32, both 1 worker x 1 kernel thread.
 *
 * Run `npm run build:ts` first.
 */
'use strict';
const path = require('path');
const os = require('os');
const { spawn } = require('child_process');
const { parseArgs } = require('util');
const { pacedLoad, autocannonLoad } = require('./serve-lib/load');

const repo = path.join(__dirname, '..');
const dd = require(path.join(repo, 'dist', 'index.js'));
const { fashionCnn } = require(path.join(repo, 'dist', 'cli.js'));

const USAGE = `Usage: node bench/serve.js [options]

Options:
  --epochs N          training epochs per scenario (default 2)
  --data DIR          the full Fashion-MNIST (default: the bundled 10k/2k sample)
  --scenarios LIST    any of main,worker,worker-2t,idle (default all four)
  --rate N            requests per second (default 50: one every 20 ms)
  --connections N     most requests in flight (default 4)
  --duration S        load seconds per scenario (default: until training ends; idle: 10)
  --max-seconds S     cap on a scenario's load (default 120)
  --client NAME       paced (default: one request every 1000/rate ms) or autocannon
  --batching-requests N   requests per pool in the batching section (default 3000; 0 skips it)
  --quick             1 epoch, idle 5 s, 600 batching requests
  -h, --help          this text
`;

const SCENARIOS = {
  main: { what: 'dd.fit on the main thread, 2 kernel threads; /predict on the main thread', args: ['--mode', 'main', '--train-threads', '2'] },
  worker: { what: 'fitInWorker, default threads (cores-1); /predict from the pool', args: ['--mode', 'worker'] },
  'worker-2t': { what: 'fitInWorker with 2 kernel threads; /predict from the pool', args: ['--mode', 'worker', '--train-threads', '2'] },
  idle: { what: 'no training (--epochs 0); /predict from the pool', args: ['--mode', 'worker'], idle: true },
};

function options() {
  const { values } = parseArgs({
    options: {
      epochs: { type: 'string' },
      data: { type: 'string' },
      scenarios: { type: 'string', default: 'main,worker,worker-2t,idle' },
      rate: { type: 'string', default: '50' },
      connections: { type: 'string', default: '4' },
      duration: { type: 'string' },
      'max-seconds': { type: 'string', default: '120' },
      client: { type: 'string', default: 'paced' },
      'batching-requests': { type: 'string' },
      quick: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const num = (name, fallback, min) => {
    const v = values[name] === undefined ? fallback : Number(values[name]);
    if (!(v >= min)) throw new RangeError(`--${name} must be a number >= ${min}, got ${values[name]}`);
    return v;
  };
  const scenarios = values.scenarios.split(',').map((s) => s.trim());
  for (const s of scenarios) if (!SCENARIOS[s]) throw new RangeError(`unknown scenario ${s}; use ${Object.keys(SCENARIOS).join(', ')}`);
  if (values.client !== 'paced' && values.client !== 'autocannon') throw new RangeError(`--client must be paced or autocannon, got ${values.client}`);
  return {
    help: values.help, data: values.data, scenarios, client: values.client,
    epochs: Math.round(num('epochs', values.quick ? 1 : 2, 1)),
    rate: num('rate', 50, 0.1), connections: Math.round(num('connections', 4, 1)),
    duration: values.duration === undefined ? undefined : num('duration', 0, 1),
    idleSeconds: values.quick ? 5 : 10, maxSeconds: num('max-seconds', 120, 1),
    batchingRequests: Math.round(num('batching-requests', values.quick ? 600 : 3000, 0)),
  };
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// For timeouts that race other work: a pending one must not keep this process alive at the end.
const deadline = (ms) => new Promise((r) => setTimeout(r, ms).unref());

async function getJson(base, route) {
  const res = await fetch(base + route, { signal: AbortSignal.timeout(5000) });
  return res.json();
}

/** Starts the server; resolves with its base URL, a promise of its exit, and a way to wait for a line of its output. */
function startServer(name, args) {
  const child = spawn(process.execPath, [path.join(repo, 'examples', 'server.js'), '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const waiters = [];
  let seen = '';
  const onLine = (line) => {
    if (!line) return;
    console.log(`  [${name}] ${line}`);
    seen += `${line}\n`;
    for (const w of [...waiters]) if (w.re.test(line)) waiters.splice(waiters.indexOf(w), 1), w.resolve(line);
  };
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream.on('data', (d) => {
      const lines = (rest + d).split('\n');
      rest = lines.pop();
      lines.forEach(onLine);
    });
  }
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const waitFor = (re) => (re.test(seen) ? Promise.resolve(seen.match(re)[0]) : new Promise((resolve) => waiters.push({ re, resolve })));
  const stop = async () => {
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 10000);
    const r = await exited;
    clearTimeout(t);
    return r;
  };
  return { child, exited, waitFor, stop };
}

/** Races a promise against a timeout, and against the server dying. */
function within(promise, seconds, what, server) {
  return Promise.race([
    promise,
    deadline(seconds * 1000).then(() => { throw new Error(`${what}: no answer in ${seconds} s`); }),
    server.exited.then(({ code, signal }) => { throw new Error(`${what}: the server exited (${signal ?? `code ${code}`})`); }),
  ]);
}

async function runScenario(name, o, body) {
  const s = SCENARIOS[name];
  const args = [...s.args, '--epochs', s.idle ? '0' : String(o.epochs)];
  if (o.data) args.push('--data', o.data);
  const server = startServer(name, args);
  try {
    const line = await within(server.waitFor(/listening on http:\/\/127\.0\.0\.1:\d+/), 120, 'start', server);
    const base = line.match(/http:\/\/127\.0\.0\.1:\d+/)[0];
    // Load starts with training, not with the worker's start-up; an idle server is ready at once.
    for (const t0 = performance.now(); ; await sleep(20)) {
      const st = await within(getJson(base, '/status'), 10, '/status', server);
      if (st.training.state !== 'starting') break;
      if (performance.now() - t0 > 120e3) throw new Error('training did not start in 120 s');
    }
    await getJson(base, '/metrics?reset=1');
    const drive = o.client === 'paced' ? pacedLoad : autocannonLoad;
    const seconds = o.duration ?? (s.idle ? o.idleSeconds : o.maxSeconds);
    const load = drive({ url: `${base}/predict`, rate: o.rate, connections: o.connections, body, headers: { 'content-type': 'application/json' }, maxSeconds: Math.ceil(seconds) });
    const trainingEnds = s.idle || o.duration !== undefined ? new Promise(() => {}) : server.waitFor(/^training (done|failed|aborted)/);
    await Promise.race([deadline(seconds * 1000), trainingEnds, server.exited]);
    // The server's window closes first: an idle loop after training would dilute its figures.
    const [m, r] = await Promise.all([within(getJson(base, '/metrics'), 10, '/metrics', server), load.stop()]);
    const status = await getJson(base, '/status');
    const { code, signal } = await server.stop();
    if (code !== 0) console.log(`  [${name}] NOTE: the server exited with ${signal ?? `code ${code}`} on SIGTERM`);
    const lat = r.latencies.sort((a, b) => a - b);
    return {
      name, eld: m.eventLoopDelayMs, p50: percentile(lat, 50), p99: percentile(lat, 99), p999: percentile(lat, 99.9), n: lat.length,
      rps: r.ok / r.seconds, errors: r.errors + r.non2xx + r.timeouts, seconds: r.seconds,
      epochS: median(m.epochSeconds), epochs: m.epochSeconds.length, meanBatch: status.pool?.meanBatchSize,
    };
  } catch (e) {
    server.child.kill('SIGKILL');
    return { name, failed: e.message };
  }
}

/** In this process, without HTTP: 32 clients in a closed loop of batch-1 requests against one pool. */
async function batching(maxBatchSize, model, image, total) {
  const pool = await dd.createInferencePool(model, { workers: 1, threadsPerWorker: 1, maxBatchSize, maxDelayMs: 1, inputShape: [1, 28, 28] });
  const x = { data: image, shape: [1, 1, 28, 28] };
  for (let i = 0; i < 50; i++) await pool.predict(x);
  const before = pool.stats();
  const lat = [];
  let issued = 0;
  const client = async () => {
    while (issued++ < total) {
      const t = performance.now();
      await pool.predict(x);
      lat.push(performance.now() - t);
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: 32 }, client));
  const seconds = (performance.now() - t0) / 1000;
  const after = pool.stats();
  await pool.close();
  lat.sort((a, b) => a - b);
  return { rps: lat.length / seconds, p50: percentile(lat, 50), p99: percentile(lat, 99), meanBatch: (after.samples - before.samples) / (after.batches - before.batches) };
}

async function main() {
  let o;
  try {
    o = options();
  } catch (e) {
    process.stderr.write(`serve.js: ${e.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (o.help) return void process.stdout.write(USAGE);

  const info = dd.backendInfo();
  console.log(`machine: ${os.cpus()[0].model}, ${os.cpus().length} cores, node ${process.version}, dendrite ${info.isa}`);
  console.log(`load: POST /predict with one test image, ${o.rate} req/s, at most ${o.connections} in flight, client ${o.client}, ` +
    `${o.duration ? `${o.duration} s per scenario` : `until training ends (at most ${o.maxSeconds} s), idle ${o.idleSeconds} s`}; ` +
    'latency measured by the client in this process; event-loop delay is the server\'s, at 1 ms resolution (idle reads ~1.1 ms)');
  console.log(`training: W7 on ${o.data ? path.resolve(o.data) : 'the bundled 10k/2k sample'}, ${o.epochs} epoch(s), batch 64, Adam 1e-3, validation on the test set each epoch`);
  let test;
  try {
    ({ test } = await dd.data.fashionMnist(o.data));
  } catch (e) {
    process.stderr.write(`serve.js: cannot read Fashion-MNIST${o.data ? ` from ${o.data}` : ''}: ${e.message}\n`);
    process.exit(1);
  }
  const image = test.x.data.slice(0, 784);
  const body = JSON.stringify({ image: Array.from(image, (v) => Number(v.toFixed(4))) });

  const rows = [];
  for (const name of o.scenarios) {
    console.log(`\n${name}: ${SCENARIOS[name].what}`);
    rows.push(await runScenario(name, o, body));
  }
  const f = (x, d = 1) => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(d));
  console.log('\n| scenario | event-loop delay p50 / p99 / max (ms) | /predict p50 / p99 / p99.9 (ms) | answers | req/s | errors | mean batch | s/epoch (median) | epochs |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    if (r.failed) {
      console.log(`| ${r.name} | failed: ${r.failed} | | | | | | | |`);
      continue;
    }
    console.log(`| ${r.name} | ${f(r.eld.p50, 2)} / ${f(r.eld.p99, 2)} / ${f(r.eld.max, 1)} | ${f(r.p50, 2)} / ${f(r.p99, 2)} / ${f(r.p999, 2)} | ${r.n} | ${f(r.rps, 1)} | ${r.errors} | ${f(r.meanBatch, 2)} | ${f(r.epochS, 2)} | ${r.epochs} |`);
  }

  if (o.batchingRequests > 0) {
    console.log(`\nDynamic batching, in this process without HTTP: 32 concurrent clients, batch-1 requests, ${o.batchingRequests} per pool; W7, 1 worker x 1 kernel thread, maxDelayMs 1`);
    dd.manualSeed(0);
    const model = fashionCnn();
    const one = await batching(1, model, image, o.batchingRequests);
    const many = await batching(32, model, image, o.batchingRequests);
    console.log('| maxBatchSize | req/s | p50 (ms) | p99 (ms) | mean batch |');
    console.log('|---|---|---|---|---|');
    for (const [b, r] of [[1, one], [32, many]]) console.log(`| ${b} | ${f(r.rps, 0)} | ${f(r.p50, 2)} | ${f(r.p99, 2)} | ${f(r.meanBatch, 1)} |`);
    console.log(`maxBatchSize 32 / 1: ${f(many.rps / one.rps, 2)}x the requests per second`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
