// The search behind the settings of examples/regularization-overfitting.js: variants of the wide
// MLP trained on training images 0-999 (early stopping watches 1,000-1,999) and judged by their
// accuracy on training images 2,000-6,999, never on the test set.
//   npx tsc -p . && node examples/regularization-search.js --variants baseline,dropout-0.5,l2-1e-3 \
//       [--seeds 0,1] [--epochs 40] [--lr 0.02] [--batch 32] [--schedule cosine|constant] [--widths 1024,1024]
// Variants: baseline, dropout-P (after each hidden layer), input-dropout-P, l2-S (kernelRegularizer
// on every layer), early-stopping-MONITOR-PATIENCE (restoring the best weights), e.g.
// early-stopping-val_accuracy-20.
'use strict';
const dd = require('..');
const { loadFashionMnist, rows, option, textOption } = require('./regularization-data');
const { wideMlp, checkSchedule, trainWideMlp } = require('./regularization-mlp');

const EPOCHS = option('epochs', 40);
const LR = option('lr', 0.02);
const BATCH = option('batch', 32);
const SCHEDULE = checkSchedule(textOption('schedule', 'cosine'));
const SEEDS = textOption('seeds', '0,1').split(',').map(Number);
const WIDTHS = textOption('widths', '1024,1024').split(',').map(Number);

/** A variant name → { options for wideMlp, earlyStopping }. */
function parseVariant(name) {
  let m;
  if (name === 'baseline') return { net: {} };
  if ((m = /^dropout-([\d.]+)$/.exec(name))) return { net: { dropout: Number(m[1]) } };
  if ((m = /^input-dropout-([\d.]+)$/.exec(name))) return { net: { inputDropout: Number(m[1]) } };
  if ((m = /^l2-([\d.e-]+)$/.exec(name))) return { net: { l2: Number(m[1]) } };
  if ((m = /^early-stopping-(val_loss|val_accuracy)-(\d+)$/.exec(name))) {
    return { net: {}, earlyStopping: { monitor: m[1], patience: Number(m[2]), restoreBestWeights: true } };
  }
  throw new RangeError(`unknown variant '${name}'`);
}

async function main() {
  dd.setNumThreads(Math.min(2, dd.backendInfo().hardwareThreads));
  const all = await loadFashionMnist();
  const data = { train: rows(all.train, 0, 1000), validation: rows(all.train, 1000, 1000), judge: rows(all.train, 2000, 5000) };
  console.log(`MLP 784-${WIDTHS.join('-')}-10, SGD lr ${LR} momentum 0.9, ${SCHEDULE} over ${EPOCHS} epochs, batch ${BATCH}; accuracy on training images 2,000-6,999.`);
  for (const name of textOption('variants', 'baseline').split(',')) {
    const variant = parseVariant(name);
    const accuracies = [];
    for (const seed of SEEDS) {
      dd.manualSeed(seed);
      const model = wideMlp({ widths: WIDTHS, ...variant.net });
      const history = await trainWideMlp(model, data, {
        epochs: EPOCHS, lr: LR, batchSize: BATCH, schedule: SCHEDULE, seed,
        callbacks: variant.earlyStopping ? [dd.callbacks.earlyStopping(variant.earlyStopping)] : [],
      });
      const { accuracy } = await dd.evaluate(model, data.judge, { batchSize: 500 });
      accuracies.push(accuracy);
      console.log(`  ${name} seed ${seed}: ${(100 * accuracy).toFixed(2)}% after ${history.epoch.length} epochs`);
    }
    console.log(`${name}: mean ${(100 * accuracies.reduce((a, b) => a + b, 0) / accuracies.length).toFixed(2)}%`);
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
