/**
 * Training checkpoints: one safetensors file, written atomically (temporary
 * file in the same folder, fsync, rename), so a crash mid-save leaves the
 * previous checkpoint whole. It holds
 *   model.<name>             the model's state dict (PyTorch names, F32)
 *   optimizer.<i>.<buffer>   the optimizer's moment buffers (see optimizer-state.ts)
 * and, in the header's metadata, {"format": "dendrite.checkpoint", "version": "1",
 * "checkpoint": JSON} where the JSON holds the epoch, the caller's extra data,
 * the optimizer's steps and hyper-parameters, the scheduler's state, the
 * global random stream's position (so dropout masks continue as they would
 * have) and the model's description when it has one (so the model can be
 * rebuilt without code). Everything read is checked before anything is
 * changed: a checkpoint that does not fit leaves model and optimizer as they were.
 */
import type { AnyModule, Module, StateDict } from '../nn/module';
import type { Optimizer } from '../optim/optimizer';
import { getRngState, setRngState } from '../tensor/random';
import type { AtomicWriteOptions } from './atomic-write';
import { checkAtomicWriteOptions } from './write-options';
import { rejectUnknownOptions } from '../options';
import { ModelFormatError } from './errors';
import { fromJsonData, PlainData, toJsonData } from './json-data';
import { parseJsonStrict } from './json-file';
import { buildLayers, describeLayers } from './model-description';
import { encodeOptimizer, readOptimizerState, readSchedulerState, SchedulerLike, encodeScheduler, OPTIMIZER_TENSOR_PREFIX } from './optimizer-state';
import { readSafetensors, writeSafetensors } from './safetensors/file';
import type { LoadedTensor } from './safetensors/decode';
import type { TensorToWrite } from './safetensors/encode';
import type { JsonObject, JsonValue } from './safetensors/strict-json';
import { snapshotStateDict, tensorFromLoaded, tensorsToWrite } from './weights';

export const CHECKPOINT_FORMAT = 'dendrite.checkpoint';
export const CHECKPOINT_VERSION = 1;
const MODEL_PREFIX = 'model.';

export interface CheckpointContents {
  model: AnyModule;
  optimizer?: Optimizer;
  scheduler?: SchedulerLike;
  /** The epoch (or any count) the caller is at. */
  epoch?: number;
  /** The caller's own plain data (numbers, strings, booleans, null, arrays, plain objects). */
  extra?: unknown;
}

export interface LoadCheckpointTargets {
  /** The model to load the weights into; without it the model is rebuilt from the description in the checkpoint. */
  model?: Module;
  /** Receives the saved optimizer state (the checkpoint must hold one of the same class). */
  optimizer?: Optimizer;
  /** Receives the saved scheduler state. */
  scheduler?: SchedulerLike;
  /** Put the global random stream back where it was at the save (default true), so dropout continues identically. */
  restoreRng?: boolean;
}

export interface LoadedCheckpoint {
  model: Module;
  optimizer?: Optimizer;
  scheduler?: SchedulerLike;
  epoch?: number;
  extra?: PlainData;
}

/** Writes a checkpoint atomically (see the module comment). `options` are the atomic writer's. */
export async function saveCheckpoint(file: string, contents: CheckpointContents, options?: AtomicWriteOptions): Promise<void> {
  if (typeof contents !== 'object' || contents === null) throw new TypeError('saveCheckpoint: the second argument must be { model, optimizer, epoch, extra }');
  rejectUnknownOptions(contents, ['model', 'optimizer', 'scheduler', 'epoch', 'extra'], 'saveCheckpoint (contents)');
  checkAtomicWriteOptions(options, 'saveCheckpoint');
  const { model, optimizer, scheduler, epoch, extra } = contents;
  const dict: StateDict = snapshotStateDict(model, 'saveCheckpoint');
  if (epoch !== undefined && !Number.isSafeInteger(epoch)) throw new TypeError(`saveCheckpoint: epoch must be an integer, got ${String(epoch)}`);
  let description: JsonValue = null;
  try {
    description = describeLayers(model) as unknown as JsonValue;
  } catch {
    // A model with custom, unregistered layers still checkpoints; it just has to be passed in when loading.
  }
  const tensors: Record<string, TensorToWrite> = tensorsToWrite(dict, MODEL_PREFIX);
  let optimizerJson: JsonValue = null;
  if (optimizer !== undefined) {
    const encoded = encodeOptimizer(optimizer);
    optimizerJson = encoded.json;
    Object.assign(tensors, encoded.tensors);
  }
  const body: JsonObject = {
    epoch: epoch ?? null,
    rng: getRngState() as unknown as JsonObject,
    model: description,
    optimizer: optimizerJson,
    scheduler: scheduler === undefined ? null : encodeScheduler(scheduler),
  };
  if (extra !== undefined) body.extra = toJsonData(extra, 'saveCheckpoint: extra');
  const metadata = { format: CHECKPOINT_FORMAT, version: String(CHECKPOINT_VERSION), checkpoint: JSON.stringify(body) };
  await writeSafetensors(file, tensors, metadata, options);
}

interface CheckpointBody {
  epoch: number | null;
  extra?: JsonValue;
  rng: { seed: number; offset: number };
  model: JsonValue;
  optimizer: JsonValue;
  scheduler: JsonValue;
}

function readBody(metadata: Record<string, string>, source: string): CheckpointBody {
  const fail = (problem: string): never => {
    throw new ModelFormatError(source, problem);
  };
  if (metadata.format !== CHECKPOINT_FORMAT) {
    fail(`not a dendrite checkpoint (metadata 'format' is ${JSON.stringify(metadata.format ?? null)}); plain weights load with dd.load()`);
  }
  const version = Number(metadata.version);
  if (!/^[1-9][0-9]{0,8}$/.test(metadata.version ?? '')) fail(`metadata 'version' must be a positive integer, got ${JSON.stringify(metadata.version ?? null)}`);
  if (version !== CHECKPOINT_VERSION) {
    fail(`checkpoint version ${version} is not supported: this dendrite reads version ${CHECKPOINT_VERSION}${version > CHECKPOINT_VERSION ? ' (written by a newer dendrite)' : ''}`);
  }
  if (typeof metadata.checkpoint !== 'string') fail("metadata 'checkpoint' is missing");
  const doc = parseJsonStrict(metadata.checkpoint, `${source} (checkpoint metadata)`);
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) fail('the checkpoint metadata must be a JSON object');
  const o = doc as JsonObject;
  const required = ['epoch', 'rng', 'model', 'optimizer', 'scheduler'];
  for (const key of Object.keys(o)) if (!required.includes(key) && key !== 'extra') fail(`unknown checkpoint field ${JSON.stringify(key)}`);
  for (const key of required) if (!(key in o)) fail(`checkpoint field ${JSON.stringify(key)} is missing`);
  if (o.epoch !== null && (typeof o.epoch !== 'number' || !Number.isSafeInteger(o.epoch))) fail(`'epoch' must be an integer or null, got ${JSON.stringify(o.epoch)}`);
  const rng = o.rng;
  if (
    typeof rng !== 'object' || rng === null || Array.isArray(rng) || Object.keys(rng).length !== 2 ||
    !Number.isSafeInteger(rng.seed) || (rng.seed as number) < 0 || !Number.isSafeInteger(rng.offset) || (rng.offset as number) < 0
  ) {
    fail("'rng' must be {seed, offset} with non-negative integers");
  }
  return o as unknown as CheckpointBody;
}

/** Checks that `dict` fits `model` exactly (names, shapes, dtypes) without changing it. */
function checkFits(model: Module, dict: StateDict, source: string): void {
  const own = new Map([...model.namedParameters(), ...model.namedBuffers()]);
  const problems: string[] = [];
  for (const [name, t] of own) {
    const got = dict[name];
    if (got === undefined) problems.push(`${name} is missing`);
    else if (got.dtype !== t.dtype || got.shape.length !== t.shape.length || got.shape.some((d, i) => d !== t.shape[i])) {
      problems.push(`${name} is ${got.dtype} [${got.shape.join(', ')}] in the checkpoint, ${t.dtype} [${t.shape.join(', ')}] in the model`);
    }
  }
  for (const name of Object.keys(dict)) if (!own.has(name)) problems.push(`${name} is not in the model`);
  if (problems.length > 0) {
    const shown = problems.slice(0, 8).join('; ') + (problems.length > 8 ? `; and ${problems.length - 8} more` : '');
    throw new ModelFormatError(source, `the model weights do not fit the model: ${shown}`);
  }
}

/**
 * Reads a checkpoint written by saveCheckpoint() and restores it into the
 * given objects (or a model rebuilt from its description). Returns the
 * model, optimizer, scheduler, epoch and extra data.
 */
export async function loadCheckpoint(file: string, targets: LoadCheckpointTargets = {}): Promise<LoadedCheckpoint> {
  if (typeof targets !== 'object' || targets === null) throw new TypeError('loadCheckpoint: the second argument must be { model, optimizer, scheduler }');
  rejectUnknownOptions(targets, ['model', 'optimizer', 'scheduler', 'restoreRng'], 'loadCheckpoint');
  const contents = await readSafetensors(file);
  const body = readBody(contents.metadata, file);
  const weights: StateDict = {};
  const optimizerTensors: Record<string, LoadedTensor> = Object.create(null);
  let heldByModel = 0;
  for (const [name, t] of Object.entries(contents.tensors)) {
    if (name.startsWith(MODEL_PREFIX)) {
      weights[name.slice(MODEL_PREFIX.length)] = tensorFromLoaded(t);
      heldByModel += t.data.length;
    } else if (name.startsWith(OPTIMIZER_TENSOR_PREFIX)) {
      optimizerTensors[name] = t;
    } else {
      throw new ModelFormatError(file, `tensor ${JSON.stringify(name.slice(0, 80))} belongs to neither the model nor the optimizer`);
    }
  }

  // Check everything before changing anything.
  let model = targets.model;
  if (model === undefined) {
    if (body.model === null) throw new ModelFormatError(file, 'the checkpoint has no model description (its model had unregistered layers): pass { model }');
    model = buildLayers(body.model, { source: `${file} (model description)`, maxParameters: heldByModel });
  }
  checkFits(model, weights, file);
  let optimizerState;
  if (targets.optimizer !== undefined) {
    if (body.optimizer === null) throw new ModelFormatError(file, 'the checkpoint holds no optimizer state');
    optimizerState = readOptimizerState(targets.optimizer, body.optimizer, optimizerTensors, file);
  } else if (body.optimizer === null && Object.keys(optimizerTensors).length > 0) {
    throw new ModelFormatError(file, 'optimizer tensors without optimizer state');
  }
  let schedulerState: PlainData | undefined;
  if (targets.scheduler !== undefined) {
    if (body.scheduler === null) throw new ModelFormatError(file, 'the checkpoint holds no scheduler state');
    schedulerState = readSchedulerState(targets.scheduler, body.scheduler, file);
  }

  // Scheduler first: its own checks may still refuse, and then nothing else has changed.
  if (targets.scheduler !== undefined) {
    try {
      targets.scheduler.loadStateDict(schedulerState as never);
    } catch (e) {
      throw new ModelFormatError(file, `scheduler: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  model.loadStateDict(weights);
  if (targets.optimizer !== undefined) targets.optimizer.loadStateDict(optimizerState!);
  if (targets.restoreRng ?? true) setRngState(body.rng);

  const out: LoadedCheckpoint = { model };
  if (targets.optimizer !== undefined) out.optimizer = targets.optimizer;
  if (targets.scheduler !== undefined) out.scheduler = targets.scheduler;
  if (body.epoch !== null) out.epoch = body.epoch;
  if (body.extra !== undefined) out.extra = fromJsonData(body.extra);
  return out;
}
