/**
 * Types of the resizing bindings (native/addon/bind_upsample.cc), NCHW, with
 * PyTorch's coordinate rules. scaleH/scaleW are the scale factors the caller
 * gave (F.interpolate's scaleFactor without recomputeScaleFactor: source
 * coordinates then use 1/scale), or null when the output size alone sets
 * them (in/out). Outputs are preallocated by the caller and overwritten.
 */
export interface UpsampleBindings {
  /** out[oy][ox] = x[floor(oy·sH)][floor(ox·sW)] (a copy when out = in, index/2 when out = 2·in). */
  upsampleNearest2dForward(
    x: Float32Array, out: Float32Array, n: number, c: number, h: number, w: number, oh: number, ow: number,
    scaleH: number | null, scaleW: number | null,
  ): void;
  upsampleNearest2dBackward(
    gy: Float32Array, gx: Float32Array, n: number, c: number, h: number, w: number, oh: number, ow: number,
    scaleH: number | null, scaleW: number | null,
  ): void;
  /** Bilinear blend; source point dst·(in−1)/(out−1) with alignCorners, else (dst + 0.5)·scale − 0.5 clamped at 0. */
  upsampleBilinear2dForward(
    x: Float32Array, out: Float32Array, n: number, c: number, h: number, w: number, oh: number, ow: number,
    alignCorners: boolean, scaleH: number | null, scaleW: number | null,
  ): void;
  upsampleBilinear2dBackward(
    gy: Float32Array, gx: Float32Array, n: number, c: number, h: number, w: number, oh: number, ow: number,
    alignCorners: boolean, scaleH: number | null, scaleW: number | null,
  ): void;
}
