/**
 * The receptive field of a layer: which input pixels one position of its
 * output can see. Computed exactly from the convolution and pooling geometry
 * (kernel, stride, padding, dilation) along the Sequential path from the
 * model's input to the layer. Layers that act on each pixel alone
 * (activations, BatchNorm2d, dropout, LocalResponseNorm across channels)
 * leave it as it is. Anything else on the path (a Residual block, an
 * upsampling, a model that is not a chain of Sequentials) makes it unknown:
 * receptiveField() then returns null.
 *
 * Output row y sees input rows [y·stride − padding, y·stride − padding + size):
 * with jump J (the product of the strides so far), each layer of effective
 * kernel k' = dilation·(k − 1) + 1, stride s and padding p turns
 * (size, J, padding) into (size + (k' − 1)·J, J·s, padding + p·J).
 */
import type { AnyModule } from '../nn/module';
import { Sequential } from '../nn/layers/sequential';
import { Conv2d } from '../nn/layers/conv';
import { AvgPool2d, MaxPool2d } from '../nn/layers/pooling';
import { ELU, GELU, LeakyReLU, ReLU, SiLU, Sigmoid, Softplus, Tanh } from '../nn/layers/activation';
import { BatchNorm2d, LocalResponseNorm } from '../nn/layers/norm';
import { Dropout, Dropout2d } from '../nn/layers/dropout';
import { Identity } from '../nn/layers/flatten';
import { checkModel, LayerRef, resolveLayer } from './capture';

/** Per axis [rows, columns]: input rows [y·stride − padding, y·stride − padding + size) for output row y. */
export interface ReceptiveField {
  size: [number, number];
  stride: [number, number];
  padding: [number, number];
}

/** One layer's sliding window, per axis. */
interface Window {
  kernel: readonly [number, number];
  stride: readonly [number, number];
  padding: readonly [number, number];
  dilation: readonly [number, number];
}

const POINTWISE = [ReLU, Sigmoid, Tanh, LeakyReLU, ELU, GELU, SiLU, Softplus, BatchNorm2d, LocalResponseNorm, Dropout, Dropout2d, Identity];

const INPUT: ReceptiveField = { size: [1, 1], stride: [1, 1], padding: [0, 0] };

function windowOf(m: AnyModule): Window | 'pointwise' | null {
  if (m instanceof Conv2d) return { kernel: m.kernelSize, stride: m.stride, padding: m.zeroPadding(), dilation: m.dilation };
  if (m instanceof MaxPool2d) return { kernel: m.kernelSize, stride: m.stride, padding: m.padding, dilation: m.dilation };
  if (m instanceof AvgPool2d) return { kernel: m.kernelSize, stride: m.stride, padding: m.padding, dilation: [1, 1] };
  return POINTWISE.some((C) => m.constructor === C) ? 'pointwise' : null;
}

function through(rf: ReceptiveField, w: Window): ReceptiveField {
  const axis = (a: 0 | 1): [number, number, number] => {
    const k = w.dilation[a] * (w.kernel[a] - 1) + 1;
    return [rf.size[a] + (k - 1) * rf.stride[a], rf.stride[a] * w.stride[a], rf.padding[a] + w.padding[a] * rf.stride[a]];
  };
  const [r, c] = [axis(0), axis(1)];
  return { size: [r[0], c[0]], stride: [r[1], c[1]], padding: [r[2], c[2]] };
}

/** The field after all of m (a layer or a Sequential of known layers), or null. */
function afterModule(rf: ReceptiveField, m: AnyModule, target: AnyModule | null): { rf: ReceptiveField; reached: boolean } | null {
  if (m instanceof Sequential) {
    // The target itself: all of it, its children being no target.
    const inner = m === target ? null : target;
    let current = rf;
    for (const child of m) {
      const next = afterModule(current, child, inner);
      if (next === null) return null;
      if (next.reached) return next;
      current = next.rf;
    }
    return { rf: current, reached: m === target };
  }
  // A non-Sequential container holding the target: its inner wiring is unknown.
  if (m !== target && target !== null && [...m.modules()].includes(target)) return null;
  const w = windowOf(m);
  if (w === null) return null;
  return { rf: w === 'pointwise' ? rf : through(rf, w), reached: m === target };
}

/**
 * The receptive field of `layer`'s output in `model`'s input, or null when
 * the path to it is not a chain of layers of known geometry (see the module
 * comment).
 */
export function receptiveFieldOf(model: AnyModule, layer: AnyModule): ReceptiveField | null {
  const r = afterModule(INPUT, model, layer);
  return r === null || !r.reached ? null : r.rf;
}

/** receptiveFieldOf for a layer given as a module of the model or its dotted name. */
export function receptiveField(model: AnyModule, layer: LayerRef): ReceptiveField | null {
  checkModel(model, 'receptiveField');
  return receptiveFieldOf(model, resolveLayer(model, layer, 'receptiveField').module);
}
