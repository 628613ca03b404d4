/**
 * Codecs of the pooling and resizing layers: MaxPool2d, AvgPool2d,
 * AdaptiveAvgPool2d, AdaptiveMaxPool2d, GlobalAvgPool2d and Upsample.
 * Options added later (ceilMode, dilation) are read with their defaults when
 * an older description lacks them.
 */
import {
  AdaptiveAvgPool2d, AdaptiveMaxPool2d, AvgPool2d, GlobalAvgPool2d, MaxPool2d, Upsample,
} from '../../nn/layers';
import type { InterpolateMode, InterpolateOptions } from '../../ops/upsample';
import type { ConfigReader } from './config-reader';
import { ConfigValue, LayerCodec, registerLayer } from './registry';

const maxPool2d: LayerCodec<MaxPool2d> = {
  type: 'MaxPool2d',
  layerClass: MaxPool2d,
  toConfig: (m) => ({
    kernelSize: [...m.kernelSize], stride: [...m.stride], padding: [...m.padding], dilation: [...m.dilation], ceilMode: m.ceilMode,
  }),
  fromConfig: (r) => {
    const kernelSize = r.pair('kernelSize', 1);
    const stride = r.pair('stride', 1);
    const padding = r.pair('padding', 0);
    const dilation = r.pair('dilation', 1, [1, 1]);
    const ceilMode = r.boolean('ceilMode', false);
    r.finish();
    return new MaxPool2d(kernelSize, { stride, padding, dilation, ceilMode });
  },
};

const avgPool2d: LayerCodec<AvgPool2d> = {
  type: 'AvgPool2d',
  layerClass: AvgPool2d,
  toConfig: (m) => ({
    kernelSize: [...m.kernelSize], stride: [...m.stride], padding: [...m.padding], ceilMode: m.ceilMode, countIncludePad: m.countIncludePad,
  }),
  fromConfig: (r) => {
    const kernelSize = r.pair('kernelSize', 1);
    const stride = r.pair('stride', 1);
    const padding = r.pair('padding', 0);
    const ceilMode = r.boolean('ceilMode', false);
    const countIncludePad = r.boolean('countIncludePad', true);
    r.finish();
    return new AvgPool2d(kernelSize, { stride, padding, ceilMode, countIncludePad });
  },
};

// An adaptive pool's outputSize is written [h, w] with 0, which no output size is, for null
// ("keep the input's size along this axis").
function readOutputSize(r: ConfigReader): [number | null, number | null] {
  const [h, w] = r.pair('outputSize', 0);
  return [h === 0 ? null : h, w === 0 ? null : w];
}

function adaptiveCodec<M extends AdaptiveAvgPool2d | AdaptiveMaxPool2d>(
  type: string, layerClass: new (size: [number | null, number | null]) => M,
): LayerCodec<M> {
  return {
    type,
    layerClass,
    toConfig: (m) => ({ outputSize: [m.outputSize[0] ?? 0, m.outputSize[1] ?? 0] }),
    fromConfig: (r) => {
      const size = readOutputSize(r);
      r.finish();
      return new layerClass(size);
    },
  };
}

const globalAvgPool2d: LayerCodec<GlobalAvgPool2d> = {
  type: 'GlobalAvgPool2d',
  layerClass: GlobalAvgPool2d,
  toConfig: (m) => ({ keepDims: m.keepDims }),
  fromConfig: (r) => {
    const keepDims = r.boolean('keepDims', false);
    r.finish();
    return new GlobalAvgPool2d({ keepDims });
  },
};

const upsample: LayerCodec<Upsample> = {
  type: 'Upsample',
  layerClass: Upsample,
  toConfig: (m) => m.options() as { [key: string]: ConfigValue },
  fromConfig: (r) => {
    const options: InterpolateOptions = { mode: r.string('mode', 'nearest') as InterpolateMode };
    const size = r.pair('size', 1, null);
    const scaleFactor = r.positivePair('scaleFactor', null);
    if (size !== null) options.size = size;
    if (scaleFactor !== null) options.scaleFactor = scaleFactor;
    const alignCorners = r.boolean('alignCorners', false);
    if (options.mode === 'bilinear') options.alignCorners = alignCorners;
    if (r.boolean('recomputeScaleFactor', false)) options.recomputeScaleFactor = true;
    r.finish();
    try {
      return new Upsample(options);
    } catch (e) {
      return r.fail(e instanceof Error ? e.message : String(e));
    }
  },
};

export const POOL_LAYER_CODECS: readonly LayerCodec[] = [
  maxPool2d, avgPool2d, adaptiveCodec('AdaptiveAvgPool2d', AdaptiveAvgPool2d), adaptiveCodec('AdaptiveMaxPool2d', AdaptiveMaxPool2d),
  globalAvgPool2d, upsample,
] as unknown as LayerCodec[];

for (const codec of POOL_LAYER_CODECS) registerLayer(codec);
