/** predict: the model's outputs for every row of x, in evaluation mode, without recording the graph. */
import type { Tensor } from '../tensor/tensor';
import { concat } from '../ops';
import type { AnyModule, ModuleOutput } from '../nn/module';
import { evaluationForward } from '../infer/session';
import { TensorOrArray, takeRows, toTensor } from './batches';
import { checkBatchSize } from './evaluate';
import { Layout, OutputOf, describeLayout, mapLeaves, outputLayout, partsOf, sameLayout } from './outputs';
import { EventLoopYielder } from './yielder';
import { rejectUnknownOptions } from '../options';

export interface PredictOptions {
  /** Samples per batch (default 32). */
  batchSize?: number;
}

/**
 * The model's outputs for every row of x (a tensor or a { data, shape }
 * array), in evaluation mode, concatenated along the first dimension. A model
 * with several outputs gives the same structure (an array or a record), each
 * output concatenated over the batches.
 */
export async function predict<M extends AnyModule>(model: M, input: TensorOrArray, options: PredictOptions = {}): Promise<OutputOf<M>> {
  const where = 'predict';
  rejectUnknownOptions(options, ['batchSize'], where);
  const x = toTensor(input, where, 'x');
  const batchSize = checkBatchSize(options.batchSize ?? 32, where);
  if (x.shape.length === 0) throw new RangeError(`${where}: x needs a first (sample) dimension`);
  const n = x.shape[0];
  // Each batch in evaluation mode (for that call only: a fit on the same model meanwhile keeps
  // its dropout) without the graph, through the model's inference session when it has one.
  const forward = evaluationForward(model);
  if (n <= batchSize) {
    const out = forward(x);
    outputLayout(out, where);
    return out as OutputOf<M>;
  }
  const outputs: ModuleOutput[] = [];
  const yielder = new EventLoopYielder();
  for (let start = 0; start < n; start += batchSize) {
    outputs.push(forward(takeRows(x, start, Math.min(n, start + batchSize))));
    await yielder.maybeYield();
  }
  if (outputs.length === 0) throw new RangeError(`${where}: x has no samples`);
  const layout = outputLayout(outputs[0], where);
  if (outputs.length === 1) return outputs[0] as OutputOf<M>;
  return joinBatches(outputs, layout, where) as OutputOf<M>;
}

/** Concatenates each output over the batches, keeping the outputs' layout. */
function joinBatches(outputs: ModuleOutput[], layout: Layout, where: string): ModuleOutput {
  const perBatch = outputs.map((o) => {
    const l = outputLayout(o, where);
    if (!sameLayout(l, layout)) throw new RangeError(`${where}: the model returned ${describeLayout(l)} for one batch but ${describeLayout(layout)} for another`);
    return partsOf<Tensor>(o, layout);
  });
  return mapLeaves<Tensor, Tensor>(outputs[0], layout, (_first, name) => {
    const i = layout.kind === 'single' ? 0 : layout.names.indexOf(name);
    return concat(perBatch.map((parts) => parts[i]), 0);
  }) as ModuleOutput;
}
