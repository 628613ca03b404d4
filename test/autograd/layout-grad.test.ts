/** Shape and data-movement ops: values and gradients (they are linear, so gradients must be exact). */
import * as dd from '../../ts';
import * as ref from './support/reference';
import { gradcheck } from './support/gradcheck';

const reshaped = (x: ref.R, shape: number[]) => new ref.R(x.data, shape);

test.each([
  ['reshape', (x: dd.Tensor) => x.reshape([4, -1]), (x: ref.R) => reshaped(x, [4, 6])],
  ['view', (x: dd.Tensor) => x.view([24]), (x: ref.R) => reshaped(x, [24])],
  ['flatten', (x: dd.Tensor) => x.flatten(), (x: ref.R) => reshaped(x, [24])],
  ['flatten(1)', (x: dd.Tensor) => x.flatten(1), (x: ref.R) => reshaped(x, [2, 12])],
  ['unsqueeze(1)', (x: dd.Tensor) => x.unsqueeze(1), (x: ref.R) => reshaped(x, [2, 1, 3, 4])],
  ['unsqueeze(-1)', (x: dd.Tensor) => x.unsqueeze(-1), (x: ref.R) => reshaped(x, [2, 3, 4, 1])],
  ['permute', (x: dd.Tensor) => x.permute([2, 0, 1]), (x: ref.R) => ref.permute(x, [2, 0, 1])],
  ['permute negative', (x: dd.Tensor) => x.permute([-1, -3, -2]), (x: ref.R) => ref.permute(x, [2, 0, 1])],
  ['transpose', (x: dd.Tensor) => x.transpose(0, 2), (x: ref.R) => ref.permute(x, [2, 1, 0])],
  ['movedim', (x: dd.Tensor) => x.movedim(0, -1), (x: ref.R) => ref.permute(x, [1, 2, 0])],
  ['narrow', (x: dd.Tensor) => x.narrow(2, 1, 2), (x: ref.R) => ref.make([2, 3, 2], ([a, b, c]) => x.get([a, b, c + 1]))],
  ['slice step 2', (x: dd.Tensor) => x.slice(1, 0, 3, 2), (x: ref.R) => ref.make([2, 2, 4], ([a, b, c]) => x.get([a, 2 * b, c]))],
  ['slice negative', (x: dd.Tensor) => x.slice(-1, -3), (x: ref.R) => ref.make([2, 3, 3], ([a, b, c]) => x.get([a, b, c + 1]))],
  ['expand', (x: dd.Tensor) => x.unsqueeze(0).expand([3, 2, 3, 4]), (x: ref.R) => ref.expand(x, [3, 2, 3, 4])],
  ['clone', (x: dd.Tensor) => x.clone(), (x: ref.R) => x],
])('%s', (_, fn, r) => {
  gradcheck(fn, r, [{ shape: [2, 3, 4] }]);
});

test('squeeze and t', () => {
  gradcheck((x) => x.squeeze(), (x) => reshaped(x, [3, 4]), [{ shape: [1, 3, 1, 4] }]);
  gradcheck((x) => x.squeeze(2), (x) => reshaped(x, [1, 3, 4]), [{ shape: [1, 3, 1, 4] }]);
  gradcheck((x) => dd.t(x), (x) => ref.permute(x, [1, 0]), [{ shape: [3, 5] }]);
});

test('expand from a broadcastable shape', () => {
  gradcheck((x) => dd.expand(x, [2, 3, 4]), (x) => ref.expand(x, [2, 3, 4]), [{ shape: [3, 1] }]);
  gradcheck((x) => dd.broadcastTo(x, [5, 3]), (x) => ref.expand(x, [5, 3]), [{ shape: [] }]);
});

const cat = (xs: ref.R[], axis: number) => {
  const shape = xs[0].shape.slice();
  shape[axis] = xs.reduce((s, x) => s + x.shape[axis], 0);
  return ref.make(shape, (idx) => {
    let i = idx[axis];
    for (const x of xs) {
      if (i < x.shape[axis]) return x.get(idx.map((v, d) => (d === axis ? i : v)));
      i -= x.shape[axis];
    }
    throw new Error('unreachable');
  });
};

test.each([0, 1, 2, -1])('concat along %s', (axis) => {
  const a = axis < 0 ? axis + 3 : axis;
  const s = (k: number) => [2, 3, 4].map((d, i) => (i === a ? k : d));
  gradcheck((x, y, z) => dd.concat([x, y, z], axis), (x, y, z) => cat([x, y, z], a), [{ shape: s(1) }, { shape: s(3) }, { shape: s(2) }]);
});

test.each([0, 1, 2, -1])('stack along %s', (axis) => {
  const a = axis < 0 ? axis + 3 : axis;
  const un = (x: ref.R) => {
    const sh = x.shape.slice();
    sh.splice(a, 0, 1);
    return reshaped(x, sh);
  };
  gradcheck((x, y) => dd.stack([x, y], axis), (x, y) => cat([un(x), un(y)], a), [{ shape: [2, 3] }, { shape: [2, 3] }]);
});

test('concat of a tensor with itself accumulates both gradients', () => {
  const x = dd.tensor([1, 2], { requiresGrad: true });
  dd.concat([x, x]).mul(dd.tensor([1, 2, 3, 4])).sum().backward();
  expect(Array.from(x.grad!.data)).toEqual([4, 6]);
});

test('indexSelect and embedding scatter-add repeated indices', () => {
  const idx = dd.tensor([2, 0, 2, 2], { dtype: 'int32' });
  gradcheck((x) => dd.indexSelect(x, 0, idx), (x) => ref.make([4, 3], ([i, j]) => x.get([[2, 0, 2, 2][i], j])), [{ shape: [3, 3] }]);
  gradcheck((x) => x.indexSelect(1, idx), (x) => ref.make([2, 4, 2], ([a, i, c]) => x.get([a, [2, 0, 2, 2][i], c])), [{ shape: [2, 3, 2] }]);
  const words = dd.tensor([[1, 0], [1, 1]], { dtype: 'int32' });
  gradcheck((w) => dd.nn.functional.embedding(words, w), (w) => ref.make([2, 2, 3], ([a, b, c]) => w.get([[[1, 0], [1, 1]][a][b], c])), [{ shape: [2, 3] }]);
});
