/** Feature maps caught with a forward hook: equal to the layer's output computed by hand, for any model. */
import { PNG } from 'pngjs';
import * as dd from '../../ts/index';

const { nn, viz } = dd;

function convNet() {
  dd.manualSeed(3);
  return new nn.Sequential(
    new nn.Conv2d(1, 3, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Dropout(0.5),
    new nn.Conv2d(3, 2, 3), new nn.Flatten(), new nn.Linear(2 * 2 * 2, 4),
  );
}

/** Runs the first `upTo` + 1 layers one by one, in evaluation mode. */
function byHand(model: dd.nn.Sequential, x: dd.Tensor, upTo: number): dd.Tensor {
  return nn.withMode(model, false, () =>
    dd.noGrad(() => {
      let y = x;
      for (let i = 0; i <= upTo; i++) y = model.at(i).call(y);
      return y;
    }),
  );
}

test('featureMaps equals the layer output computed by hand, by name or module, without the batch dimension for one sample', () => {
  const model = convNet();
  const x = dd.randn([1, 1, 8, 8]);
  const want = byHand(model, x, 2);
  const maps = viz.featureMaps(model, '2', x);
  expect(maps.shape).toEqual([3, 4, 4]);
  expect(Array.from(maps.data)).toEqual(Array.from(want.data));
  expect(maps.requiresGrad).toBe(false);
  expect(Array.from(viz.featureMaps(model, model.at(2), x).data)).toEqual(Array.from(want.data));
  // Dropout runs in evaluation mode although the model is in training mode, which stays as it was.
  expect(model.training).toBe(true);
  expect(Array.from(viz.featureMaps(model, '3', x).data)).toEqual(Array.from(want.data));
  expect(model.at(2)._hasForwardHooks()).toBe(false);
  // Several samples keep the batch dimension.
  const xs = dd.randn([2, 1, 8, 8]);
  const many = viz.featureMaps(model, '4', xs);
  expect(many.shape).toEqual([2, 2, 2, 2]);
  expect(Array.from(many.data)).toEqual(Array.from(byHand(model, xs, 4).data));
});

test('featureMaps works on a model that is not a Sequential, and skips what comes after the layer', () => {
  dd.manualSeed(4);
  let headRuns = 0;
  class TwoBranches extends nn.Module {
    left = new nn.Conv2d(1, 2, 3);
    right = new nn.Conv2d(1, 2, 3);
    forward(x: dd.Tensor): dd.Tensor {
      const sum = this.left.call(x).add(this.right.call(x));
      headRuns++;
      return sum;
    }
  }
  const model = new TwoBranches();
  const x = dd.randn([1, 1, 5, 5]);
  const maps = viz.featureMaps(model, 'right', x);
  const want = dd.noGrad(() => model.right.call(x));
  expect(maps.shape).toEqual([2, 3, 3]);
  expect(Array.from(maps.data)).toEqual(Array.from(want.data));
  expect(headRuns).toBe(0);
  expect(Array.from(viz.featureMaps(model, '', x).data)).toEqual(Array.from(dd.noGrad(() => model.call(x)).data));
});

test('the hook comes off when the model fails, and bad layers or inputs get errors naming them', () => {
  const model = convNet();
  expect(() => viz.featureMaps(model, '4', dd.zeros([1, 2, 8, 8]))).toThrow(/Conv2d/);
  expect(model.at(4)._hasForwardHooks()).toBe(false);
  expect(() => viz.featureMaps(model, '44', dd.zeros([1, 1, 8, 8]))).toThrow(/featureMaps: the model has no layer named '44' \(did you mean '4'\?\); its layers: 0, 1, 2/);
  expect(() => viz.featureMaps(model, new nn.ReLU(), dd.zeros([1, 1, 8, 8]))).toThrow(/featureMaps: the layer \(ReLU\) is not a module of the model/);
  expect(() => viz.featureMaps(model, 4 as never, dd.zeros([1, 1, 8, 8]))).toThrow(TypeError);
  expect(() => viz.featureMaps({} as never, '4', dd.zeros([1, 1, 8, 8]))).toThrow(/featureMaps: model must be an nn.Module/);
  expect(() => viz.featureMaps(model, '4', dd.zeros([8]))).toThrow(/featureMaps: input must have shape \[N, \.\.\.\]/);

  class Skipper extends nn.Module {
    unused = new nn.ReLU();
    forward(x: dd.Tensor) {
      return x;
    }
  }
  expect(() => viz.featureMaps(new Skipper(), 'unused', dd.zeros([1, 2]))).toThrow(/layer 'unused' \(ReLU\) did not run/);
});

test('featureMapGrid tiles one grey map per channel, min-max per map by default', () => {
  const conv = new nn.Conv2d(1, 2, 1, { bias: false });
  conv.weight.data.set([1, 2]);
  const model = new nn.Sequential(conv);
  const x = dd.tensor([[[[0, 1], [2, 3]]]]);
  const decode = (image: dd.viz.Image) => PNG.sync.read(viz.toPng(image));
  const all = decode(viz.featureMapGrid(model, '0', x, { normalize: 'all', padding: 0 }));
  expect([all.width, all.height]).toEqual([4, 2]);
  const grey = (png: PNG, x: number, y: number) => png.data[4 * (y * png.width + x)];
  expect([grey(all, 0, 0), grey(all, 1, 0), grey(all, 0, 1), grey(all, 1, 1)]).toEqual([0, 43, 85, 128]);
  expect([grey(all, 2, 0), grey(all, 3, 0), grey(all, 2, 1), grey(all, 3, 1)]).toEqual([0, 85, 170, 255]);
  const each = decode(viz.featureMapGrid(model, '0', x, { padding: 0, channels: [1] }));
  expect([each.width, each.height]).toEqual([2, 2]);
  expect(grey(each, 1, 1)).toBe(255);
  expect(() => viz.featureMapGrid(model, '0', dd.zeros([2, 1, 2, 2]))).toThrow(/featureMapGrid: input must hold one sample/);
  expect(() => viz.featureMapGrid(model, '0', x, { channels: [2] })).toThrow(/channel 2 is not in \[0, 2\)/);
  const dense = new nn.Sequential(new nn.Flatten(), new nn.Linear(4, 3));
  expect(() => viz.featureMapGrid(dense, '1', x)).toThrow(/layer '1' outputs \[1,3\], not feature maps/);
});
