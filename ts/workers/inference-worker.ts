/**
 * The worker side of an inference pool: holds one model in evaluation mode
 * and runs each batch it is sent with graph recording off, one at a time, so
 * a weight swap lands between two batches and never inside one.
 */
import { parentPort, workerData } from 'worker_threads';
import { setNumThreads } from '../backend';
import { evaluationForward } from '../infer/session';
import { buildLayers } from '../io/model-description';
import type { AnyModule, Module } from '../nn/module';
import { Tensor } from '../tensor/tensor';
import { asTensor } from '../tensor/create';
import { recycleIntermediate } from '../optim/recycle';
import type { LayerSpec } from '../io/layers/registry';
import { importSetup } from './setup-module';
import { revive } from './tensor-messages';
import type { StateDictMessage } from './tensor-messages';
import type { HostToInferenceWorker, InferenceWorkerData, InferenceWorkerToHost } from './inference-protocol';
import { errorToMessage } from './worker-errors';

const init = workerData as InferenceWorkerData;
const port = parentPort!;
let model: Module | null = null;

function post(m: InferenceWorkerToHost, transfer: ArrayBuffer[] = []): void {
  port.postMessage(m, transfer);
}

function build(layers: LayerSpec, weights: StateDictMessage): Module {
  const m = buildLayers(layers, { source: 'the inference pool' });
  m.loadStateDict(revive(weights));
  return m.eval();
}

function handle(m: HostToInferenceWorker): void {
  try {
    if (m.type === 'swap') {
      if (m.layers !== undefined) model = build(m.layers, m.weights);
      else (model as Module).loadStateDict(revive(m.weights));
      post({ type: 'swapped', id: m.id });
      return;
    }
    const x = asTensor(m.data, m.shape);
    // Through the model's inference session (fused kernels, buffers kept between batches of one shape).
    const out: unknown = evaluationForward(model as AnyModule)(x);
    if (!(out instanceof Tensor)) {
      throw new TypeError('the model returns several outputs (an array or a record); an inference pool serves models with one output tensor (dd.predict handles several)');
    }
    if (out.dtype !== 'float32') throw new TypeError(`the model's output is ${out.dtype}; an inference pool returns float32 outputs`);
    if (out.shape.length === 0 || out.shape[0] !== m.shape[0]) {
      throw new RangeError(`the model's output has shape [${out.shape.join(', ')}], which does not keep the ${m.shape[0]} samples of the input along its first dimension`);
    }
    // A fresh copy is moved to the host; the model's own buffers stay here.
    const data = (out._typed() as Float32Array).slice();
    recycleIntermediate(out);
    post({ type: 'result', id: m.id, data, shape: [...out.shape] }, [data.buffer]);
  } catch (e) {
    post({ type: 'failed', id: m.id, error: errorToMessage(e) });
  }
}

async function start(): Promise<void> {
  const setup = init.setup === undefined ? undefined : await importSetup(init.setup);
  setNumThreads(init.threads);
  model = build(init.model.layers, init.model.weights);
  await setup?.configure?.({ model, options: init.setupOptions });
  port.on('message', handle);
  post({ type: 'ready' });
}

start().catch((e: unknown) => post({ type: 'error', error: errorToMessage(e) }));
