/**
 * ONNX converters of the pooling and resizing layers:
 *   MaxPool2d / AvgPool2d     MaxPool / AveragePool (ceil_mode, dilations, count_include_pad)
 *   AdaptiveAvgPool2d         GlobalAveragePool for a 1×1 output, AveragePool when the output divides the input
 *   AdaptiveMaxPool2d         GlobalMaxPool / MaxPool likewise
 *   GlobalAvgPool2d           GlobalAveragePool, then Flatten to [N, C] unless keepDims
 *   Upsample                  Resize: 'nearest' as asymmetric + floor, 'bilinear' as linear with half_pixel
 *                             or align_corners, with the sizes or the scale factors torch's coordinates use
 * ONNX has no adaptive pooling whose bins overlap; such layers are refused with the reason.
 */
import { AdaptiveAvgPool2d, AdaptiveMaxPool2d, AvgPool2d, GlobalAvgPool2d, MaxPool2d, Upsample } from '../../nn/layers';
import type { Module } from '../../nn/module';
import { base, child } from './converters';
import { OnnxConverter, OnnxGraphBuilder, registerOnnxConverter } from './graph-builder';

function windowAttributes(m: MaxPool2d | AvgPool2d): Record<string, number | number[]> {
  const [ph, pw] = m.padding;
  return { kernel_shape: [...m.kernelSize], strides: [...m.stride], pads: [ph, pw, ph, pw], ceil_mode: m.ceilMode ? 1 : 0 };
}

const maxPool2d: OnnxConverter<MaxPool2d> = (m, x, g, path) => ({
  name: g.node('MaxPool', [x.name], base(path), { ...windowAttributes(m), dilations: [...m.dilation] }),
  sample: m.forward(x.sample),
});

const avgPool2d: OnnxConverter<AvgPool2d> = (m, x, g, path) => ({
  name: g.node('AveragePool', [x.name], base(path), { ...windowAttributes(m), count_include_pad: m.countIncludePad ? 1 : 0 }),
  sample: m.forward(x.sample),
});

/**
 * An adaptive pool as a global pool (1×1 output) or a plain window pool
 * (output dividing the input: every bin is then a k×k window at stride k).
 */
function adaptive(globalOp: string, windowOp: string, layer: string): OnnxConverter<AdaptiveAvgPool2d | AdaptiveMaxPool2d> {
  return (m, x, g, path) => {
    const sample = m.forward(x.sample);
    const [h, w] = x.sample.shape.slice(2);
    const [oh, ow] = sample.shape.slice(2);
    if (oh === 1 && ow === 1) return { name: g.node(globalOp, [x.name], base(path)), sample };
    if (h % oh !== 0 || w % ow !== 0) {
      throw new TypeError(
        `exportOnnx: ${path || 'the model'} (${layer}) pools [${h}, ${w}] to [${oh}, ${ow}], which does not divide it: ` +
          `its bins overlap and ONNX has no operator for that (an output of [1, 1] or one that divides the input exports as ${globalOp} or ${windowOp})`,
      );
    }
    const kernel = [h / oh, w / ow];
    return { name: g.node(windowOp, [x.name], base(path), { kernel_shape: kernel, strides: kernel }), sample };
  };
}

const globalAvgPool2d: OnnxConverter<GlobalAvgPool2d> = (m, x, g, path) => {
  const pooled = g.node('GlobalAveragePool', [x.name], base(path));
  return { name: m.keepDims ? pooled : g.node('Flatten', [pooled], base(path), { axis: 1 }), sample: m.forward(x.sample) };
};

/** Resize's output size [N, C, oh, ow] from the input's own N and C (the batch axis is dynamic). */
function resizeSizes(g: OnnxGraphBuilder, x: string, b: string, oh: number, ow: number): string {
  const shape = g.node('Shape', [x], b);
  const int64 = (name: string, values: number[]) => g.constant(`${b}.${name}`, BigInt64Array.from(values, (v) => BigInt(v)), [values.length]);
  const batchAndChannels = g.node('Slice', [shape, int64('starts', [0]), int64('ends', [2]), int64('axes', [0])], b);
  return g.node('Concat', [batchAndChannels, int64('size', [oh, ow])], b, { axis: 0 });
}

/** ORT's output extent for a scale: the float32 product, truncated. */
function onnxExtent(size: number, scale: number): number {
  return Math.trunc(Math.fround(Math.fround(scale) * size));
}

/**
 * The scales Resize needs to place source points where torch does, or null
 * when the output size alone does (torch then uses in/out). Torch uses
 * 1/scaleFactor, except on an axis whose output equals the input (a copy) or,
 * for 'nearest', twice it (index halved); there in/out is exact (1 or 2).
 */
function torchScales(m: Upsample, path: string, h: number, w: number, oh: number, ow: number): number[] | null {
  if (m.scaleFactor === null || m.recomputeScaleFactor) return null;
  const axis = (size: number, out: number, factor: number, name: string): number => {
    if (out === size || (m.mode === 'nearest' && out === 2 * size)) return out / size;
    if (onnxExtent(size, factor) !== out) {
      throw new TypeError(
        `exportOnnx: ${path || 'the model'} (Upsample): scaleFactor ${factor} on ${name} ${size} gives ${out} in torch's double arithmetic ` +
          `but ${onnxExtent(size, factor)} in ONNX Resize's float32 arithmetic; give the layer a size, or recomputeScaleFactor: true`,
      );
    }
    return factor;
  };
  const [fh, fw] = m.scaleFactor;
  return [1, 1, axis(h, oh, fh, 'height'), axis(w, ow, fw, 'width')];
}

const upsample: OnnxConverter<Upsample> = (m, x, g, path) => {
  const b = base(path);
  const sample = m.forward(x.sample);
  const [h, w] = x.sample.shape.slice(2);
  const [oh, ow] = sample.shape.slice(2);
  const attributes: Record<string, string> = m.mode === 'nearest'
    ? { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' }
    : { mode: 'linear', coordinate_transformation_mode: m.alignCorners ? 'align_corners' : 'half_pixel' };
  const scales = torchScales(m, path, h, w, oh, ow);
  const inputs = scales === null
    ? [x.name, '', '', resizeSizes(g, x.name, b, oh, ow)]
    : [x.name, '', g.constant(child(path, 'scales'), Float32Array.from(scales), [4])];
  return { name: g.node('Resize', inputs, b, attributes), sample };
};

const CONVERTERS: Array<[abstract new (...args: never[]) => Module, OnnxConverter<never>]> = [
  [MaxPool2d, maxPool2d as OnnxConverter<never>],
  [AvgPool2d, avgPool2d as OnnxConverter<never>],
  [AdaptiveAvgPool2d, adaptive('GlobalAveragePool', 'AveragePool', 'AdaptiveAvgPool2d') as OnnxConverter<never>],
  [AdaptiveMaxPool2d, adaptive('GlobalMaxPool', 'MaxPool', 'AdaptiveMaxPool2d') as OnnxConverter<never>],
  [GlobalAvgPool2d, globalAvgPool2d as OnnxConverter<never>],
  [Upsample, upsample as OnnxConverter<never>],
];

for (const [cls, converter] of CONVERTERS) registerOnnxConverter(cls, converter as unknown as OnnxConverter);
