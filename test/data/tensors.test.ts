import { DataLoader, Dataset, arrayToTensor, datasetFromTensors, datasetToTensors, tensorBatches, tensorToArray } from '../../ts/data';
import { tensor } from '../../ts/tensor/create';
import { Tensor } from '../../ts/tensor/tensor';

function dataset(n: number): Dataset {
  return new Dataset(
    { data: Float32Array.from({ length: n * 3 }, (_, i) => i), shape: [n, 3] },
    { data: Int32Array.from({ length: n }, (_, i) => i % 4), shape: [n] },
  );
}

test('DataLoader batches as tensors share the batch memory', () => {
  const loader = new DataLoader(dataset(10), { batchSize: 4 });
  const seen: number[][] = [];
  for (const { x, y, index } of tensorBatches(loader.epoch(0))) {
    expect(x).toBeInstanceOf(Tensor);
    expect(x.dtype).toBe('float32');
    expect(y.dtype).toBe('int32');
    expect(x.shape).toEqual([index === 2 ? 2 : 4, 3]);
    seen.push(Array.from(y.int32Data));
  }
  expect(seen).toEqual([[0, 1, 2, 3], [0, 1, 2, 3], [0, 1]]);
});

test('datasets to and from tensors', () => {
  const ds = dataset(5);
  const { x, y } = datasetToTensors(ds);
  expect(x.shape).toEqual([5, 3]);
  expect(x.data.buffer).toBe(ds.x.data.buffer); // no copy
  const back = datasetFromTensors(x, y);
  expect(back.length).toBe(5);
  expect(Array.from(back.get(4).x)).toEqual([12, 13, 14]);
  const t = tensor(Float32Array.of(1, 2, 3, 4), [2, 2]);
  expect(tensorToArray(t)).toEqual({ data: Float32Array.of(1, 2, 3, 4), shape: [2, 2] });
  expect(arrayToTensor({ data: Int32Array.of(5), shape: [1] }).int32Data[0]).toBe(5);
  expect(() => datasetFromTensors(tensor(Int32Array.of(1), [1]), y)).toThrow(/x must be a float32 tensor/);
});
