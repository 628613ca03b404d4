/** dtype conversion: float32 <-> int32 (toward zero, as PyTorch's .int()). Not differentiable across dtypes. */
import { allocFloat32, allocInt32 } from '../tensor/alloc';
import { checkDType, DType } from '../tensor/dtype';
import { Tensor, wrap } from '../tensor/tensor';
import { checkTensor } from './checks';

/** x as `dtype` (x itself when it already is). Converting NaN or out-of-range floats to int32 is a RangeError. */
export function toDType(x: Tensor, dtype: DType): Tensor {
  checkTensor(x, 'to', 'input');
  checkDType(dtype, 'to');
  if (x.dtype === dtype) return x;
  const src = x._typed();
  if (dtype === 'float32') {
    const out = allocFloat32(src.length);
    out.set(src);
    return wrap(out, x.shape);
  }
  const out = allocInt32(src.length);
  for (let i = 0; i < src.length; i++) {
    const v = Math.trunc(src[i]);
    if (!(v >= -2147483648 && v <= 2147483647)) {
      throw new RangeError(`to: element ${i} (${src[i]}) has no int32 value`);
    }
    out[i] = v;
  }
  return wrap(out, x.shape);
}
