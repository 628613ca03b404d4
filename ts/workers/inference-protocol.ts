/** What an inference pool's host and its workers say to each other (see inference-pool.ts, inference-worker.ts). */
import type { LayerSpec } from '../io/layers/registry';
import type { StateDictMessage } from './tensor-messages';
import type { ErrorMessage } from './worker-errors';

/** A model as data: its layers and its weights (in shared memory, read by every worker). */
export interface ModelMessage {
  layers: LayerSpec;
  weights: StateDictMessage;
}

export interface InferenceWorkerData {
  model: ModelMessage;
  threads: number;
  setup?: string;
  setupOptions?: unknown;
}

export type HostToInferenceWorker =
  | { type: 'predict'; id: number; data: Float32Array; shape: number[] }
  /** New weights for the same layers, or a whole new model when `layers` is given. */
  | { type: 'swap'; id: number; weights: StateDictMessage; layers?: LayerSpec };

export type InferenceWorkerToHost =
  | { type: 'ready' }
  | { type: 'result'; id: number; data: Float32Array; shape: number[] }
  | { type: 'swapped'; id: number }
  | { type: 'failed'; id: number; error: ErrorMessage }
  | { type: 'error'; error: ErrorMessage };
