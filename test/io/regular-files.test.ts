/** Loaders take regular files only, bounded before they read: no FIFO can block them, no device can feed them forever. */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as dd from '../../ts/index';
import { readIdx, readIdxSync } from '../../ts/data/idx-file';
import { readCsv } from '../../ts/data/csv';

let dir: string;
let fifo: string | null = null;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-regular-'));
  try {
    execFileSync('mkfifo', [path.join(dir, 'pipe')]);
    fifo = path.join(dir, 'pipe');
  } catch {
    fifo = null;
  }
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs fn and fails if it takes more than `ms` (a blocked open never returns at all). */
async function settlesWithin<T>(fn: () => Promise<T>, ms = 5000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`still waiting after ${ms} ms`)), ms)));
  try {
    return await Promise.race([fn(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

test('readIdx refuses /dev/zero and other devices at once, before reading', async () => {
  if (!fs.existsSync('/dev/zero')) return console.log('no /dev/zero here: skipped');
  await expect(settlesWithin(() => readIdx('/dev/zero'))).rejects.toThrow(/\/dev\/zero: is a character device, not a regular file/);
  expect(() => readIdxSync('/dev/zero')).toThrow(/character device/);
  await expect(settlesWithin(() => readCsv('/dev/zero'))).rejects.toThrow(/character device/);
  await expect(settlesWithin(() => dd.load('/dev/zero'))).rejects.toThrow(/character device/);
});

test('a FIFO in place of a data, weights or description file fails fast instead of blocking forever', async () => {
  if (fifo === null) return console.log('mkfifo is not available here: skipped');
  const pipe = fifo;
  await expect(settlesWithin(() => readIdx(pipe))).rejects.toThrow(/FIFO \(named pipe\), not a regular file/);
  await expect(settlesWithin(() => readCsv(pipe))).rejects.toThrow(/FIFO/);
  await expect(settlesWithin(() => dd.load(pipe))).rejects.toThrow(/FIFO/);
  await expect(settlesWithin(() => dd.loadWeights(pipe))).rejects.toThrow(/FIFO/);
  await expect(settlesWithin(() => dd.io.loadTensors(pipe))).rejects.toThrow(/FIFO/);
  expect(() => dd.io.loadTensorsSync(pipe)).toThrow(/FIFO/);
  // A saved model whose description or weights were replaced by a FIFO.
  const model = new dd.nn.Sequential(new dd.nn.Linear(2, 2));
  for (const victim of ['model.json', 'model.safetensors']) {
    const folder = path.join(dir, `model-${victim}`);
    await dd.saveModel(model, folder);
    fs.rmSync(path.join(folder, victim));
    execFileSync('mkfifo', [path.join(folder, victim)]);
    await expect(settlesWithin(() => dd.loadModel(folder))).rejects.toThrow(/FIFO/);
  }
});

test('a file larger than maxBytes is refused from its size, before it is read; a folder is named as one', async () => {
  const file = path.join(dir, 'big.idx');
  fs.writeFileSync(file, Buffer.alloc(4096));
  await expect(readIdx(file, { maxBytes: 1000 })).rejects.toThrow(/is 4096 bytes, more than the limit of 1000 \(raise maxBytes/);
  await expect(readIdx(dir)).rejects.toThrow(/is a folder, not a regular file/);
});

test('a model folder whose files link outside it is refused, without a word about the outside file', async () => {
  const model = new dd.nn.Sequential(new dd.nn.Linear(2, 2));
  const outside = path.join(dir, 'outside');
  await dd.saveModel(model, outside);
  for (const name of ['model.safetensors', 'model.json']) {
    const folder = path.join(dir, `linked-${name}`);
    await dd.saveModel(model, folder);
    fs.rmSync(path.join(folder, name));
    // The outside file is a genuine one (its hash even matches): still refused.
    fs.symlinkSync(path.join(outside, name), path.join(folder, name));
    const err = await dd.loadModel(folder).catch((e: unknown) => e as Error);
    expect(String(err)).toMatch(/is a link that leads outside the model folder/);
    expect(String(err)).not.toMatch(/outside[/\\]/);
  }
  // A system file behind the link: its size is not told either.
  if (fs.existsSync('/etc/hostname')) {
    const folder = path.join(dir, 'linked-system');
    await dd.saveModel(model, folder);
    fs.rmSync(path.join(folder, 'model.safetensors'));
    fs.symlinkSync('/etc/hostname', path.join(folder, 'model.safetensors'));
    const err = String(await dd.loadModel(folder).catch((e: unknown) => e));
    expect(err).toMatch(/leads outside the model folder/);
    expect(err).not.toMatch(/bytes/);
  }
  // Links that stay inside the folder are fine.
  const folder = path.join(dir, 'linked-inside');
  await dd.saveModel(model, folder);
  fs.renameSync(path.join(folder, 'model.safetensors'), path.join(folder, 'real.safetensors'));
  fs.symlinkSync('real.safetensors', path.join(folder, 'model.safetensors'));
  expect(await dd.loadModel(folder)).toBeInstanceOf(dd.nn.Sequential);
});
