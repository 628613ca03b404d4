/**
 * Codecs for the normalization layers: BatchNorm1d, BatchNorm2d, LayerNorm
 * and LocalResponseNorm, with their constructor options under the names the
 * constructors use (BatchNorm's momentum may be null: the cumulative average).
 * Batch norm reserves its parameters and its running statistics (buffers the
 * weights file holds too).
 */
import { BatchNorm1d, BatchNorm2d, LayerNorm, LocalResponseNorm } from '../../nn/layers';
import type { ConfigReader } from './config-reader';
import { LayerCodec, registerLayer } from './registry';

type BatchNorm = BatchNorm1d | BatchNorm2d;

function batchNormCodec<M extends BatchNorm>(type: string, layerClass: new (numFeatures: number, options: object) => M): LayerCodec<M> {
  return {
    type,
    layerClass,
    toConfig: (m) => ({ numFeatures: m.numFeatures, eps: m.eps, momentum: m.momentum, affine: m.affine, trackRunningStats: m.trackRunningStats }),
    fromConfig: (r: ConfigReader) => {
      const numFeatures = r.integer('numFeatures', 1);
      const eps = r.number('eps', 0, undefined, 1e-5);
      const momentum = r.numberOrNull('momentum', undefined, undefined, 0.1);
      const affine = r.boolean('affine', true);
      const trackRunningStats = r.boolean('trackRunningStats', true);
      r.finish();
      // weight and bias; running_mean, running_var and num_batches_tracked.
      r.reserveParameters((affine ? 2 * numFeatures : 0) + (trackRunningStats ? 2 * numFeatures + 1 : 0));
      return new layerClass(numFeatures, { eps, momentum, affine, trackRunningStats });
    },
  };
}

const layerNorm: LayerCodec<LayerNorm> = {
  type: 'LayerNorm',
  layerClass: LayerNorm,
  toConfig: (m) => ({ normalizedShape: [...m.normalizedShape], eps: m.eps, elementwiseAffine: m.elementwiseAffine, bias: m.bias !== null || !m.elementwiseAffine }),
  fromConfig: (r) => {
    const normalizedShape = r.integers('normalizedShape', 1);
    const eps = r.number('eps', 0, undefined, 1e-5);
    const elementwiseAffine = r.boolean('elementwiseAffine', true);
    const bias = r.boolean('bias', true);
    r.finish();
    const size = normalizedShape.reduce((a, b) => a * b, 1);
    r.reserveParameters(elementwiseAffine ? size * (bias ? 2 : 1) : 0);
    return new LayerNorm(normalizedShape, { eps, elementwiseAffine, bias });
  },
};

const localResponseNorm: LayerCodec<LocalResponseNorm> = {
  type: 'LocalResponseNorm',
  layerClass: LocalResponseNorm,
  toConfig: (m) => ({ size: m.size, alpha: m.alpha, beta: m.beta, k: m.k }),
  fromConfig: (r) => {
    const size = r.integer('size', 1);
    const alpha = r.number('alpha', undefined, undefined, 1e-4);
    const beta = r.number('beta', undefined, undefined, 0.75);
    const k = r.number('k', undefined, undefined, 1);
    r.finish();
    return new LocalResponseNorm(size, { alpha, beta, k });
  },
};

for (const codec of [batchNormCodec('BatchNorm1d', BatchNorm1d), batchNormCodec('BatchNorm2d', BatchNorm2d), layerNorm, localResponseNorm] as LayerCodec[]) {
  registerLayer(codec);
}
