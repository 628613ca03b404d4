/**
 * An inference pool: worker threads that each hold the model, so `predict`
 * never computes on the caller's thread. Requests that arrive close together
 * are batched dynamically (as Triton's dynamic batcher does): the oldest
 * waiting request waits at most `maxDelayMs` for others of the same sample
 * shape, up to `maxBatchSize` samples, then the batch runs as one call and its
 * output is split back per request. New weights swap in between two batches,
 * so no request is dropped or fails across a swap. A worker that dies fails
 * only the requests it was running and is replaced.
 *
 *   const pool = await dd.createInferencePool('model-dir', { inputShape: [1, 28, 28] });
 *   const logits = await pool.predict(x);              // x: [n, 1, 28, 28]
 *   await pool.swapWeights(newerModel);                // e.g. after each training epoch
 *   await pool.close();
 */
import { types } from 'util';
import { Worker } from 'worker_threads';
import { describeLayers } from '../io/model-description';
import { loadModel } from '../io/model-files';
import { Module, StateDict } from '../nn/module';
import { asTensor } from '../tensor/create';
import { formatShape, numel } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { BatchQueue, QueuedRequest } from './batch-queue';
import type { HostToInferenceWorker, InferenceWorkerToHost, ModelMessage } from './inference-protocol';
import { checkSetupSpecifier } from './setup-module';
import { rejectUnknownOptions } from '../options';
import { localTypedArray, sharedStateDictMessage } from './tensor-messages';
import { errorFromMessage } from './worker-errors';
import { maxWorkerThreads, workerScript } from './worker-script';
import { backendInfo } from '../backend';

const WHERE = 'inferencePool';

export interface InferencePoolOptions {
  /** Worker threads, each with its own copy of the model (default 1). */
  workers?: number;
  /** Kernel threads in each worker (default 1). */
  threadsPerWorker?: number;
  /** Most samples in one batch (default 32); 1 turns dynamic batching off. */
  maxBatchSize?: number;
  /** How long the oldest waiting request may wait for others to fill its batch, in ms (default 1; 0 sends what is waiting at once). */
  maxDelayMs?: number;
  /** The shape of one sample, e.g. [1, 28, 28]: requests of another shape are rejected at once. */
  inputShape?: number[];
  /** Most requests waiting; beyond it predict() rejects at once (default 10000). */
  maxQueue?: number;
  /** A module each worker imports first (custom layers via dd.io.registerLayer); its configure({ model, options }) runs after the model loads. */
  setup?: string;
  /** Plain data for the setup module's configure(). */
  setupOptions?: unknown;
}

const KNOWN = ['workers', 'threadsPerWorker', 'maxBatchSize', 'maxDelayMs', 'inputShape', 'maxQueue', 'setup', 'setupOptions'];

export interface InferencePoolStats {
  /** Requests answered (successfully or not). */
  requests: number;
  /** Samples answered. */
  samples: number;
  /** Batches run. */
  batches: number;
  /** Mean samples per batch. */
  meanBatchSize: number;
  /** Largest batch run. */
  largestBatch: number;
  /** Requests waiting now. */
  queued: number;
  /** Weight swaps completed. */
  swaps: number;
  /** Workers replaced after they died. */
  restarts: number;
}

interface Request extends QueuedRequest {
  data: Float32Array;
  shape: number[];
  resolve: (t: Tensor) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  /** The batch (or swap) it is running, by message id. */
  busy: { id: number; batch: Request[] } | null;
  ready: boolean;
}

function positiveInteger(v: unknown, name: string, fallback: number, max = 1 << 20): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > max) throw new RangeError(`${WHERE}: ${name} must be an integer in [1, ${max}], got ${String(v)}`);
  return v;
}

function checkOptions(o: InferencePoolOptions): void {
  if (o === null || typeof o !== 'object') throw new TypeError(`${WHERE}: options must be an object`);
  rejectUnknownOptions(o, KNOWN, WHERE);
  if (o.maxDelayMs !== undefined && !(typeof o.maxDelayMs === 'number' && o.maxDelayMs >= 0 && o.maxDelayMs <= 10000)) {
    throw new RangeError(`${WHERE}: maxDelayMs must be a number in [0, 10000], got ${String(o.maxDelayMs)}`);
  }
  if (o.inputShape !== undefined && !(Array.isArray(o.inputShape) && o.inputShape.every((d) => Number.isInteger(d) && d > 0))) {
    throw new TypeError(`${WHERE}: inputShape must be an array of positive integers (one sample's shape), got ${String(o.inputShape)}`);
  }
  checkSetupSpecifier(o.setup, WHERE);
}

/** A model (or a saveModel folder, or a state dict for the pool's layers) as a message every worker reads from shared memory. */
async function modelMessage(source: Module | string, where: string): Promise<ModelMessage> {
  const model = typeof source === 'string' ? await loadModel(source) : source;
  if (!(model instanceof Module)) throw new TypeError(`${where}: expected a Module or a saveModel folder, got ${source === null ? 'null' : typeof source}`);
  let layers;
  try {
    layers = describeLayers(model);
  } catch (e) {
    throw new TypeError(`${where}: the model must be describable to cross threads (${e instanceof Error ? e.message : String(e)}); register custom layers with dd.io.registerLayer in a module passed as setup`);
  }
  // The live parameters and buffers, copied once into shared memory (stateDict() would copy them twice).
  return { layers, weights: sharedStateDictMessage([...model.namedParameters(), ...model.namedBuffers()], WHERE) };
}

/** Float32 samples of a request, copied (the caller keeps its memory), with the request's shape. */
function readInput(x: unknown): { data: Float32Array; shape: number[] } {
  if (x instanceof Tensor) {
    if (x.dtype !== 'float32') throw new TypeError(`${WHERE}.predict: x must be a float32 tensor, got ${x.dtype}`);
    return { data: (x._typed() as Float32Array).slice(), shape: [...x.shape] };
  }
  if (x !== null && typeof x === 'object' && 'data' in x && 'shape' in x) {
    const { data, shape } = x as { data: unknown; shape: unknown };
    if (!types.isFloat32Array(data)) throw new TypeError(`${WHERE}.predict: x.data must be a Float32Array, got ${data === null ? 'null' : (data as object)?.constructor?.name ?? typeof data}`);
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) throw new TypeError(`${WHERE}.predict: x.shape must be an array of non-negative integers`);
    if (numel(shape) !== data.length) throw new RangeError(`${WHERE}.predict: x.data has ${data.length} values, shape ${formatShape(shape)} needs ${numel(shape)}`);
    return { data: data.slice(), shape: [...shape] };
  }
  throw new TypeError(`${WHERE}.predict: x must be a float32 Tensor or { data: Float32Array, shape }, got ${x === null ? 'null' : typeof x}`);
}

export class InferencePool {
  private readonly slots: Slot[] = [];
  private readonly queue = new BatchQueue<Request>();
  /** Swaps in progress, with the workers yet to confirm each. */
  private readonly pending = new Map<number, { resolve: () => void; reject: (e: Error) => void; waiting: Set<Slot> }>();
  private nextId = 1;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private swapping: Promise<void> = Promise.resolve();
  private readonly counts = { requests: 0, samples: 0, batches: 0, largestBatch: 0, swaps: 0, restarts: 0 };
  private readonly maxBatchSize: number;
  private readonly maxDelayMs: number;
  private readonly maxQueue: number;
  private readonly inputShape: number[] | undefined;
  private readonly threadsPerWorker: number;

  /** @internal Made by createInferencePool(). */
  constructor(private model: ModelMessage, private readonly options: InferencePoolOptions) {
    this.maxBatchSize = positiveInteger(options.maxBatchSize, 'maxBatchSize', 32);
    this.maxDelayMs = options.maxDelayMs ?? 1;
    this.maxQueue = positiveInteger(options.maxQueue, 'maxQueue', 10000, 2 ** 30);
    this.inputShape = options.inputShape === undefined ? undefined : [...options.inputShape];
    this.threadsPerWorker = positiveInteger(options.threadsPerWorker, 'threadsPerWorker', 1, maxWorkerThreads(backendInfo().hardwareThreads));
  }

  /** @internal Starts the workers; resolves when every one has loaded the model. */
  async start(): Promise<void> {
    const count = positiveInteger(this.options.workers, 'workers', 1, 256);
    try {
      await Promise.all(Array.from({ length: count }, () => this.spawn()));
    } catch (e) {
      await this.close();
      throw e;
    }
  }

  /** The worker threads (one may be replaced after it dies). */
  get workers(): Worker[] {
    return this.slots.map((s) => s.worker);
  }

  private spawn(): Promise<void> {
    const worker = new Worker(workerScript('inference-worker'), {
      workerData: { model: this.model, threads: this.threadsPerWorker, setup: this.options.setup, setupOptions: this.options.setupOptions },
    });
    const slot: Slot = { worker, busy: null, ready: false };
    this.slots.push(slot);
    return new Promise<void>((resolve, reject) => {
      worker.on('message', (m: InferenceWorkerToHost) => {
        if (m.type === 'ready') {
          slot.ready = true;
          resolve();
          this.dispatch();
        } else if (m.type === 'error') {
          reject(errorFromMessage(m.error, 'an inference worker'));
          void worker.terminate();
        } else {
          this.finished(slot, m);
        }
      });
      worker.on('error', (e) => reject(e));
      worker.on('exit', (code) => {
        reject(new Error(`${WHERE}: a worker stopped (exit code ${code}) while loading the model`));
        this.died(slot, code);
      });
    });
  }

  /** A worker that stopped: its requests fail, and unless the pool is closing a new worker takes its place. */
  private died(slot: Slot, code: number): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return;
    this.slots.splice(i, 1);
    if (slot.busy !== null) {
      const err = new Error(`${WHERE}: the worker running this request stopped (exit code ${code})`);
      for (const r of slot.busy.batch) r.reject(err);
    }
    for (const id of [...this.pending.keys()]) this.swapDone(id, slot, null);
    if (!this.closed && slot.ready) {
      this.counts.restarts++;
      this.spawn().catch(() => undefined);
    }
  }

  private finished(slot: Slot, m: InferenceWorkerToHost): void {
    if (m.type === 'swapped') return this.swapDone(m.id, slot, null);
    if (m.type === 'failed' && this.pending.has(m.id)) return this.swapDone(m.id, slot, errorFromMessage(m.error, 'an inference worker'));
    const busy = slot.busy;
    if (busy === null || !('id' in m) || m.id !== busy.id) return;
    slot.busy = null;
    if (m.type === 'result') this.split(busy.batch, localTypedArray(m.data) as Float32Array, m.shape);
    else if (m.type === 'failed') {
      const err = errorFromMessage(m.error, 'an inference worker');
      for (const r of busy.batch) r.reject(err);
    }
    this.dispatch();
  }

  private split(batch: Request[], data: Float32Array, shape: number[]): void {
    const per = numel(shape.slice(1));
    let row = 0;
    for (const r of batch) {
      r.resolve(asTensor(data.subarray(row * per, (row + r.rows) * per), [r.rows, ...shape.slice(1)]));
      row += r.rows;
    }
  }

  /** One worker's answer to a swap (or its death, which counts as done: its replacement starts on the new model). */
  private swapDone(id: number, slot: Slot, err: Error | null): void {
    const p = this.pending.get(id);
    if (p === undefined) return;
    if (err !== null) {
      this.pending.delete(id);
      p.reject(err);
      return;
    }
    p.waiting.delete(slot);
    if (p.waiting.size === 0) {
      this.pending.delete(id);
      this.counts.swaps++;
      p.resolve();
    }
  }

  /**
   * The model's outputs for x (samples along the first dimension: [n, ...inputShape]),
   * computed on a worker, batched with other requests that arrive within maxDelayMs.
   */
  predict(x: Tensor | { data: Float32Array; shape: readonly number[] }): Promise<Tensor> {
    return new Promise<Tensor>((resolve, reject) => {
      if (this.closed) throw new Error(`${WHERE}.predict: the pool is closed`);
      const { data, shape } = readInput(x);
      if (shape.length === 0 || shape[0] === 0) throw new RangeError(`${WHERE}.predict: x needs at least one sample along its first dimension, got shape ${formatShape(shape)}`);
      const sample = shape.slice(1);
      if (this.inputShape !== undefined && sample.join(',') !== this.inputShape.join(',')) {
        throw new RangeError(`${WHERE}.predict: each sample must have shape ${formatShape(this.inputShape)}, got x of shape ${formatShape(shape)} (samples of ${formatShape(sample)})`);
      }
      if (this.queue.length >= this.maxQueue) throw new Error(`${WHERE}.predict: ${this.queue.length} requests are waiting (maxQueue); try again later`);
      this.queue.push({ data, shape, rows: shape[0], key: sample.join(','), arrived: performance.now(), resolve, reject });
      this.dispatch();
    });
  }

  /** Sends waiting requests to idle workers: a full batch at once, otherwise once the oldest has waited maxDelayMs. */
  private dispatch(): void {
    while (this.queue.length > 0) {
      const idle = this.slots.find((s) => s.ready && s.busy === null);
      if (idle === undefined) return;
      const age = this.queue.oldestAge(performance.now());
      if (this.queue.readyRows(this.maxBatchSize) < this.maxBatchSize && age < this.maxDelayMs) {
        if (this.timer === null) {
          this.timer = setTimeout(() => {
            this.timer = null;
            this.dispatch();
          }, Math.max(0, this.maxDelayMs - age));
        }
        return;
      }
      this.run(idle, this.queue.take(this.maxBatchSize));
    }
  }

  private run(slot: Slot, batch: Request[]): void {
    const rows = batch.reduce((n, r) => n + r.rows, 0);
    const shape = [rows, ...batch[0].shape.slice(1)];
    let data: Float32Array;
    if (batch.length === 1) data = batch[0].data;
    else {
      data = new Float32Array(numel(shape));
      let at = 0;
      for (const r of batch) {
        data.set(r.data, at);
        at += r.data.length;
      }
    }
    const id = this.nextId++;
    slot.busy = { id, batch };
    this.counts.requests += batch.length;
    this.counts.samples += rows;
    this.counts.batches++;
    this.counts.largestBatch = Math.max(this.counts.largestBatch, rows);
    const message: HostToInferenceWorker = { type: 'predict', id, data, shape };
    slot.worker.postMessage(message, [data.buffer as ArrayBuffer]);
  }

  /**
   * Replaces the model every worker runs, between batches: no request is
   * dropped or fails across a swap. `source` is a model, a saveModel folder,
   * or a state dict for the same layers (what a training job's 'epoch' event
   * carries). Resolves once every worker runs the new weights.
   */
  swapWeights(source: Module | string | StateDict): Promise<void> {
    const next = this.swapping.then(() => this.swapNow(source));
    this.swapping = next.catch(() => undefined);
    return next;
  }

  private async swapNow(source: Module | string | StateDict): Promise<void> {
    if (this.closed) throw new Error(`${WHERE}.swapWeights: the pool is closed`);
    if (source === null || typeof source !== 'object' && typeof source !== 'string') {
      throw new TypeError(`${WHERE}.swapWeights: expected a Module, a saveModel folder or a state dict, got ${source === null ? 'null' : typeof source}`);
    }
    const whole = source instanceof Module || typeof source === 'string';
    const incoming = whole ? await modelMessage(source as Module | string, `${WHERE}.swapWeights`) : { layers: this.model.layers, weights: sharedStateDictMessage(Object.entries(source), WHERE) };
    if (!whole) {
      const own = Object.keys(this.model.weights);
      const got = Object.keys(incoming.weights);
      const missing = own.filter((k) => !(k in incoming.weights));
      const extra = got.filter((k) => !(k in this.model.weights));
      if (missing.length > 0 || extra.length > 0) {
        throw new RangeError(`${WHERE}.swapWeights: the weights do not fit the pool's model (missing: ${missing.join(', ') || 'none'}; unexpected: ${extra.join(', ') || 'none'})`);
      }
      for (const k of own) {
        const a = this.model.weights[k].shape, b = incoming.weights[k].shape;
        if (a.join(',') !== b.join(',')) throw new RangeError(`${WHERE}.swapWeights: ${k} has shape ${formatShape(b)}, the pool's model ${formatShape(a)}`);
      }
    }
    this.model = incoming;
    if (this.slots.length === 0) return;
    // Each worker takes the swap as its next message, after the batch it is running;
    // a swap is not a batch, so the workers stay free for requests meanwhile.
    const id = this.nextId++;
    const done = new Promise<void>((resolve, reject) => this.pending.set(id, { resolve, reject, waiting: new Set(this.slots) }));
    const message: HostToInferenceWorker = { type: 'swap', id, weights: incoming.weights, layers: whole ? incoming.layers : undefined };
    for (const s of this.slots) s.worker.postMessage(message);
    await done;
  }

  /** Counts since the pool started. */
  stats(): InferencePoolStats {
    const c = this.counts;
    return { ...c, meanBatchSize: c.batches === 0 ? 0 : c.samples / c.batches, queued: this.queue.length };
  }

  /** Stops the workers; waiting requests are rejected. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    const err = new Error(`${WHERE}: the pool was closed before this request ran`);
    for (const r of this.queue.drain()) r.reject(err);
    for (const p of this.pending.values()) p.reject(new Error(`${WHERE}.swapWeights: the pool was closed during the swap`));
    this.pending.clear();
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}

/** Starts an inference pool on a model (or a saveModel folder); resolves once every worker has loaded it. */
export async function createInferencePool(model: Module | string, options: InferencePoolOptions = {}): Promise<InferencePool> {
  checkOptions(options);
  const pool = new InferencePool(await modelMessage(model, WHERE), options);
  await pool.start();
  return pool;
}
