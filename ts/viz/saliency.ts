/**
 * Saliency maps (Simonyan et al. 2014): which pixels move a class score
 * most, max over channels of |∂score/∂x|. The gradient comes from
 * autograd.grad, so no parameter's .grad changes, and the weights' gradients
 * are not even computed. SmoothGrad (Smilkov et al. 2017) averages |∂score/∂x|
 * over noisy copies of the input (noise σ = `noise` × the input's value
 * range) before taking the max over channels, as Captum's NoiseTunnel over
 * Saliency does; the copies go through the model in batches, which gives
 * each its own gradient as long as the model treats samples independently
 * in evaluation mode (as every dendrite layer does).
 */
import { Tensor } from '../tensor/tensor';
import type { AnyModule } from '../nn/module';
import { asTensor } from '../tensor/create';
import { formatShape } from '../tensor/shape';
import { Generator, randn, withGenerator } from '../tensor/random';
import { enableGrad } from '../autograd/grad-mode';
import { grad } from '../autograd/grad';
import { narrow } from '../ops/slice';
import { sum } from '../ops/reduce';
import { withMode } from '../nn/mode';
import { rejectUnknownOptions } from '../options';
import { describe, floatTensor, integerOption, numberOption } from './checks';
import { checkModel } from './capture';
import { finiteRange } from './normalize';

export interface SmoothGradOptions {
  /** Noisy copies averaged (default 25). */
  samples?: number;
  /** Noise standard deviation as a fraction of the input's max − min (default 0.15). */
  noise?: number;
  /** Where the noise comes from (default the global stream, see manualSeed). */
  generator?: Generator;
}

export interface SaliencyOptions {
  /** Average over noisy copies of the input (SmoothGrad). */
  smoothGrad?: SmoothGradOptions;
}

/** Noisy copies go through the model this many at a time. */
const BATCH = 16;

/** Σ over the batch of |∂ score(class) / ∂x|, per input element [C·H·W], added into `into`. */
function addAbsGradients(model: AnyModule, batch: Float32Array, shape: readonly number[], classIndex: number, into: Float32Array, where: string): void {
  const x = asTensor(batch, shape, { requiresGrad: true });
  const g = withMode(model, false, () =>
    enableGrad(() => {
      const out = model.call(x);
      if (!(out instanceof Tensor) || out.ndim !== 2 || out.shape[0] !== shape[0]) {
        throw new RangeError(`${where}: the model must output scores [N, classes]; it gave ${out instanceof Tensor ? formatShape(out.shape) : describe(out)}`);
      }
      if (classIndex >= out.shape[1]) throw new RangeError(`${where}: classIndex ${classIndex} is out of range for ${out.shape[1]} classes`);
      return grad(sum(narrow(out, 1, classIndex, 1)), x)[0]._f32(where);
    }),
  );
  const size = into.length;
  for (let i = 0; i < g.length; i++) into[i % size] += Math.abs(g[i]);
}

/**
 * The saliency map [H, W] of `input` [1, C, H, W] for class `classIndex` of
 * `model` (whose output is scores [1, classes]): max over channels of
 * |∂score/∂x|, or its SmoothGrad average. The model runs in evaluation mode.
 */
export function saliency(model: AnyModule, input: Tensor, classIndex: number, options: SaliencyOptions = {}): Tensor {
  const where = 'saliency';
  checkModel(model, where);
  floatTensor(input, [4], where, 'input', '[1, C, H, W]');
  if (input.shape[0] !== 1) throw new RangeError(`${where}: input must hold one image [1, C, H, W], got ${formatShape(input.shape)}`);
  if (typeof classIndex !== 'number' || !Number.isInteger(classIndex) || classIndex < 0) {
    throw new RangeError(`${where}: classIndex must be an integer >= 0, got ${describe(classIndex)}`);
  }
  rejectUnknownOptions(options, ['smoothGrad'], where);
  const [, c, h, w] = input.shape;
  const x = input._f32(where);
  const total = new Float32Array(c * h * w);
  let samples = 1;
  if (options.smoothGrad === undefined) {
    addAbsGradients(model, Float32Array.from(x), input.shape, classIndex, total, where);
  } else {
    const sg = options.smoothGrad;
    if (sg === null || typeof sg !== 'object') throw new TypeError(`${where}: smoothGrad must be an object { samples, noise, generator }`);
    rejectUnknownOptions(sg, ['samples', 'noise', 'generator'], `${where}: smoothGrad`);
    samples = integerOption(sg.samples, 25, 1, where, 'smoothGrad.samples');
    const [lo, hi] = finiteRange(x);
    const sigma = numberOption(sg.noise, 0.15, 0, Infinity, where, 'smoothGrad.noise') * (hi - lo);
    if (sg.generator !== undefined && !(sg.generator instanceof Generator)) throw new TypeError(`${where}: smoothGrad.generator must be a dd.Generator`);
    const draw = (n: number): Float32Array => {
      const noise = () => randn([n, c, h, w])._f32(where);
      return sg.generator === undefined ? noise() : withGenerator(sg.generator, noise);
    };
    for (let done = 0; done < samples; done += BATCH) {
      const n = Math.min(BATCH, samples - done);
      const batch = draw(n);
      for (let i = 0; i < batch.length; i++) batch[i] = x[i % x.length] + sigma * batch[i];
      addAbsGradients(model, batch, [n, c, h, w], classIndex, total, where);
    }
  }
  const map = new Float32Array(h * w);
  for (let i = 0; i < h * w; i++) {
    let m = 0;
    for (let ch = 0; ch < c; ch++) m = Math.max(m, total[ch * h * w + i]);
    map[i] = m / samples;
  }
  return asTensor(map, [h, w]);
}
