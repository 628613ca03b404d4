/** The inference pool: same answers as the model, batching of concurrent requests, errors per request, swaps, dead workers. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as dd from '../../ts/index';

const { nn } = dd;

function cnn(seed: number) {
  dd.manualSeed(seed);
  return new nn.Sequential(
    new nn.Conv2d(1, 4, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Flatten(),
    new nn.Linear(4 * 4 * 4, 16), new nn.ReLU(), new nn.Dropout(0.5), new nn.Linear(16, 5),
  );
}

/**
 * The model's eval-mode output, computed here as the workers compute it:
 * through the model's inference session (whose outputs test/infer checks
 * against the forward's).
 */
function expected(model: dd.nn.Module, x: dd.Tensor): Float32Array {
  return dd.compileForInference(model).run(x).data;
}

const pools: dd.InferencePool[] = [];
async function pool(model: dd.nn.Module | string, options: dd.InferencePoolOptions = {}) {
  const p = await dd.createInferencePool(model, options);
  pools.push(p);
  return p;
}
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

test('predict gives the model\'s eval-mode outputs, for a single request and for many batched together', async () => {
  const model = cnn(1);
  const p = await pool(model, { inputShape: [1, 8, 8], maxBatchSize: 16, maxDelayMs: 5 });
  const one = dd.rand([3, 1, 8, 8]);
  const out = await p.predict(one);
  expect(out.shape).toEqual([3, 5]);
  expect(Array.from(out.data)).toEqual(Array.from(expected(model, one)));

  // 24 concurrent requests of 1 or 2 samples: batched, and each caller gets its own rows.
  const inputs = Array.from({ length: 24 }, (_, i) => dd.rand([1 + (i % 2), 1, 8, 8]));
  const outputs = await Promise.all(inputs.map((x) => p.predict(x)));
  outputs.forEach((o, i) => {
    expect(o.shape).toEqual([inputs[i].shape[0], 5]);
    const want = expected(model, inputs[i]);
    for (let j = 0; j < want.length; j++) expect(o.data[j]).toBeCloseTo(want[j], 5);
  });
  const stats = p.stats();
  expect(stats.requests).toBe(25);
  expect(stats.samples).toBe(3 + 36);
  expect(stats.batches).toBeLessThan(25);
  expect(stats.largestBatch).toBeLessThanOrEqual(16);
  // The model's stored mode was never touched.
  expect(model.training).toBe(true);
});

test('maxBatchSize 1 runs every request alone', async () => {
  const p = await pool(cnn(1), { maxBatchSize: 1 });
  await Promise.all(Array.from({ length: 6 }, () => p.predict(dd.rand([1, 1, 8, 8]))));
  expect(p.stats()).toMatchObject({ requests: 6, batches: 6, largestBatch: 1 });
});

test('a request of the wrong shape or dtype gets a clear error while the others are served', async () => {
  const model = cnn(2);
  const strict = await pool(model, { inputShape: [1, 8, 8] });
  const good = dd.rand([1, 1, 8, 8]);
  const results = await Promise.allSettled([
    strict.predict(good),
    strict.predict(dd.rand([1, 3, 8, 8])),
    strict.predict(dd.randint(0, 2, [1, 1, 8, 8])),
    strict.predict({ data: new Float32Array(10), shape: [1, 1, 8, 8] }),
    strict.predict('image' as never),
    strict.predict(good),
  ]);
  expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'rejected', 'rejected', 'fulfilled']);
  const reasons = results.map((r) => (r.status === 'rejected' ? String(r.reason) : ''));
  expect(reasons[1]).toMatch(/RangeError: inferencePool\.predict: each sample must have shape \[1,8,8\]/);
  expect(reasons[2]).toMatch(/TypeError: .*float32 tensor, got int32/);
  expect(reasons[3]).toMatch(/RangeError: .*10 values/);
  expect(reasons[4]).toMatch(/TypeError/);

  // Without inputShape the model itself rejects a wrong shape, in the worker: only that request's batch fails.
  const loose = await pool(model, { maxDelayMs: 5 });
  const mixed = await Promise.allSettled([loose.predict(good), loose.predict(dd.rand([2, 1, 12, 12])), loose.predict(good)]);
  expect(mixed.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  expect(String((mixed[1] as PromiseRejectedResult).reason)).toMatch(/RangeError: .*linear/i);
});

test('swapWeights replaces the model between batches: no request fails, later ones see the new weights', async () => {
  const oldModel = cnn(3), newModel = cnn(4);
  const p = await pool(oldModel, { workers: 2, maxDelayMs: 0 });
  const x = dd.rand([1, 1, 8, 8]);
  const before = expected(oldModel, x), after = expected(newModel, x);
  const inFlight = Array.from({ length: 40 }, () => p.predict(x));
  const swap = p.swapWeights(newModel.stateDict());
  const alsoInFlight = Array.from({ length: 40 }, () => p.predict(x));
  const outs = await Promise.all([...inFlight, ...alsoInFlight]);
  await swap;
  // Every answer is one model's or the other's (up to rounding: batching changes the order of sums), never a failure or a mix.
  const near = (d: Float32Array, want: Float32Array) => d.every((v, i) => Math.abs(v - want[i]) < 1e-5);
  expect(near(before, after)).toBe(false);
  for (const o of outs) expect(near(o.data, before) || near(o.data, after)).toBe(true);
  expect(Array.from((await p.predict(x)).data)).toEqual(Array.from(after));
  expect(p.stats().swaps).toBe(1);

  // Weights that do not fit are refused and the pool keeps its model.
  await expect(p.swapWeights({ '0.weight': dd.zeros([2, 2]) })).rejects.toThrow(/do not fit/);
  expect(Array.from((await p.predict(x)).data)).toEqual(Array.from(after));

  // A whole new model (another architecture) from a saveModel folder.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-pool-'));
  try {
    dd.manualSeed(5);
    const other = new nn.Sequential(new nn.Flatten(), new nn.Linear(64, 2));
    await dd.saveModel(other, dir);
    await p.swapWeights(dir);
    expect(Array.from((await p.predict(x)).data)).toEqual(Array.from(expected(other, x)));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a pool loads a saveModel folder', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-pool-'));
  try {
    const model = cnn(6);
    await dd.saveModel(model, dir);
    const p = await pool(dir, { threadsPerWorker: 1 });
    const x = dd.rand([2, 1, 8, 8]);
    expect(Array.from((await p.predict(x)).data)).toEqual(Array.from(expected(model, x)));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a worker terminated during a call fails only that call; a new worker serves the next ones', async () => {
  const model = cnn(7);
  const p = await pool(model, { workers: 1, maxBatchSize: 1 });
  const x = dd.rand([1, 1, 8, 8]);
  const doomed = p.predict(dd.rand([512, 1, 8, 8]));
  const [worker] = p.workers;
  await worker.terminate();
  await expect(doomed).rejects.toThrow(/the worker running this request stopped/);
  const out = await p.predict(x);
  expect(Array.from(out.data)).toEqual(Array.from(expected(model, x)));
  expect(p.stats().restarts).toBe(1);
  expect(p.workers[0]).not.toBe(worker);
});

test('close rejects waiting requests and later calls; bad options are refused', async () => {
  const p = await pool(cnn(8), { maxDelayMs: 50 });
  const waiting = expect(p.predict(dd.rand([1, 1, 8, 8]))).rejects.toThrow(/closed before this request ran/);
  await p.close();
  await waiting;
  await expect(p.predict(dd.rand([1, 1, 8, 8]))).rejects.toThrow(/closed/);
  await expect(dd.createInferencePool(cnn(8), { batch: 4 } as never)).rejects.toThrow(/unknown option "batch"/);
  await expect(dd.createInferencePool(cnn(8), { maxBatchSize: 0 })).rejects.toThrow(RangeError);
  await expect(dd.createInferencePool(cnn(8), { inputShape: [1, -8] })).rejects.toThrow(TypeError);
  await expect(dd.createInferencePool({} as never)).rejects.toThrow(/expected a Module/);
  await expect(dd.createInferencePool(cnn(8), { setup: './no/such/setup.js' })).rejects.toThrow(/no\/such\/setup/);
});
