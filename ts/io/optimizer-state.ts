/**
 * Optimizer and scheduler state in a checkpoint. Moment buffers become
 * tensors of the file ("optimizer.<index>.<name>", F32, 1-D) and everything
 * else (step counts, hyper-parameters of each group) JSON, where the buffers
 * appear as {"$tensor": name}. Loading checks the whole state against the
 * optimizer it goes into before changing anything: the class, the groups and
 * their sizes, each hyper-parameter's kind, each buffer's length, and that
 * every buffer the optimizer keeps from its first step is there.
 */
import type { Optimizer, OptimizerState, ParamState } from '../optim/optimizer';
import type { Tensor } from '../tensor/tensor';
import { ModelFormatError } from './errors';
import { fromJsonData, PlainData, toJsonData } from './json-data';
import type { LoadedTensor } from './safetensors/decode';
import type { TensorToWrite } from './safetensors/encode';
import type { JsonObject, JsonValue } from './safetensors/strict-json';

export const OPTIMIZER_TENSOR_PREFIX = 'optimizer.';
const STATE_KEY = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** What a scheduler offers to a checkpoint (every dd.optim scheduler has both). */
export interface SchedulerLike {
  stateDict(): object;
  loadStateDict(state: never): void;
}

function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The JSON part and the tensors of an optimizer's state. */
export function encodeOptimizer(optimizer: Optimizer): { json: JsonValue; tensors: Record<string, TensorToWrite> } {
  const dict: OptimizerState = optimizer.stateDict();
  const tensors: Record<string, TensorToWrite> = {};
  const state: JsonObject = {};
  for (const [index, st] of Object.entries(dict.state)) {
    const entry: JsonObject = {};
    for (const [key, v] of Object.entries(st)) {
      if (!STATE_KEY.test(key)) throw new TypeError(`saveCheckpoint: optimizer state key ${JSON.stringify(key)} is not a plain name`);
      if (typeof v === 'number') {
        entry[key] = toJsonData(v, `optimizer state ${index}.${key}`);
      } else if (v instanceof Float32Array) {
        const name = `${OPTIMIZER_TENSOR_PREFIX}${index}.${key}`;
        tensors[name] = { shape: [v.length], data: v };
        entry[key] = { $tensor: name };
      } else {
        throw new TypeError(`saveCheckpoint: optimizer state ${index}.${key} is neither a number nor a Float32Array`);
      }
    }
    state[index] = entry;
  }
  const paramGroups = dict.paramGroups.map((g, i) => toJsonData(g, `optimizer.paramGroups[${i}]`));
  return { json: { type: optimizer.constructor.name, paramGroups, state }, tensors };
}

type Kind = 'number' | 'boolean' | 'string' | 'null' | 'numbers' | 'other';

const KIND_TEXT: Record<Kind, string> = {
  number: 'a number', boolean: 'a boolean', string: 'a string', null: 'null', numbers: 'a list of numbers', other: 'neither a number, boolean, string nor list of numbers',
};

function kindOf(v: unknown): Kind {
  if (v === null) return 'null';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'string') return 'string';
  if (Array.isArray(v) && v.every((x) => typeof x === 'number')) return 'numbers';
  return 'other';
}

/** Hyper-parameters a saved group may carry that a fresh optimizer's group may lack. */
const OPTIONAL_HYPER = new Set(['initialLr']);

/**
 * Checks the optimizer part of a checkpoint against `optimizer`; returns the
 * state dict to load, or throws a ModelFormatError. Changes nothing.
 */
export function readOptimizerState(
  optimizer: Optimizer,
  json: JsonValue,
  tensors: Record<string, LoadedTensor>,
  source: string,
): OptimizerState {
  const fail = (problem: string): never => {
    throw new ModelFormatError(source, `optimizer: ${problem}`);
  };
  if (!isObject(json)) fail('must be an object');
  const o = json as JsonObject;
  for (const key of Object.keys(o)) if (key !== 'type' && key !== 'paramGroups' && key !== 'state') fail(`unknown field ${JSON.stringify(key)}`);
  const name = optimizer.constructor.name;
  if (o.type !== name) fail(`the checkpoint holds the state of ${JSON.stringify(o.type)}, not of the ${name} given`);
  const groups = o.paramGroups;
  if (!Array.isArray(groups) || groups.length !== optimizer.paramGroups.length) {
    fail(`the checkpoint has ${Array.isArray(groups) ? groups.length : 'no'} parameter groups, the optimizer ${optimizer.paramGroups.length}`);
  }
  const byIndex: Tensor[] = [];
  const paramGroups: OptimizerState['paramGroups'] = [];
  (groups as JsonValue[]).forEach((saved, gi) => {
    if (!isObject(saved)) fail(`paramGroups[${gi}] must be an object`);
    const group = optimizer.paramGroups[gi] as unknown as Record<string, unknown> & { params: Tensor[] };
    const params = (saved as JsonObject).params;
    if (!Array.isArray(params) || params.length !== group.params.length) {
      fail(`paramGroups[${gi}] has ${Array.isArray(params) ? params.length : 'no'} parameters, the optimizer's group ${group.params.length}`);
    }
    const indices = (params as JsonValue[]).map((p, j) => {
      if (typeof p !== 'number' || !Number.isInteger(p) || p < 0 || p >= 2 ** 31) fail(`paramGroups[${gi}].params[${j}] must be a parameter index`);
      if (byIndex[p as number] !== undefined) fail(`parameter index ${p} appears twice`);
      byIndex[p as number] = group.params[j];
      return p as number;
    });
    const restored: Record<string, unknown> & { params: number[] } = { params: indices };
    for (const [key, raw] of Object.entries(saved as JsonObject)) {
      if (key === 'params') continue;
      const value = fromJsonData(raw);
      const kind = kindOf(value);
      const has = Object.prototype.hasOwnProperty.call(group, key) && group[key] !== undefined;
      if (key === 'regularizers' || (!has && !OPTIONAL_HYPER.has(key))) fail(`paramGroups[${gi}] has a setting ${JSON.stringify(key)} that ${name} does not have`);
      const want = has ? kindOf(group[key]) : 'number';
      if (kind !== want || kind === 'other') fail(`paramGroups[${gi}].${key} is ${KIND_TEXT[kind]}, the optimizer's is ${KIND_TEXT[want]}`);
      if (kind === 'numbers' && (value as number[]).length !== (group[key] as number[]).length) {
        fail(`paramGroups[${gi}].${key} has ${(value as number[]).length} values, the optimizer's ${(group[key] as number[]).length}`);
      }
      restored[key] = value;
    }
    // The optimizer's own checks of its hyper-parameters (lr >= 0, betas in [0, 1), ...) on the group as it would be.
    const check = (optimizer as unknown as { checkHyper?: (h: unknown, where: string) => void }).checkHyper;
    if (typeof check === 'function') {
      try {
        check.call(optimizer, { ...group, ...restored }, `paramGroups[${gi}]`);
      } catch (e) {
        fail(e instanceof Error ? e.message : String(e));
      }
    }
    paramGroups.push(restored);
  });
  const count = optimizer.paramGroups.reduce((n, g) => n + g.params.length, 0);
  for (let i = 0; i < count; i++) if (byIndex[i] === undefined) fail(`parameter indices must be 0..${count - 1}; ${i} is missing`);

  const stateJson = o.state;
  if (!isObject(stateJson)) fail("'state' must be an object");
  const used = new Set<string>();
  const state: Record<number, ParamState> = {};
  const fresh = (optimizer as unknown as { initState?: (p: Float32Array, g: unknown) => ParamState }).initState;
  for (const [key, entry] of Object.entries(stateJson as JsonObject)) {
    if (!/^(0|[1-9][0-9]{0,9})$/.test(key) || byIndex[Number(key)] === undefined) fail(`state for ${JSON.stringify(key)}, which is not a parameter index`);
    if (!isObject(entry)) fail(`state.${key} must be an object`);
    const param = byIndex[Number(key)];
    const st: ParamState = {};
    for (const [k, v] of Object.entries(entry as JsonObject)) {
      if (!STATE_KEY.test(k)) fail(`state.${key} has a bad name ${JSON.stringify(k.slice(0, 40))}`);
      if (isObject(v) && Object.keys(v).length === 1 && typeof v.$tensor === 'string') {
        const tname = v.$tensor;
        const t = Object.prototype.hasOwnProperty.call(tensors, tname) ? tensors[tname] : undefined;
        if (!tname.startsWith(OPTIMIZER_TENSOR_PREFIX) || t === undefined) fail(`state.${key}.${k} refers to a tensor ${JSON.stringify(tname.slice(0, 80))} the file does not hold`);
        if (used.has(tname)) fail(`tensor ${tname} is used twice`);
        used.add(tname);
        if (t!.fileDtype !== 'F32' || t!.shape.length !== 1 || t!.shape[0] !== param.numel) {
          fail(`tensor ${tname} is ${t!.fileDtype} [${t!.shape.join(', ')}], expected F32 [${param.numel}] for its parameter`);
        }
        st[k] = t!.data as Float32Array;
      } else {
        const n = fromJsonData(v);
        if (typeof n !== 'number') fail(`state.${key}.${k} must be a number or a tensor reference`);
        st[k] = n as number;
      }
    }
    if (typeof fresh === 'function') {
      // What the optimizer creates on a parameter's first step must all be there, of the same kind.
      const groupOf = optimizer.paramGroups.find((g) => g.params.includes(param));
      let expected: ParamState = {};
      try {
        expected = fresh.call(optimizer, new Float32Array(0), groupOf);
      } catch {
        // An optimizer whose fresh state cannot be made this way is checked by its own loadStateDict only.
      }
      for (const [k, v] of Object.entries(expected)) {
        if (!(k in st)) fail(`state.${key} lacks ${JSON.stringify(k)}, which ${name} keeps for every parameter`);
        if (typeof v === 'number' ? typeof st[k] !== 'number' : !(st[k] instanceof Float32Array)) fail(`state.${key}.${k} has the wrong kind`);
      }
    }
    state[Number(key)] = st;
  }
  for (const tname of Object.keys(tensors)) {
    if (tname.startsWith(OPTIMIZER_TENSOR_PREFIX) && !used.has(tname)) fail(`tensor ${tname} belongs to no parameter's state`);
  }
  return { state, paramGroups };
}

function shapeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v}`;
}

/**
 * Where `saved` differs in structure from `own` (kinds, object fields, array
 * element kinds), or null when it has the same structure.
 */
function structuralMismatch(saved: unknown, own: unknown, where: string): string | null {
  if (shapeOf(saved) !== shapeOf(own)) return `${where} is ${shapeOf(saved)}, expected ${shapeOf(own)}`;
  if (Array.isArray(saved) && Array.isArray(own)) {
    if (own.length === 0) return saved.length === 0 ? null : `${where} should be empty`;
    for (let i = 0; i < saved.length; i++) {
      const m = structuralMismatch(saved[i], own[Math.min(i, own.length - 1)], `${where}[${i}]`);
      if (m !== null) return m;
    }
    return null;
  }
  if (typeof saved === 'object' && saved !== null) {
    const a = saved as Record<string, unknown>;
    const b = own as Record<string, unknown>;
    for (const key of Object.keys(b)) if (!(key in a)) return `${where} lacks ${JSON.stringify(key)}`;
    for (const key of Object.keys(a)) {
      if (!Object.prototype.hasOwnProperty.call(b, key)) return `${where} has an unknown field ${JSON.stringify(key.slice(0, 40))}`;
      const m = structuralMismatch(a[key], b[key], `${where}.${key}`);
      if (m !== null) return m;
    }
  }
  return null;
}

/** A scheduler's state as JSON. */
export function encodeScheduler(scheduler: SchedulerLike): JsonValue {
  return { type: scheduler.constructor.name, state: toJsonData(scheduler.stateDict(), 'scheduler state') };
}

/**
 * Checks the scheduler part of a checkpoint against `scheduler`: same class,
 * and a state with the same fields of the same kinds as the scheduler's own.
 */
export function readSchedulerState(scheduler: SchedulerLike, json: JsonValue, source: string): PlainData {
  const fail = (problem: string): never => {
    throw new ModelFormatError(source, `scheduler: ${problem}`);
  };
  if (!isObject(json)) fail('must be an object');
  const o = json as JsonObject;
  for (const key of Object.keys(o)) if (key !== 'type' && key !== 'state') fail(`unknown field ${JSON.stringify(key)}`);
  const name = scheduler.constructor.name;
  if (o.type !== name) fail(`the checkpoint holds the state of ${JSON.stringify(o.type)}, not of the ${name} given`);
  const saved = fromJsonData(o.state ?? null);
  const mismatch = structuralMismatch(saved, scheduler.stateDict() as PlainData, 'state');
  if (mismatch !== null) fail(`${mismatch} (the ${name} given keeps a different state)`);
  return saved;
}
