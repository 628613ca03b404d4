/** Plain double-precision batch, layer and local response normalization, for the norm tests. */
import { R } from '../autograd/support/reference';

/** x [N, C, *] viewed as [n, c, plane]. */
export function channelView(shape: readonly number[]): { n: number; c: number; plane: number } {
  return { n: shape[0], c: shape[1], plane: shape.slice(2).reduce((a, b) => a * b, 1) };
}

/** Mean and biased variance of each channel of x [N, C, *]. */
export function channelStats(x: R): { mean: number[]; variance: number[] } {
  const { n, c, plane } = channelView(x.shape);
  const mean = new Array<number>(c).fill(0);
  const variance = new Array<number>(c).fill(0);
  for (let ch = 0; ch < c; ch++) {
    for (let i = 0; i < n; i++) for (let p = 0; p < plane; p++) mean[ch] += x.data[(i * c + ch) * plane + p];
    mean[ch] /= n * plane;
    for (let i = 0; i < n; i++) for (let p = 0; p < plane; p++) variance[ch] += (x.data[(i * c + ch) * plane + p] - mean[ch]) ** 2;
    variance[ch] /= n * plane;
  }
  return { mean, variance };
}

/**
 * y = (x − mean)/√(var + eps)·w + b per channel, with the batch's statistics
 * or the given running ones; w and b may be null.
 */
export function batchNorm(x: R, w: R | null, b: R | null, eps: number, running?: { mean: ArrayLike<number>; variance: ArrayLike<number> }): R {
  const { n, c, plane } = channelView(x.shape);
  const stats = running ?? channelStats(x);
  const out = new Float64Array(x.data.length);
  for (let i = 0; i < n; i++) {
    for (let ch = 0; ch < c; ch++) {
      const scale = (w ? w.data[ch] : 1) / Math.sqrt(stats.variance[ch] + eps);
      for (let p = 0; p < plane; p++) {
        const k = (i * c + ch) * plane + p;
        out[k] = (x.data[k] - stats.mean[ch]) * scale + (b ? b.data[ch] : 0);
      }
    }
  }
  return new R(out, x.shape.slice());
}

/** Each run of the last `cols` values normalized by its own statistics, then ·w + b per position. */
export function layerNorm(x: R, cols: number, w: R | null, b: R | null, eps: number): R {
  const out = new Float64Array(x.data.length);
  for (let at = 0; at < x.data.length; at += cols) {
    let mean = 0, variance = 0;
    for (let j = 0; j < cols; j++) mean += x.data[at + j];
    mean /= cols;
    for (let j = 0; j < cols; j++) variance += (x.data[at + j] - mean) ** 2;
    variance /= cols;
    for (let j = 0; j < cols; j++) {
      out[at + j] = ((x.data[at + j] - mean) / Math.sqrt(variance + eps)) * (w ? w.data[j] : 1) + (b ? b.data[j] : 0);
    }
  }
  return new R(out, x.shape.slice());
}

/** PyTorch's local_response_norm: x / (k + alpha/size·Σ x²)^beta over channels c − ⌊size/2⌋ … c + ⌊(size−1)/2⌋. */
export function localResponseNorm(x: R, size: number, alpha: number, beta: number, k: number): R {
  const { n, c, plane } = channelView(x.shape);
  const out = new Float64Array(x.data.length);
  for (let i = 0; i < n; i++) {
    for (let ch = 0; ch < c; ch++) {
      for (let p = 0; p < plane; p++) {
        let sum = 0;
        for (let o = Math.max(0, ch - Math.floor(size / 2)); o <= Math.min(c - 1, ch + Math.floor((size - 1) / 2)); o++) {
          sum += x.data[(i * c + o) * plane + p] ** 2;
        }
        const at = (i * c + ch) * plane + p;
        out[at] = x.data[at] / (k + (alpha / size) * sum) ** beta;
      }
    }
  }
  return new R(out, x.shape.slice());
}
