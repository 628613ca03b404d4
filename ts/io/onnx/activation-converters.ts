/**
 * ONNX converters of the activation layers and the nodes of activations named
 * in block options, both from the ONNX forms of the activation table
 * (ops/activation-table.ts): ReLU, Sigmoid, Tanh, LeakyReLU, ELU, Softplus
 * their ONNX namesakes; GELU Gelu from opset 20, 0.5·x·(1 + erf(x/√2)) before
 * it; SiLU x · Sigmoid(x).
 */
import * as layers from '../../nn/layers';
import type { Module } from '../../nn/module';
import { ACTIVATIONS, ActivationSpec, layerNamesOf } from '../../ops/activation-table';
import { base } from './converters';
import { OnnxConverter, OnnxGraphBuilder, registerOnnxConverter } from './graph-builder';

function activationConverter({ param, onnx }: ActivationSpec): OnnxConverter<Module> {
  return (m, x, g, path) => ({
    name: onnx(g, x.name, base(path), param === undefined ? 0 : (m as unknown as Record<string, number>)[param.name]),
    sample: m.forward(x.sample),
  });
}

for (const entry of ACTIVATIONS) {
  const converter = activationConverter(entry);
  for (const type of layerNamesOf(entry)) registerOnnxConverter(layers[type], converter);
}

/** Nodes of an activation named in a block's options, with its default parameter; 'linear' adds none. */
export function namedActivationNodes(g: OnnxGraphBuilder, name: string, x: string, b: string): string {
  if (name === 'linear') return x;
  const entry: ActivationSpec | undefined = ACTIVATIONS.find((a) => a.name === name);
  if (entry === undefined) throw new TypeError(`exportOnnx: ${b}: activation ${JSON.stringify(name)} has no ONNX form`);
  return entry.onnx(g, x, b, entry.param === undefined ? 0 : entry.param.default);
}
