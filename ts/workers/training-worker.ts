/**
 * The worker side of a training job (see fit-in-worker.ts): rebuilds the
 * model, optimizer and callbacks from the job's description, runs `fit`,
 * streams progress, stops at the next batch when the host aborts, and sends
 * back the history, the weights and the optimizer's state.
 */
import * as os from 'os';
import { parentPort, workerData } from 'worker_threads';
import { setNumThreads, backendInfo } from '../backend';
import { buildLayers } from '../io/model-description';
import { Generator, setRngState } from '../tensor/random';
import { fit } from '../train/fit';
import type { Callback, Logs, TrainingContext } from '../train/callback';
import type { SchedulerCallback } from '../train/callbacks';
import { buildCallback } from './callback-specs';
import { buildOptimizer, optimizerStateBuffers } from './optimizer-spec';
import { attachDescribed } from './policy-spec';
import { importSetup, SetupResult } from './setup-module';
import { revive, sharedStateDictMessage, stateDictToMessage, tensorFromMessage, transferList } from './tensor-messages';
import type { HostToTrainingWorker, SamplesMessage, TrainingJobSpec, TrainingWorkerToHost } from './training-protocol';
import type { AnyModule } from '../nn/module';
import type { Targets } from '../train/outputs';
import { errorToMessage } from './worker-errors';

const spec = workerData as TrainingJobSpec;
const port = parentPort!;
let abortReason: string | null = spec.abortedBefore;

function post(message: TrainingWorkerToHost, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
}

// Lower this thread's priority before the addon starts its kernel threads, so
// they inherit it: the host's event loop then wins the CPU whenever it needs it.
// Only Linux keeps a priority per thread; elsewhere it would slow the whole process.
if (spec.niceness > 0 && process.platform === 'linux') {
  try {
    os.setPriority(0, Math.min(19, os.getPriority(0) + spec.niceness));
  } catch {
    // Not permitted here: run at the normal priority.
  }
}

port.on('message', (m: HostToTrainingWorker) => {
  if (m.type === 'abort') abortReason = m.reason;
});
// The port alone must not keep the worker alive: it exits once the job is over.
port.unref();

/** Streams progress to the host and turns an abort into fit's own early stop. */
function controlCallback(): Callback {
  let epoch = 0;
  const stopIfAborted = (ctx: TrainingContext): void => {
    if (abortReason !== null && !ctx.stopTraining) {
      ctx.stopTraining = true;
      ctx.history.stopReason = `aborted: ${abortReason}`;
    }
  };
  return {
    onTrainBegin: (_logs: Logs, ctx: TrainingContext) => stopIfAborted(ctx),
    onEpochBegin: (e: number, _logs: Logs, ctx: TrainingContext) => {
      epoch = e;
      post({ type: 'epochBegin', epoch: e, epochs: ctx.epochs, steps: ctx.stepsPerEpoch });
    },
    onBatchEnd: (batch: number, logs: Logs, ctx: TrainingContext) => {
      if (spec.batchEvents) post({ type: 'batch', epoch, batch, logs });
      stopIfAborted(ctx);
    },
    onEpochEnd: (e: number, logs: Logs, ctx: TrainingContext) => {
      if (!spec.weightsEveryEpoch) return post({ type: 'epoch', epoch: e, logs });
      // In shared memory, written here: the host can pass them on to an inference pool's workers without touching them.
      post({ type: 'epoch', epoch: e, logs, weights: sharedStateDictMessage([...ctx.model.namedParameters(), ...ctx.model.namedBuffers()]) });
    },
  };
}

async function run(): Promise<void> {
  const setup = spec.setup === undefined ? undefined : await importSetup(spec.setup);
  setNumThreads(spec.threads);
  setRngState(spec.rngState);
  const model = buildLayers(spec.model.layers, { source: 'the training job' });
  model.loadStateDict(revive(spec.model.weights));
  const params = model.parameters();
  attachDescribed(params, spec.model.attached);
  const optimizer = buildOptimizer(spec.optimizer, params);
  const rebuilt = spec.callbacks.map((c) => buildCallback(c, optimizer));
  const callbacks = [...rebuilt];
  const extra: SetupResult = (await setup?.configure?.({ model, optimizer, options: spec.setupOptions })) ?? {};
  callbacks.push(...(extra.callbacks ?? []), controlCallback());
  const loss = extra.loss ?? spec.fit.loss;
  if (loss === undefined) throw new TypeError("fitInWorker: options.loss is required (a name such as 'crossEntropy', or from the setup module's configure())");
  post({ type: 'started', threads: backendInfo().threads, isa: backendInfo().isa });
  const generator = spec.generatorState === undefined ? undefined : new Generator().setState(spec.generatorState);
  // y may be one target per output: revive turns every message in it back into a tensor.
  const samples = (m: SamplesMessage) => ({ x: tensorFromMessage(m.x), y: revive<Targets>(m.y) });
  const history = await fit(model as AnyModule, samples(spec.train), {
    ...spec.fit,
    loss,
    metrics: extra.metrics ?? spec.fit.metrics,
    augment: extra.augment,
    validationData: spec.validation === undefined ? undefined : samples(spec.validation),
    optimizer,
    callbacks,
    generator,
    verbose: 0,
  });
  const weights = stateDictToMessage(model.stateDict());
  const optimizerState = optimizer.stateDict();
  post(
    {
      type: 'done',
      history: { epoch: history.epoch, history: history.history, params: history.params, stoppedEpoch: history.stoppedEpoch, stopReason: history.stopReason },
      weights,
      optimizerState,
      schedulerStates: rebuilt.map((c) => ((c as Partial<SchedulerCallback>).kind === 'learningRateScheduler' ? (c as SchedulerCallback).scheduler.stateDict() : null)),
      generatorState: generator?.getState(),
      aborted: abortReason !== null,
    },
    [...transferList(weights), ...optimizerStateBuffers(optimizerState)],
  );
}

run().catch((e: unknown) => post({ type: 'error', error: errorToMessage(e) }));
