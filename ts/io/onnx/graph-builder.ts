/**
 * Building an ONNX graph from a module tree. Each layer is turned into nodes
 * by the converter registered for its exact class; a converter receives its
 * input as an OnnxValue, which pairs the graph value's name with the tensor
 * dendrite computes there for a one-sample batch, so converters know every
 * shape without re-deriving the layers' shape rules.
 */
import type { Module } from '../../nn/module';
import type { Tensor } from '../../tensor/tensor';
import { HOST_IS_LITTLE_ENDIAN } from '../safetensors/dtypes';
import { swapBytes } from '../safetensors/convert';
import { AttributeValue, NodeSpec, ONNX_FLOAT, ONNX_INT32, ONNX_INT64, TensorSpec } from './onnx-proto';

/** A value of the graph: its name, and what dendrite computes there for a one-sample batch. */
export interface OnnxValue {
  name: string;
  sample: Tensor;
}

/** Turns one layer into nodes; returns the value it produces. */
export type OnnxConverter<M extends Module = Module> = (layer: M, input: OnnxValue, graph: OnnxGraphBuilder, path: string) => OnnxValue;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type LayerClass = abstract new (...args: any[]) => Module;

const converters = new Map<LayerClass, OnnxConverter>();

/** Makes a layer class exportable to ONNX (matched exactly, as saveModel's codecs are). */
export function registerOnnxConverter<M extends Module>(layerClass: abstract new (...args: never[]) => M, converter: OnnxConverter<M>): void {
  if (typeof layerClass !== 'function' || typeof converter !== 'function') throw new TypeError('registerOnnxConverter: needs a layer class and a converter function');
  if (converters.has(layerClass as unknown as LayerClass)) throw new RangeError(`registerOnnxConverter: ${layerClass.name} already has a converter`);
  converters.set(layerClass as unknown as LayerClass, converter as unknown as OnnxConverter);
}

/** Whether `layerClass` itself (not a parent) has an ONNX converter. */
export function hasOnnxConverter(layerClass: abstract new (...args: never[]) => Module): boolean {
  return converters.has(layerClass as unknown as LayerClass);
}

function littleEndianBytes(data: Float32Array | Int32Array | BigInt64Array): Uint8Array {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (HOST_IS_LITTLE_ENDIAN) return bytes;
  const copy = bytes.slice();
  swapBytes(copy, data.BYTES_PER_ELEMENT);
  return copy;
}

export class OnnxGraphBuilder {
  readonly nodes: NodeSpec[] = [];
  readonly initializers: TensorSpec[] = [];
  private readonly names = new Set<string>();

  constructor(readonly opset: number) {}

  /** A value name not used yet, made from `base`. */
  uniqueName(base: string): string {
    const clean = base.replace(/[^A-Za-z0-9_.:/-]/g, '_') || 'value';
    let name = clean;
    for (let i = 1; this.names.has(name); i++) name = `${clean}_${i}`;
    this.names.add(name);
    return name;
  }

  /** Adds a constant (an initializer); returns its name. */
  constant(base: string, data: Float32Array | Int32Array | BigInt64Array, dims: readonly number[]): string {
    const name = this.uniqueName(base);
    const dataType = data instanceof Float32Array ? ONNX_FLOAT : data instanceof Int32Array ? ONNX_INT32 : ONNX_INT64;
    this.initializers.push({ name, dataType, dims: [...dims], raw: littleEndianBytes(data) });
    return name;
  }

  /** A float scalar constant. */
  scalar(base: string, value: number): string {
    return this.constant(base, Float32Array.of(value), []);
  }

  /** Adds a node with one output; returns the output's name. */
  node(opType: string, inputs: string[], base: string, attributes?: Record<string, AttributeValue>): string {
    const output = this.uniqueName(`${base}/${opType}`);
    this.nodes.push({ opType, inputs, outputs: [output], name: output, attributes });
    return output;
  }

  /** Converts one layer (and, through its converter, its children). */
  convert(layer: Module, input: OnnxValue, path: string): OnnxValue {
    const converter = converters.get(layer.constructor as LayerClass);
    if (converter === undefined) {
      throw new TypeError(
        `exportOnnx: ${path || 'the model'} is a ${layer.constructor.name}, which has no ONNX converter ` +
          '(register one with dd.io.registerOnnxConverter(LayerClass, converter))',
      );
    }
    return converter(layer, input, this, path);
  }
}
