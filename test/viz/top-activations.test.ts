/** Top-activating images and their receptive-field patches, on hand-made data where the answer is known. */
import { PNG } from 'pngjs';
import * as dd from '../../ts/index';

const { nn, viz } = dd;

/**
 * Six 4×4 images, each zero but for +a[i] at P[i] and −b[i] at Q[i]. Through a
 * 1×1 convolution with weights [1, −1], channel 0's maximum is a[i] at P[i]
 * and channel 1's is b[i] at Q[i].
 */
const a = [1, 5, 3, 5, 0.5, 4];
const b = [2, 1, 6, 3, 6, 0];
const P: Array<[number, number]> = [[0, 0], [3, 1], [2, 2], [1, 3], [0, 2], [3, 3]];
const Q: Array<[number, number]> = [[1, 1], [0, 3], [3, 0], [2, 0], [1, 2], [0, 0]];

function dataset(): dd.Tensor {
  const x = dd.zeros([6, 1, 4, 4]);
  const d = x.data;
  for (let i = 0; i < 6; i++) {
    d[i * 16 + P[i][0] * 4 + P[i][1]] = a[i];
    d[i * 16 + Q[i][0] * 4 + Q[i][1]] -= b[i];
  }
  return x;
}

function signs(): dd.nn.Sequential {
  const conv = new nn.Conv2d(1, 2, 1, { bias: false });
  conv.weight.data.set([1, -1]);
  return new nn.Sequential(conv, new nn.MaxPool2d(2));
}

test('topActivations ranks the images by their maximum per channel, with the value and where it is', async () => {
  const top = await viz.topActivations(signs(), '0', dataset(), { k: 3, batchSize: 4 });
  expect(top).toEqual([
    { channel: 0, indices: [1, 3, 5], values: [5, 5, 4], positions: [P[1], P[3], P[5]] },
    { channel: 1, indices: [2, 4, 3], values: [6, 6, 3], positions: [Q[2], Q[4], Q[3]] },
  ]);
});

test('positions are in the layer map (after pooling); channels picks and orders; k beyond N gives all', async () => {
  const pooled = await viz.topActivations(signs(), '1', { data: dataset().data, shape: [6, 1, 4, 4] }, { k: 10, channels: [1] });
  expect(pooled).toHaveLength(1);
  expect(pooled[0].channel).toBe(1);
  expect(pooled[0].indices).toEqual([2, 4, 3, 0, 1, 5]);
  expect(pooled[0].values).toEqual([6, 6, 3, 2, 1, 0]);
  expect(pooled[0].positions.slice(0, 5)).toEqual([2, 4, 3, 0, 1].map((i) => [Math.floor(Q[i][0] / 2), Math.floor(Q[i][1] / 2)]));
  await expect(viz.topActivations(signs(), '0', dataset(), { channels: [2] })).rejects.toThrow(/channel 2 is not in \[0, 2\)/);
  await expect(viz.topActivations(signs(), '0', dataset(), { k: 0 })).rejects.toThrow(/topActivations: k must be an integer >= 1/);
  await expect(viz.topActivations(signs(), '0', dataset(), { top: 3 } as never)).rejects.toThrow(/unknown option "top"/);
  await expect(viz.topActivations(signs(), '0', 'x' as never)).rejects.toThrow(/topActivations: images must be a Tensor/);
});

test('receptiveField follows conv and pool geometry along a Sequential; null where the path is unknown', () => {
  const model = new nn.Sequential(
    new nn.Conv2d(1, 1, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Sequential(new nn.Conv2d(1, 1, [3, 5], { stride: [1, 2], dilation: 2 }), new nn.BatchNorm2d(1)),
    new nn.Flatten(),
  );
  // (size, jump, padding): conv (3, 1, 1) → pool (4, 2, 1) → dilated conv, k' = 5 or 9: rows (12, 2, 1), columns (20, 4, 1).
  expect(viz.receptiveField(model, '2')).toEqual({ size: [4, 4], stride: [2, 2], padding: [1, 1] });
  expect(viz.receptiveField(model, '3.0')).toEqual({ size: [12, 20], stride: [2, 4], padding: [1, 1] });
  expect(viz.receptiveField(model, '3')).toEqual({ size: [12, 20], stride: [2, 4], padding: [1, 1] });
  expect(viz.receptiveField(model, '4')).toBeNull();
  const residual = new nn.Sequential(new nn.ResidualConv2d(1), new nn.Conv2d(1, 1, 3));
  expect(viz.receptiveField(residual, '1')).toBeNull();
});

test("the receptive field is exactly the input pixels an output position's gradient reaches", () => {
  dd.manualSeed(5);
  const model = new nn.Sequential(
    new nn.Conv2d(1, 1, 3, { stride: 2, padding: 1, dilation: 2, bias: false }), new nn.ReLU(),
    new nn.AvgPool2d(3, { stride: 2, padding: 1 }), new nn.Conv2d(1, 1, 2, { bias: false }),
  );
  for (const m of [model.at(0), model.at(3)] as dd.nn.Conv2d[]) m.weight.data.fill(1);
  const rf = viz.receptiveField(model, '3')!;
  const [H, W] = [23, 19];
  const x = dd.add(dd.rand([1, 1, H, W]), 1).detach(); // positive, so every ReLU passes
  x.requiresGrad = true;
  const out = model.call(x);
  const [, , oh, ow] = out.shape;
  for (const [y, xx] of [[0, 0], [1, 2], [oh - 1, ow - 1]]) {
    const onehot = dd.zeros(out.shape);
    onehot.data[y * ow + xx] = 1;
    const [g] = dd.autograd.grad(out, x, { gradOutputs: [onehot], retainGraph: true });
    for (let i = 0; i < H; i++) {
      for (let j = 0; j < W; j++) {
        const inside = i >= y * rf.stride[0] - rf.padding[0] && i < y * rf.stride[0] - rf.padding[0] + rf.size[0]
          && j >= xx * rf.stride[1] - rf.padding[1] && j < xx * rf.stride[1] - rf.padding[1] + rf.size[1];
        // The dilated kernel skips pixels inside its span: the field is the span, so reached ⊆ inside.
        if (g.data[i * W + j] !== 0) expect([y, xx, i, j, inside]).toEqual([y, xx, i, j, true]);
      }
    }
    // The span's corners that lie in the image are reached.
    const [top, left] = [y * rf.stride[0] - rf.padding[0], xx * rf.stride[1] - rf.padding[1]];
    const [bottom, right] = [top + rf.size[0] - 1, left + rf.size[1] - 1];
    if (bottom < H && right < W) expect(g.data[bottom * W + right]).not.toBe(0);
  }
});

test('topPatches crops each top image around its maximum (background past the edge), one row per channel', async () => {
  const conv = new nn.Conv2d(1, 1, 3, { padding: 1, bias: false });
  conv.weight.data.set([0, 0, 0, 0, 1, 0, 0, 0, 0]); // the identity: the map is the image
  const model = new nn.Sequential(conv);
  const x = dd.zeros([3, 1, 5, 5]);
  const d = x.data;
  for (let i = 0; i < 75; i++) d[i] = 0.01 * (i % 25);
  d[0 * 25 + 0] = 0.9;
  d[1 * 25 + 2 * 5 + 3] = 1;
  d[2 * 25 + 4 * 5 + 4] = 0.5;
  const png = PNG.sync.read(viz.toPng(await viz.topPatches(model, '0', x, { k: 2, normalize: 'none', padValue: 0.25 })));
  expect([png.width, png.height]).toEqual([2 * 4 + 1, 5]);
  const grey = (px: number, py: number) => png.data[4 * (py * png.width + px)];
  const lvl = (v: number) => Math.floor(v * 255 + 0.5);
  // First tile: image 1 rows 1…3, columns 2…4, its maximum in the middle.
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) expect(grey(1 + c, 1 + r)).toBe(lvl(d[25 + (1 + r) * 5 + 2 + c]));
  expect(grey(2, 2)).toBe(255);
  // Second tile: image 0 rows −1…1, columns −1…1: the first row and column lie outside.
  expect([grey(5, 1), grey(6, 1), grey(7, 1), grey(5, 2), grey(5, 3)]).toEqual([64, 64, 64, 64, 64]);
  expect(grey(6, 2)).toBe(lvl(d[0]));
  expect(grey(7, 3)).toBe(lvl(d[6]));
  expect(grey(0, 0)).toBe(64);
});

test('topPatches takes a given receptive field, and approximates one for models it cannot follow', async () => {
  const x = dataset().data.map(Math.abs);
  const images = dd.tensor(x, [6, 1, 4, 4]);
  const given = await viz.topPatches(signs(), '1', images, { k: 1, padding: 0, receptiveField: { size: 2, stride: 2, padding: 0 } });
  expect([given.width, given.height]).toEqual([2, 4]);
  class Wrapped extends nn.Module {
    inner = signs();
    forward(t: dd.Tensor) {
      return this.inner.call(t);
    }
  }
  // The map is 2×2 over a 4×4 image: stride 2, patch 2·2 + 1 = 5.
  const approx = await viz.topPatches(new Wrapped(), 'inner.1', images, { k: 2, padding: 0 });
  expect([approx.width, approx.height]).toEqual([10, 10]);
  await expect(viz.topPatches(signs(), '1', images, { receptiveField: { size: 0, stride: 1 } })).rejects.toThrow(/receptiveField.size must be an integer >= 1/);
  await expect(viz.topPatches(signs(), '1', dd.zeros([2, 2, 4, 4]))).rejects.toThrow(/topPatches: images \[2,2,4,4\] have 2 channels/);
});
