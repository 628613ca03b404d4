/**
 * ONNX converters for the normalization layers (inference semantics):
 *   BatchNorm1d/2d     BatchNormalization with the running statistics; a layer without
 *                      running statistics (batch statistics in evaluation too) is spelled out:
 *                      (x − mean)/√(var + eps)·weight + bias over the batch and spatial axes
 *   LayerNorm          LayerNormalization from opset 17, the same spelled out before it
 *   LocalResponseNorm  LRN on 4-D input with an odd size, where ONNX's channel window is
 *                      PyTorch's; otherwise PyTorch's own formulation: Σx² over the window by
 *                      Pad + AveragePool across channels, then x / (k + alpha·mean)^beta
 * Weights and running statistics are written under their state-dict names.
 */
import { BatchNorm1d, BatchNorm2d, LayerNorm, LocalResponseNorm } from '../../nn/layers';
import type { Tensor } from '../../tensor/tensor';
import { base, child } from './converters';
import { OnnxConverter, OnnxGraphBuilder, registerOnnxConverter } from './graph-builder';

function values(t: Tensor): Float32Array {
  return t._typed() as Float32Array;
}

function int64(g: OnnxGraphBuilder, name: string, v: readonly number[]): string {
  return g.constant(name, BigInt64Array.from(v, (d) => BigInt(d)), [v.length]);
}

/** The mean over `axes`, kept as size-1 axes (the axes moved from an attribute to an input in opset 18). */
function reduceMean(g: OnnxGraphBuilder, x: string, axes: readonly number[], b: string): string {
  if (g.opset >= 18) return g.node('ReduceMean', [x, int64(g, `${b}.axes`, axes)], b, { keepdims: 1 });
  return g.node('ReduceMean', [x], b, { axes: [...axes], keepdims: 1 });
}

/** (x − mean)/√(var + eps) with the mean and biased variance of x over `axes`. */
function standardize(g: OnnxGraphBuilder, x: string, axes: readonly number[], eps: number, b: string): string {
  const centered = g.node('Sub', [x, reduceMean(g, x, axes, b)], b);
  const variance = reduceMean(g, g.node('Mul', [centered, centered], b), axes, b);
  const std = g.node('Sqrt', [g.node('Add', [variance, g.scalar(`${b}.eps`, eps)], b)], b);
  return g.node('Div', [centered, std], b);
}

/** value·weight + bias (either may be null), the parameters shaped `dims` to broadcast. */
function affine(g: OnnxGraphBuilder, value: string, m: { weight: Tensor | null; bias: Tensor | null }, dims: readonly number[], path: string): string {
  let y = value;
  if (m.weight !== null) y = g.node('Mul', [y, g.constant(child(path, 'weight'), values(m.weight), dims)], base(path));
  if (m.bias !== null) y = g.node('Add', [y, g.constant(child(path, 'bias'), values(m.bias), dims)], base(path));
  return y;
}

/** A layer's parameter, or the constant `fill` of `dims` where the layer has none (ONNX requires the input). */
function parameterOr(g: OnnxGraphBuilder, t: Tensor | null, path: string, name: string, fill: number, dims: readonly number[]): string {
  if (t !== null) return g.constant(child(path, name), values(t), dims);
  return g.constant(`${base(path)}.${name}`, new Float32Array(dims.reduce((a, d) => a * d, 1)).fill(fill), dims);
}

const batchNorm: OnnxConverter<BatchNorm1d | BatchNorm2d> = (m, x, g, path) => {
  const sample = m.forward(x.sample);
  const b = base(path);
  const c = m.numFeatures;
  const rank = x.sample.ndim;
  if (m.runningMean === null || m.runningVar === null) {
    const axes = [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2)];
    const dims = [c, ...new Array<number>(rank - 2).fill(1)];
    return { name: affine(g, standardize(g, x.name, axes, m.eps, b), m, dims, path), sample };
  }
  const inputs = [
    x.name,
    parameterOr(g, m.weight, path, 'weight', 1, [c]),
    parameterOr(g, m.bias, path, 'bias', 0, [c]),
    g.constant(child(path, 'running_mean'), values(m.runningMean), [c]),
    g.constant(child(path, 'running_var'), values(m.runningVar), [c]),
  ];
  return { name: g.node('BatchNormalization', inputs, b, { epsilon: { float: m.eps } }), sample };
};

const layerNorm: OnnxConverter<LayerNorm> = (m, x, g, path) => {
  const sample = m.forward(x.sample);
  const shape = m.normalizedShape;
  const b = base(path);
  if (g.opset >= 17) {
    const inputs = [x.name, parameterOr(g, m.weight, path, 'weight', 1, shape)];
    if (m.bias !== null) inputs.push(g.constant(child(path, 'bias'), values(m.bias), shape));
    return { name: g.node('LayerNormalization', inputs, b, { axis: -shape.length, epsilon: { float: m.eps } }), sample };
  }
  const axes = shape.map((_, i) => i - shape.length);
  return { name: affine(g, standardize(g, x.name, axes, m.eps, b), m, shape, path), sample };
};

const localResponseNorm: OnnxConverter<LocalResponseNorm> = (m, x, g, path) => {
  const sample = m.forward(x.sample);
  const b = base(path);
  if (x.sample.ndim === 4 && m.size % 2 === 1) {
    const attributes = { size: m.size, alpha: { float: m.alpha }, beta: { float: m.beta }, bias: { float: m.k } };
    return { name: g.node('LRN', [x.name], b, attributes), sample };
  }
  // ONNX's window is c − ⌊(size−1)/2⌋ … c + ⌈(size−1)/2⌉, one channel later than PyTorch's for even sizes.
  const [, c, ...rest] = x.sample.shape;
  const squares = g.node('Mul', [x.name, x.name], b);
  const planes = g.node('Reshape', [squares, int64(g, `${b}.planes`, [0, 1, c, -1])], b);
  const pads = [0, 0, Math.floor(m.size / 2), 0, 0, 0, Math.floor((m.size - 1) / 2), 0];
  const padded = g.node('Pad', [planes, int64(g, `${b}.pads`, pads)], b);
  const means = g.node('AveragePool', [padded], b, { kernel_shape: [m.size, 1], strides: [1, 1] });
  const windowMeans = g.node('Reshape', [means, int64(g, `${b}.shape`, [0, c, ...rest])], b);
  const scaled = g.node('Add', [g.node('Mul', [windowMeans, g.scalar(`${b}.alpha`, m.alpha)], b), g.scalar(`${b}.k`, m.k)], b);
  return { name: g.node('Div', [x.name, g.node('Pow', [scaled, g.scalar(`${b}.beta`, m.beta)], b)], b), sample };
};

registerOnnxConverter(BatchNorm1d, batchNorm);
registerOnnxConverter(BatchNorm2d, batchNorm);
registerOnnxConverter(LayerNorm, layerNorm);
registerOnnxConverter(LocalResponseNorm, localResponseNorm);
