/**
 * A saved model is a folder holding two files, as Hugging Face keeps a
 * config beside its weights:
 *   model.json         the description (layer types and options, see model-description.ts)
 *   model.safetensors  the weights, in PyTorch's state-dict layout (see weights.ts)
 * Each file is written atomically, weights first; the description records the
 * weights' size and SHA-256, so a folder whose two files come from different
 * saves (a crash between the two renames) is reported, never loaded as a
 * silently wrong model. The rule "<stem>.json beside <stem>.safetensors" also
 * lets dd.load() find the description of any weights file.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { AnyModule, Module, StateDict } from '../nn/module';
import { writeFileAtomic } from './atomic-write';
import { checkAtomicWriteOptions } from './write-options';
import { openRegularFile, regularFileSize } from './regular-file';
import type { AtomicWriteOptions } from './atomic-write';
import { ModelFormatError } from './errors';
import { readJsonFile } from './json-file';
import { buildLayers, describeModel, readModelDescription, WeightsReference } from './model-description';
import { readSafetensorsHeader } from './safetensors/file';
import { encodeSafetensorsChunks } from './safetensors/encode';
import { descriptionPathFor, isFolder, loadWeights, snapshotStateDict, tensorsToWrite, WEIGHTS_METADATA } from './weights';
import type { JsonValue } from './safetensors/strict-json';

export const DESCRIPTION_FILE = 'model.json';
export const WEIGHTS_FILE = 'model.safetensors';
/** Largest description file read (a description is a few KiB; this only stops a hostile giant). */
export const MAX_DESCRIPTION_BYTES = 16 * 1024 * 1024;

// package.json lies outside ts/ (the compiler's rootDir), so it is read at run time.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const PRODUCER = `dendrite ${(require('../../package.json') as { version: string }).version}`;

export interface SaveModelOptions extends AtomicWriteOptions {}

/** Writes `model` to the folder `dir` (created if missing): model.json and model.safetensors. */
export async function saveModel(model: AnyModule, dir: string, options: SaveModelOptions = {}): Promise<void> {
  if (!(model instanceof Module)) throw new TypeError(`saveModel: expected a Module, got ${model === null ? 'null' : typeof model}`);
  if (typeof dir !== 'string' || dir === '') throw new TypeError('saveModel: the folder must be a non-empty string');
  checkAtomicWriteOptions(options, 'saveModel');
  // Describe first: a layer without a description fails before anything is written.
  const description = describeModel(model, PRODUCER);
  const chunks = encodeSafetensorsChunks(tensorsToWrite(snapshotStateDict(model, 'saveModel')), { ...WEIGHTS_METADATA });
  const hash = createHash('sha256');
  let bytes = 0;
  for (const c of chunks) {
    hash.update(c);
    bytes += c.byteLength;
  }
  const weights: WeightsReference = { file: WEIGHTS_FILE, bytes, sha256: hash.digest('hex') };
  await fs.promises.mkdir(dir, { recursive: true });
  await writeFileAtomic(path.join(dir, WEIGHTS_FILE), chunks, options);
  const text = `${JSON.stringify({ ...description, weights }, null, 2)}\n`;
  await writeFileAtomic(path.join(dir, DESCRIPTION_FILE), Buffer.from(text, 'utf8'), options);
}

async function sha256OfFile(file: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  // A regular file only: a FIFO in place of the weights would block the read forever.
  const { handle } = await openRegularFile(file, Infinity, (problem) => new ModelFormatError(file, problem));
  try {
    for await (const chunk of handle.createReadStream({ highWaterMark: 1 << 20, autoClose: false })) {
      hash.update(chunk as Buffer);
      bytes += (chunk as Buffer).byteLength;
    }
  } finally {
    await handle.close();
  }
  return { bytes, sha256: hash.digest('hex') };
}

/** Where the description of `target` is: inside a folder, the file itself, or beside a weights file. */
async function descriptionPath(target: string): Promise<string> {
  if (await isFolder(target)) return path.join(target, DESCRIPTION_FILE);
  if (path.extname(target) === '.json') return target;
  return descriptionPathFor(target);
}

/**
 * Refuses a file of a model folder that resolves (through symbolic links) to
 * a place outside the folder. The message says nothing of where it leads: a
 * model folder from elsewhere must not be a way to learn about this machine.
 */
async function checkInsideFolder(file: string, folder: string): Promise<void> {
  const [real, base] = await Promise.all([fs.promises.realpath(file), fs.promises.realpath(folder)]);
  const rel = path.relative(base, real);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new ModelFormatError(file, 'is a link that leads outside the model folder; only files inside the folder are read');
  }
}

/** Rebuilds a model from a parsed description and the weights file it names; `descFile` locates both. */
async function modelFrom(doc: JsonValue, descFile: string): Promise<Module> {
  const d = readModelDescription(doc, descFile);
  if (d.weights === undefined) throw new ModelFormatError(descFile, "the description has no 'weights' entry, so there are no weights to load");
  const weightsFile = path.join(path.dirname(descFile), d.weights.file);
  let actual: { bytes: number; sha256: string };
  try {
    await checkInsideFolder(weightsFile, path.dirname(descFile));
    const size = await regularFileSize(weightsFile, (problem) => new ModelFormatError(weightsFile, problem));
    if (size !== d.weights.bytes) {
      throw new ModelFormatError(weightsFile, `is ${size} bytes but the description says ${d.weights.bytes}: the files come from different saves (an interrupted save?)`);
    }
    actual = await sha256OfFile(weightsFile);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new ModelFormatError(descFile, `the weights file ${JSON.stringify(d.weights.file)} beside it is missing`);
    throw e;
  }
  if (actual.sha256 !== d.weights.sha256 || actual.bytes !== d.weights.bytes) {
    throw new ModelFormatError(weightsFile, 'contents do not match the SHA-256 in the description: the files come from different saves (an interrupted save?) or were changed');
  }
  // The weights bound what the description may allocate: no more parameter values than the file holds.
  const header = await readSafetensorsHeader(weightsFile);
  const held = header.tensors.reduce((n, t) => n + t.count, 0);
  const model = buildLayers(d.model, { source: descFile, maxParameters: held });
  const dict: StateDict = await loadWeights(weightsFile);
  try {
    model.loadStateDict(dict);
  } catch (e) {
    throw new ModelFormatError(weightsFile, `weights do not fit the described model: ${e instanceof Error ? e.message : String(e)}`);
  }
  return model.eval();
}

/**
 * Rebuilds a model saved with saveModel(): `target` is the folder, its
 * model.json, or a weights file with its `<stem>.json` beside it. The model
 * comes back in evaluation mode (call .train() to train it further).
 */
export async function loadModel(target: string): Promise<Module> {
  if (typeof target !== 'string' || target === '') throw new TypeError('loadModel: the path must be a non-empty string');
  const descFile = await descriptionPath(target);
  let doc: JsonValue;
  try {
    if (await isFolder(target)) await checkInsideFolder(descFile, target);
    doc = await readJsonFile(descFile, MAX_DESCRIPTION_BYTES);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new ModelFormatError(target, `no model description found (looked for ${descFile}); load plain weights with dd.load() or dd.loadWeights()`);
    }
    throw e;
  }
  return modelFrom(doc, descFile);
}

/**
 * Reads what `target` holds: a folder written by saveModel() gives the
 * rebuilt model; a safetensors file gives the rebuilt model when a dendrite
 * description of it sits beside it (`<stem>.json` naming this file), and
 * otherwise its state dict (name → Tensor), ready for model.loadStateDict().
 */
export async function load(target: string): Promise<Module | StateDict> {
  if (typeof target !== 'string' || target === '') throw new TypeError('load: the path must be a non-empty string');
  if (await isFolder(target)) return loadModel(target);
  if (path.extname(target) === '.json') return loadModel(target);
  const descFile = descriptionPathFor(target);
  let doc: JsonValue | undefined;
  try {
    doc = await readJsonFile(descFile, MAX_DESCRIPTION_BYTES);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  // A JSON file of another tool, or a description of another weights file, is not ours to read.
  const ours =
    doc !== undefined &&
    typeof doc === 'object' && doc !== null && !Array.isArray(doc) &&
    doc.format === 'dendrite.model' &&
    typeof doc.weights === 'object' && doc.weights !== null && !Array.isArray(doc.weights) &&
    doc.weights.file === path.basename(target);
  if (ours) return modelFrom(doc as JsonValue, descFile);
  return loadWeights(target);
}
