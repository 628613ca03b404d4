/**
 * AlexNet (Krizhevsky, Sutskever and Hinton, "ImageNet Classification with
 * Deep Convolutional Neural Networks", NIPS 2012), layer for layer as the
 * paper trains it on two GPUs: the layers whose kernels see only the maps on
 * their own GPU (conv2, conv4, conv5) are grouped convolutions with two
 * groups; conv1 and conv3 see every map. ReLU after every layer but the last,
 * local response normalisation (k = 2, n = 5, α = 1e-4, β = 0.75) after the
 * ReLUs of conv1 and conv2, overlapping max pooling (3×3 windows, stride 2)
 * after the normalisations and after conv5, dropout 0.5 on the outputs of
 * the first two fully connected layers.
 *
 * With 1000 classes and 3×227×227 inputs (the paper's "224" with the
 * padding its arithmetic implies) it has 60,965,224 parameters.
 */
import * as nn from '../nn';
import { constant_, kaimingUniform_, normal_ } from '../nn/init';
import { rejectUnknownOptions } from '../options';

export interface AlexNetOptions {
  /** Output classes (default 1000). */
  numClasses?: number;
  /** Input channels (default 3). */
  inChannels?: number;
  /** Dropout probability of the two hidden fully connected layers (default 0.5). */
  dropout?: number;
  /**
   * 'paper' (default): weights from N(0, 0.01²), biases 1 in conv2, conv4,
   * conv5 and the hidden fully connected layers, 0 elsewhere, as the paper
   * starts them. 'default': each layer's own default (PyTorch's).
   */
  init?: 'paper' | 'default';
}

function checkOptions(options: AlexNetOptions, where: string, known = ['numClasses', 'inChannels', 'dropout', 'init']): Required<AlexNetOptions> {
  rejectUnknownOptions(options, known, where);
  const { numClasses = 1000, inChannels = 3, dropout = 0.5, init = 'paper' } = options;
  for (const [name, v] of [['numClasses', numClasses], ['inChannels', inChannels]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`${where}: ${name} must be a positive integer, got ${v}`);
  }
  if (typeof dropout !== 'number' || !(dropout >= 0 && dropout < 1)) throw new RangeError(`${where}: dropout must be in [0, 1), got ${dropout}`);
  if (init !== 'paper' && init !== 'default') throw new RangeError(`${where}: init must be 'paper' or 'default', got ${JSON.stringify(init)}`);
  return { numClasses, inChannels, dropout, init };
}

/** The paper's initialisation: N(0, 0.01²) weights; biases 1 where a layer is listed in `biasOne`. */
function paperInit(model: nn.Sequential, biasOne: ReadonlySet<nn.Module>): void {
  for (const m of model.modules()) {
    if (m instanceof nn.Conv2d || m instanceof nn.Linear) {
      normal_(m.weight, 0, 0.01);
      if (m.bias !== null) constant_(m.bias, biasOne.has(m) ? 1 : 0);
    }
  }
}

/** The 2012 network for 3×227×227 images (see the file comment). */
export function alexnet(options: AlexNetOptions = {}): nn.Sequential {
  const { numClasses, inChannels, dropout, init } = checkOptions(options, 'alexnet');
  const conv2 = new nn.Conv2d(96, 256, 5, { padding: 2, groups: 2 });
  const conv4 = new nn.Conv2d(384, 384, 3, { padding: 1, groups: 2 });
  const conv5 = new nn.Conv2d(384, 256, 3, { padding: 1, groups: 2 });
  const fc6 = new nn.Linear(256 * 6 * 6, 4096);
  const fc7 = new nn.Linear(4096, 4096);
  const model = new nn.Sequential(
    new nn.Conv2d(inChannels, 96, 11, { stride: 4 }), new nn.ReLU(), lrn(), new nn.MaxPool2d(3, 2),
    conv2, new nn.ReLU(), lrn(), new nn.MaxPool2d(3, 2),
    new nn.Conv2d(256, 384, 3, { padding: 1 }), new nn.ReLU(),
    conv4, new nn.ReLU(),
    conv5, new nn.ReLU(), new nn.MaxPool2d(3, 2),
    new nn.Flatten(),
    fc6, new nn.ReLU(), new nn.Dropout(dropout),
    fc7, new nn.ReLU(), new nn.Dropout(dropout),
    new nn.Linear(4096, numClasses),
  );
  if (init === 'paper') paperInit(model, new Set<nn.Module>([conv2, conv4, conv5, fc6, fc7]));
  return model;
}

/**
 * The same design scaled to 28×28 images (Fashion-MNIST, MNIST): five
 * convolutions (the same grouping), LRN after the first two, overlapping
 * 3×3/2 max pooling, two dropout-regularised hidden layers of 512; 550,538
 * parameters for 10 classes. Options as alexnet's (default 1 input channel,
 * 10 classes) but without `init`: the paper's N(0, 0.01²) start is too small
 * for a network this shallow to begin learning quickly, so weights start
 * from He (Kaiming) uniform and biases from 0.
 */
export function alexnetSmall(options: Omit<AlexNetOptions, 'init'> = {}): nn.Sequential {
  const { numClasses, inChannels, dropout } = checkOptions({ inChannels: 1, numClasses: 10, ...options }, 'alexnetSmall', ['numClasses', 'inChannels', 'dropout']);
  const conv2 = new nn.Conv2d(32, 64, 5, { padding: 2, groups: 2 });
  const conv4 = new nn.Conv2d(96, 96, 3, { padding: 1, groups: 2 });
  const conv5 = new nn.Conv2d(96, 64, 3, { padding: 1, groups: 2 });
  const fc6 = new nn.Linear(64 * 2 * 2, 512);
  const fc7 = new nn.Linear(512, 512);
  const model = new nn.Sequential(
    new nn.Conv2d(inChannels, 32, 5, { padding: 2 }), new nn.ReLU(), lrn(), new nn.MaxPool2d(3, 2), // 28 → 13
    conv2, new nn.ReLU(), lrn(), new nn.MaxPool2d(3, 2), // 13 → 6
    new nn.Conv2d(64, 96, 3, { padding: 1 }), new nn.ReLU(),
    conv4, new nn.ReLU(),
    conv5, new nn.ReLU(), new nn.MaxPool2d(3, 2), // 6 → 2
    new nn.Flatten(),
    fc6, new nn.ReLU(), new nn.Dropout(dropout),
    fc7, new nn.ReLU(), new nn.Dropout(dropout),
    new nn.Linear(512, numClasses),
  );
  for (const m of model.modules()) {
    if (m instanceof nn.Conv2d || m instanceof nn.Linear) {
      kaimingUniform_(m.weight, { nonlinearity: 'relu' });
      if (m.bias !== null) constant_(m.bias, 0);
    }
  }
  return model;
}

/** The paper's response normalisation: k = 2, n = 5, α = 1e-4, β = 0.75. */
function lrn(): nn.LocalResponseNorm {
  return new nn.LocalResponseNorm(5, { alpha: 1e-4, beta: 0.75, k: 2 });
}
