/**
 * The attached penalties as one differentiable op: its inputs are the
 * penalized parameters, its output the scalar Σ (l1·Σ|w| + l2·Σw²), and its
 * backward rule gives each parameter g·(l1·sign(w) + 2·l2·w). Both directions
 * are one fused native pass per parameter (applyRegularizer).
 */
import { native } from '../native';
import { scalarOpCode } from '../bindings/elementwise';
import { allocZeros } from '../tensor/alloc';
import { Tensor, wrap } from '../tensor/tensor';
import { apply, OpDef } from '../ops/define';

/** Per input: the summed l1 and l2 coefficients of its penalties. */
interface PenaltyAttrs {
  coefficients: ReadonlyArray<readonly [number, number]>;
}

const penaltyDef: OpDef<PenaltyAttrs> = {
  name: 'regularizationPenalty',
  shape: () => [],
  forward(inputs, out, a) {
    let total = 0;
    inputs.forEach((p, i) => {
      const [l1, l2] = a.coefficients[i];
      total += native().applyRegularizer(p._f32('regularizationPenalty'), null, l1, l2);
    });
    out[0] = total;
  },
  backward(g, { inputs, attrs, needs }) {
    const scale = g.item();
    return inputs.map((p, i) => {
      if (!needs[i]) return null;
      const [l1, l2] = attrs.coefficients[i];
      const gp = allocZeros(p.numel);
      // With g >= 0 (the usual g = 1) the scale folds into the coefficients; otherwise one more pass.
      const s = scale >= 0 ? scale : 1;
      native().applyRegularizer(p._f32('regularizationPenalty'), gp, l1 * s, l2 * s);
      if (scale < 0) native().scalarOp(scalarOpCode('mul'), gp, scale, gp);
      return wrap(gp, p.shape);
    });
  },
};

/** The penalty of `params`, each with its summed coefficients, as a scalar tensor in the graph. */
export function penaltyOf(params: readonly Tensor[], coefficients: ReadonlyArray<readonly [number, number]>): Tensor {
  return apply(penaltyDef, params, { coefficients });
}
