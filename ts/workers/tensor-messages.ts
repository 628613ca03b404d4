/**
 * Tensors across threads. A Tensor is a class instance with its memory in a
 * typed array; postMessage's structured clone keeps the typed array but drops
 * the class, so what arrives is a plain object. `TensorMessage` is the plain
 * form dendrite sends on purpose ({ shape, dtype, data }), `revive` turns
 * either form back into Tensors (without copying the memory), and
 * `transferList` lists the buffers a message can move instead of copying.
 */
import { types } from 'util';
import { memoryCache } from '../memory/instance';
import { asTensor } from '../tensor/create';
import type { DType } from '../tensor/dtype';
import { numel } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import type { StateDict } from '../nn/module';

/** A tensor as plain data, ready for postMessage. */
export interface TensorMessage {
  shape: number[];
  dtype: DType;
  data: Float32Array | Int32Array;
}

/** A state dict as plain data, in the dict's order. */
export type StateDictMessage = Record<string, TensorMessage>;

/** The plain form of `t`; with copy (the default) its own fresh memory, so the message can be transferred. */
export function tensorToMessage(t: Tensor, copy = true): TensorMessage {
  const typed = t._typed() as Float32Array | Int32Array;
  // Without a copy the message hands out the tensor's own memory: never recycle it.
  if (!copy) memoryCache.expose(typed);
  return { shape: [...t.shape], dtype: t.dtype, data: copy ? typed.slice() : typed };
}

export function stateDictToMessage(dict: StateDict): StateDictMessage {
  const out: StateDictMessage = {};
  for (const [name, t] of Object.entries(dict)) out[name] = tensorToMessage(t, false);
  return out;
}

/**
 * `v` as a Float32Array or Int32Array of this realm (a view of the same
 * memory), or null. Messages are deserialized in the receiving thread's main
 * context, so in another context of that thread (a vm context, a test
 * runner's sandbox) their arrays fail `instanceof`; util.types does not.
 */
export function localTypedArray(v: unknown): Float32Array | Int32Array | null {
  if (v instanceof Float32Array || v instanceof Int32Array) return v;
  if (types.isFloat32Array(v)) return new Float32Array(v.buffer, v.byteOffset, v.length);
  if (types.isInt32Array(v)) return new Int32Array(v.buffer, v.byteOffset, v.length);
  return null;
}

/** The typed array of a TensorMessage or of a structured-cloned Tensor, or null. */
function clonedData(v: Record<string, unknown>): Float32Array | Int32Array | null {
  const own = localTypedArray(v.data);
  if (own !== null) return own;
  const storage = v._storage as Record<string, unknown> | undefined;
  return storage !== null && typeof storage === 'object' ? localTypedArray(storage.data) : null;
}

/** Whether `v` is a tensor that went through structured clone, or a TensorMessage. */
export function isTensorMessage(v: unknown): v is TensorMessage {
  if (v === null || typeof v !== 'object' || v instanceof Tensor) return false;
  const o = v as Record<string, unknown>;
  return Array.isArray(o.shape) && o.shape.every((d) => Number.isInteger(d) && d >= 0) && clonedData(o) !== null;
}

/** A Tensor on the memory of a message (no copy); RangeError when the sizes disagree. */
export function tensorFromMessage(m: TensorMessage, where = 'revive'): Tensor {
  const data = clonedData(m as unknown as Record<string, unknown>);
  if (data === null) throw new TypeError(`${where}: not a tensor message (needs shape and a Float32Array or Int32Array)`);
  const n = numel(m.shape);
  if (data.length < n) throw new RangeError(`${where}: shape [${m.shape.join(', ')}] needs ${n} values, the message holds ${data.length}`);
  return asTensor(data.length === n ? data : data.subarray(0, n), m.shape);
}

/**
 * Turns tensors that crossed a thread (structured-cloned Tensors or
 * TensorMessages) back into Tensors, anywhere inside plain objects and arrays;
 * everything else is returned as it is. The memory is reused, not copied.
 *   worker.on('message', (m) => model.loadStateDict(dd.revive(m)));
 */
export function revive<T = unknown>(value: unknown): T {
  return reviveValue(value, 0) as T;
}

function reviveValue(value: unknown, depth: number): unknown {
  if (depth > 64 || value === null || typeof value !== 'object' || value instanceof Tensor || ArrayBuffer.isView(value)) return value;
  if (isTensorMessage(value)) return tensorFromMessage(value);
  if (Array.isArray(value)) return value.map((v) => reviveValue(v, depth + 1));
  // Plain objects only (of any realm: a message arrives in the thread's main context); class instances are left alone.
  const proto = Object.getPrototypeOf(value);
  if (proto !== null && Object.getPrototypeOf(proto) !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = reviveValue(v, depth + 1);
  return out;
}

/**
 * The ArrayBuffers behind every tensor (and typed array) inside `value`, for
 * postMessage's transfer list: they move to the other thread instead of being
 * copied, and are unusable here afterwards, so pass only tensors you own
 * (stateDict() returns copies). Shared memory is left out: it is shared anyway.
 *   port.postMessage(dict, dd.transferList(dict));
 */
export function transferList(value: unknown): ArrayBuffer[] {
  const found = new Set<ArrayBuffer>();
  collectBuffers(value, found, 0);
  return [...found];
}

function collectBuffers(value: unknown, found: Set<ArrayBuffer>, depth: number): void {
  if (depth > 64 || value === null || typeof value !== 'object') return;
  if (value instanceof Tensor) {
    collectBuffers(value._typed(), found, depth);
    return;
  }
  if (ArrayBuffer.isView(value)) {
    if (types.isArrayBuffer(value.buffer) && value.buffer.byteLength > 0) found.add(value.buffer as ArrayBuffer);
    return;
  }
  const items = Array.isArray(value) ? value : Object.values(value);
  for (const v of items) collectBuffers(v, found, depth + 1);
}

/**
 * A copy of `t` (a tensor, or `{ data, shape }` such as a data set's `x`) in a
 * SharedArrayBuffer: worker threads read it without a copy of their own
 * (training data used by a worker job, say). A tensor already in shared
 * memory is returned as it is.
 */
export function share(t: Tensor | { data: Float32Array | Int32Array; shape: readonly number[] }): Tensor {
  const tensor = t instanceof Tensor ? t : isTensorMessage(t) ? tensorFromMessage(t, 'share') : null;
  if (tensor === null) throw new TypeError('share: expected a Tensor or { data: Float32Array | Int32Array, shape }');
  const src = tensor._typed() as Float32Array | Int32Array;
  if (types.isSharedArrayBuffer(src.buffer)) return tensor;
  const shared = new SharedArrayBuffer(src.byteLength);
  const copy = tensor.dtype === 'int32' ? new Int32Array(shared) : new Float32Array(shared);
  copy.set(src);
  return asTensor(copy, tensor.shape);
}

/**
 * Named tensors (a state dict's entries, or a module's live parameters) as a
 * message whose tensors live in shared memory: every receiving thread reads
 * the same memory. Tensors already there are passed on as they are; others
 * are copied once.
 */
export function sharedStateDictMessage(entries: Iterable<[string, Tensor | TensorMessage]>, where = 'sharedStateDictMessage'): StateDictMessage {
  const out: StateDictMessage = {};
  for (const [name, t] of entries) {
    if (!(t instanceof Tensor) && !isTensorMessage(t)) throw new TypeError(`${where}: entry ${JSON.stringify(name)} is not a tensor`);
    out[name] = tensorToMessage(share(t), false);
  }
  return out;
}
