/**
 * Weight initialisation, in place, as torch.nn.init: uniform/normal/constant
 * fills, Glorot (Xavier) and He (Kaiming) schemes with fan modes and gains.
 * Random values come from the global generator, so `dd.manualSeed(s)` makes
 * every layer's initial weights reproducible.
 *
 * Fans follow PyTorch: for a weight [out, in, ...kernel], fanIn = in·prod(kernel)
 * and fanOut = out·prod(kernel); for a 2-D [out, in] weight, fanIn = in.
 */
import type { Tensor } from '../tensor/tensor';
import { rand, randn } from '../tensor/random';
import { rejectUnknownOptions } from '../options';

export type Nonlinearity =
  | 'linear' | 'identity' | 'conv1d' | 'conv2d' | 'conv3d' | 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu' | 'selu';

/** The recommended gain for a nonlinearity (torch.nn.init.calculate_gain); `param` is leakyRelu's negative slope (default 0.01). */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case 'linear': case 'identity': case 'conv1d': case 'conv2d': case 'conv3d': case 'sigmoid':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leakyRelu': {
      const slope = param ?? 0.01;
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu':
      return 3 / 4;
    default:
      throw new RangeError(`calculateGain: unknown nonlinearity ${JSON.stringify(nonlinearity)}`);
  }
}

/** fanIn and fanOut of a weight of this shape (needs at least 2 dimensions). */
export function computeFans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length < 2) {
    throw new RangeError(`init: fans need a tensor of at least 2 dimensions, got shape [${shape.join(', ')}]`);
  }
  let receptive = 1;
  for (let i = 2; i < shape.length; i++) receptive *= shape[i];
  return { fanIn: shape[1] * receptive, fanOut: shape[0] * receptive };
}

function floatData(t: Tensor, where: string): Float32Array {
  if (t.dtype !== 'float32') throw new TypeError(`${where}: needs a float32 tensor, got ${t.dtype}`);
  return t.data;
}

/** Fills with values uniform in [low, high). */
export function uniform_(t: Tensor, low = 0, high = 1): Tensor {
  const out = floatData(t, 'uniform_');
  const r = rand([out.length]).data;
  const span = high - low;
  for (let i = 0; i < out.length; i++) out[i] = low + span * r[i];
  return t;
}

/** Fills with values from N(mean, std²). */
export function normal_(t: Tensor, mean = 0, std = 1): Tensor {
  const out = floatData(t, 'normal_');
  const r = randn([out.length]).data;
  for (let i = 0; i < out.length; i++) out[i] = mean + std * r[i];
  return t;
}

export function constant_(t: Tensor, value: number): Tensor {
  t._typed().fill(value);
  return t;
}

export function zeros_(t: Tensor): Tensor {
  return constant_(t, 0);
}

export function ones_(t: Tensor): Tensor {
  return constant_(t, 1);
}

/** Glorot/Xavier uniform: U(−a, a) with a = gain·√(6/(fanIn+fanOut)). */
export function xavierUniform_(t: Tensor, gain = 1): Tensor {
  const { fanIn, fanOut } = computeFans(t.shape);
  const a = gain * Math.sqrt(6 / (fanIn + fanOut));
  return uniform_(t, -a, a);
}

/** Glorot/Xavier normal: N(0, std²) with std = gain·√(2/(fanIn+fanOut)). */
export function xavierNormal_(t: Tensor, gain = 1): Tensor {
  const { fanIn, fanOut } = computeFans(t.shape);
  return normal_(t, 0, gain * Math.sqrt(2 / (fanIn + fanOut)));
}

export interface KaimingOptions {
  /** Negative slope of the leaky ReLU that follows (used with 'leakyRelu'; default 0). */
  a?: number;
  /** 'fanIn' keeps the forward variance, 'fanOut' the backward one (default 'fanIn'). */
  mode?: 'fanIn' | 'fanOut';
  /** Default 'leakyRelu' with a = 0, i.e. ReLU's gain √2, as PyTorch. */
  nonlinearity?: Nonlinearity;
}

function kaimingStd(t: Tensor, options: KaimingOptions, where: string): number {
  rejectUnknownOptions(options, ['a', 'mode', 'nonlinearity'], where);
  const fans = computeFans(t.shape);
  const fan = (options.mode ?? 'fanIn') === 'fanIn' ? fans.fanIn : fans.fanOut;
  const gain = calculateGain(options.nonlinearity ?? 'leakyRelu', options.a ?? 0);
  return gain / Math.sqrt(fan);
}

/** He/Kaiming uniform: U(−b, b) with b = gain·√(3/fan). */
export function kaimingUniform_(t: Tensor, options: KaimingOptions = {}): Tensor {
  const bound = Math.sqrt(3) * kaimingStd(t, options, 'kaimingUniform_');
  return uniform_(t, -bound, bound);
}

/** He/Kaiming normal: N(0, std²) with std = gain/√fan. */
export function kaimingNormal_(t: Tensor, options: KaimingOptions = {}): Tensor {
  return normal_(t, 0, kaimingStd(t, options, 'kaimingNormal_'));
}

/** Names a layer's `init` option accepts; a function is accepted too. */
export type InitName =
  | 'default' | 'glorotUniform' | 'glorotNormal' | 'xavierUniform' | 'xavierNormal'
  | 'heUniform' | 'heNormal' | 'kaimingUniform' | 'kaimingNormal' | 'zeros' | 'ones';

export type Initializer = InitName | ((weight: Tensor) => void);

/**
 * PyTorch's default for Linear and Conv weights: kaiming_uniform with a = √5,
 * i.e. U(−1/√fanIn, 1/√fanIn).
 */
export function defaultWeightInit_(t: Tensor): Tensor {
  return kaimingUniform_(t, { a: Math.sqrt(5) });
}

/** PyTorch's default bias: U(−1/√fanIn, 1/√fanIn), fanIn taken from the layer's weight. */
export function defaultBiasInit_(bias: Tensor, weight: Tensor): Tensor {
  const { fanIn } = computeFans(weight.shape);
  const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
  return uniform_(bias, -bound, bound);
}

/**
 * Applies a named scheme to a weight. He schemes assume a ReLU after the
 * layer (gain √2, fanIn); Glorot schemes use gain 1.
 */
export function initWeight(weight: Tensor, init: Initializer, where: string): void {
  if (typeof init === 'function') {
    init(weight);
    return;
  }
  switch (init) {
    case 'default': defaultWeightInit_(weight); return;
    case 'glorotUniform': case 'xavierUniform': xavierUniform_(weight); return;
    case 'glorotNormal': case 'xavierNormal': xavierNormal_(weight); return;
    case 'heUniform': case 'kaimingUniform': kaimingUniform_(weight, { nonlinearity: 'relu' }); return;
    case 'heNormal': case 'kaimingNormal': kaimingNormal_(weight, { nonlinearity: 'relu' }); return;
    case 'zeros': zeros_(weight); return;
    case 'ones': ones_(weight); return;
    default:
      throw new RangeError(`${where}: unknown init ${JSON.stringify(init)}; use one of default, glorotUniform, glorotNormal, heUniform, heNormal, zeros, ones or a function`);
  }
}

/** Bias initialisers: 'default' is PyTorch's U(±1/√fanIn). */
export type BiasInitializer = 'default' | 'zeros' | ((bias: Tensor) => void);

/**
 * Initialises a layer's weight and bias. Without `init` both get PyTorch's
 * defaults; with a named scheme the bias starts at zero (as Keras does)
 * unless `biasInit` says otherwise.
 */
export function initLayer(weight: Tensor, bias: Tensor | null, init: Initializer | undefined, biasInit: BiasInitializer | undefined, where: string): void {
  initWeight(weight, init ?? 'default', where);
  if (bias === null) return;
  const b = biasInit ?? (init === undefined || init === 'default' ? 'default' : 'zeros');
  if (typeof b === 'function') b(bias);
  else if (b === 'default') defaultBiasInit_(bias, weight);
  else if (b === 'zeros') zeros_(bias);
  else throw new RangeError(`${where}: unknown biasInit ${JSON.stringify(b)}; use default, zeros or a function`);
}
