/**
 * The figure scripts of examples/figures as a user runs them: each answers --help and refuses an
 * option it does not know; w7-pictures and autoencoder, run for a few batches of the bundled
 * sample, write every picture they promise at the size their layout gives. The scripts load dist/,
 * which `npm test` builds first.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { PNG } from 'pngjs';
import { findAll, parseXml } from './support/xml';

const root = path.join(__dirname, '..', '..');
const SCRIPTS = ['w7-pictures.js', 'depth-curves.js', 'autoencoder.js', 'dropout-it-works.js'];

function run(script: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, 'examples', 'figures', script), ...args], { cwd: root, encoding: 'utf8', timeout: 60000 });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

const png = (file: string) => PNG.sync.read(fs.readFileSync(file));
const size = (file: string) => {
  const p = png(file);
  return [p.width, p.height];
};

let dir: string;
beforeAll(() => {
  if (!fs.existsSync(path.join(root, 'dist', 'index.js'))) throw new Error('dist/ is missing: run `npm run build:ts` (npm test does it first)');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-figures-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe.each(SCRIPTS)('examples/figures/%s', (script) => {
  test('--help prints the usage with the common options and exits 0; an unknown option exits 2', () => {
    const help = run(script, '--help');
    expect({ status: help.status, stderr: help.stderr }).toEqual({ status: 0, stderr: '' });
    expect(help.stdout).toContain(`node examples/figures/${script}`);
    for (const option of ['--epochs', '--seed', '--data', '--out', '--limit']) expect(help.stdout).toContain(option);
    const bad = run(script, '--no-such-option');
    expect({ status: bad.status, stdout: bad.stdout }).toEqual({ status: 2, stdout: '' });
    expect(bad.stderr).toContain(`node examples/figures/${script}`);
  });
});

test('a value the scripts cannot use is a usage error naming the option (they share one parser)', () => {
  for (const [args, message] of [[['--epochs', 'two'], /--epochs must be an integer >= 1, got 'two'/], [['--data', path.join(root, 'no-such-dir')], /--data .* does not hold/]] as const) {
    const bad = run('depth-curves.js', ...args);
    expect([...args, bad.status, bad.stdout]).toEqual([...args, 2, '']);
    expect(bad.stderr).toMatch(message);
  }
});

test('w7-pictures, 5 batches of the sample, writes its filters, feature maps, patches, saliency, curves and confusion matrix', () => {
  const out = path.join(dir, 'w7');
  const r = run('w7-pictures.js', '--epochs', '1', '--limit', '5', '--threads', '1', '--out', out);
  expect({ status: r.status, stderr: r.stderr.replace(/^Epoch 1\/1 .*\n/m, '') }).toEqual({ status: 0, stderr: '' });
  // 32 filters of 3×3 at ×12, 8 to a row, 4-pixel padding.
  expect(size(path.join(out, 'w7-filters.png'))).toEqual([8 * 40 + 4, 4 * 40 + 4]);
  // 4 rows of the image and 32 maps, 28-pixel tiles (conv2's 14×14 maps at ×2), 1-pixel padding.
  for (const f of ['w7-feature-maps-conv1.png', 'w7-feature-maps-conv2.png']) expect([f, ...size(path.join(out, f))]).toEqual([f, 33 * 29 + 1, 4 * 29 + 1]);
  // 8 channels × 9 patches of the second conv's 8×8 receptive field at ×4, 2-pixel padding.
  expect(size(path.join(out, 'w7-top-patches.png'))).toEqual([9 * 34 + 2, 8 * 34 + 2]);
  // 8 pairs (image, 2-pixel gap, map: 58×28 at ×3), 4 to a row, 6-pixel padding; in colour.
  const saliency = png(path.join(out, 'w7-saliency.png'));
  expect([saliency.width, saliency.height]).toEqual([4 * (174 + 6) + 6, 2 * (84 + 6) + 6]);
  const cells = findAll(parseXml(fs.readFileSync(path.join(out, 'w7-confusion.svg'), 'utf8')), 'rect').filter((e) => e.attributes.class === 'cell');
  expect(cells).toHaveLength(100);
  const curves = findAll(parseXml(fs.readFileSync(path.join(out, 'w7-curves.svg'), 'utf8')), 'polyline').map((p) => p.attributes['data-series']);
  expect(curves.sort()).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss']);
  const summary = JSON.parse(fs.readFileSync(path.join(out, 'w7-summary.json'), 'utf8'));
  expect(summary.saliency).toHaveLength(8);
  expect(summary.testAccuracy).toBeGreaterThan(0.1);
}, 60000);

test('autoencoder, 5 batches of the sample, draws 16 test images above 16 reconstructions', () => {
  const out = path.join(dir, 'ae');
  const r = run('autoencoder.js', '--epochs', '1', '--limit', '5', '--threads', '1', '--out', out);
  expect({ status: r.status, stderr: r.stderr.replace(/^Epoch 1\/1 .*\n/m, '') }).toEqual({ status: 0, stderr: '' });
  const picture = png(path.join(out, 'autoencoder.png'));
  expect([picture.width, picture.height]).toEqual([16 * 58 + 2, 2 * 58 + 2]); // 28-pixel images at ×2, 2-pixel padding
  // The top row is the test images themselves, pixel for pixel (values in [0, 1], no normalisation).
  // The bundled sample's test images: a 16-byte IDX header, then one byte per pixel.
  const testImages = zlib.gunzipSync(fs.readFileSync(path.join(root, 'data', 'fashion-mnist-sample', 't10k-images-idx3-ubyte.gz'))).subarray(16);
  const pixel = (tile: number, row: number, y: number, x: number) => picture.data[4 * ((2 + row * 58 + 2 * y) * picture.width + 2 + tile * 58 + 2 * x)];
  let worst = 0;
  for (let tile = 0; tile < 16; tile++) {
    for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) worst = Math.max(worst, Math.abs(pixel(tile, 0, y, x) - testImages[tile * 784 + y * 28 + x]));
  }
  expect(worst).toBeLessThanOrEqual(1);
  // The bottom row is the network's output, not a copy of the top (5 batches make a poor autoencoder).
  let difference = 0;
  for (let i = 0; i < 784; i++) difference += Math.abs(pixel(0, 1, Math.floor(i / 28), i % 28) - pixel(0, 0, Math.floor(i / 28), i % 28)) / 784;
  expect(difference).toBeGreaterThan(5);
  const summary = JSON.parse(fs.readFileSync(path.join(out, 'autoencoder.json'), 'utf8'));
  expect(summary.testMse).toBeGreaterThan(0);
  expect(summary.testMse).toBeLessThan(0.25);
}, 60000);
