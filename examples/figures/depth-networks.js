// The networks of the depth experiment (bench/depth.js, examples/figures/depth-curves.js): `depth`
// layers of `width` sigmoid units on Fashion-MNIST, stacked plainly, as highway layers (gate bias −2,
// so each layer starts out mostly carrying its input through) or as residual blocks.
'use strict';
const { nn } = require('../..');

const DEPTH_KINDS = ['plain', 'highway', 'residual'];

/** A 784 → width → … → 10 classifier of `depth` layers in all (the first and last are plain Linear). */
function depthNetwork(kind, { depth = 30, width = 64 } = {}) {
  if (!DEPTH_KINDS.includes(kind)) throw new RangeError(`depthNetwork: kind must be one of ${DEPTH_KINDS.join(', ')}, got ${kind}`);
  const layers = [new nn.Flatten(), new nn.Linear(784, width), new nn.Sigmoid()];
  for (let i = 0; i < depth - 2; i++) {
    if (kind === 'plain') layers.push(new nn.Linear(width, width), new nn.Sigmoid());
    else if (kind === 'highway') layers.push(new nn.Highway(width, { activation: 'sigmoid', gateBias: -2 }));
    else layers.push(new nn.ResidualDense(width, { activation: 'sigmoid' }));
  }
  layers.push(new nn.Linear(width, 10));
  return new nn.Sequential(...layers);
}

module.exports = { DEPTH_KINDS, depthNetwork };
