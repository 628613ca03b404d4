/** Bad input to compileForInference and InferenceSession.run: clear errors, no crash, the session still usable after. */
import * as dd from '../../ts/index';
import { expectSameAsForward, input } from './support';

const { nn } = dd;

describe('compileForInference', () => {
  test('refuses what is not a module, unknown options and bad values', () => {
    expect(() => dd.compileForInference(null as unknown as dd.nn.Module)).toThrow(/compileForInference: expected a Module, got null/);
    expect(() => dd.compileForInference({} as dd.nn.Module)).toThrow(TypeError);
    const model = dd.models.fashionMlp();
    expect(() => dd.compileForInference(model, { inputShap: [1] } as unknown as dd.CompileOptions)).toThrow(/inputShap/);
    expect(() => dd.compileForInference(model, { inputShape: [1, -28, 28] })).toThrow(/inputShape must be an array of non-negative integers/);
    expect(() => dd.compileForInference(model, { inputShape: 784 as unknown as number[] })).toThrow(TypeError);
    expect(() => dd.compileForInference(model, { maxShapes: 0 })).toThrow(/maxShapes must be a positive integer, got 0/);
  });
});

describe('InferenceSession.run', () => {
  test('with a declared input shape, says which shape it expects', () => {
    dd.manualSeed(0);
    const session = dd.compileForInference(dd.models.fashionCnn().eval(), { inputShape: [1, 28, 28] });
    expect(() => session.run(dd.zeros([2, 784]))).toThrow(/InferenceSession.run: expected input of shape \[N,1,28,28\] \(N samples of \[1,28,28\]\), got \[2,784\]/);
    expect(() => session.run(dd.zeros([2, 3, 28, 28]))).toThrow(RangeError);
    expect(() => session.run([1, 2] as unknown as dd.Tensor)).toThrow(/InferenceSession.run: expected a Tensor, got object/);
  });

  test('without one, an input the model cannot take gets the layer\'s own error, named by its path', () => {
    dd.manualSeed(0);
    const model = dd.models.fashionCnn().eval();
    const session = dd.compileForInference(model);
    expect(() => session.run(dd.zeros([2, 3, 28, 28]))).toThrow(/^0 \(Conv2d\): conv2d: input of shape \[2,3,28,28\] has 3 channels but weight of shape \[32,1,3,3\] expects 1/);
    expect(() => session.run(dd.zeros([2, 28, 28]))).toThrow(/0 \(Conv2d\): conv2d: input must be 4-D/);
    // Flattened to 2·14·14 features after the first stage: the Linear says so.
    expect(() => session.run(dd.zeros([1, 1, 14, 14]))).toThrow(/7 \(Linear\): .*3136/);
    expect(() => session.run(dd.zeros([1, 1, 28, 28], { dtype: 'int32' }))).toThrow(TypeError);
    // Failed runs leave nothing half made: the session works for a good input.
    expectSameAsForward(session, model, input([2, 1, 28, 28], 1));
  });

  test('a pool that does not fit the convolution\'s output fails as the layer does', () => {
    const model = new nn.Sequential(new nn.Conv2d(1, 2, 3), new nn.ReLU(), new nn.MaxPool2d(4)).eval();
    const session = dd.compileForInference(model);
    let expected = '';
    try {
      dd.noGrad(() => model.call(dd.zeros([1, 1, 5, 5])));
    } catch (e) {
      expected = (e as Error).message;
    }
    expect(expected).toMatch(/MaxPool2d/);
    expect(() => session.run(dd.zeros([1, 1, 5, 5]))).toThrow(expected);
  });

  test('a Sequential whose last layer returns several tensors is refused by the session; dd.predict runs it as it is', async () => {
    class Both extends nn.Module<dd.Tensor[]> {
      forward(x: dd.Tensor): dd.Tensor[] {
        return [x, x.neg()];
      }
    }
    const model = new nn.Sequential(new nn.Linear(3, 2), new Both() as unknown as dd.nn.Module);
    const x = input([2, 3], 2);
    expect(() => dd.compileForInference(model).run(x)).toThrow(/InferenceSession.run: Both returns an array/);
    const out = (await dd.predict(model, x)) as unknown as dd.Tensor[];
    expect(out).toHaveLength(2);
    expect(Array.from(out[1].data)).toEqual(Array.from(out[0].data).map((v) => -v));
  });
});
