/**
 * ONNX converters for dd.nn's layers (inference semantics: dropout is the
 * identity). Weights are written under their state-dict names.
 *   Linear      Gemm (transB) on 2-D input; MatMul by Wᵀ then Add otherwise
 *   Conv2d      Conv (group; 'same' as explicit pads)
 *   ConvTranspose2d  ConvTranspose (conv-transpose-converter.ts)
 *   MaxPool2d, AvgPool2d, adaptive pools, Upsample   pool-converters.ts
 *   Flatten     Flatten (startDim 1 to the end) or Reshape
 *   Embedding   Gather          Dropout, Dropout2d, Identity   Identity
 *   Softmax, LogSoftmax   their ONNX namesakes
 *   ReLU, GELU and the other activations   activation-converters.ts (from the activation table)
 *   Sequential  its layers in turn
 */
import { Conv2d, Dropout, Dropout2d, Embedding, Flatten, Identity, Linear, LogSoftmax, Sequential, Softmax } from '../../nn/layers';
import type { Module } from '../../nn/module';
import { OnnxConverter, OnnxGraphBuilder, OnnxValue, registerOnnxConverter } from './graph-builder';

/** The base name of a layer's nodes and constants. */
export function base(path: string): string {
  return path === '' ? 'model' : path;
}

export function child(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}

/** A layer that is one ONNX operator applied to its input. */
function unary<M extends Module>(opType: string, attributes?: (m: M) => Record<string, number | { float: number }>): OnnxConverter<M> {
  return (m, x, g, path) => ({ name: g.node(opType, [x.name], base(path), attributes?.(m)), sample: m.forward(x.sample) });
}

function weights(t: { _typed(): unknown }): Float32Array {
  return t._typed() as Float32Array;
}

const linear: OnnxConverter<Linear> = (m, x, g, path) => {
  const sample = m.forward(x.sample);
  const w = weights(m.weight);
  const biasOf = () => (m.bias === null ? null : g.constant(child(path, 'bias'), weights(m.bias), m.bias.shape));
  if (x.sample.ndim === 2) {
    const inputs = [x.name, g.constant(child(path, 'weight'), w, m.weight.shape)];
    const bias = biasOf();
    if (bias !== null) inputs.push(bias);
    return { name: g.node('Gemm', inputs, base(path), { transB: 1 }), sample };
  }
  // Other ranks: MatMul broadcasts over the leading axes, with the weight stored transposed [in, out].
  const [out, inp] = m.weight.shape;
  const wt = new Float32Array(w.length);
  for (let o = 0; o < out; o++) for (let i = 0; i < inp; i++) wt[i * out + o] = w[o * inp + i];
  let y = g.node('MatMul', [x.name, g.constant(`${child(path, 'weight')}.T`, wt, [inp, out])], base(path));
  const bias = biasOf();
  if (bias !== null) y = g.node('Add', [y, bias], base(path));
  return { name: y, sample };
};

const conv2d: OnnxConverter<Conv2d> = (m, x, g, path) => {
  const inputs = [x.name, g.constant(child(path, 'weight'), weights(m.weight), m.weight.shape)];
  if (m.bias !== null) inputs.push(g.constant(child(path, 'bias'), weights(m.bias), m.bias.shape));
  // 'same' and 'valid' are written as the explicit pads they mean.
  const [ph, pw] = m.zeroPadding();
  const name = g.node('Conv', inputs, base(path), {
    kernel_shape: [...m.kernelSize], strides: [...m.stride], pads: [ph, pw, ph, pw], dilations: [...m.dilation], group: m.groups,
  });
  return { name, sample: m.forward(x.sample) };
};

const flatten: OnnxConverter<Flatten> = (m, x, g, path) => {
  const sample = m.forward(x.sample);
  const rank = x.sample.ndim;
  const start = m.startDim < 0 ? m.startDim + rank : m.startDim;
  const end = m.endDim < 0 ? m.endDim + rank : m.endDim;
  if (start === 1 && end === rank - 1) return { name: g.node('Flatten', [x.name], base(path), { axis: 1 }), sample };
  // Reshape: 0 keeps an axis as it is (the batch axis among them), -1 takes what the merged axes hold.
  const target: number[] = [];
  for (let i = 0; i < start; i++) target.push(0);
  target.push(-1);
  for (let i = end + 1; i < rank; i++) target.push(x.sample.shape[i]);
  const shape = g.constant(`${base(path)}.shape`, BigInt64Array.from(target, (v) => BigInt(v)), [target.length]);
  return { name: g.node('Reshape', [x.name, shape], base(path)), sample };
};

const embedding: OnnxConverter<Embedding> = (m, x, g, path) => {
  const table = g.constant(child(path, 'weight'), weights(m.weight), m.weight.shape);
  return { name: g.node('Gather', [table, x.name], base(path), { axis: 0 }), sample: m.forward(x.sample) };
};

const identity: OnnxConverter<Module> = (m, x, g, path) => ({ name: g.node('Identity', [x.name], base(path)), sample: m.forward(x.sample) });

const sequential: OnnxConverter<Sequential> = (m, x, g, path) => {
  let y: OnnxValue = x;
  let i = 0;
  for (const layer of m) y = g.convert(layer, y, child(path, String(i++)));
  return y;
};

registerOnnxConverter(Sequential, sequential);
registerOnnxConverter(Linear, linear);
registerOnnxConverter(Conv2d, conv2d);
registerOnnxConverter(Flatten, flatten);
registerOnnxConverter(Embedding, embedding);
registerOnnxConverter(Dropout, identity);
registerOnnxConverter(Dropout2d, identity);
registerOnnxConverter(Identity, identity);
registerOnnxConverter(Softmax, unary<Softmax>('Softmax', (m) => ({ axis: m.dim })));
registerOnnxConverter(LogSoftmax, unary<LogSoftmax>('LogSoftmax', (m) => ({ axis: m.dim })));

export type { OnnxGraphBuilder };

// Registered here so that every importer of the layer converters gets them.
import './conv-transpose-converter';
import './activation-converters';
