/**
 * Unary elementwise math. Every unary op runs one native kernel forward and
 * one backward (unaryBackward computes gy·f'(x) from x and y for every op),
 * so an op is just its name in UNARY_OPS (ts/bindings/elementwise.ts): the
 * name of its kernel and of its graph node.
 */
import { UnaryOpCode, UnaryOpName, unaryOpCode } from '../bindings/elementwise';
import { native } from '../native';
import { allocFloat32 } from '../tensor/alloc';
import { Tensor, wrap } from '../tensor/tensor';
import { checkTensor } from './checks';
import { apply, OpDef } from './define';

const defs = new Map<UnaryOpName, OpDef<number>>();

/** The op definition of a unary kernel (param: slope or alpha for the ops that take one). */
export function unaryDef(name: UnaryOpName): OpDef<number> {
  let def = defs.get(name);
  if (def === undefined) {
    // Made on first use, so the addon's code for the op is known by then.
    const code = unaryOpCode(name);
    def = {
      name,
      shape: ([x]) => x.shape,
      forward([x], out, param) {
        if (out.length > 0) native().unaryOp(code, x._f32(name), out, param);
        return undefined;
      },
      backward: (g, { inputs: [x], output, attrs: param }) => [unaryGrad(code, x, output, g, param)],
    };
    defs.set(name, def);
  }
  return def;
}

/** gx = g·f'(x), computed by the kernel from x and y = f(x). */
function unaryGrad(code: UnaryOpCode, x: Tensor, y: Tensor, g: Tensor, param: number): Tensor {
  const gx = allocFloat32(x.numel);
  if (gx.length > 0) native().unaryBackward(code, x._f32('backward'), y._f32('backward'), g._f32('backward'), gx, param);
  return wrap(gx, x.shape);
}

/** Runs unary op `name` on x. */
export function unary(name: UnaryOpName, x: Tensor, param = 0): Tensor {
  checkTensor(x, name, 'input', 'float32');
  return apply(unaryDef(name), [x], param);
}

export const neg = (x: Tensor): Tensor => unary('neg', x);
export const abs = (x: Tensor): Tensor => unary('abs', x);
export const exp = (x: Tensor): Tensor => unary('exp', x);
/** Natural logarithm. */
export const log = (x: Tensor): Tensor => unary('log', x);
export const sqrt = (x: Tensor): Tensor => unary('sqrt', x);
/** -1, 0 or 1 (gradient 0). */
export const sign = (x: Tensor): Tensor => unary('sign', x);
export const square = (x: Tensor): Tensor => unary('square', x);
/** 1 / x. */
export const reciprocal = (x: Tensor): Tensor => unary('reciprocal', x);
