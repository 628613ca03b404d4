/**
 * The program format of the native inference runner (native/addon/bind_infer.cc):
 * an Int32Array of [format, steps] then one record of 24 integers per step,
 * [kind, input, weight, bias, output, 19 parameters], the four slots being
 * indices into the array of buffers passed with it (bias −1: none).
 */

const FORMAT = 1;
const RECORD = 24;
const KIND_CONVOLUTION = 1;
const KIND_LINEAR = 2;

/** Where a step reads and writes: indices into the buffers array. */
export interface StepSlots {
  input: number;
  weight: number;
  bias: number | null;
  output: number;
}

export interface ConvStep {
  kind: 'conv';
  slots: StepSlots;
  /** n, c, h, w, o, kh, kw, strideH, strideW, padH, padW, dilationH, dilationW, groups. */
  geometry: readonly number[];
  relu: boolean;
  /** [kh, kw, strideH, strideW] of a max-pool without padding or dilation, or null. */
  pool: readonly [number, number, number, number] | null;
}

export interface LinearStep {
  kind: 'linear';
  slots: StepSlots;
  batch: number;
  inFeatures: number;
  outFeatures: number;
  relu: boolean;
}

export type Step = ConvStep | LinearStep;

/** Whether every size of the step fits the program's int32 fields (a larger one would wrap). */
export function fitsProgram(step: Step): boolean {
  const values = step.kind === 'conv' ? [...step.geometry, ...(step.pool ?? [])] : [step.batch, step.inFeatures, step.outFeatures];
  return values.every((v) => Number.isInteger(v) && v >= 0 && v <= 0x7fffffff);
}

/** The Int32Array the native runner reads for these steps (each one fitsProgram). */
export function encodeProgram(steps: readonly Step[]): Int32Array {
  const out = new Int32Array(2 + RECORD * steps.length);
  out[0] = FORMAT;
  out[1] = steps.length;
  steps.forEach((s, i) => {
    if (!fitsProgram(s)) throw new RangeError(`inference program: step ${i} has a size beyond 2^31 − 1`);
    const at = 2 + RECORD * i;
    out.set([s.kind === 'conv' ? KIND_CONVOLUTION : KIND_LINEAR, s.slots.input, s.slots.weight, s.slots.bias ?? -1, s.slots.output], at);
    const params = s.kind === 'conv'
      ? [...s.geometry, s.relu ? 1 : 0, ...(s.pool ?? [0, 0, 0, 0])]
      : [s.batch, s.inFeatures, s.outFeatures, s.relu ? 1 : 0];
    out.set(params, at + 5);
  });
  return out;
}
