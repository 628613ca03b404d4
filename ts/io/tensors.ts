/**
 * safetensors files of named Tensors: a thin layer over ./safetensors. Saving
 * writes each tensor's float32 or int32 elements as F32 / I32 without copying
 * them; loading gives tensors that own the arrays read from the file (other
 * dtypes in the file are converted as ./safetensors/convert.ts describes).
 */
import { Tensor } from '../tensor/tensor';
import { asTensor } from '../tensor/create';
import { AtomicWriteOptions } from './atomic-write';
import { checkAtomicWriteOptions } from './write-options';
import { TensorToWrite, encodeSafetensors } from './safetensors/encode';
import { SafetensorsContents, decodeSafetensors } from './safetensors/decode';
import { readSafetensors, readSafetensorsSync, writeSafetensors, writeSafetensorsSync } from './safetensors/file';

export interface LoadedTensors {
  /** Tensors by name (an object without prototype, in the file's header order). */
  tensors: Record<string, Tensor>;
  metadata: Record<string, string>;
}

/** The {dtype, shape, data} entries the safetensors writer takes, for a record of tensors. */
export function tensorsToSafetensors(tensors: Record<string, Tensor>): Record<string, TensorToWrite> {
  if (typeof tensors !== 'object' || tensors === null) throw new TypeError('saveTensors: expected an object of named tensors');
  const out: Record<string, TensorToWrite> = Object.create(null);
  for (const [name, t] of Object.entries(tensors)) {
    if (!(t instanceof Tensor)) throw new TypeError(`saveTensors: ${JSON.stringify(name)} is not a Tensor`);
    out[name] = t.dtype === 'int32'
      ? { dtype: 'I32', shape: t.shape, data: t.int32Data }
      : { dtype: 'F32', shape: t.shape, data: t.data };
  }
  return out;
}

function toTensors(contents: SafetensorsContents): LoadedTensors {
  const tensors: Record<string, Tensor> = Object.create(null);
  for (const [name, t] of Object.entries(contents.tensors)) tensors[name] = asTensor(t.data, t.shape);
  return { tensors, metadata: contents.metadata };
}

/** Saves named tensors (and optional string metadata) to a safetensors file, atomically. */
export async function saveTensors(path: string, tensors: Record<string, Tensor>, metadata?: Record<string, string>, options?: AtomicWriteOptions): Promise<void> {
  checkAtomicWriteOptions(options, 'saveTensors');
  await writeSafetensors(path, tensorsToSafetensors(tensors), metadata, options);
}

export function saveTensorsSync(path: string, tensors: Record<string, Tensor>, metadata?: Record<string, string>, options?: AtomicWriteOptions): void {
  checkAtomicWriteOptions(options, 'saveTensorsSync');
  writeSafetensorsSync(path, tensorsToSafetensors(tensors), metadata, options);
}

/** Loads every tensor of a safetensors file (strictly validated). */
export async function loadTensors(path: string): Promise<LoadedTensors> {
  return toTensors(await readSafetensors(path));
}

export function loadTensorsSync(path: string): LoadedTensors {
  return toTensors(readSafetensorsSync(path));
}

/** Buffer variants. */
export function encodeTensors(tensors: Record<string, Tensor>, metadata?: Record<string, string>): Uint8Array {
  return encodeSafetensors(tensorsToSafetensors(tensors), metadata);
}

export function decodeTensors(bytes: Uint8Array): LoadedTensors {
  return toTensors(decodeSafetensors(bytes));
}
