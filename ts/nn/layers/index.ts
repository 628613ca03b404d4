/** The layers of dd.nn. */
export { Module, parameter } from '../module';
export type { StateDict, TensorLike, LoadStateDictResult } from '../module';
export { Sequential } from './sequential';
export { Linear } from './linear';
export type { LinearOptions } from './linear';
export { Conv2d } from './conv';
export type { Conv2dOptions, Pair } from './conv';
export { MaxPool2d, AvgPool2d } from './pooling';
export { Dropout, Dropout2d } from './dropout';
export { Flatten, Identity } from './flatten';
export { Embedding } from './embedding';
export type { EmbeddingOptions } from './embedding';
export { ReLU, Sigmoid, Logistic, Tanh, LeakyReLU, ELU, GELU, SiLU, Softplus, Softmax, LogSoftmax } from './activation';
