/** examples/server.js as a user runs it: trains in a worker, answers /predict from the pool, rejects bad requests, swaps weights, exits. */
import { spawn } from 'child_process';
import * as path from 'path';

const SERVER = path.join(__dirname, '..', '..', 'examples', 'server.js');

test('the example server answers while it trains and hot-swaps the trained weights', async () => {
  const child = spawn(process.execPath, [SERVER, '--port', '0', '--epochs', '1', '--exit-after-training'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const base = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      output += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (m) resolve(m[1]);
    });
    child.on('exit', () => reject(new Error(`the server exited before listening:\n${output}`)));
  });
  const post = async (body: string) => {
    const res = await fetch(`${base}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };
  const image = Array.from({ length: 784 }, (_, i) => (i % 28) / 28);

  const ok = await post(JSON.stringify({ images: [image, image] }));
  expect(ok.status).toBe(200);
  const predictions = ok.json.predictions as Array<{ label: number; class: string; probabilities: number[] }>;
  expect(predictions).toHaveLength(2);
  expect(predictions[0].probabilities).toHaveLength(10);
  expect(predictions[0].probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
  expect(typeof predictions[0].class).toBe('string');

  for (const [body, pattern] of [
    ['{"image": [1, 2]}', /784 numbers/],
    ['not json', /not valid JSON/],
    [JSON.stringify({ image: image.map(() => 'x') }), /expected a number in 0\.\.1/],
    ['{}', /expected \{ "image"/],
  ] as const) {
    const bad = await post(body);
    expect(bad.status).toBe(400);
    expect(String(bad.json.error)).toMatch(pattern);
  }
  const status = (await (await fetch(`${base}/status`)).json()) as { mode: string; pool: { requests: number } };
  expect(status.mode).toBe('worker');
  expect(status.pool.requests).toBeGreaterThanOrEqual(1);

  expect(await exited).toBe(0);
  expect(output).toMatch(/epoch 1\/1: .*weights swapped into the pool/);
}, 120000);
