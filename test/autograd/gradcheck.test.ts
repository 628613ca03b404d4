/** The gradient check itself is strict: a backward off by 0.2 % or with one wrong element fails it. */
import * as dd from '../../ts';
import { apply, OpDef } from '../../ts/ops/define';
import { wrap } from '../../ts/tensor/tensor';
import * as ref from './support/reference';
import { gradcheck } from './support/gradcheck';

/** exp with a backward that is wrong by `scale`, or in one element only. */
function faultyExp(scale: number, onlyFirst: boolean): OpDef<undefined> {
  return {
    name: 'faultyExp',
    shape: ([x]) => x.shape,
    forward([x], out) {
      const d = x.data;
      for (let i = 0; i < d.length; i++) out[i] = Math.exp(d[i]);
      return undefined;
    },
    backward(g, { output }) {
      const gx = new Float32Array(output.numel);
      for (let i = 0; i < gx.length; i++) gx[i] = g.data[i] * output.data[i] * (onlyFirst && i > 0 ? 1 : scale);
      return [wrap(gx, output.shape)];
    },
  };
}

test('a correct backward passes', () => {
  gradcheck((x) => apply(faultyExp(1, false), [x], undefined), (x) => ref.map(x, Math.exp), [{ shape: [3, 4] }]);
});

test.each([
  ['scaled by 1.002', 1.002, false],
  ['sign-flipped in one element', -1, true],
  ['off by 1 % in one element', 1.01, true],
])('a backward %s fails', (_, scale, onlyFirst) => {
  expect(() =>
    gradcheck((x) => apply(faultyExp(scale as number, onlyFirst as boolean), [x], undefined), (x) => ref.map(x, Math.exp), [{ shape: [3, 4] }]),
  ).toThrow(/gradient of input 0/);
});

test('a wrong forward fails before the gradient is looked at', () => {
  expect(() => gradcheck((x) => dd.exp(x).mul(1.0001), (x) => ref.map(x, Math.exp), [{ shape: [5] }])).toThrow();
});
