/**
 * ONNX converters for the deep-network blocks (registered when dd.nn has
 * them, as their description codecs are):
 *   Highway         y = x + T·(H − x), H = act(transform(x)), T = Sigmoid(gate(x))
 *   Residual        y = x + block(x)
 *   ResidualDense   y = x + fc2(act(fc1(x)))
 *   ResidualConv2d  y = Relu(conv2(Relu(conv1(x))) + shortcut(x)), shortcut the identity or a 1×1 Conv
 * Activations named in options map to their ONNX forms (activation-converters.ts) with dd's defaults
 * (LeakyRelu slope 0.01, Elu alpha 1); 'linear' adds nothing.
 */
import type { Module } from '../../nn/module';
import { layerClassNamed } from '../layers/blocks';
import { namedActivationNodes } from './activation-converters';
import { base, child } from './converters';
import { OnnxConverter, OnnxGraphBuilder, OnnxValue, registerOnnxConverter } from './graph-builder';

/** Converts a child layer, then applies a named activation to its output. */
function withActivation(g: OnnxGraphBuilder, layer: Module, x: OnnxValue, path: string, act: string): string {
  return namedActivationNodes(g, act, g.convert(layer, x, path).name, base(path));
}

interface HighwayLike extends Module {
  readonly activation: string;
  transform: Module;
  gate: Module;
}
interface ResidualLike extends Module {
  block: Module;
}
interface ResidualDenseLike extends Module {
  readonly activation: string;
  fc1: Module;
  fc2: Module;
}
interface ResidualConv2dLike extends Module {
  conv1: Module;
  conv2: Module;
  shortcut: Module | null;
}

const highway: OnnxConverter<HighwayLike> = (m, x, g, path) => {
  const b = base(path);
  const h = withActivation(g, m.transform, x, child(path, 'transform'), m.activation);
  const t = g.node('Sigmoid', [g.convert(m.gate, x, child(path, 'gate')).name], b);
  const y = g.node('Add', [x.name, g.node('Mul', [t, g.node('Sub', [h, x.name], b)], b)], b);
  return { name: y, sample: m.forward(x.sample) };
};

const residual: OnnxConverter<ResidualLike> = (m, x, g, path) => {
  const fx = g.convert(m.block, x, child(path, 'block'));
  return { name: g.node('Add', [x.name, fx.name], base(path)), sample: m.forward(x.sample) };
};

const residualDense: OnnxConverter<ResidualDenseLike> = (m, x, g, path) => {
  const hidden = g.convert(m.fc1, x, child(path, 'fc1'));
  const activated = { name: namedActivationNodes(g, m.activation, hidden.name, base(path)), sample: hidden.sample };
  const fx = g.convert(m.fc2, activated, child(path, 'fc2'));
  return { name: g.node('Add', [x.name, fx.name], base(path)), sample: m.forward(x.sample) };
};

const residualConv2d: OnnxConverter<ResidualConv2dLike> = (m, x, g, path) => {
  const b = base(path);
  const first = g.convert(m.conv1, x, child(path, 'conv1'));
  const fx = g.convert(m.conv2, { name: g.node('Relu', [first.name], b), sample: first.sample }, child(path, 'conv2'));
  const skip = m.shortcut === null ? x.name : g.convert(m.shortcut, x, child(path, 'shortcut')).name;
  return { name: g.node('Relu', [g.node('Add', [skip, fx.name], b)], b), sample: m.forward(x.sample) };
};

const BLOCKS: Array<[string, OnnxConverter<never>]> = [
  ['Highway', highway as OnnxConverter<never>],
  ['Residual', residual as OnnxConverter<never>],
  ['ResidualDense', residualDense as OnnxConverter<never>],
  ['ResidualConv2d', residualConv2d as OnnxConverter<never>],
];

for (const [name, converter] of BLOCKS) {
  const cls = layerClassNamed(name);
  if (cls) registerOnnxConverter(cls, converter as unknown as OnnxConverter);
}
