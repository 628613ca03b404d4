/**
 * Codecs for every layer of dd.nn. Options are written with the names the
 * layers' constructors use; a parameterised layer reserves its parameter
 * count before it is constructed (see ConfigReader.reserveParameters).
 */
import { Conv2d, Dropout, Dropout2d, Embedding, Flatten, Identity, Linear, LogSoftmax, Sequential, Softmax } from '../../nn/layers';
import type { Module } from '../../nn/module';
import type { ConfigReader } from './config-reader';
import { LayerClass, LayerCodec, registerLayer } from './registry';
// The activation layers, from the activation table.
import './activation-codecs';
import './norm-codecs';
// Pooling and resizing layers (MaxPool2d, AvgPool2d, adaptive pools, Upsample).
import './pool-codecs';

/** A layer without options (Identity). */
function plain<M extends Module>(type: string, layerClass: LayerClass<M> & (new () => M)): LayerCodec<M> {
  return {
    type,
    layerClass,
    toConfig: () => ({}),
    fromConfig: (r: ConfigReader) => {
      r.finish();
      return new layerClass();
    },
  };
}

function dropoutCodec<M extends Dropout | Dropout2d>(type: string, layerClass: new (p: number) => M): LayerCodec<M> {
  return {
    type,
    layerClass,
    toConfig: (m) => ({ p: m.p }),
    fromConfig: (r) => {
      const p = r.number('p', 0, 1);
      r.finish();
      return new layerClass(p);
    },
  };
}

function softmaxCodec<M extends Softmax | LogSoftmax>(type: string, layerClass: new (dim: number) => M): LayerCodec<M> {
  return {
    type,
    layerClass,
    toConfig: (m) => ({ dim: m.dim }),
    fromConfig: (r) => {
      const dim = r.integer('dim', -64, undefined, 63);
      r.finish();
      return new layerClass(dim);
    },
  };
}

const sequential: LayerCodec<Sequential> = {
  type: 'Sequential',
  layerClass: Sequential,
  toConfig: (m, describe) => ({ layers: [...m].map((layer) => describe(layer)) }),
  fromConfig: (r) => {
    const layers = r.layers('layers');
    r.finish();
    return new Sequential(...layers);
  },
};

const linear: LayerCodec<Linear> = {
  type: 'Linear',
  layerClass: Linear,
  toConfig: (m) => ({ inFeatures: m.inFeatures, outFeatures: m.outFeatures, bias: m.bias !== null }),
  fromConfig: (r) => {
    const inFeatures = r.integer('inFeatures', 1);
    const outFeatures = r.integer('outFeatures', 1);
    const bias = r.boolean('bias', true);
    r.finish();
    r.reserveParameters(inFeatures * outFeatures + (bias ? outFeatures : 0));
    return new Linear(inFeatures, outFeatures, { bias });
  },
};

// padding is a pair or 'same' / 'valid'; groups is written only when not 1,
// and files without it (older ones) load with groups 1.
const conv2d: LayerCodec<Conv2d> = {
  type: 'Conv2d',
  layerClass: Conv2d,
  toConfig: (m) => ({
    inChannels: m.inChannels,
    outChannels: m.outChannels,
    kernelSize: [...m.kernelSize],
    stride: [...m.stride],
    padding: typeof m.padding === 'string' ? m.padding : [...m.padding],
    dilation: [...m.dilation],
    ...(m.groups !== 1 ? { groups: m.groups } : {}),
    bias: m.bias !== null,
  }),
  fromConfig: (r) => {
    const inChannels = r.integer('inChannels', 1);
    const outChannels = r.integer('outChannels', 1);
    const kernelSize = r.pair('kernelSize', 1);
    const stride = r.pair('stride', 1);
    const padding = r.pairOrName('padding', 0, ['same', 'valid'] as const);
    const dilation = r.pair('dilation', 1);
    const groups = r.integer('groups', 1, 1);
    const bias = r.boolean('bias', true);
    r.finish();
    if (inChannels % groups !== 0 || outChannels % groups !== 0) {
      r.fail(`config.groups (${groups}) must divide inChannels (${inChannels}) and outChannels (${outChannels})`);
    }
    r.reserveParameters(outChannels * (inChannels / groups) * kernelSize[0] * kernelSize[1] + (bias ? outChannels : 0));
    try {
      return new Conv2d(inChannels, outChannels, kernelSize, { stride, padding, dilation, groups, bias });
    } catch (e) {
      // A 'same' padding the kernel cannot give, say: the description is at fault.
      return r.fail(e instanceof Error ? e.message : String(e));
    }
  },
};

const flatten: LayerCodec<Flatten> = {
  type: 'Flatten',
  layerClass: Flatten,
  toConfig: (m) => ({ startDim: m.startDim, endDim: m.endDim }),
  fromConfig: (r) => {
    const startDim = r.integer('startDim', -64, 1, 63);
    const endDim = r.integer('endDim', -64, -1, 63);
    r.finish();
    return new Flatten(startDim, endDim);
  },
};

const embedding: LayerCodec<Embedding> = {
  type: 'Embedding',
  layerClass: Embedding,
  toConfig: (m) => ({ numEmbeddings: m.numEmbeddings, embeddingDim: m.embeddingDim }),
  fromConfig: (r) => {
    const numEmbeddings = r.integer('numEmbeddings', 1);
    const embeddingDim = r.integer('embeddingDim', 1);
    r.finish();
    r.reserveParameters(numEmbeddings * embeddingDim);
    return new Embedding(numEmbeddings, embeddingDim);
  },
};

/** The codecs of dd.nn's layers, in the order they are registered. */
export const BUILTIN_LAYER_CODECS: readonly LayerCodec[] = [
  sequential, linear, conv2d, flatten, embedding,
  dropoutCodec('Dropout', Dropout), dropoutCodec('Dropout2d', Dropout2d),
  plain('Identity', Identity),
  softmaxCodec('Softmax', Softmax), softmaxCodec('LogSoftmax', LogSoftmax),
] as unknown as LayerCodec[];

for (const codec of BUILTIN_LAYER_CODECS) registerLayer(codec);

// ConvTranspose2d's codec lives beside its layer's options.
import './conv-transpose-codec';
