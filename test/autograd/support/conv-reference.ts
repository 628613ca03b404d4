/**
 * Double-precision references of the grouped convolution and the transposed
 * convolution, written as their sums (for clarity, not speed): the forward
 * values are checked against them and the finite-difference gradients are
 * computed through them.
 */
import { make, R } from './reference';

type Pair = [number, number];

/** conv2d of x [N, C, H, W] with w [O, C/groups, kh, kw], plus bias. */
export function conv2dGroups(x: R, w: R, b: R | null, stride: Pair, pad: Pair, dil: Pair, groups: number): R {
  const [n, c, h, wd] = x.shape;
  const [o, cg, kh, kw] = w.shape;
  const og = o / groups;
  if (cg * groups !== c) throw new Error(`conv2dGroups: ${c} channels, weight wants ${cg} per group of ${groups}`);
  const oh = Math.floor((h + 2 * pad[0] - dil[0] * (kh - 1) - 1) / stride[0]) + 1;
  const ow = Math.floor((wd + 2 * pad[1] - dil[1] * (kw - 1) - 1) / stride[1]) + 1;
  return make([n, o, oh, ow], ([ni, oi, y, xx]) => {
    let s = b ? b.data[oi] : 0;
    const first = Math.floor(oi / og) * cg;
    for (let k = 0; k < cg; k++)
      for (let i = 0; i < kh; i++)
        for (let j = 0; j < kw; j++) {
          const iy = y * stride[0] - pad[0] + i * dil[0], ix = xx * stride[1] - pad[1] + j * dil[1];
          if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
          s += x.get([ni, first + k, iy, ix]) * w.get([oi, k, i, j]);
        }
    return s;
  });
}

/**
 * conv_transpose2d of x [N, Cin, H, W] with w [Cin, Cout/groups, kh, kw],
 * plus bias: output pixel (Y, X) sums x(iy, ix)·w(i, j) over
 * Y = iy·s + i·d − p and X = ix·s + j·d − p.
 */
export function convTranspose2d(x: R, w: R, b: R | null, stride: Pair, pad: Pair, outputPadding: Pair, dil: Pair, groups: number): R {
  const [n, cin, h, wd] = x.shape;
  const [, og, kh, kw] = w.shape;
  const ig = cin / groups, cout = og * groups;
  const oh = (h - 1) * stride[0] - 2 * pad[0] + dil[0] * (kh - 1) + outputPadding[0] + 1;
  const ow = (wd - 1) * stride[1] - 2 * pad[1] + dil[1] * (kw - 1) + outputPadding[1] + 1;
  const out = make([n, cout, oh, ow], ([, oc]) => (b ? b.data[oc] : 0));
  for (let ni = 0; ni < n; ni++)
    for (let ic = 0; ic < cin; ic++)
      for (let iy = 0; iy < h; iy++)
        for (let ix = 0; ix < wd; ix++)
          for (let k = 0; k < og; k++)
            for (let i = 0; i < kh; i++)
              for (let j = 0; j < kw; j++) {
                const y = iy * stride[0] + i * dil[0] - pad[0], xx = ix * stride[1] + j * dil[1] - pad[1];
                if (y < 0 || y >= oh || xx < 0 || xx >= ow) continue;
                const oc = Math.floor(ic / ig) * og + k;
                out.data[((ni * cout + oc) * oh + y) * ow + xx] += x.get([ni, ic, iy, ix]) * w.get([ic, k, i, j]);
              }
  return out;
}
