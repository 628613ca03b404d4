/**
 * Fashion-MNIST (Zalando, MIT licence): 28×28 grey images of clothing in 10
 * classes, in the four IDX files of the original distribution. Images load as
 * float32 in [0, 1] with shape [N, 1, 28, 28], labels as int32 class indices.
 * With no folder the small sample bundled with the package is loaded
 * (data/fashion-mnist-sample: the first 10,000 training and 2,000 test images).
 */
import * as fs from 'fs';
import * as path from 'path';
import { IdxArray, ShapedArray } from './arrays';
import { Dataset } from './dataset';
import { readIdx, readIdxSync } from './idx-file';

export const FASHION_MNIST_CLASSES: readonly string[] = Object.freeze([
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
]);

/** The bundled sample's folder (inside the installed package). */
export const FASHION_MNIST_SAMPLE_DIR = path.join(__dirname, '..', '..', 'data', 'fashion-mnist-sample');

export const FASHION_MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

export interface FashionMnist {
  train: Dataset;
  test: Dataset;
  classes: readonly string[];
}

/** The file for `base` in `dir`: the gzip one if present, else the raw one. */
function locate(dir: string, base: string): string {
  for (const name of [`${base}.gz`, base]) {
    const file = path.join(dir, name);
    if (fs.existsSync(file)) return file;
  }
  throw new Error(
    `fashionMnist: ${dir} has neither ${base}.gz nor ${base}. Download the four files from ` +
      'https://github.com/zalandoresearch/fashion-mnist (data/fashion), or call fashionMnist() for the bundled sample.',
  );
}

// v / 255 for every byte value, as float32.
const SCALE = Float32Array.from({ length: 256 }, (_, v) => v / 255);

function toDataset(images: ShapedArray<IdxArray>, labels: ShapedArray<IdxArray>, imageFile: string, labelFile: string): Dataset {
  const s = images.shape;
  if (!(images.data instanceof Uint8Array) || s.length !== 3 || s[1] !== 28 || s[2] !== 28) {
    throw new Error(`fashionMnist: ${imageFile} should hold uint8 images [N, 28, 28], holds ${images.data.constructor.name} [${s.join(', ')}]`);
  }
  if (!(labels.data instanceof Uint8Array) || labels.shape.length !== 1) {
    throw new Error(`fashionMnist: ${labelFile} should hold uint8 labels [N], holds ${labels.data.constructor.name} [${labels.shape.join(', ')}]`);
  }
  if (labels.shape[0] !== s[0]) throw new Error(`fashionMnist: ${imageFile} has ${s[0]} images but ${labelFile} has ${labels.shape[0]} labels`);
  const pixels = images.data;
  const x = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) x[i] = SCALE[pixels[i]];
  const y = new Int32Array(labels.data.length);
  for (let i = 0; i < y.length; i++) {
    const label = labels.data[i];
    if (label > 9) throw new Error(`fashionMnist: ${labelFile}: label ${i} is ${label}, outside the 10 classes`);
    y[i] = label;
  }
  return new Dataset({ data: x, shape: [s[0], 1, 28, 28] }, { data: y, shape: [s[0]] });
}

function files(dir: string) {
  return {
    trainImages: locate(dir, FASHION_MNIST_FILES.trainImages),
    trainLabels: locate(dir, FASHION_MNIST_FILES.trainLabels),
    testImages: locate(dir, FASHION_MNIST_FILES.testImages),
    testLabels: locate(dir, FASHION_MNIST_FILES.testLabels),
  };
}

/** Loads Fashion-MNIST from `dir` (gzip or raw IDX files), or the bundled sample when no folder is given. */
export async function fashionMnist(dir: string = FASHION_MNIST_SAMPLE_DIR): Promise<FashionMnist> {
  const f = files(dir);
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all([
    readIdx(f.trainImages), readIdx(f.trainLabels), readIdx(f.testImages), readIdx(f.testLabels),
  ]);
  return {
    train: toDataset(trainImages, trainLabels, f.trainImages, f.trainLabels),
    test: toDataset(testImages, testLabels, f.testImages, f.testLabels),
    classes: FASHION_MNIST_CLASSES,
  };
}

/** Synchronous fashionMnist. */
export function fashionMnistSync(dir: string = FASHION_MNIST_SAMPLE_DIR): FashionMnist {
  const f = files(dir);
  return {
    train: toDataset(readIdxSync(f.trainImages), readIdxSync(f.trainLabels), f.trainImages, f.trainLabels),
    test: toDataset(readIdxSync(f.testImages), readIdxSync(f.testLabels), f.testImages, f.testLabels),
    classes: FASHION_MNIST_CLASSES,
  };
}
