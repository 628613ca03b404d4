/**
 * @jest-environment ./test/io/support/onnx-environment.js
 */
/**
 * dd.models.alexnet: the 2012 network layer for layer (its parameter count is
 * the paper's architecture's, 60,965,224 for 1000 classes), a forward at
 * batch 1 on 227×227, and its ONNX export run in onnxruntime-node; the small
 * variant for 28×28 images trains.
 */
import * as dd from '../../ts/index';
import { TestRandom } from '../support/random';

const { nn } = dd;

type Ort = typeof import('onnxruntime-node');
let ort: Ort | undefined;
try {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional: the tests skip when it cannot load
  ort = require('onnxruntime-node') as Ort;
} catch (e) {
  console.log(`AlexNet ONNX test skipped: onnxruntime-node cannot load (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`);
}
const withOrt = ort !== undefined ? test : test.skip;

let big: dd.nn.Sequential | undefined;
function alexnet(): dd.nn.Sequential {
  if (big === undefined) {
    dd.manualSeed(2012);
    big = dd.models.alexnet().eval();
  }
  return big;
}

test('AlexNet has the paper\'s layers: 60,965,224 parameters, two-group conv2/4/5, LRN after conv1 and conv2', () => {
  const model = alexnet();
  expect(model.numParameters()).toBe(60965224);
  const convs = [...model.modules()].filter((m): m is dd.nn.Conv2d => m instanceof nn.Conv2d);
  expect(convs.map((c) => c.groups)).toEqual([1, 2, 1, 2, 2]);
  expect(convs.map((c) => c.outChannels)).toEqual([96, 256, 384, 384, 256]);
  expect([...model.modules()].filter((m) => m instanceof nn.LocalResponseNorm)).toHaveLength(2);
  const pools = [...model.modules()].filter((m): m is dd.nn.MaxPool2d => m instanceof nn.MaxPool2d);
  expect(pools.map((p) => [p.kernelSize, p.stride])).toEqual(Array(3).fill([[3, 3], [2, 2]]));
  // The paper's start: N(0, 0.01²) weights, biases 1 in conv2, conv4, conv5 and the hidden dense layers.
  const biasOne = [...model.modules()].filter((m) => (m instanceof nn.Conv2d || m instanceof nn.Linear) && m.bias!.data[0] === 1);
  expect(biasOne).toHaveLength(5);
  const w = convs[0].weight.data;
  let sq = 0;
  for (const v of w) sq += v * v;
  expect(Math.sqrt(sq / w.length)).toBeCloseTo(0.01, 3);
});

test('AlexNet takes a 3×227×227 image to 1000 class scores; numClasses changes only the last layer', () => {
  const x = dd.tensor(new TestRandom(1).float32(3 * 227 * 227), [1, 3, 227, 227]);
  const y = dd.noGrad(() => alexnet().call(x));
  expect(y.shape).toEqual([1, 1000]);
  expect(y.data.every(Number.isFinite)).toBe(true);
  expect(dd.models.alexnet({ numClasses: 10, init: 'default' }).numParameters()).toBe(60965224 - 990 * 4097);
  expect(() => dd.models.alexnet({ classes: 10 } as never)).toThrow(/alexnet: unknown option "classes" \(did you mean "numClasses"\?/);
  expect(() => dd.models.alexnet({ numClasses: 0 })).toThrow(/numClasses must be a positive integer/);
});

withOrt('AlexNet\'s ONNX export runs in onnxruntime-node with dendrite\'s outputs', async () => {
  const model = alexnet();
  const bytes = dd.io.toOnnx(model, { inputShape: [3, 227, 227] });
  const x = dd.tensor(new TestRandom(2).float32(3 * 227 * 227), [1, 3, 227, 227]);
  const want = dd.noGrad(() => model.call(x));
  const session = await ort!.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  const out = await session.run({ input: new ort!.Tensor('float32', x.data.slice(), [1, 3, 227, 227]) });
  const got = out.output.data as Float32Array;
  expect(out.output.dims).toEqual([1, 1000]);
  let worst = 0;
  for (let i = 0; i < 1000; i++) worst = Math.max(worst, Math.abs(got[i] - want.data[i]) / Math.max(1e-3, Math.abs(want.data[i])));
  expect(worst).toBeLessThan(1e-3);
});

test('the 28×28 AlexNet-style variant keeps the design and learns Fashion-MNIST', async () => {
  dd.manualSeed(3);
  const model = dd.models.alexnetSmall();
  const convs = [...model.modules()].filter((m): m is dd.nn.Conv2d => m instanceof nn.Conv2d);
  expect(convs.map((c) => c.groups)).toEqual([1, 2, 1, 2, 2]);
  const { train, test: testSet } = await dd.data.fashionMnist();
  const few = train.subset(Array.from({ length: 2000 }, (_, i) => i));
  const before = await dd.evaluate(model, testSet, { batchSize: 500 });
  const optimizer = new dd.optim.Adam(model.parameters(), { lr: 1e-3 });
  await dd.fit(model, few, { optimizer, loss: 'crossEntropy', epochs: 2, batchSize: 32, verbose: 0, seed: 5 });
  const after = await dd.evaluate(model, testSet, { batchSize: 500 });
  expect(before.accuracy).toBeLessThan(0.2);
  expect(after.accuracy).toBeGreaterThan(0.6);
});

test('the small variant has 550,538 parameters and refuses the paper init option', () => {
  expect(dd.models.alexnetSmall().numParameters()).toBe(550538);
  expect(() => dd.models.alexnetSmall({ init: 'paper' } as never)).toThrow(/alexnetSmall: unknown option "init"/);
});
