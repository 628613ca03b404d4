/**
 * Types of the inference bindings (native/addon/bind_infer.cc): the fused
 * layers of a model as one program, run in one call.
 */
export interface InferBindings {
  /**
   * Runs `program` (an Int32Array in the format ts/infer/program.ts writes:
   * convolution and fully connected steps with their bias, ReLU and max-pool)
   * on the buffers passed after it, which the steps name by index. Every
   * step is checked before the first one runs; a step's output must not
   * overlap its inputs.
   */
  inferRun(program: Int32Array, ...buffers: Float32Array[]): void;
}
