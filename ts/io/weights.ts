/**
 * Weights in safetensors, laid out as PyTorch lays out a state dict: one
 * tensor per parameter or buffer, named by its dotted place in the module
 * tree ("0.weight", "conv1.bias"), F32 (I32 for int32 buffers), little-endian,
 * row-major, Linear weights [out, in] and Conv2d weights OIHW. The header
 * carries {"format": "pt"}, which Hugging Face tools look for. Files written
 * by PyTorch read back as float32 whatever their float dtype (F16, BF16, F64).
 */
import * as fs from 'fs';
import * as path from 'path';
import { AnyModule, Module, StateDict } from '../nn/module';
import { asTensor } from '../tensor/create';
import { Tensor } from '../tensor/tensor';
import type { AtomicWriteOptions } from './atomic-write';
import { checkAtomicWriteOptions } from './write-options';
import { writeSafetensors } from './safetensors/file';
import { loadTensors, tensorsToSafetensors } from './tensors';
import type { LoadedTensor } from './safetensors/decode';
import type { TensorToWrite } from './safetensors/encode';

/** Metadata written in every weights file. */
export const WEIGHTS_METADATA: Readonly<Record<string, string>> = Object.freeze({ format: 'pt' });

/** A module, or a state dict (what model.stateDict() returns). */
export type Weights = AnyModule | StateDict;

/** A snapshot of the state dict of `weights`: copies, so training on while a save is in flight changes nothing written. */
export function snapshotStateDict(weights: Weights, where: string): StateDict {
  if (weights instanceof Module) return weights.stateDict();
  if (typeof weights !== 'object' || weights === null) throw new TypeError(`${where}: expected a Module or a state dict (name → Tensor), got ${weights === null ? 'null' : typeof weights}`);
  const out: StateDict = {};
  for (const [name, t] of Object.entries(weights)) {
    if (!(t instanceof Tensor)) throw new TypeError(`${where}: state dict entry ${JSON.stringify(name)} is not a Tensor`);
    out[name] = t;
  }
  return out;
}

/** The safetensors entries of a state dict, in its order, names prefixed with `prefix`. */
export function tensorsToWrite(dict: StateDict, prefix = ''): Record<string, TensorToWrite> {
  const entries = tensorsToSafetensors(dict);
  if (prefix === '') return entries;
  const out: Record<string, TensorToWrite> = {};
  for (const [name, t] of Object.entries(entries)) out[prefix + name] = t;
  return out;
}

/** A Tensor on a tensor read from a file (no copy: the array is fresh). */
export function tensorFromLoaded(t: LoadedTensor): Tensor {
  return asTensor(t.data, t.shape);
}

/**
 * Writes the weights of `model` (or a state dict) to a safetensors file,
 * atomically: a crash leaves the previous file or the new one, never a mix.
 */
export async function save(model: Weights, file: string, options?: AtomicWriteOptions): Promise<void> {
  checkAtomicWriteOptions(options, 'save');
  const dict = snapshotStateDict(model, 'save');
  await writeSafetensors(file, tensorsToWrite(dict), { ...WEIGHTS_METADATA }, options);
}

/** Reads a safetensors file as a state dict: name → Tensor (float32, or int32 for integer dtypes). */
export async function loadWeights(file: string): Promise<StateDict> {
  const out: StateDict = {};
  for (const [name, t] of Object.entries((await loadTensors(file)).tensors)) out[name] = t;
  return out;
}

/** The description file that belongs beside a weights file: `<stem>.json` for `<stem>.safetensors`. */
export function descriptionPathFor(weightsFile: string): string {
  const ext = path.extname(weightsFile);
  return path.join(path.dirname(weightsFile), `${path.basename(weightsFile, ext)}.json`);
}

/** True when `file` names an existing folder. */
export async function isFolder(file: string): Promise<boolean> {
  try {
    return (await fs.promises.stat(file)).isDirectory();
  } catch {
    return false;
  }
}
