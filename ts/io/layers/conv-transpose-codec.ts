/** The saveModel/loadModel codec of ConvTranspose2d: its constructor options, as the layer names them. */
import { ConvTranspose2d } from '../../nn/layers/conv-transpose';
import { LayerCodec, registerLayer } from './registry';

const convTranspose2d: LayerCodec<ConvTranspose2d> = {
  type: 'ConvTranspose2d',
  layerClass: ConvTranspose2d,
  toConfig: (m) => ({
    inChannels: m.inChannels,
    outChannels: m.outChannels,
    kernelSize: [...m.kernelSize],
    stride: [...m.stride],
    padding: [...m.padding],
    outputPadding: [...m.outputPadding],
    groups: m.groups,
    dilation: [...m.dilation],
    bias: m.bias !== null,
  }),
  fromConfig: (r) => {
    const inChannels = r.integer('inChannels', 1);
    const outChannels = r.integer('outChannels', 1);
    const kernelSize = r.pair('kernelSize', 1);
    const stride = r.pair('stride', 1);
    const padding = r.pair('padding', 0);
    const outputPadding = r.pair('outputPadding', 0);
    const groups = r.integer('groups', 1, 1);
    const dilation = r.pair('dilation', 1);
    const bias = r.boolean('bias', true);
    r.finish();
    if (inChannels % groups !== 0 || outChannels % groups !== 0) {
      r.fail(`config.groups (${groups}) must divide inChannels (${inChannels}) and outChannels (${outChannels})`);
    }
    r.reserveParameters(inChannels * (outChannels / groups) * kernelSize[0] * kernelSize[1] + (bias ? outChannels : 0));
    try {
      return new ConvTranspose2d(inChannels, outChannels, kernelSize, { stride, padding, outputPadding, groups, dilation, bias });
    } catch (e) {
      // An output padding too large for the stride, say: the description is at fault.
      return r.fail(e instanceof Error ? e.message : String(e));
    }
  },
};

registerLayer(convTranspose2d);
