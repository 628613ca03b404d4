/**
 * ONNX export of inference graphs: the model is traced once, in evaluation
 * mode and without gradients, on a zero batch of one sample, and each layer
 * becomes ONNX nodes (see converters.ts). The batch axis of the input and
 * output is symbolic ("batch"), so the exported graph takes any batch size.
 */
import { noGrad } from '../../autograd/grad-mode';
import { Module } from '../../nn/module';
import { withMode } from '../../nn/mode';
import { zeros } from '../../tensor/create';
import { writeFileAtomic } from '../atomic-write';
import type { AtomicWriteOptions } from '../atomic-write';
import { rejectUnknownOptions } from '../../options';
import { OnnxGraphBuilder } from './graph-builder';
import { encodeModel, ONNX_FLOAT, ONNX_INT32 } from './onnx-proto';
import './converters';
import './block-converters';
import './norm-converters';
import './pool-converters';

export const MIN_ONNX_OPSET = 13;
export const MAX_ONNX_OPSET = 22;
export const DEFAULT_ONNX_OPSET = 17;
/** Largest sample (in elements) an export traces with. */
const MAX_SAMPLE_ELEMENTS = 2 ** 26;

export interface OnnxExportOptions {
  /** Shape of ONE sample, without the batch axis: [784] for an MLP on flat images, [1, 28, 28] for a CNN. */
  inputShape: readonly number[];
  /** Operator set version, 13 to 22 (default 17). GELU is one Gelu node from 20 on, its erf form before. */
  opset?: number;
  /** 'float32' (default), or 'int32' for a model that starts with an Embedding. */
  inputDtype?: 'float32' | 'int32';
  /** Names of the graph's input and output (default 'input' and 'output'). */
  inputName?: string;
  outputName?: string;
}

/** The ONNX IR version that goes with an opset (the ONNX release that introduced it). */
function irVersionFor(opset: number): number {
  if (opset <= 18) return 8;
  if (opset <= 20) return 9;
  return 10;
}

const ONNX_OPTIONS = ['inputShape', 'opset', 'inputDtype', 'inputName', 'outputName'];
const WRITE_OPTIONS = ['fsync', 'mode', 'beforeRename'];

function checkOptions(options: OnnxExportOptions): Required<OnnxExportOptions> {
  if (typeof options !== 'object' || options === null) throw new TypeError('exportOnnx: options { inputShape, opset } are required');
  rejectUnknownOptions(options, ONNX_OPTIONS, 'exportOnnx');
  const { inputShape } = options;
  if (!Array.isArray(inputShape) || !inputShape.every((d) => Number.isInteger(d) && d >= 1)) {
    throw new TypeError(`exportOnnx: inputShape must be the shape of one sample (positive integers, no batch axis), got ${JSON.stringify(inputShape)}`);
  }
  if (inputShape.reduce((a, b) => a * b, 1) > MAX_SAMPLE_ELEMENTS) throw new RangeError(`exportOnnx: inputShape [${inputShape.join(', ')}] is too large to trace`);
  const opset = options.opset ?? DEFAULT_ONNX_OPSET;
  if (!Number.isInteger(opset) || opset < MIN_ONNX_OPSET || opset > MAX_ONNX_OPSET) {
    throw new RangeError(`exportOnnx: opset must be an integer from ${MIN_ONNX_OPSET} to ${MAX_ONNX_OPSET}, got ${opset}`);
  }
  const inputDtype = options.inputDtype ?? 'float32';
  if (inputDtype !== 'float32' && inputDtype !== 'int32') throw new TypeError(`exportOnnx: inputDtype must be 'float32' or 'int32', got ${JSON.stringify(inputDtype)}`);
  const inputName = options.inputName ?? 'input';
  const outputName = options.outputName ?? 'output';
  for (const [k, v] of [['inputName', inputName], ['outputName', outputName]]) {
    if (typeof v !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(v)) throw new TypeError(`exportOnnx: ${k} must be a plain name, got ${JSON.stringify(v)}`);
  }
  if (inputName === outputName) throw new TypeError('exportOnnx: inputName and outputName must differ');
  return { inputShape, opset, inputDtype, inputName, outputName };
}

/** The bytes of an ONNX model computing `model` in evaluation mode. */
export function toOnnx(model: Module, options: OnnxExportOptions): Uint8Array {
  if (!(model instanceof Module)) throw new TypeError('exportOnnx: expected a Module');
  const o = checkOptions(options);
  // Traced in evaluation mode for this call only (the model's own mode is left as it is).
  return withMode(model, false, () =>
    noGrad(() => {
      const dtype = o.inputDtype;
      const graph = new OnnxGraphBuilder(o.opset);
      graph.uniqueName(o.inputName);
      graph.uniqueName(o.outputName);
      const out = graph.convert(model, { name: o.inputName, sample: zeros([1, ...o.inputShape], { dtype }) }, '');
      // Name the result: rename the last node's output when it made it, else copy it through.
      const last = graph.nodes[graph.nodes.length - 1];
      if (last !== undefined && last.outputs[0] === out.name) last.outputs[0] = o.outputName;
      else graph.nodes.push({ opType: 'Identity', inputs: [out.name], outputs: [o.outputName], name: o.outputName });
      // Which output axes follow the batch: those that change between a batch of one and of two.
      const two = model.forward(zeros([2, ...o.inputShape], { dtype })).shape;
      const one = out.sample.shape;
      const outputDims = one.map((d, i) => (two[i] === d ? d : two[i] === 2 * d && d === 1 ? 'batch' : `output_${i}`));
      return encodeModel({
        irVersion: irVersionFor(o.opset),
        opsetVersion: o.opset,
        producerName: 'dendrite',
        // package.json lies outside ts/ (the compiler's rootDir), so it is read at run time.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        producerVersion: (require('../../../package.json') as { version: string }).version,
        graph: {
          name: model.constructor.name,
          nodes: graph.nodes,
          initializers: graph.initializers,
          inputs: [{ name: o.inputName, elemType: dtype === 'int32' ? ONNX_INT32 : ONNX_FLOAT, dims: ['batch', ...o.inputShape] }],
          outputs: [{ name: o.outputName, elemType: out.sample.dtype === 'int32' ? ONNX_INT32 : ONNX_FLOAT, dims: outputDims }],
        },
      });
    }),
  );
}

/** Writes `model` as an ONNX file (atomically); see toOnnx. */
export async function exportOnnx(model: Module, file: string, options: OnnxExportOptions & AtomicWriteOptions): Promise<void> {
  if (typeof options === 'object' && options !== null) rejectUnknownOptions(options, [...ONNX_OPTIONS, ...WRITE_OPTIONS], 'exportOnnx');
  // The export's settings go to the tracer, the writer's to the writer.
  const { fsync, mode, beforeRename, ...onnx } = options ?? {};
  const bytes = toOnnx(model, options === undefined || options === null ? options : (onnx as OnnxExportOptions));
  await writeFileAtomic(file, bytes, { fsync, mode, beforeRename });
}
