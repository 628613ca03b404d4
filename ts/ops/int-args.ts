/**
 * Int32Array arguments for kernels (shapes, strides, permutations), reused
 * from call to call: one array per (slot, length). Kernel calls are
 * synchronous and keep no reference, so reuse is safe, and it spares each
 * call an allocation that V8 would also have to move out of its heap for the
 * native side.
 */
const slots: Int32Array[][] = [[], [], [], []];

/** The values in the reusable array of `slot` (0-3: the distinct arrays one call passes). */
export function int32Arg(slot: number, values: readonly number[]): Int32Array {
  const bySize = slots[slot];
  let a = bySize[values.length];
  if (a === undefined) bySize[values.length] = a = new Int32Array(new ArrayBuffer(values.length * 4));
  for (let i = 0; i < values.length; i++) a[i] = values[i];
  return a;
}
