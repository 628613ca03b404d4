// The wide MLP of the overfitting experiment and the recipe it is trained with, shared by
// examples/regularization-overfitting.js and examples/regularization-search.js.
'use strict';
const dd = require('..');
const { nn, regularize } = dd;

/**
 * A 784-…-10 ReLU MLP (hidden `widths`, He-uniform): dropout on the inputs and/or after each hidden
 * layer when asked, and an L2 penalty on every kernel.
 */
function wideMlp({ widths = [1024, 1024], inputDropout = 0, dropout = 0, l2 = 0 } = {}) {
  const reg = l2 > 0 ? { kernelRegularizer: regularize.l2(l2) } : {};
  const layers = [new nn.Flatten()];
  if (inputDropout > 0) layers.push(new nn.Dropout(inputDropout));
  const sizes = [784, ...widths];
  for (let i = 0; i + 1 < sizes.length; i++) {
    layers.push(new nn.Linear(sizes[i], sizes[i + 1], { init: 'heUniform', ...reg }), new nn.ReLU());
    if (dropout > 0) layers.push(new nn.Dropout(dropout));
  }
  layers.push(new nn.Linear(sizes[sizes.length - 1], 10, reg));
  return new nn.Sequential(...layers);
}

/** Checks a --schedule value: 'cosine' (decay to 0 over the epochs) or 'constant'. */
function checkSchedule(schedule) {
  if (schedule !== 'cosine' && schedule !== 'constant') throw new RangeError(`--schedule must be cosine or constant, got ${schedule}`);
  return schedule;
}

/**
 * Trains `model` on data.train, validating on data.validation: SGD with momentum 0.9 at `lr` under
 * `schedule`, then `callbacks`. Returns fit's history.
 */
function trainWideMlp(model, data, { epochs, lr, batchSize, schedule, seed, callbacks = [], augment }) {
  const optimizer = new dd.optim.SGD(model.parameters(), { lr, momentum: 0.9 });
  const decay = schedule === 'cosine' ? [dd.callbacks.learningRateScheduler(new dd.optim.CosineAnnealingLR(optimizer, { tMax: epochs }))] : [];
  return dd.fit(model, data.train, {
    epochs, batchSize, optimizer, loss: 'crossEntropy', metrics: ['accuracy'], validationData: data.validation, seed, verbose: 0,
    callbacks: [...decay, ...callbacks], augment,
  });
}

module.exports = { wideMlp, checkSchedule, trainWideMlp };
