/**
 * The model description: a JSON document naming each layer's registered type
 * and constructor options, nested as the module tree is, so a model can be
 * rebuilt without the code that made it.
 *
 *   {
 *     "format": "dendrite.model", "version": 1, "producer": "dendrite 0.1.0",
 *     "model": { "type": "Sequential", "config": { "layers": [
 *       { "type": "Linear", "config": { "inFeatures": 784, "outFeatures": 10, "bias": true } }, ... ] } },
 *     "weights": { "file": "model.safetensors", "bytes": 31400, "sha256": "..." }
 *   }
 *
 * Reading is strict: the format name and version are checked first (so a
 * newer file says so instead of failing on a field this version does not
 * know), then every layer's type and options; unknown keys are errors.
 */
import type { AnyModule, Module } from '../nn/module';
import { getRngState, setRngState } from '../tensor/random';
import { ModelFormatError } from './errors';
import { rejectUnknownOptions } from '../options';
import { parseJsonStrict } from './json-file';
import { BuildContext, ConfigReader, isJsonObject } from './layers/config-reader';
import { codecForType, codecOf, LayerSpec, registeredLayerTypes } from './layers/registry';
import './layers/builtin';
import './layers/blocks';
import type { JsonObject, JsonValue } from './safetensors/strict-json';

export const MODEL_FORMAT = 'dendrite.model';
/** The description version this code writes and reads. */
export const MODEL_FORMAT_VERSION = 1;
/** Parameter elements a description may ask for when no weights file bounds it (2^28 floats, 1 GiB). */
export const DEFAULT_MAX_PARAMETERS = 2 ** 28;

/** Where the weights of a saved model are, and how to tell they belong to this description. */
export interface WeightsReference {
  /** File name in the description's folder (no folders in it). */
  file: string;
  /** Its size in bytes. */
  bytes: number;
  /** Lower-case hex SHA-256 of its contents. */
  sha256: string;
}

export interface ModelDescription {
  format: typeof MODEL_FORMAT;
  version: number;
  producer?: string;
  model: LayerSpec;
  weights?: WeightsReference;
}

/** The description of `model`'s layer tree; throws naming the first layer that has no registered codec. */
export function describeLayers(model: AnyModule): LayerSpec {
  const seen = new Set<Module>();
  const describe = (layer: Module, where: string): LayerSpec => {
    const codec = codecOf(layer);
    if (codec === undefined) {
      throw new TypeError(
        `describeModel: ${where} is a ${layer?.constructor?.name ?? typeof layer}, which has no registered description ` +
          '(register one with dd.io.registerLayer({ type, layerClass, toConfig, fromConfig }))',
      );
    }
    if (seen.has(layer)) throw new TypeError(`describeModel: ${where} appears twice in the tree; shared layers cannot be described`);
    seen.add(layer);
    let index = 0;
    const config = codec.toConfig(layer, (child) => describe(child, `${where}.${index++}`));
    return { type: codec.type, config };
  };
  // A model with several outputs is described like any other (its codec knows its class).
  return describe(model as Module, 'model');
}

/** The whole description document for `model` (without a weights reference). */
export function describeModel(model: AnyModule, producer?: string): ModelDescription {
  const out: ModelDescription = { format: MODEL_FORMAT, version: MODEL_FORMAT_VERSION, model: describeLayers(model) };
  if (producer !== undefined) out.producer = producer;
  return out;
}

function buildLayer(spec: JsonValue, where: string, context: BuildContext): Module {
  if (!isJsonObject(spec)) throw new ModelFormatError(context.source, `${where}: a layer must be an object {type, config}`);
  for (const key of Object.keys(spec)) {
    if (key !== 'type' && key !== 'config') throw new ModelFormatError(context.source, `${where}: unknown field ${JSON.stringify(key)}`);
  }
  const type = spec.type;
  if (typeof type !== 'string') throw new ModelFormatError(context.source, `${where}: 'type' must be a string`);
  const codec = codecForType(type);
  if (codec === undefined) {
    throw new ModelFormatError(
      context.source,
      `${where}: unknown layer type ${JSON.stringify(type.slice(0, 80))} (known: ${registeredLayerTypes().join(', ')}; ` +
        'register custom layers with dd.io.registerLayer before loading)',
    );
  }
  const config = spec.config === undefined ? Object.create(null) : spec.config;
  if (!isJsonObject(config)) throw new ModelFormatError(context.source, `${where} (${type}): 'config' must be an object`);
  const reader = new ConfigReader(config, where, type, context);
  try {
    return codec.fromConfig(reader);
  } catch (e) {
    if (e instanceof ModelFormatError) throw e;
    // A constructor refused options the reader let through: still the file's fault.
    throw new ModelFormatError(context.source, `${reader.where}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

const BUILD_OPTIONS = ['source', 'maxParameters'];

export interface BuildOptions {
  /** Name used in error messages. */
  source?: string;
  /** Most parameter elements the layers may hold (default DEFAULT_MAX_PARAMETERS). */
  maxParameters?: number;
}

/**
 * Builds the layer tree a (parsed, untrusted) layer spec describes. The
 * global random stream is left where it was: constructing layers draws
 * initial weights from it, which would otherwise shift later dropout masks.
 */
export function buildLayers(spec: JsonValue, options: BuildOptions = {}): Module {
  rejectUnknownOptions(options, BUILD_OPTIONS, 'buildLayers');
  const source = options.source ?? '<model description>';
  const context: BuildContext = {
    source,
    budget: options.maxParameters ?? DEFAULT_MAX_PARAMETERS,
    build: (child, where) => buildLayer(child, where, context),
  };
  const rng = getRngState();
  try {
    return buildLayer(spec, 'model', context);
  } finally {
    setRngState(rng);
  }
}

function readWeightsReference(value: JsonValue, source: string): WeightsReference {
  if (!isJsonObject(value)) throw new ModelFormatError(source, "'weights' must be an object {file, bytes, sha256}");
  for (const key of Object.keys(value)) {
    if (key !== 'file' && key !== 'bytes' && key !== 'sha256') throw new ModelFormatError(source, `weights: unknown field ${JSON.stringify(key)}`);
  }
  const { file, bytes, sha256 } = value;
  if (typeof file !== 'string' || file === '' || file === '.' || file === '..' || /[/\\\0]/.test(file) || file.length > 255) {
    throw new ModelFormatError(source, `weights.file must be a plain file name in the description's folder, got ${JSON.stringify(file)}`);
  }
  if (typeof bytes !== 'number' || !Number.isSafeInteger(bytes) || bytes < 8) {
    throw new ModelFormatError(source, `weights.bytes must be a file size in bytes, got ${JSON.stringify(bytes)}`);
  }
  if (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256)) {
    throw new ModelFormatError(source, `weights.sha256 must be 64 lower-case hex digits, got ${JSON.stringify(sha256)}`);
  }
  return { file, bytes, sha256 };
}

/** Validates a parsed description document; the layer tree is checked when it is built (buildLayers). */
export function readModelDescription(doc: JsonValue, source: string): { model: JsonValue; producer?: string; weights?: WeightsReference } {
  if (!isJsonObject(doc)) throw new ModelFormatError(source, 'a model description must be a JSON object');
  if (doc.format !== MODEL_FORMAT) {
    throw new ModelFormatError(source, `not a dendrite model description ('format' is ${JSON.stringify(doc.format)}, expected ${JSON.stringify(MODEL_FORMAT)})`);
  }
  const version = doc.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new ModelFormatError(source, `'version' must be a positive integer, got ${JSON.stringify(version)}`);
  }
  if (version !== MODEL_FORMAT_VERSION) {
    throw new ModelFormatError(
      source,
      `description version ${version} is not supported: this dendrite reads version ${MODEL_FORMAT_VERSION}` +
        (version > MODEL_FORMAT_VERSION ? ' (the file was written by a newer dendrite)' : ''),
    );
  }
  const allowed = new Set(['format', 'version', 'producer', 'model', 'weights']);
  for (const key of Object.keys(doc)) if (!allowed.has(key)) throw new ModelFormatError(source, `unknown field ${JSON.stringify(key)}`);
  if (doc.producer !== undefined && typeof doc.producer !== 'string') throw new ModelFormatError(source, "'producer' must be a string");
  if (doc.model === undefined) throw new ModelFormatError(source, "'model' is missing");
  const out: { model: JsonValue; producer?: string; weights?: WeightsReference } = { model: doc.model };
  if (doc.producer !== undefined) out.producer = doc.producer as string;
  if (doc.weights !== undefined) out.weights = readWeightsReference(doc.weights, source);
  return out;
}

/** Rebuilds the layers of a description document (an object, or its JSON text), without weights. */
export function modelFromDescription(description: ModelDescription | JsonObject | string, options: BuildOptions = {}): Module {
  rejectUnknownOptions(options, BUILD_OPTIONS, 'modelFromDescription');
  const source = options.source ?? '<model description>';
  let doc: JsonValue;
  if (typeof description === 'string') {
    doc = parseJsonStrict(description, source);
  } else {
    doc = JSON.parse(JSON.stringify(description)) as JsonValue;
  }
  return buildLayers(readModelDescription(doc, source).model, { ...options, source });
}
