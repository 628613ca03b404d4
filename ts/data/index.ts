/** dendrite.data: datasets, loaders and augmentation. */
export type { IdxArray, ShapedArray } from './arrays';
export { SeededRandom, deriveSeed } from './random';
export { IdxFormatError, decodeIdx, encodeIdx } from './idx';
export { decodeIdxFile, readIdx, readIdxSync, writeIdx, writeIdxSync } from './idx-file';
export type { ReadIdxOptions, WriteIdxOptions } from './idx-file';
export { fashionMnist, fashionMnistSync, FASHION_MNIST_CLASSES, FASHION_MNIST_SAMPLE_DIR, FASHION_MNIST_FILES } from './fashion-mnist';
export type { FashionMnist } from './fashion-mnist';
export { CsvError, parseCsv, readCsv, readCsvSync } from './csv';
export type { CsvData, CsvOptions } from './csv';
export { Dataset, trainValidationSplit } from './dataset';
export type { LabelArray } from './dataset';
export { DataLoader } from './data-loader';
export type { Batch, DataLoaderOptions } from './data-loader';
export { ImageAugmenter, addGaussianNoise, rotateImages, shiftFlipImages } from './augment';
export type { AugmentOptions, AugmentParameters, BatchAugmenter } from './augment';
export { arrayToTensor, tensorToArray, batchToTensors, tensorBatches, datasetToTensors, datasetFromTensors } from './tensors';
export type { TensorBatch } from './tensors';
/** Composable, seeded per-batch transforms: dd.data.augment.compose([randomShift({ pad: 2 }), horizontalFlip()], { seed }). */
export * as augment from './augment-transforms';
