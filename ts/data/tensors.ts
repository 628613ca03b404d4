/**
 * Tensors over the data layer's arrays. Nothing is copied: a tensor made here
 * shares its memory with the dataset or batch it came from, so a DataLoader
 * batch's tensors follow the loader's buffer rule (intact while the next batch
 * is in use, detached after that; see data-loader.ts).
 */
import { Tensor } from '../tensor/tensor';
import { asTensor } from '../tensor/create';
import { ShapedArray } from './arrays';
import { Batch } from './data-loader';
import { Dataset } from './dataset';

/** A tensor on the array's memory. */
export function arrayToTensor(array: ShapedArray<Float32Array | Int32Array>): Tensor {
  return asTensor(array.data, array.shape);
}

/** The tensor's elements and shape (its own memory, not a copy). */
export function tensorToArray(t: Tensor): ShapedArray<Float32Array | Int32Array> {
  if (!(t instanceof Tensor)) throw new TypeError('tensorToArray: expected a Tensor');
  return { data: t.dtype === 'int32' ? t.int32Data : t.data, shape: [...t.shape] };
}

export interface TensorBatch {
  x: Tensor;
  y: Tensor;
  indices: Int32Array;
  epoch: number;
  index: number;
}

export function batchToTensors(batch: Batch): TensorBatch {
  return { x: arrayToTensor(batch.x), y: arrayToTensor(batch.y), indices: batch.indices, epoch: batch.epoch, index: batch.index };
}

/** The batches of a DataLoader epoch (or any batch iterable) as tensors: `for (const { x, y } of tensorBatches(loader)) ...`. */
export function* tensorBatches(batches: Iterable<Batch>): Generator<TensorBatch> {
  for (const b of batches) yield batchToTensors(b);
}

/** All of a dataset's samples and labels as tensors (a subset gathers its rows once). */
export function datasetToTensors(dataset: Dataset): { x: Tensor; y: Tensor } {
  return { x: arrayToTensor(dataset.x), y: arrayToTensor(dataset.y) };
}

/** A Dataset over a float32 tensor of samples [N, ...] and a label tensor [N, ...] (int32 or float32), sharing their memory. */
export function datasetFromTensors(x: Tensor, y: Tensor): Dataset {
  const xs = tensorToArray(x);
  if (!(xs.data instanceof Float32Array)) throw new TypeError('datasetFromTensors: x must be a float32 tensor');
  return new Dataset({ data: xs.data, shape: xs.shape }, tensorToArray(y));
}
