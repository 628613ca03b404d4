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
  loss().backward();

  // Small enough that no max-pool window changes its winner, large enough for float32 loss values.
  const eps = 1e-3;
  const check = (t: dd.Tensor, name: string) => {
    const data = t.data;
    const grad = t.grad!.data;
    for (let i = 0; i < data.length; i++) {
      const old = data[i];
      data[i] = old + eps;
      const up = dd.noGrad(() => loss().item());
      data[i] = old - eps;
      const down = dd.noGrad(() => loss().item());
      data[i] = old;
      const numeric = (up - down) / (2 * eps);
      const err = Math.abs(numeric - grad[i]);
      if (err > 2e-3 + 2e-2 * Math.abs(numeric)) throw new Error(`${name}[${i}]: autograd ${grad[i]}, finite difference ${numeric}`);
    }
  };
  for (const [name, p] of m.namedParameters()) check(p, name);
  check(x, 'input');
});
