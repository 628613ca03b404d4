/** A toy task with two targets per sample, for models with a main and an auxiliary head. */
import * as dd from '../../ts/index';
import { TestRandom } from './random';

/** x uniform in [-1, 1]^4; main label: which of x0..x2 is largest (3 classes); aux label: whether x3 > 0 (2 classes). */
export function toyHeadsData(n: number, seed: number): { x: dd.Tensor; main: dd.Tensor; aux: dd.Tensor } {
  const rng = new TestRandom(seed);
  const x = new Float32Array(n * 4);
  const main = new Int32Array(n);
  const aux = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 4; j++) x[i * 4 + j] = rng.uniform(-1, 1);
    const r = x.subarray(i * 4, i * 4 + 3);
    main[i] = r[0] >= r[1] && r[0] >= r[2] ? 0 : r[1] >= r[2] ? 1 : 2;
    aux[i] = x[i * 4 + 3] > 0 ? 1 : 0;
  }
  return {
    x: dd.tensor(x, [n, 4]),
    main: dd.tensor(main, [n], { dtype: 'int32' }),
    aux: dd.tensor(aux, [n], { dtype: 'int32' }),
  };
}
