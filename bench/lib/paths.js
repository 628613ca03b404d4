'use strict';
// Where the bench scripts find their reference programs and the full data set.
// The references live in bench/reference/ (numpy and PyTorch programs of the
// workloads that bench/README.md defines). The full Fashion-MNIST is not part
// of the repository: a script takes --data DIR, or finds the four gzip files
// in $DENDRITE_SHARED/data/fashion-mnist (default: a `shared` folder beside the
// checkout); without them it says so, or falls back to the bundled sample.
const fs = require('fs');
const path = require('path');

const repoRoot = path.join(__dirname, '..', '..');

/** The path of a reference program in bench/reference/. */
function referenceScript(name) {
  return path.join(repoRoot, 'bench', 'reference', name);
}

/** The folder that holds the full Fashion-MNIST, or null: `explicit` (a --data value) first. */
function fashionMnistDir(explicit) {
  const shared = process.env.DENDRITE_SHARED || path.join(repoRoot, '..', 'shared');
  const candidate = explicit ?? path.join(shared, 'data', 'fashion-mnist');
  return fs.existsSync(path.join(candidate, 'train-images-idx3-ubyte.gz')) ? candidate : null;
}

/** What to tell the user when fashionMnistDir found nothing. */
function fashionMnistMissing(explicit) {
  return explicit
    ? `Fashion-MNIST not found in ${explicit}`
    : 'Fashion-MNIST not found (pass --data DIR, or set DENDRITE_SHARED to the folder holding data/fashion-mnist)';
}

module.exports = { repoRoot, referenceScript, fashionMnistDir, fashionMnistMissing };
