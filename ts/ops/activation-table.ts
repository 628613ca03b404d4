/**
 * The activations that are one native kernel each, one entry per activation.
 * Everything else about them is derived from this table:
 *   functional forms  ops/activation.ts                 `export const relu = nativeActivation('relu')`
 *   layer classes     nn/layers/activation.ts           `export class ReLU extends activationLayer('relu') {}`
 *   by name           nn/layers/activation-by-name.ts   ACTIVATION_NAMES, the `activation` option of blocks
 *   saveModel codecs  io/layers/activation-codecs.ts    no options, or the one number the layer takes
 *   ONNX export       io/onnx/activation-converters.ts  layers, and activations named in block options
 *
 * Adding an activation `foo` (layer class Foo) — one line per layer of the stack:
 *   1. native/kernels/elementwise/ops.h: `X(Foo, "foo", Activation, Costly)` in DENDRITE_UNARY_OPS;
 *      its forward and backward in native/kernels/activation/activation_{scalar,avx2,neon}.cc (the
 *      build stops until each file has them) and its double-precision reference in kActivations of
 *      native/kernels/test/test_activation.cc (a test fails until it is there).
 *   2. ts/bindings/elementwise.ts: 'foo' in UNARY_OPS.
 *   3. Here: its entry.
 *   4. ops/activation.ts: `export const foo = nativeActivation('foo');`, exported from ops/index.ts and
 *      nn/functional.ts (and as a Tensor method in tensor/methods.ts if it deserves one).
 *   5. nn/layers/activation.ts: `export class Foo extends activationLayer('foo') {}`, exported from
 *      nn/layers/index.ts (tsc refuses the entry until dd.nn exports its layer).
 *   6. Tests: forward and gradient against a reference in test/autograd/elementwise-grad.test.ts, the
 *      layer in test/io/layer-cases.ts (save/load, ONNX); test/nn/activation-table.test.ts checks
 *      what is derived (layer, by name, codec, converter) for every entry by itself.
 */
import type { UnaryOpName } from '../bindings/elementwise';

/** What an activation's ONNX form needs of the graph being built (io/onnx's OnnxGraphBuilder is one). */
export interface OnnxNodeSink {
  readonly opset: number;
  /** Adds a node with one output; returns the output's name. */
  node(opType: string, inputs: string[], base: string, attributes?: Record<string, { float: number }>): string;
  /** Adds a float scalar constant; returns its name. */
  scalar(base: string, value: number): string;
}

/** Adds the nodes computing the activation of value `x` (with parameter `param`, 0 when it has none); returns the result's name. */
export type OnnxForm = (g: OnnxNodeSink, x: string, base: string, param: number) => string;

export interface ActivationSpec {
  /** Its native op (ts/bindings/elementwise.ts), functional form and name in layer options. */
  readonly name: UnaryOpName;
  /** Its layer class in dd.nn, also the type name saveModel writes. */
  readonly layer: string;
  /** Subclasses of the layer under other names (same computation, own type name). */
  readonly aliases?: readonly string[];
  /** The one number it takes (layer field and constructor argument, functional argument, saved option). */
  readonly param?: { readonly name: string; readonly default: number };
  readonly onnx: OnnxForm;
}

/** One ONNX operator, the parameter written as its float attribute `attribute` where given. */
function onnxOp(opType: string, attribute?: string): OnnxForm {
  return (g, x, b, param) => g.node(opType, [x], b, attribute === undefined ? undefined : { [attribute]: { float: param } });
}

/** GELU: one Gelu node from opset 20; 0.5·x·(1 + erf(x/√2)) before it. */
const geluOnnx: OnnxForm = (g, x, b) => {
  if (g.opset >= 20) return g.node('Gelu', [x], b);
  const scaled = g.node('Mul', [x, g.scalar(`${b}.inv_sqrt2`, Math.SQRT1_2)], b);
  const onePlusErf = g.node('Add', [g.node('Erf', [scaled], b), g.scalar(`${b}.one`, 1)], b);
  const half = g.node('Mul', [x, g.scalar(`${b}.half`, 0.5)], b);
  return g.node('Mul', [half, onePlusErf], b);
};

/** SiLU: x · Sigmoid(x). */
const siluOnnx: OnnxForm = (g, x, b) => g.node('Mul', [x, g.node('Sigmoid', [x], b)], b);

/** In the order ACTIVATION_NAMES lists them (and error messages name them). */
export const ACTIVATIONS = [
  { name: 'relu', layer: 'ReLU', onnx: onnxOp('Relu') },
  { name: 'tanh', layer: 'Tanh', onnx: onnxOp('Tanh') },
  { name: 'sigmoid', layer: 'Sigmoid', aliases: ['Logistic'], onnx: onnxOp('Sigmoid') },
  { name: 'elu', layer: 'ELU', param: { name: 'alpha', default: 1 }, onnx: onnxOp('Elu', 'alpha') },
  { name: 'gelu', layer: 'GELU', onnx: geluOnnx }, // exact (erf) form
  { name: 'silu', layer: 'SiLU', onnx: siluOnnx },
  { name: 'softplus', layer: 'Softplus', onnx: onnxOp('Softplus') },
  { name: 'leakyRelu', layer: 'LeakyReLU', param: { name: 'negativeSlope', default: 0.01 }, onnx: onnxOp('LeakyRelu', 'alpha') },
] as const satisfies readonly ActivationSpec[];

type Entry = (typeof ACTIVATIONS)[number];

/** The name of an activation of the table. */
export type ActivationOpName = Entry['name'];

/** The table entry of activation N, with its literal types. */
export type ActivationEntry<N extends ActivationOpName> = Extract<Entry, { readonly name: N }>;

/** Every layer class name the table gives (layers and their aliases). */
export type ActivationLayerName = Entry['layer'] | Extract<Entry, { readonly aliases: unknown }>['aliases'][number];

/** The entry of activation `name`. */
export function activationEntry<N extends ActivationOpName>(name: N): ActivationEntry<N> & ActivationSpec {
  const entry = ACTIVATIONS.find((a) => a.name === name);
  if (entry === undefined) throw new RangeError(`activation '${name}' is not in the activation table`);
  return entry as ActivationEntry<N> & ActivationSpec;
}

/** The layer class names of an entry: its layer, then its aliases. */
export function layerNamesOf(entry: ActivationSpec): readonly ActivationLayerName[] {
  return [entry.layer, ...(entry.aliases ?? [])] as ActivationLayerName[];
}
