/**
 * An inference plan: the stages of a model (stages.ts) laid out for one input
 * shape. Consecutive fused stages become one native program (program.ts),
 * run in one call on buffers allocated here once and reused by every run;
 * the layers it does not know run their own forward in between. Weights are
 * read from the layers at every run, never copied or transformed ahead, so a
 * plan always computes with the model's current weights.
 *
 * A plan is made by running it once (planFirstRun): layers of their own
 * forward are called on the real input to learn what they return, which is
 * also how their errors reach the caller unchanged.
 */
import { native } from '../native';
import { noGrad } from '../autograd/grad-mode';
import { withMode } from '../nn/mode';
import type { AnyModule } from '../nn/module';
import type { Conv2d } from '../nn/layers/conv';
import type { Linear } from '../nn/layers/linear';
import { convPadding } from '../ops/conv';
import { slidingOutput } from '../ops/conv-args';
import { allocFloat32 } from '../tensor/alloc';
import type { DType } from '../tensor/dtype';
import { numel } from '../tensor/shape';
import { Storage } from '../tensor/storage';
import { Tensor, wrap } from '../tensor/tensor';
import { ConvStep, encodeProgram, fitsProgram, LinearStep, Step } from './program';
import type { ConvStage, LinearStage, Stage } from './stages';

/** A layer's parameter the program reads from buffers[slot] at each run. */
interface ParameterRef {
  slot: number;
  layer: Conv2d | Linear;
  part: 'weight' | 'bias';
  numel: number;
  /** For a weight: whether the plan gives its layer a bias. */
  withBias: boolean;
}

// Outputs of at most this many floats are written into a buffer of the plan
// and copied out: V8 keeps such small arrays inside its heap, and handing one
// to native code would move it out on every run.
const SMALL_OUTPUT = 16;

interface NativeSegment {
  kind: 'native';
  program: Int32Array;
  buffers: Array<Float32Array | null>;
  parameters: ParameterRef[];
  outputSlot: number;
  outShape: number[];
  outNumel: number;
  /** The segment's output when it is the plan's last: a fresh buffer each run; otherwise a buffer of the plan. */
  fresh: boolean;
  outTensor: Tensor | null;
  /** A small last output's buffer (SMALL_OUTPUT). */
  small: Float32Array | null;
}

interface ModuleSegment {
  kind: 'module';
  module: AnyModule;
  inShape: number[];
  outShape: number[];
  outDtype: DType;
}

type Segment = NativeSegment | ModuleSegment;

/** Thrown by run() when a layer that runs its own forward returns another shape than when planned. */
export class PlanOutdated extends Error {}

/** A layer returned something other than one tensor: the model is run as it is instead (dd.predict does). */
export class NotOneTensor extends TypeError {}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** t with another shape of as many elements, sharing its memory. */
function viewAs(t: Tensor, shape: readonly number[]): Tensor {
  return sameShape(t.shape, shape) ? t : new Tensor(t._storage, [...shape], t.dtype);
}

function runModule(module: AnyModule, input: Tensor): unknown {
  return noGrad(() => withMode(module, false, () => module.call(input)));
}

/** The shape Flatten gives, or null when its dimensions do not fit (its own forward then says why). */
function flattenedShape(shape: readonly number[], startDim: number, endDim: number): number[] | null {
  const n = shape.length;
  if (n === 0) return null;
  const a = startDim < 0 ? startDim + n : startDim, b = endDim < 0 ? endDim + n : endDim;
  if (!(a >= 0 && a < n && b >= 0 && b < n && a <= b)) return null;
  return [...shape.slice(0, a), numel(shape.slice(a, b + 1)), ...shape.slice(b + 1)];
}

/**
 * The zero padding the layer's forward applies, resolved from the weight's
 * kernel as the forward resolves it; NaN when it cannot be (the forward then
 * says why).
 */
function paddingOf(conv: Conv2d, kh: number, kw: number): [number, number] {
  try {
    return convPadding(conv.padding, [kh, kw], conv.stride, conv.dilation, 'Conv2d');
  } catch {
    return [NaN, NaN];
  }
}

/** Builds the plan's segments while running the model once on the real input. */
class Planner {
  readonly segments: Segment[] = [];
  readonly internal = new Set<Storage>();
  private cur: Tensor;
  private shape: number[];
  private steps: Step[] = [];
  private buffers: Array<Float32Array | null> = [null];
  private parameters: ParameterRef[] = [];

  constructor(x: Tensor) {
    this.cur = x;
    this.shape = [...x.shape];
  }

  /** The slot the next step reads: the segment's input or the last step's output. */
  private inputSlot(): number {
    return this.steps.length === 0 ? 0 : this.steps[this.steps.length - 1].slots.output;
  }

  private parameter(layer: Conv2d | Linear, part: 'weight' | 'bias'): number {
    const t = layer[part] as Tensor;
    this.buffers.push(null);
    this.parameters.push({ slot: this.buffers.length - 1, layer, part, numel: t.numel, withBias: layer.bias !== null });
    return this.buffers.length - 1;
  }

  private addStep(step: Omit<ConvStep, 'slots'> | Omit<LinearStep, 'slots'>, layer: Conv2d | Linear, outShape: number[]): boolean {
    const slots = {
      input: this.inputSlot(),
      weight: this.parameter(layer, 'weight'),
      bias: layer.bias === null ? null : this.parameter(layer, 'bias'),
      output: this.buffers.length,
    };
    const full = { ...step, slots } as Step;
    if (!fitsProgram(full)) {
      this.buffers.length = slots.weight;
      this.parameters = this.parameters.filter((p) => p.slot < slots.weight);
      return false;
    }
    this.buffers.push(null); // allocated when the segment closes
    this.steps.push(full);
    this.shape = outShape;
    return true;
  }

  private floatInput(): boolean {
    return this.steps.length > 0 || this.cur.dtype === 'float32';
  }

  conv(s: ConvStage): void {
    const { conv } = s;
    const [o, cg, kh, kw] = conv.weight.shape;
    const shape = this.shape;
    const fits = this.floatInput() && shape.length === 4 && shape[1] === conv.inChannels && conv.weight.ndim === 4 &&
      cg * conv.groups === shape[1] && o === conv.outChannels && (conv.bias === null || sameShape(conv.bias.shape, [o]));
    const [sh, sw] = conv.stride, [dh, dw] = conv.dilation;
    const [ph, pw] = fits ? paddingOf(conv, kh, kw) : [0, 0];
    const oh = fits ? slidingOutput(shape[2], kh, sh, ph, dh) : 0, ow = fits ? slidingOutput(shape[3], kw, sw, pw, dw) : 0;
    if (!(oh >= 1 && ow >= 1)) {
      // Its own forward says what is wrong.
      for (const m of this.modulesInOrder(s)) this.module(m);
      return;
    }
    const pool = s.pool;
    const poolFits = pool !== null && oh >= pool.kernelSize[0] && ow >= pool.kernelSize[1];
    const relu = s.relu !== null && (poolFits || pool === null || s.reluFirst);
    const [outH, outW] = poolFits
      ? [Math.floor((oh - pool.kernelSize[0]) / pool.stride[0]) + 1, Math.floor((ow - pool.kernelSize[1]) / pool.stride[1]) + 1]
      : [oh, ow];
    const geometry = [shape[0], shape[1], shape[2], shape[3], o, kh, kw, sh, sw, ph, pw, dh, dw, conv.groups];
    const added = this.addStep(
      { kind: 'conv', geometry, relu, pool: poolFits ? [pool.kernelSize[0], pool.kernelSize[1], pool.stride[0], pool.stride[1]] : null },
      conv, [shape[0], o, outH, outW],
    );
    if (!added) {
      for (const m of this.modulesInOrder(s)) this.module(m);
      return;
    }
    // A pool that does not fit runs on its own (and says so), with a ReLU that came after it.
    if (pool !== null && !poolFits) {
      this.module(pool);
      if (s.relu !== null && !s.reluFirst) this.module(s.relu);
    }
  }

  private modulesInOrder(s: ConvStage): AnyModule[] {
    const rest = s.reluFirst ? [s.relu, s.pool] : [s.pool, s.relu];
    return [s.conv, ...rest.filter((m): m is NonNullable<typeof m> => m !== null)];
  }

  linear(s: LinearStage): void {
    const { linear } = s;
    const shape = this.shape, k = linear.inFeatures, n = linear.outFeatures;
    const fits = this.floatInput() && shape.length >= 1 && shape[shape.length - 1] === k &&
      sameShape(linear.weight.shape, [n, k]) && (linear.bias === null || sameShape(linear.bias.shape, [n]));
    const batch = fits ? numel(shape.slice(0, -1)) : 0;
    if (!fits || !this.addStep({ kind: 'linear', batch, inFeatures: k, outFeatures: n, relu: s.relu !== null }, linear, [...shape.slice(0, -1), n])) {
      this.module(linear);
      if (s.relu !== null) this.module(s.relu);
    }
  }

  flatten(m: { startDim: number; endDim: number } & AnyModule): void {
    const shape = flattenedShape(this.shape, m.startDim, m.endDim);
    if (shape === null) this.module(m);
    else this.shape = shape;
  }

  module(m: AnyModule): void {
    this.close(false);
    const input = viewAs(this.cur, this.shape);
    const out = runModule(m, input);
    if (!(out instanceof Tensor)) {
      throw new NotOneTensor(
        `InferenceSession.run: ${m.constructor.name} returns ${Array.isArray(out) ? 'an array' : typeof out}; an inference session runs models whose layers return one tensor (dd.predict and model.call handle several outputs)`,
      );
    }
    this.segments.push({ kind: 'module', module: m, inShape: [...this.shape], outShape: [...out.shape], outDtype: out.dtype });
    this.cur = out;
    this.shape = [...out.shape];
  }

  /** Ends the pending native steps as a segment and runs it; `last`: its output is the plan's. */
  close(last: boolean): void {
    if (this.steps.length === 0) return;
    const buffers = this.buffers;
    for (const step of this.steps) {
      const size = step.kind === 'conv' ? numel(this.outShapeOf(step)) : step.batch * step.outFeatures;
      if (step !== this.steps[this.steps.length - 1] || !last) buffers[step.slots.output] = new Float32Array(size);
    }
    const outputSlot = this.steps[this.steps.length - 1].slots.output;
    const outShape = [...this.shape];
    let outTensor: Tensor | null = null;
    if (!last) {
      outTensor = new Tensor(new Storage(buffers[outputSlot] as Float32Array, true), outShape, 'float32');
      this.internal.add(outTensor._storage);
    }
    const small = last && numel(outShape) <= SMALL_OUTPUT ? new Float32Array(4 * SMALL_OUTPUT) : null;
    const segment: NativeSegment = {
      kind: 'native', program: encodeProgram(this.steps), buffers, parameters: this.parameters,
      outputSlot, outShape, outNumel: numel(outShape), fresh: last, outTensor, small,
    };
    this.segments.push(segment);
    this.steps = [];
    this.buffers = [null];
    this.parameters = [];
    this.cur = runNative(segment, this.cur);
  }

  private outShapeOf(step: Step): number[] {
    if (step.kind !== 'conv') return [step.batch, step.outFeatures];
    const [n, , h, w, o, kh, kw, sh, sw, ph, pw, dh, dw] = step.geometry;
    let oh = slidingOutput(h, kh, sh, ph, dh), ow = slidingOutput(w, kw, sw, pw, dw);
    if (step.pool !== null) {
      oh = Math.floor((oh - step.pool[0]) / step.pool[2]) + 1;
      ow = Math.floor((ow - step.pool[1]) / step.pool[3]) + 1;
    }
    return [n, o, oh, ow];
  }

  /** The plan's output: a fresh tensor that shares memory with no buffer of the plan. */
  finish(): Tensor {
    this.close(true);
    return output(viewAs(this.cur, this.shape), this.internal);
  }

  get finalShape(): number[] {
    return this.shape;
  }
}

function runNative(s: NativeSegment, input: Tensor): Tensor {
  const buffers = s.buffers;
  buffers[0] = input._f32('InferenceSession.run');
  for (const p of s.parameters) buffers[p.slot] = (p.layer[p.part] as Tensor)._f32('InferenceSession.run');
  let out: Float32Array | null = null;
  if (s.fresh) {
    out = s.small ?? allocFloat32(s.outNumel);
    buffers[s.outputSlot] = out;
  }
  try {
    native().inferRun(s.program, ...(buffers as Float32Array[]));
  } finally {
    // Hold on to nothing of the caller's between runs.
    buffers[0] = null;
    for (const p of s.parameters) buffers[p.slot] = null;
    if (s.fresh) buffers[s.outputSlot] = null;
  }
  if (out === null) return s.outTensor as Tensor;
  return wrap(s.small !== null ? s.small.slice(0, s.outNumel) : out, s.outShape);
}

/** `t`, or a copy of it when it shares a buffer the plan reuses. */
function output(t: Tensor, internal: Set<Storage>): Tensor {
  if (!internal.has(t._storage)) return t;
  const copy = allocFloat32(t.numel);
  copy.set(t._typed() as Float32Array);
  return wrap(copy, t.shape);
}

export class InferencePlan {
  readonly inputShape: readonly number[];
  readonly inputDtype: DType;
  readonly outputShape: readonly number[];
  readonly #segments: Segment[];
  readonly #internal: Set<Storage>;

  private constructor(x: Tensor, segments: Segment[], internal: Set<Storage>, outputShape: number[]) {
    this.inputShape = [...x.shape];
    this.inputDtype = x.dtype;
    this.#segments = segments;
    this.#internal = internal;
    this.outputShape = outputShape;
  }

  /** Plans `stages` for x's shape by running them on x; returns the plan and the output. */
  static planFirstRun(stages: readonly Stage[], x: Tensor): { plan: InferencePlan; output: Tensor } {
    const p = new Planner(x);
    for (const s of stages) {
      if (s.kind === 'conv') p.conv(s);
      else if (s.kind === 'linear') p.linear(s);
      else if (s.kind === 'flatten') p.flatten(s.flatten);
      else if (s.kind === 'module') p.module(s.module);
    }
    const out = p.finish();
    return { plan: new InferencePlan(x, p.segments, p.internal, p.finalShape), output: out };
  }

  /** Whether x has the shape and dtype this plan was made for. */
  accepts(x: Tensor): boolean {
    return x.dtype === this.inputDtype && sameShape(x.shape, this.inputShape);
  }

  /**
   * Whether the fused layers' parameters still have the sizes planned and
   * their biases are still there or not (a layer may be given new tensors).
   */
  parametersHold(): boolean {
    for (const s of this.#segments) {
      if (s.kind !== 'native') continue;
      for (const p of s.parameters) {
        const t = p.layer[p.part];
        if (t === null || t.numel !== p.numel || t.dtype !== 'float32' || (p.layer.bias !== null) !== p.withBias) return false;
      }
    }
    return true;
  }

  /** The model's output for x (which `accepts` allows); throws PlanOutdated when a layer's output changed shape. */
  run(x: Tensor): Tensor {
    let cur = x;
    for (const s of this.#segments) {
      if (s.kind === 'native') {
        cur = runNative(s, cur);
        continue;
      }
      const out = runModule(s.module, viewAs(cur, s.inShape));
      if (!(out instanceof Tensor) || out.dtype !== s.outDtype || !sameShape(out.shape, s.outShape)) throw new PlanOutdated();
      cur = out;
    }
    return output(viewAs(cur, this.outputShape), this.#internal);
  }

  /** What runs, one line per segment: the fused steps of each native program, the layers run as they are. */
  describe(): string[] {
    return this.#segments.map((s) => {
      if (s.kind === 'module') return `${s.module.constructor.name} (its own forward)`;
      return `native: ${s.parameters.filter((p) => p.part === 'weight').map((p) => p.layer.constructor.name).join(', ')}`;
    });
  }
}
