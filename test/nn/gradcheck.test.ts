/** The gradients of a whole small CNN, layer by layer through autograd, against central finite differences. */
import * as dd from '../../ts/index';
import { TestRandom } from '../support/random';

const { nn } = dd;

function model() {
  return new nn.Sequential(
    new nn.Conv2d(2, 3, 3, { padding: 1 }),
    new nn.Tanh(),
    new nn.MaxPool2d(2),
    new nn.Conv2d(3, 2, 2, { stride: 1, bias: true }),
    new nn.ELU(),
    new nn.Flatten(),
    new nn.Linear(2 * 2 * 2, 5),
    new nn.GELU(),
    new nn.Dropout(0.5), // in eval mode: the identity, checked as part of the tree
    new nn.Linear(5, 3),
  );
}

test('a Sequential CNN: every parameter and the input gradient match finite differences', () => {
  dd.manualSeed(3);
  const rng = new TestRandom(5);
  const m = model().eval();
  const x = dd.tensor(rng.float32(2 * 2 * 6 * 6), [2, 2, 6, 6], { requiresGrad: true });
  const y = dd.tensor([2, 0], { dtype: 'int32' });
  const loss = () => dd.nn.functional.crossEntropy(m.call(x), y);

  // Every parameter and the input, perturbed in place by dd.autograd.gradcheck. The step is small
  // enough that no max-pool window changes its winner, large enough for float32 loss values.
  const inputs = [x, ...m.parameters()];
  const report = dd.autograd.gradcheck(loss, inputs, { eps: 1e-3, atol: 2e-3, rtol: 2e-2 });
  expect(report.passed).toBe(true);
  expect(report.inputs.map((r) => r.input)).toEqual(inputs.map((_, i) => i));
  // gradcheck touches no .grad.
  expect(inputs.every((t) => t.grad === null)).toBe(true);
});
