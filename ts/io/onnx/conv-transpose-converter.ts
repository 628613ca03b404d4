/**
 * ONNX converter for ConvTranspose2d. ONNX keeps PyTorch's weight layout
 * [in, out/groups, kh, kw] and output-size rule (stride·(in − 1) +
 * outputPadding + dilation·(k − 1) + 1 − the two pads), so the layer is one
 * ConvTranspose node. onnxruntime refuses an output padding as large as the
 * stride, which PyTorch allows when the dilation is larger; such a layer is
 * written as the same arithmetic in three nodes: ConvTranspose without
 * output padding, whose bottom and right pads shrink by it instead (the full
 * output is cropped less); Pad with zero rows and columns where it exceeds
 * the padding (they receive no input); then Add the bias.
 */
import { ConvTranspose2d } from '../../nn/layers/conv-transpose';
import { base, child } from './converters';
import { OnnxConverter, registerOnnxConverter } from './graph-builder';

const convTranspose2d: OnnxConverter<ConvTranspose2d> = (m, x, g, path) => {
  const b = base(path);
  const weight = g.constant(child(path, 'weight'), m.weight._typed() as Float32Array, m.weight.shape);
  const biasData = m.bias === null ? null : (m.bias._typed() as Float32Array);
  const attributes = { kernel_shape: [...m.kernelSize], strides: [...m.stride], dilations: [...m.dilation], group: m.groups };
  const [ph, pw] = m.padding, [oph, opw] = m.outputPadding;
  const sample = m.forward(x.sample);
  if (oph < m.stride[0] && opw < m.stride[1]) {
    const inputs = biasData === null ? [x.name, weight] : [x.name, weight, g.constant(child(path, 'bias'), biasData, [m.outChannels])];
    return { name: g.node('ConvTranspose', inputs, b, { ...attributes, pads: [ph, pw, ph, pw], output_padding: [oph, opw] }), sample };
  }
  let y = g.node('ConvTranspose', [x.name, weight], b, { ...attributes, pads: [ph, pw, Math.max(ph - oph, 0), Math.max(pw - opw, 0)] });
  const extra = [Math.max(oph - ph, 0), Math.max(opw - pw, 0)];
  if (extra[0] > 0 || extra[1] > 0) {
    const pads = g.constant(`${b}.output_padding`, BigInt64Array.from([0, 0, 0, 0, 0, 0, extra[0], extra[1]], BigInt), [8]);
    y = g.node('Pad', [y, pads], b);
  }
  if (biasData !== null) y = g.node('Add', [y, g.constant(child(path, 'bias'), biasData, [m.outChannels, 1, 1])], b);
  return { name: y, sample };
};

registerOnnxConverter(ConvTranspose2d, convTranspose2d);
