/**
 * model.summary(inputShape): a Keras-style table of a module tree — each
 * module's path and class, the shape of what it returned, and the
 * parameters it owns — with the totals. The shapes come from one forward
 * on zeros (no gradients, evaluation mode) watched by forward hooks, which
 * are removed again afterwards; lazy layers learn their sizes from it.
 *
 * @example
 * console.log(model.summary([1, 28, 28]));
 * // Layer (type)      Output Shape      Param #
 * // ============================================
 * // Sequential        [1, 10]                 0
 * // 0 (Conv2d)        [1, 8, 28, 28]         80
 * // …
 */
import { noGrad } from '../autograd/grad-mode';
import { zeros } from '../tensor/create';
import type { DType } from '../tensor/dtype';
import { Tensor } from '../tensor/tensor';
import { rejectUnknownOptions } from '../options';
import { withMode } from './mode';
import type { AnyModule, ModuleOutput } from './module';
import type { RemovableHandle } from './hooks';

export interface SummaryOptions {
  /** The batch size of the zeros run through the model (default 1); it shows as the first axis of every shape. */
  batchSize?: number;
  /** The inputs' dtype (default 'float32'; 'int32' for index inputs such as an Embedding's), or one per input. */
  dtype?: DType | readonly DType[];
}

const WHERE = 'summary';

function checkShape(shape: unknown, what: string): number[] {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new TypeError(`${WHERE}: ${what} must be an array of non-negative integers (the shape without the batch axis), got ${JSON.stringify(shape)}`);
  }
  return shape.slice();
}

/** One shape, or one per input (an array of arrays). */
function inputShapes(inputShape: unknown): number[][] {
  if (Array.isArray(inputShape) && inputShape.length > 0 && inputShape.every((s) => Array.isArray(s))) {
    return inputShape.map((s, i) => checkShape(s, `input shape ${i}`));
  }
  return [checkShape(inputShape, 'inputShape')];
}

function dtypes(dtype: SummaryOptions['dtype'], n: number): DType[] {
  const list = Array.isArray(dtype) ? dtype : new Array<DType | undefined>(n).fill(dtype as DType | undefined);
  if (list.length !== n) throw new RangeError(`${WHERE}: ${list.length} dtypes for ${n} inputs`);
  return list.map((d) => {
    const v = d ?? 'float32';
    if (v !== 'float32' && v !== 'int32') throw new TypeError(`${WHERE}: dtype must be 'float32' or 'int32', got ${JSON.stringify(v)}`);
    return v;
  });
}

function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** The shape of what a module returned: a tensor's, a tuple of them, or a record of them. */
export function outputShapeText(output: ModuleOutput | unknown): string {
  if (output instanceof Tensor) return shapeText(output.shape);
  if (Array.isArray(output)) return `(${output.map((o) => outputShapeText(o)).join(', ')})`;
  if (output !== null && typeof output === 'object') {
    return `{${Object.entries(output).map(([k, v]) => `${k}: ${outputShapeText(v)}`).join(', ')}}`;
  }
  return typeof output;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

interface Row {
  label: string;
  output: string;
  params: string;
}

/** The table for `model` run on zeros of [batchSize, ...inputShape] (see Module.summary). */
export function summary(model: AnyModule, inputShape: readonly number[] | ReadonlyArray<readonly number[]>, options: SummaryOptions = {}): string {
  rejectUnknownOptions(options, ['batchSize', 'dtype'], WHERE);
  const batchSize = options.batchSize ?? 1;
  if (!Number.isInteger(batchSize) || batchSize <= 0) throw new RangeError(`${WHERE}: batchSize must be a positive integer, got ${batchSize}`);
  const shapes = inputShapes(inputShape);
  const types = dtypes(options.dtype, shapes.length);
  const inputs = shapes.map((s, i) => zeros([batchSize, ...s], { dtype: types[i] }));

  const modules = [...model.namedModules()];
  const seen = new Map<AnyModule, { calls: number; output: string }>();
  const handles: RemovableHandle[] = [];
  try {
    for (const [, m] of modules) {
      handles.push(
        m.registerForwardHook((mod, _inputs, output) => {
          const entry = seen.get(mod as AnyModule);
          if (entry === undefined) seen.set(mod as AnyModule, { calls: 1, output: outputShapeText(output) });
          else entry.calls++;
        }),
      );
    }
    withMode(model, false, () => noGrad(() => model.call(...inputs)));
  } finally {
    for (const h of handles) h.remove();
  }

  const counted = new Set<Tensor>();
  let trainable = 0;
  let frozen = 0;
  const rows: Row[] = modules.map(([name, m]) => {
    let own = 0;
    for (const [, p] of m.ownNamedParameters()) {
      if (counted.has(p)) continue; // shared: counted where it first appears
      counted.add(p);
      own += p.numel;
      if (p.requiresGrad) trainable += p.numel;
      else frozen += p.numel;
    }
    const run = seen.get(m);
    const output = run === undefined ? '-' : run.calls > 1 ? `${run.output} ×${run.calls}` : run.output;
    const label = name === '' ? m.constructor.name : `${name} (${m.constructor.name})`;
    // A container owning nothing itself shows '--': its children's rows hold the counts.
    const container = own === 0 && !m.children().next().done;
    return { label, output, params: container ? '--' : count(own) };
  });
  let bufferValues = 0;
  for (const [, b] of model.namedBuffers()) bufferValues += b.numel;

  const header: Row = { label: 'Layer (type)', output: 'Output Shape', params: 'Param #' };
  const w1 = Math.max(...[header, ...rows].map((r) => r.label.length)) + 2;
  const w2 = Math.max(...[header, ...rows].map((r) => r.output.length)) + 2;
  const w3 = Math.max(...[header, ...rows].map((r) => r.params.length));
  const line = (r: Row) => `${r.label.padEnd(w1)}${r.output.padEnd(w2)}${r.params.padStart(w3)}`;
  const width = w1 + w2 + w3;
  const lines = [
    line(header),
    '='.repeat(width),
    ...rows.map(line),
    '='.repeat(width),
    `Input shape: ${inputs.map((t) => shapeText(t.shape)).join(', ')}`,
    `Total params: ${count(trainable + frozen)}`,
    `Trainable params: ${count(trainable)}`,
    `Frozen params: ${count(frozen)}`,
  ];
  if (bufferValues > 0) lines.push(`Buffer values: ${count(bufferValues)}`);
  return lines.join('\n');
}
