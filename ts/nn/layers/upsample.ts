/** Resizing NCHW input by a size or a scale factor, as PyTorch's nn.Upsample ('nearest' or 'bilinear'). */
import { rejectUnknownOptions } from '../../options';
import {
  checkResizeOptions, INTERPOLATE_OPTIONS, interpolateMode, InterpolateMode, InterpolateOptions,
} from '../../ops/upsample';
import type { Tensor } from '../../tensor/tensor';
import { interpolate } from '../functional';
import { Module } from '../module';

export type UpsampleOptions = InterpolateOptions;

function asPair(v: number | [number, number] | undefined | null): [number, number] | null {
  if (v === undefined || v === null) return null;
  return typeof v === 'number' ? [v, v] : [v[0], v[1]];
}

export class Upsample extends Module {
  /** Output [height, width], or null when scaleFactor sets it. */
  readonly size: [number, number] | null;
  /** Multipliers of [height, width], or null when size is given. */
  readonly scaleFactor: [number, number] | null;
  readonly mode: InterpolateMode;
  /** Bilinear only (default false). */
  readonly alignCorners: boolean;
  /** With scaleFactor: source coordinates from the output size (default false). */
  readonly recomputeScaleFactor: boolean;

  /** new Upsample({ scaleFactor: 2 }), new Upsample({ size: [32, 32], mode: 'bilinear', alignCorners: false }). */
  constructor(options: UpsampleOptions) {
    super();
    if (typeof options !== 'object' || options === null) throw new TypeError('Upsample: options { size or scaleFactor, mode } are required');
    rejectUnknownOptions(options, INTERPOLATE_OPTIONS, 'Upsample');
    const { mode, alignCorners } = interpolateMode(options, 'Upsample');
    checkResizeOptions(options, 'Upsample');
    this.size = asPair(options.size);
    this.scaleFactor = asPair(options.scaleFactor);
    this.mode = mode;
    this.alignCorners = alignCorners;
    this.recomputeScaleFactor = options.recomputeScaleFactor ?? false;
  }

  /** The options this layer passes to interpolate (and its description holds). */
  options(): InterpolateOptions {
    const o: InterpolateOptions = { mode: this.mode };
    if (this.size !== null) o.size = [...this.size] as [number, number];
    if (this.scaleFactor !== null) o.scaleFactor = [...this.scaleFactor] as [number, number];
    // PyTorch refuses alignCorners with 'nearest', even false.
    if (this.mode === 'bilinear') o.alignCorners = this.alignCorners;
    if (this.recomputeScaleFactor) o.recomputeScaleFactor = true;
    return o;
  }

  forward(x: Tensor): Tensor {
    return interpolate(x, this.options());
  }

  override extraRepr(): string {
    const parts = [this.size !== null ? `size=[${this.size}]` : `scaleFactor=[${this.scaleFactor}]`, `mode='${this.mode}'`];
    if (this.mode === 'bilinear') parts.push(`alignCorners=${this.alignCorners}`);
    if (this.recomputeScaleFactor) parts.push('recomputeScaleFactor=true');
    return parts.join(', ');
  }
}
