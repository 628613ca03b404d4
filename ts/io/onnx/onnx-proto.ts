/**
 * The ONNX messages dendrite writes, with field numbers from the ONNX
 * specification's onnx.proto:
 *   ModelProto          ir_version 1, producer_name 2, producer_version 3, graph 7, opset_import 8
 *   OperatorSetIdProto  domain 1, version 2
 *   GraphProto          node 1, name 2, initializer 5, input 11, output 12
 *   NodeProto           input 1, output 2, name 3, op_type 4, attribute 5
 *   AttributeProto      name 1, f 2, i 3, s 4, floats 7, ints 8, type 20
 *   TensorProto         dims 1, data_type 2, name 8, raw_data 9 (little-endian)
 *   ValueInfoProto      name 1, type 2
 *   TypeProto           tensor_type 1; TypeProto.Tensor elem_type 1, shape 2
 *   TensorShapeProto    dim 1; Dimension dim_value 1, dim_param 2
 */
import { ProtoMessage } from './protobuf';

/** TensorProto.DataType values used here. */
export const ONNX_FLOAT = 1;
export const ONNX_INT32 = 6;
export const ONNX_INT64 = 7;

// AttributeProto.AttributeType
const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const ATTR_STRING = 3;
const ATTR_FLOATS = 6;
const ATTR_INTS = 7;

/** An attribute value: an integer, a float ({ float }), a string, or a list of integers or floats ({ floats }). */
export type AttributeValue = number | { float: number } | string | number[] | { floats: number[] };

export interface NodeSpec {
  opType: string;
  inputs: string[];
  outputs: string[];
  name?: string;
  attributes?: Record<string, AttributeValue>;
}

export interface TensorSpec {
  name: string;
  dataType: number;
  dims: readonly number[];
  /** The elements' bytes, little-endian, row-major. */
  raw: Uint8Array;
}

export interface ValueInfoSpec {
  name: string;
  elemType: number;
  /** Sizes; a string is a symbolic (dynamic) dimension such as 'batch'. */
  dims: ReadonlyArray<number | string>;
}

export interface GraphSpec {
  name: string;
  nodes: NodeSpec[];
  initializers: TensorSpec[];
  inputs: ValueInfoSpec[];
  outputs: ValueInfoSpec[];
}

export interface ModelSpec {
  irVersion: number;
  opsetVersion: number;
  producerName: string;
  producerVersion: string;
  graph: GraphSpec;
}

function attribute(name: string, value: AttributeValue): ProtoMessage {
  const m = new ProtoMessage().string(1, name);
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new TypeError(`ONNX attribute ${name}: ${value} is not an integer (write floats as { float })`);
    return m.int(3, value).int(20, ATTR_INT);
  }
  if (typeof value === 'string') return m.string(4, value).int(20, ATTR_STRING);
  if (Array.isArray(value)) {
    for (const v of value) m.int(8, v);
    return m.int(20, ATTR_INTS);
  }
  if ('float' in value) return m.float(2, value.float).int(20, ATTR_FLOAT);
  for (const v of value.floats) m.float(7, v);
  return m.int(20, ATTR_FLOATS);
}

function node(spec: NodeSpec): ProtoMessage {
  const m = new ProtoMessage();
  for (const i of spec.inputs) m.string(1, i);
  for (const o of spec.outputs) m.string(2, o);
  if (spec.name !== undefined) m.string(3, spec.name);
  m.string(4, spec.opType);
  for (const [k, v] of Object.entries(spec.attributes ?? {})) m.message(5, attribute(k, v));
  return m;
}

function tensor(spec: TensorSpec): ProtoMessage {
  const m = new ProtoMessage();
  for (const d of spec.dims) m.int(1, d);
  return m.int(2, spec.dataType).string(8, spec.name).bytes(9, spec.raw);
}

function valueInfo(spec: ValueInfoSpec): ProtoMessage {
  const shape = new ProtoMessage();
  for (const d of spec.dims) {
    const dim = new ProtoMessage();
    if (typeof d === 'string') dim.string(2, d);
    else dim.int(1, d);
    shape.message(1, dim);
  }
  const tensorType = new ProtoMessage().int(1, spec.elemType).message(2, shape);
  const type = new ProtoMessage().message(1, tensorType);
  return new ProtoMessage().string(1, spec.name).message(2, type);
}

function graph(spec: GraphSpec): ProtoMessage {
  const m = new ProtoMessage();
  for (const n of spec.nodes) m.message(1, node(n));
  m.string(2, spec.name);
  for (const t of spec.initializers) m.message(5, tensor(t));
  for (const i of spec.inputs) m.message(11, valueInfo(i));
  for (const o of spec.outputs) m.message(12, valueInfo(o));
  return m;
}

/** The bytes of an ONNX model file. */
export function encodeModel(spec: ModelSpec): Uint8Array {
  const opset = new ProtoMessage().string(1, '').int(2, spec.opsetVersion);
  return new ProtoMessage()
    .int(1, spec.irVersion)
    .string(2, spec.producerName)
    .string(3, spec.producerVersion)
    .message(7, graph(spec.graph))
    .message(8, opset)
    .toBytes();
}
