/** Saliency maps: the analytic gradient for a linear model, backward() by hand for a network, SmoothGrad, and the image helper. */
import * as dd from '../../ts/index';

const { nn, viz } = dd;

/** max over channels of |g| for a gradient [1, C, H, W]. */
function channelMax(g: Float32Array, c: number, hw: number): number[] {
  return Array.from({ length: hw }, (_, i) => Math.max(...Array.from({ length: c }, (_, ch) => Math.abs(g[ch * hw + i]))));
}

test('for a linear model the saliency is max over channels of |W[class]|, and no .grad changes', () => {
  dd.manualSeed(11);
  const [c, h, w] = [2, 3, 4];
  const linear = new nn.Linear(c * h * w, 5);
  const model = new nn.Sequential(new nn.Flatten(), linear);
  const x = dd.randn([1, c, h, w]);
  const map = viz.saliency(model, x, 3);
  expect(map.shape).toEqual([h, w]);
  const row = linear.weight.data.subarray(3 * c * h * w, 4 * c * h * w);
  expect(Array.from(map.data)).toEqual(channelMax(row, c, h * w).map(Math.fround));
  expect(linear.weight.grad).toBeNull();
  expect(linear.bias!.grad).toBeNull();
  expect(x.requiresGrad).toBe(false);
  // The gradient of a linear score does not depend on the input: SmoothGrad gives the same map.
  const smooth = viz.saliency(model, x, 3, { smoothGrad: { samples: 20, noise: 0.3, generator: new dd.Generator(2) } });
  for (let i = 0; i < h * w; i++) expect(smooth.data[i]).toBeCloseTo(map.data[i], 5);
});

function convNet(): dd.nn.Sequential {
  dd.manualSeed(12);
  return new nn.Sequential(
    new nn.Conv2d(3, 4, 3, { padding: 1 }), new nn.ReLU(), new nn.Dropout(0.5), new nn.MaxPool2d(2),
    new nn.Flatten(), new nn.Linear(4 * 3 * 3, 6),
  );
}

/** |∂ score(k) / ∂x| by backward() in evaluation mode, as [C·H·W]. */
function absGradient(model: dd.nn.Module, x: dd.Tensor, k: number): Float32Array {
  const leaf = x.detach().clone();
  leaf.requiresGrad = true;
  model.eval();
  model.call(leaf).narrow(1, k, 1).sum().backward();
  model.train();
  return leaf.grad!.data.map(Math.abs);
}

test('for a network the saliency equals the gradient backward() gives, in evaluation mode', () => {
  const model = convNet();
  const x = dd.randn([1, 3, 6, 6]);
  const map = viz.saliency(model, x, 4);
  const g = absGradient(model, x, 4);
  expect(Array.from(map.data)).toEqual(channelMax(g, 3, 36).map(Math.fround));
  expect(Array.from(viz.saliency(model, x, 4).data)).toEqual(Array.from(map.data)); // dropout was off
  for (const p of model.parameters()) p.grad = null;
});

test('SmoothGrad averages |gradient| over noisy copies drawn from the generator, then takes the channel max', () => {
  const model = convNet();
  const x = dd.randn([1, 3, 6, 6]);
  const [samples, noise] = [5, 0.2];
  const map = viz.saliency(model, x, 1, { smoothGrad: { samples, noise, generator: new dd.Generator(9) } });
  const again = viz.saliency(model, x, 1, { smoothGrad: { samples, noise, generator: new dd.Generator(9) } });
  expect(Array.from(again.data)).toEqual(Array.from(map.data));

  const values = x.data;
  const sigma = noise * (Math.max(...values) - Math.min(...values));
  const draws = dd.withGenerator(new dd.Generator(9), () => dd.randn([samples, 3, 6, 6])).data;
  const mean = new Float64Array(3 * 36);
  for (let s = 0; s < samples; s++) {
    const noisy = dd.tensor(Float32Array.from(values, (v, i) => v + sigma * draws[s * 108 + i]), [1, 3, 6, 6]);
    absGradient(model, noisy, 1).forEach((v, i) => (mean[i] += v / samples));
  }
  const want = channelMax(Float32Array.from(mean), 3, 36);
  for (let i = 0; i < 36; i++) expect(map.data[i]).toBeCloseTo(want[i], 5);
  expect(Array.from(map.data)).not.toEqual(Array.from(viz.saliency(model, x, 1).data));
});

test('saliency refuses bad inputs, classes and options with errors naming them', () => {
  const model = convNet();
  const x = dd.randn([1, 3, 6, 6]);
  expect(() => viz.saliency(model, dd.randn([2, 3, 6, 6]), 0)).toThrow(/saliency: input must hold one image \[1, C, H, W\]/);
  expect(() => viz.saliency(model, x, 6)).toThrow(/classIndex 6 is out of range for 6 classes/);
  expect(() => viz.saliency(model, x, -1)).toThrow(/classIndex must be an integer >= 0/);
  expect(() => viz.saliency(model, x, 0, { smoothGrad: { samples: 0 } })).toThrow(/smoothGrad.samples must be an integer >= 1/);
  expect(() => viz.saliency(model, x, 0, { smoothGrad: { nois: 0.1 } as never })).toThrow(/did you mean "noise"/);
  expect(() => viz.saliency(model, x, 0, { smoothGrad: { generator: 3 as never } })).toThrow(/generator must be a dd.Generator/);
  expect(() => viz.saliency(new nn.Conv2d(3, 2, 1), x, 0)).toThrow(/the model must output scores \[N, classes\]; it gave \[1,2,6,6\]/);
});

test('saliencyImage overlays the hot map in proportion to saliency, or puts the two side by side', () => {
  const input = dd.tensor([[[0, 1], [0.5, 0.25]]]); // [1, 2, 2] grey
  const map = dd.tensor([[0, 0], [0, 2]]);
  const overlay = viz.saliencyImage(input, map, { normalize: 'none', alpha: 0.5 });
  expect([overlay.width, overlay.height, overlay.channels]).toEqual([2, 2, 3]);
  const px = (i: number) => Array.from(overlay.data.subarray(3 * i, 3 * i + 3));
  expect(px(0)).toEqual([0, 0, 0]);
  expect(px(1)).toEqual([255, 255, 255]);
  expect(px(2)).toEqual([128, 128, 128]);
  // The most salient pixel is hot(1) = white, blended half way.
  expect(px(3)).toEqual([Math.round(0.5 * 64 + 0.5 * 255), Math.round(0.5 * 64 + 0.5 * 255), Math.round(0.5 * 64 + 0.5 * 255)]);
  const both = viz.saliencyImage(input, map, { mode: 'side-by-side', normalize: 'none', scale: 2 });
  expect([both.width, both.height]).toEqual([2 * (2 + 2 + 2), 4]);
  expect(Array.from(both.data.subarray(3 * (both.width * 2 + 2 * 4 + 2), 3 * (both.width * 2 + 2 * 4 + 2) + 3))).toEqual([255, 255, 255]);
  expect(() => viz.saliencyImage(input, dd.zeros([3, 3]))).toThrow(/map \[3,3\] does not match the image's 2×2/);
  expect(() => viz.saliencyImage(input, map, { mode: 'blend' as 'overlay' })).toThrow(/mode must be 'overlay' or 'side-by-side'/);
});
