#!/usr/bin/env node
/**
 * Serving while training: an HTTP server answers POST /predict from an
 * inference pool while the Fashion-MNIST CNN (W7) trains on a worker thread;
 * after every epoch the new weights are hot-swapped into the pool, so answers
 * improve without a restart and the event loop never runs a training step.
 *
 *   npm run build && node examples/server.js [--port 3000] [--epochs 3] [--data DIR]
 *   curl -s 127.0.0.1:3000/status
 *   curl -s 127.0.0.1:3000/predict -H 'content-type: application/json' -d '{"image": [784 numbers in 0..1]}'
 *
 * --mode main trains with dd.fit and predicts on the main thread instead: it is
 * the comparison bench/serve.js measures, not a way to serve.
 */
'use strict';
const http = require('http');
const { parseArgs } = require('util');
const { monitorEventLoopDelay } = require('perf_hooks');
const dd = require('../dist/index.js'); // in your own project: require('dendrite')

const USAGE = `Usage: node examples/server.js [options]

Options:
  --port N             port on 127.0.0.1 (default 3000; 0 picks a free one and prints it)
  --data DIR           the four Fashion-MNIST files (default: the bundled 10k/2k sample)
  --epochs N           training epochs (default 3; 0 serves the untrained model)
  --mode worker|main   train in a worker and predict from a pool (default), or both on
                       the main thread (only as the benchmark's comparison)
  --train-threads N    kernel threads for training (default: cores-1 in a worker, all in main)
  --pool-workers N     inference workers, 1 kernel thread each (default 1)
  --max-batch N        most samples the pool batches together (default 32; 1: no batching)
  --max-delay-ms X     how long a request may wait for others to batch with (default 1)
  --exit-after-training  exit once training ends
  -h, --help           this text
`;
const PIXELS = 28 * 28;
const MAX_IMAGES = 64;
const MAX_BODY = 2 * 1024 * 1024; // 64 images of 784 numbers, with room for long decimals
const CLASSES = dd.data.FASHION_MNIST_CLASSES;

function options() {
  const { values: v } = parseArgs({
    options: {
      port: { type: 'string', default: '3000' }, data: { type: 'string' }, epochs: { type: 'string', default: '3' },
      mode: { type: 'string', default: 'worker' }, 'train-threads': { type: 'string' }, 'pool-workers': { type: 'string', default: '1' },
      'max-batch': { type: 'string', default: '32' }, 'max-delay-ms': { type: 'string', default: '1' },
      'exit-after-training': { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const int = (name, min) => {
    if (v[name] === undefined) return undefined;
    if (!/^\d+$/.test(v[name]) || Number(v[name]) < min) throw new RangeError(`--${name} must be an integer >= ${min}, got ${v[name]}`);
    return Number(v[name]);
  };
  if (v.mode !== 'worker' && v.mode !== 'main') throw new RangeError(`--mode must be worker or main, got ${v.mode}`);
  const maxDelayMs = Number(v['max-delay-ms']);
  if (!(maxDelayMs >= 0)) throw new RangeError(`--max-delay-ms must be a number >= 0, got ${v['max-delay-ms']}`);
  return {
    help: v.help, mode: v.mode, data: v.data, exitAfterTraining: v['exit-after-training'], port: int('port', 0), epochs: int('epochs', 0),
    trainThreads: int('train-threads', 1), poolWorkers: int('pool-workers', 1), maxBatch: int('max-batch', 1), maxDelayMs,
  };
}

function buildW7() {
  const { Sequential, Conv2d, ReLU, MaxPool2d, Flatten, Linear, Dropout } = dd.nn;
  const he = { init: 'heUniform' };
  return new Sequential(
    new Conv2d(1, 32, 3, { padding: 1, ...he }), new ReLU(), new MaxPool2d(2),
    new Conv2d(32, 64, 3, { padding: 1, ...he }), new ReLU(), new MaxPool2d(2),
    new Flatten(), new Linear(3136, 128, he), new ReLU(), new Dropout(0.5), new Linear(128, 10, he),
  );
}

/** An error whose status goes into the JSON response (400s: the client's fault). */
const httpError = (status, message) => Object.assign(new Error(message), { status });

function readBody(req) {
  return new Promise((resolve, reject) => {
    // The rest of a body that is too large is read and dropped (closing at once would cut off the 413 the client is owed).
    const tooLarge = () => reject(httpError(413, `the body is over ${MAX_BODY} bytes`), req.resume());
    if (Number(req.headers['content-length']) > MAX_BODY) return tooLarge();
    const chunks = [];
    let size = 0;
    req.on('data', (c) => ((size += c.length) > MAX_BODY ? tooLarge() : chunks.push(c)));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The request's images as one Float32Array of n * 784 values. */
function readImages(body) {
  let json;
  try {
    json = JSON.parse(body);
  } catch {
    throw httpError(400, 'the body is not valid JSON');
  }
  const images = json?.images ?? (json?.image === undefined ? undefined : [json.image]);
  if (!Array.isArray(images) || images.length === 0) throw httpError(400, 'expected { "image": [784 numbers] } or { "images": [[784 numbers], ...] }');
  if (images.length > MAX_IMAGES) throw httpError(400, `at most ${MAX_IMAGES} images per request, got ${images.length}`);
  const data = new Float32Array(images.length * PIXELS);
  images.forEach((img, i) => {
    if (!Array.isArray(img) || img.length !== PIXELS) throw httpError(400, `image ${i} must be an array of ${PIXELS} numbers (28x28, row by row)`);
    for (let j = 0; j < PIXELS; j++) {
      if (typeof img[j] !== 'number' || !(img[j] >= 0 && img[j] <= 1)) throw httpError(400, `image ${i}, pixel ${j}: expected a number in 0..1, got ${JSON.stringify(img[j])}`);
      data[i * PIXELS + j] = img[j];
    }
  });
  return data;
}

/** Logits [n, 10] to labels, names and softmax probabilities (10 values a row: plain JS is cheaper than an op). */
function answer(logits) {
  const predictions = [];
  for (let r = 0; r < logits.shape[0]; r++) {
    const row = Array.from(logits.data.subarray(r * 10, r * 10 + 10));
    const exp = row.map((v) => Math.exp(v - Math.max(...row)));
    const sum = exp.reduce((a, b) => a + b, 0);
    const label = row.indexOf(Math.max(...row));
    predictions.push({ label, class: CLASSES[label], probabilities: exp.map((e) => Number((e / sum).toFixed(6))) });
  }
  return { predictions };
}

async function main() {
  let opts;
  try {
    opts = options();
  } catch (e) {
    process.stderr.write(`server.js: ${e.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (opts.help) return void process.stdout.write(USAGE);

  dd.manualSeed(0);
  const { train, test } = await dd.data.fashionMnist(opts.data);
  const model = buildW7();
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const training = { state: opts.epochs > 0 ? 'starting' : 'none', epoch: 0, epochs: opts.epochs, logs: null, epochSeconds: [], done: opts.epochs === 0, error: null };
  let weightsVersion = 0;
  let requests = 0;

  // Worker mode: the pool's threads compute every answer; the main thread only parses and replies.
  const pool = opts.mode === 'worker'
    ? await dd.createInferencePool(model, { workers: opts.poolWorkers, threadsPerWorker: 1, maxBatchSize: opts.maxBatch, maxDelayMs: opts.maxDelayMs, inputShape: [1, 28, 28] })
    : null;
  const predict = (data, n) => (pool ? pool.predict({ data, shape: [n, 1, 28, 28] }) : dd.predict(model, dd.asTensor(data, [n, 1, 28, 28]), { batchSize: MAX_IMAGES }));

  const routes = {
    'POST /predict': async (req) => {
      const data = readImages(await readBody(req));
      requests++;
      const logits = await predict(data, data.length / PIXELS).catch((e) => {
        throw httpError(500, `prediction failed: ${e.message}`);
      });
      return answer(logits);
    },
    'GET /status': async () => ({ mode: opts.mode, training, weightsVersion, requests, pool: pool?.stats() ?? null }),
    'GET /metrics': async (_req, url) => {
      const ms = (ns) => Number((ns / 1e6).toFixed(3));
      const out = {
        eventLoopDelayMs: { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max), mean: ms(delay.mean), samples: delay.count, resolutionMs: 1 },
        epochSeconds: training.epochSeconds, trainingDone: training.done, requests,
      };
      if (url.searchParams.get('reset') === '1') delay.reset(); // answers the window so far, then starts a new one
      return out;
    },
  };
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    const route = routes[`${req.method} ${url.pathname}`];
    let status = 200;
    let body;
    try {
      if (!route) throw httpError(404, `no route ${req.method} ${url.pathname} (try POST /predict, GET /status, GET /metrics)`);
      body = await route(req, url);
    } catch (e) {
      status = e.status ?? 500;
      body = { error: e.message };
    }
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise((resolve) => server.listen(opts.port, '127.0.0.1', resolve));
  console.log(`listening on http://127.0.0.1:${server.address().port} (mode ${opts.mode}, ${train.length} training images, ${dd.backendInfo().isa})`);

  const abort = new AbortController();
  let trainingDone = Promise.resolve();
  const shutdown = async (why) => {
    if (abort.signal.aborted) return;
    console.log(`shutting down (${why})`);
    abort.abort(why);
    await trainingDone; // an aborted job stops after its current batch
    await pool?.close();
    server.close();
    server.closeAllConnections(); // keep-alive clients would hold close() open
  };
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => shutdown(signal));

  let epochStart = performance.now();
  const epochDone = async (epoch, logs, weights) => {
    training.epochSeconds.push(Number(((performance.now() - epochStart) / 1000).toFixed(3)));
    epochStart = performance.now();
    Object.assign(training, { epoch: epoch + 1, logs });
    if (abort.signal.aborted) return;
    try {
      if (pool) await pool.swapWeights(weights);
      weightsVersion++; // in main mode the model that answers is the one training: every epoch is a new version
    } catch (e) {
      console.error(`weight swap failed, the pool keeps the previous weights: ${e.message}`);
    }
    const pct = (x) => `${(100 * x).toFixed(2)}%`;
    console.log(`epoch ${epoch + 1}/${opts.epochs}: loss ${logs.loss.toFixed(4)}, accuracy ${pct(logs.accuracy)}, val accuracy ${pct(logs.val_accuracy)}, ${training.epochSeconds.at(-1).toFixed(1)} s${pool ? ', weights swapped into the pool' : ''}`);
  };
  const fitOptions = { epochs: opts.epochs, batchSize: 64, loss: 'crossEntropy', metrics: ['accuracy'], optimizer: new dd.optim.Adam(model.parameters(), { lr: 1e-3 }) };
  let run = Promise.resolve();
  if (opts.epochs > 0 && pool) {
    // Shared memory: the worker reads the images in place, with no copy for this thread to serialise.
    const shared = (set) => ({ x: dd.share(set.x), y: dd.share(set.y) });
    const job = dd.fitInWorker(model, shared(train), { ...fitOptions, validationData: shared(test), threads: opts.trainThreads, weightsEveryEpoch: true, signal: abort.signal });
    job.on('started', () => {
      training.state = 'running';
      epochStart = performance.now(); // seconds per epoch leave out the worker's start-up
    });
    let swaps = Promise.resolve();
    job.on('epoch', ({ epoch, logs, weights }) => (swaps = swaps.then(() => epochDone(epoch, logs, weights))));
    run = job.then(() => swaps);
  } else if (opts.epochs > 0) {
    if (opts.trainThreads) dd.setNumThreads(opts.trainThreads);
    training.state = 'running';
    const control = { onBatchEnd: (_b, _l, ctx) => void (ctx.stopTraining ||= abort.signal.aborted), onEpochEnd: (e, logs) => epochDone(e, logs) };
    run = dd.fit(model, train, { ...fitOptions, validationData: test, verbose: 0, callbacks: [control] });
  }
  trainingDone = run.then(
    () => Object.assign(training, { state: abort.signal.aborted ? 'aborted' : opts.epochs > 0 ? 'done' : 'none', done: true }),
    (e) => {
      Object.assign(training, { state: 'failed', done: true, error: e.message });
      console.error(`training failed: ${e.message}`);
    },
  );
  await trainingDone;
  if (opts.epochs > 0 && !abort.signal.aborted) console.log(`training ${training.state}; serving the last weights`);
  if (opts.exitAfterTraining) await shutdown('training ended');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
