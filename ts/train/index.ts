/** The training loop (dd.fit, dd.evaluate, dd.predict) and its callbacks. */
export { fit } from './fit';
export type { FitOptions } from './fit';
export { evaluate } from './evaluate';
export type { EvaluateOptions } from './evaluate';
export { predict } from './predict';
export type { PredictOptions } from './predict';
export type { LossSpecFor, LossWeightsFor, MetricsFor } from './objective';
export type { OutputOf, PerOutput, Targets } from './outputs';
export { History } from './history';
export type { Callback, Logs, TrainingContext, Awaitable } from './callback';
export { accuracy } from './metrics';
export type { Metric, MetricSpec } from './metrics';
export type { LossFn, LossName, LossSpec } from './losses';
export type { Batch, TensorData, SampleData, ShapedData, DataSpec, BatchIterable, BatchLike, TargetData, TargetsFor, TensorOrArray } from './batches';
export type { ProgressStream, Verbosity } from './progress';
export * as callbacks from './callbacks';
