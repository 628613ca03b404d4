/** Every op, as a function. (Tensor methods: ../tensor/methods.ts; losses and layers' functional forms: ../nn/functional.ts.) */
export { add, sub, mul, div, pow, maximum, minimum } from './elementwise';
export { neg, abs, exp, log, sqrt, sign, square, reciprocal } from './unary';
export { clamp } from './clamp';
export { relu, sigmoid, logistic, tanh, leakyRelu, elu, gelu, silu, softplus, relu6, hardtanh, selu, mish } from './activation';
export { matmul, linear } from './matmul';
export { sum, mean, max, min, argmax, argmin } from './reduce';
export { reshape, view, flatten, squeeze, unsqueeze } from './view';
export { permute, transpose, t, movedim } from './permute';
export { concat, cat, stack } from './join';
export { narrow, slice } from './slice';
export { indexSelect, embedding } from './index-select';
export { clone, expand, broadcastTo } from './copy';
export { eq, ne, gt, ge, lt, le } from './compare';
export { toDType } from './convert';
export { softmax, logSoftmax } from './softmax';
export { conv2d } from './conv';
export type { Conv2dOptions } from './conv';
export { maxPool2d, avgPool2d } from './pool';
export { dropout, dropout2d } from './dropout';
export {
  crossEntropy, nllLoss, mse, mseLoss, l1Loss, huberLoss, smoothL1Loss, binaryCrossEntropy, binaryCrossEntropyWithLogits,
} from './loss';
export type { LossOptions, Reduction } from './loss';
