/** dendrite: deep learning for Node.js. */
import './tensor/methods';

export { backendInfo, setNumThreads, getNumThreads, setIsa, releaseWorkspace } from './backend';
export type { BackendInfo, IsaName } from './backend';

// Tensors and their creation.
export { Tensor } from './tensor/tensor';
export type { DType } from './tensor/dtype';
export type { NestedArray } from './tensor/nested';
export { tensor, asTensor, zeros, ones, full, zerosLike, onesLike, fullLike, arange, linspace, eye } from './tensor/create';
export type { TensorOptions, TensorData } from './tensor/create';
export { manualSeed, getRngState, setRngState, rand, randn, randint, randperm, randLike, randnLike, Generator, withGenerator } from './tensor/random';
export type { RngState } from './tensor/random';
export { memoryStats, emptyCache, setPoolLimit } from './tensor/pool';
export type { PoolStats } from './tensor/pool';
export * as memory from './memory';
export type { MemoryStats } from './memory';

// Autograd.
export { noGrad, enableGrad, isGradEnabled, setGradEnabled } from './autograd/grad-mode';
export { backward } from './autograd/engine';
export type { BackwardOptions } from './autograd/engine';
export type { GradNode } from './autograd/node';
export * as autograd from './autograd';

// Ops as functions.
export * from './ops';

// Layers and functional forms.
export * as nn from './nn';
export * as models from './models';

// Data sets, loaders and weight files.
export * as data from './data';
export * as io from './io';
export { save, load, loadWeights, saveModel, loadModel, saveCheckpoint, loadCheckpoint, exportOnnx } from './io';

// Optimizers, learning-rate schedules and the training loop.
export * as optim from './optim';
export { fit, evaluate, predict, History, callbacks, accuracy } from './train';
export type {
  FitOptions, EvaluateOptions, PredictOptions, Callback, Logs, TrainingContext, Metric, MetricSpec, LossFn, LossName, LossSpec,
  Batch, TensorData as TrainingData, DataSpec, BatchIterable, ProgressStream, Verbosity,
  BatchLike, SampleData, ShapedData, TargetData, TargetsFor, TensorOrArray, Targets, PerOutput, OutputOf,
  LossSpecFor, LossWeightsFor, MetricsFor, Awaitable,
} from './train';
export type { Operand } from './tensor/methods';

// Models compiled for inference: fused kernels, buffers planned once per input shape.
export { compileForInference, InferenceSession } from './infer';
export type { CompileOptions } from './infer';

// Work off the caller's thread: training jobs, inference pools, tensors across threads.
export * from './workers';

// Regularization policies and gradient clipping.
export * as regularize from './regularize';
export { clipGradNorm, clipGradValue } from './regularize';
export type { ClipGradNormOptions } from './regularize';

// Pictures: PNG grids of tensors, filters, feature maps, saliency; SVG training curves and confusion matrices.
export * as viz from './viz';
