/**
 * Gradients whose every element is the same number. The gradient of a sum
 * (or a mean) over a tensor is its output gradient repeated over the whole
 * input: for a 16M-element activation, 64 MiB written only to be read once.
 * Autograd carries such a gradient as the one number, in a UniformStorage,
 * until a backward rule reads its elements (then they are written out once,
 * into a pooled buffer). Rules that can use the number directly ask
 * Tensor._uniformValue() first — dropout's backward reads only its mask;
 * identity rules pass it on untouched.
 */
import { allocFloat32 } from './alloc';
import { Storage } from './storage';

const NO_ELEMENTS = new Float32Array(0);

export class UniformStorage extends Storage {
  private written = false;

  /** `value` is a float32 (rounded by the caller); `length` the element count it stands for. */
  constructor(
    readonly value: number,
    readonly length: number,
  ) {
    super(NO_ELEMENTS, false);
  }

  /** Whether the elements have been written out (a rule read them). */
  get materialized(): boolean {
    return this.written;
  }

  /** The elements, written out into a pooled buffer on first use. */
  elements(): Float32Array {
    if (!this.written) {
      this.data = this.copy();
      this.written = true;
    }
    return this.data as Float32Array;
  }

  /** A new pooled buffer holding the elements (for whoever keeps a copy). */
  copy(): Float32Array {
    const buffer = allocFloat32(this.length);
    buffer.fill(this.value);
    return buffer;
  }
}
