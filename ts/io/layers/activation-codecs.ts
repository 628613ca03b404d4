/**
 * Codecs of the activation layers, one per layer class of the activation
 * table (ops/activation-table.ts): no options, or the one number the layer
 * takes, written under its field's name ({ negativeSlope }, { alpha }).
 */
import * as layers from '../../nn/layers';
import type { Module } from '../../nn/module';
import { ACTIVATIONS, ActivationSpec, layerNamesOf } from '../../ops/activation-table';
import { LayerCodec, registerLayer } from './registry';

function activationCodec(type: string, layerClass: new (param?: number) => Module, { param }: ActivationSpec): LayerCodec {
  return {
    type,
    layerClass,
    toConfig: (m) => (param === undefined ? {} : { [param.name]: (m as unknown as Record<string, number>)[param.name] }),
    fromConfig: (r) => {
      const value = param === undefined ? undefined : r.number(param.name);
      r.finish();
      return new layerClass(value);
    },
  };
}

for (const entry of ACTIVATIONS) {
  for (const type of layerNamesOf(entry)) registerLayer(activationCodec(type, layers[type], entry));
}
