/**
 * dd.nn.functional: the functional forms layers are built on, as in
 * torch.nn.functional — activations, linear, convolution, pooling, dropout,
 * softmax, embedding, normalization and the losses.
 */
export {
  relu, sigmoid, logistic, tanh, leakyRelu, elu, gelu, silu, softplus, relu6, hardtanh, selu, mish,
} from '../ops/activation';
export { linear } from '../ops/matmul';
export { conv2d } from '../ops/conv';
export type { Conv2dOptions } from '../ops/conv';
export { convTranspose2d } from '../ops/conv-transpose';
export type { ConvTranspose2dOptions } from '../ops/conv-transpose';
export { maxPool2d, avgPool2d } from '../ops/pool';
export type { MaxPool2dOptions, AvgPool2dOptions } from '../ops/pool';
export { adaptiveAvgPool2d, adaptiveMaxPool2d, globalAvgPool2d } from '../ops/adaptive-pool';
export { interpolate } from '../ops/upsample';
export type { InterpolateOptions, InterpolateMode } from '../ops/upsample';
export { dropout, dropout2d } from '../ops/dropout';
export { softmax, logSoftmax } from '../ops/softmax';
export { embedding } from '../ops/index-select';
export { crossEntropy, nllLoss } from '../ops/loss-class';
export type { ClassLossOptions, CrossEntropyOptions } from '../ops/loss-class';
export { mse, mseLoss, l1Loss, huberLoss, smoothL1Loss } from '../ops/loss-regression';
export { binaryCrossEntropy, binaryCrossEntropyWithLogits } from '../ops/loss-binary';
export type { LossOptions, Reduction } from '../ops/loss-common';
export { negativeSamplingLoss } from '../ops/negative-sampling';
export type { NegativeSamplingOptions } from '../ops/negative-sampling';
export { rowLookup } from '../ops/sparse-embedding';
export { batchNorm, layerNorm, localResponseNorm } from '../ops/norm';
export type { BatchNormOptions, LayerNormOptions, LocalResponseNormOptions } from '../ops/norm';
