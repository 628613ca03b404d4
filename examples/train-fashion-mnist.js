// Trains a small CNN on the bundled Fashion-MNIST sample and reports its test accuracy.
//   npm run build && node examples/train-fashion-mnist.js
// (In your own project: const dd = require('dendrite').)
'use strict';
const dd = require('..');
const { nn } = dd;

async function main() {
  dd.manualSeed(0);
  const { train, test } = await dd.data.fashionMnist(); // bundled 10k/2k sample; pass a directory for the full set

  const model = new nn.Sequential(
    new nn.Conv2d(1, 16, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Flatten(),
    new nn.Linear(16 * 14 * 14, 64, { init: 'heUniform' }), new nn.ReLU(), new nn.Dropout(0.3),
    new nn.Linear(64, 10),
  );
  console.log(model.toString(), `\n${model.numParameters()} parameters`);

  // Two parameter groups: no weight decay on biases.
  const named = [...model.namedParameters()];
  const optimizer = new dd.optim.AdamW(
    [
      { params: named.filter(([n]) => n.endsWith('weight')).map(([, p]) => p), weightDecay: 1e-4 },
      { params: named.filter(([n]) => n.endsWith('bias')).map(([, p]) => p), weightDecay: 0 },
    ],
    { lr: 2e-3 },
  );
  const schedule = new dd.optim.CosineAnnealingLR(optimizer, { tMax: 2 });

  const history = await dd.fit(model, train, {
    epochs: 2,
    batchSize: 64,
    optimizer,
    loss: 'crossEntropy',
    metrics: ['accuracy'],
    validationSplit: 0.1,
    callbacks: [
      dd.callbacks.learningRateScheduler(schedule),
      { onEpochEnd: (epoch, logs) => console.log(`epoch ${epoch + 1}: val_accuracy ${logs.val_accuracy.toFixed(4)}`) },
    ],
  });
  console.log('loss per epoch:', history.history.loss.map((v) => v.toFixed(4)).join(', '));

  const { loss, accuracy } = await dd.evaluate(model, test, { loss: 'crossEntropy', batchSize: 500 });
  console.log(`test loss ${loss.toFixed(4)}, test accuracy ${(100 * accuracy).toFixed(2)}%`);

  const logits = await dd.predict(model, test.x, { batchSize: 500 });
  const predicted = logits.argmax(-1).toArray();
  console.log(`first test image: predicted ${dd.data.FASHION_MNIST_CLASSES[predicted[0]]}, label ${dd.data.FASHION_MNIST_CLASSES[test.y.data[0]]}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
