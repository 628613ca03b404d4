// Early stopping on a noisy validation curve. A small MLP trained with SGD and small batches on 1,000
// Fashion-MNIST images, validated on only 200 held-out images, gives a val_loss curve that jumps from
// epoch to epoch while its trend first falls, then rises as the network overfits. The script
//   1. trains once for every epoch and records the whole curve (the "oracle" view);
//   2. trains again, identically seeded, with earlyStopping on raw val_loss and on an exponential moving
//      average of it, and reports where each stopped, which epoch it judged best, and the val_loss and
//      test accuracy of the weights it restored (equal to the curve's values at that epoch).
//   npx tsc -p . && node examples/regularization-early-stopping.js [--epochs 60]
'use strict';
const dd = require('..');
const { loadFashionMnist, rows, option, pct } = require('./regularization-data');
const { nn } = dd;

const EPOCHS = option('epochs', 60);
const SEED = 3;

function model() {
  dd.manualSeed(SEED);
  return new nn.Sequential(new nn.Flatten(), new nn.Linear(784, 256, { init: 'heUniform' }), new nn.ReLU(), new nn.Linear(256, 10));
}

function fitOptions(data, callbacks) {
  return {
    epochs: EPOCHS, batchSize: 16, loss: 'crossEntropy', metrics: ['accuracy'], validationData: data.validation, seed: SEED, verbose: 0, callbacks,
  };
}

async function main() {
  dd.setNumThreads(Math.min(2, dd.backendInfo().hardwareThreads));
  const all = await loadFashionMnist();
  const data = { train: rows(all.train, 0, 1000), validation: rows(all.train, 1000, 200), test: rows(all.test, 0, all.test.length) };
  console.log(`Data: ${all.source}; 1,000 training images, 200 validation images, ${all.test.length} test images.`);
  console.log(`MLP 784-256-10, SGD lr 0.01 momentum 0.9, batch 16, up to ${EPOCHS} epochs, seed ${SEED}.\n`);

  // 1. The whole curve, with the test accuracy after every epoch.
  const m = model();
  const testAcc = [];
  const full = await dd.fit(m, data.train, {
    ...fitOptions(data, [{ onEpochEnd: async () => testAcc.push((await dd.evaluate(m, data.test, { batchSize: 1000 })).accuracy) }]),
    optimizer: new dd.optim.SGD(m.parameters(), { lr: 0.01, momentum: 0.9 }),
  });
  const curve = full.history.val_loss;
  const oracle = curve.indexOf(Math.min(...curve));
  console.log('val_loss per epoch:', curve.map((v) => v.toFixed(3)).join(' '));
  console.log(`lowest val_loss ${curve[oracle].toFixed(4)} at epoch ${oracle} (test accuracy then ${pct(testAcc[oracle])}); after the last epoch: val_loss ${curve[curve.length - 1].toFixed(4)}, test ${pct(testAcc[testAcc.length - 1])}\n`);

  // 2. The same run under early stopping.
  const settings = [
    { name: 'raw val_loss, patience 5', options: { patience: 5 } },
    { name: 'raw val_loss, patience 10', options: { patience: 10 } },
    { name: 'smoothed (β = 0.6), patience 5, warmup 3', options: { patience: 5, smoothing: 0.6, warmup: 3 } },
  ];
  const header = ['early stopping on', 'stopped after epoch', 'best epoch', 'restored val_loss', 'curve at that epoch', 'test acc (restored)'];
  const reasons = [];
  const lines = [];
  for (const s of settings) {
    const net = model();
    const es = dd.callbacks.earlyStopping({ monitor: 'val_loss', restoreBestWeights: true, ...s.options });
    const h = await dd.fit(net, data.train, { ...fitOptions(data, [es]), optimizer: new dd.optim.SGD(net.parameters(), { lr: 0.01, momentum: 0.9 }) });
    const restored = await dd.evaluate(net, data.validation, { loss: 'crossEntropy', batchSize: 200 });
    const test = await dd.evaluate(net, data.test, { batchSize: 1000 });
    lines.push([
      s.name, h.stoppedEpoch === undefined ? `— (ran ${h.epoch.length})` : String(h.stoppedEpoch), String(es.bestEpoch),
      restored.loss.toFixed(4), curve[es.bestEpoch].toFixed(4), pct(test.accuracy),
    ]);
    reasons.push(`${s.name}: ${h.stopReason ?? 'ran every epoch'}`);
  }
  console.log(`| ${header.join(' | ')} |`);
  console.log(`|${header.map(() => '---').join('|')}|`);
  for (const l of lines) console.log(`| ${l.join(' | ')} |`);
  console.log(`\nhistory.stopReason:\n${reasons.map((r) => `- ${r}`).join('\n')}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
