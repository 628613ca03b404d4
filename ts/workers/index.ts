/** Work off the caller's thread: training jobs, inference pools, tensors across threads. */
export { fitInWorker, TrainingJob } from './fit-in-worker';
export type { WorkerFitOptions, BatchEvent, EpochEvent, TrainingEvent } from './fit-in-worker';
export type { OptimizerConfig } from './optimizer-spec';
export type { SetupContext, SetupResult, SetupModule } from './setup-module';
export { revive, transferList, share, tensorToMessage, tensorFromMessage } from './tensor-messages';
export type { TensorMessage, StateDictMessage } from './tensor-messages';
export { createInferencePool, InferencePool } from './inference-pool';
export type { InferencePoolOptions, InferencePoolStats } from './inference-pool';
