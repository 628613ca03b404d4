// What every figure script shares: its command line (--epochs, --seed, --data, --out, --limit,
// --threads, --help) and the Fashion-MNIST it trains on.
'use strict';
const fs = require('fs');
const path = require('path');
const { parseArgs } = require('util');
const dd = require('../..');

/** The options text every script's usage ends with; `epochs` is the script's default. */
function commonUsage(epochs) {
  return `Options:
  --epochs N     training epochs (default ${epochs})
  --seed N       seed of the weights, dropout and the batch order (default 0)
  --data DIR     the four Fashion-MNIST .gz files (default: the 10,000 / 2,000-image sample bundled with dendrite)
  --out DIR      where the pictures go (default figures/)
  --limit N      train on the first N batches only and test on as many images (a quick try-out)
  --threads N    compute threads (default: dendrite's default)
  -h, --help     this text
`;
}

/** Prints what was wrong and the usage to stderr and exits 2. */
function usageError(usage, message) {
  process.stderr.write(`${path.basename(process.argv[1])}: ${message}\n\n${usage}`);
  process.exit(2);
}

/** A whole number >= min from the command line, or the usage error. */
function integer(usage, name, text, fallback, min) {
  if (text === undefined) return fallback;
  const v = Number(text);
  if (!Number.isInteger(v) || v < min) usageError(usage, `--${name} must be an integer >= ${min}, got '${text}'`);
  return v;
}

/**
 * The parsed command line: { epochs, seed, data, out, limit, threads }. --help prints `usage` and
 * exits 0; an unknown option or a bad value prints the message and the usage and exits 2.
 */
function figureOptions(usage, { epochs }) {
  const spec = { type: 'string' };
  let values;
  try {
    ({ values } = parseArgs({
      options: { epochs: spec, seed: spec, data: spec, out: spec, limit: spec, threads: spec, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (e) {
    usageError(usage, e.message);
  }
  if (values.help) {
    process.stdout.write(usage);
    process.exit(0);
  }
  if (values.data !== undefined && !fs.existsSync(path.join(values.data, 'train-images-idx3-ubyte.gz'))) {
    usageError(usage, `--data ${values.data} does not hold train-images-idx3-ubyte.gz and the other Fashion-MNIST files`);
  }
  const options = {
    epochs: integer(usage, 'epochs', values.epochs, epochs, 1),
    seed: integer(usage, 'seed', values.seed, 0, 0),
    data: values.data,
    out: values.out ?? 'figures',
    limit: integer(usage, 'limit', values.limit, undefined, 1),
    threads: integer(usage, 'threads', values.threads, undefined, 1),
  };
  if (options.threads !== undefined) dd.setNumThreads(options.threads);
  fs.mkdirSync(options.out, { recursive: true });
  return options;
}

/** The first `count` samples of a Dataset, as a Dataset. */
function firstSamples(dataset, count) {
  return dataset.subset(Int32Array.from({ length: Math.min(count, dataset.length) }, (_, i) => i));
}

/**
 * Fashion-MNIST from --data (or the bundled sample): { train, test, classes, source }, cut to
 * --limit batches of `batchSize` when asked.
 */
async function loadFashionMnist(options, batchSize) {
  const { train, test, classes } = await dd.data.fashionMnist(options.data);
  const source = options.data ?? 'the bundled sample';
  if (options.limit === undefined) return { train, test, classes, source };
  const n = options.limit * batchSize;
  return { train: firstSamples(train, n), test: firstSamples(test, n), classes, source: `${source}, first ${n} images` };
}

/** Seconds since `start` (a Date.now() value), to one decimal. */
function secondsSince(start) {
  return Math.round((Date.now() - start) / 100) / 10;
}

module.exports = { commonUsage, figureOptions, loadFashionMnist, secondsSince };
