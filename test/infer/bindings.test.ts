/**
 * The native inference runner checks every program it is given before any
 * step runs: formats, slots, sizes, lengths, overlaps, pool windows. Each bad
 * program is a JS error naming inferRun and what is wrong.
 */
import { native } from '../../ts/native';
import { encodeProgram, Step } from '../../ts/infer/program';

const f = (n: number) => new Float32Array(n);

// A convolution 2 → 3 channels, 3×3, padding 1, on one 4×4 image, with ReLU and a 2×2 pool.
const conv = (): Step => ({
  kind: 'conv', slots: { input: 0, weight: 1, bias: 2, output: 3 },
  geometry: [1, 2, 4, 4, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1], relu: true, pool: [2, 2, 2, 2],
});
const linear = (): Step => ({ kind: 'linear', slots: { input: 3, weight: 4, bias: null, output: 5 }, batch: 1, inFeatures: 12, outFeatures: 5, relu: false });
const buffers = () => [f(32), f(54), f(3), f(12), f(60), f(5)];

function run(program: Int32Array, bufs: Float32Array[] = buffers()): void {
  native().inferRun(program, ...bufs);
}

describe('inferRun', () => {
  test('runs a valid program: a convolution then a linear step on its output', () => {
    const bufs = buffers();
    bufs[0].fill(1);
    bufs[1].fill(0.5);
    bufs[4].fill(1);
    run(encodeProgram([conv(), linear()]), bufs);
    // Each pooled output: the largest conv sum (a full 3×3 window of 2 channels: 18·0.5 = 9).
    expect(Array.from(bufs[3])).toEqual(new Array(12).fill(9));
    expect(Array.from(bufs[5])).toEqual(new Array(5).fill(108));
  });

  test('refuses malformed programs', () => {
    const good = encodeProgram([conv(), linear()]);
    const with_ = (at: number, v: number) => {
      const p = good.slice();
      p[at] = v;
      return p;
    };
    expect(() => run(with_(0, 2))).toThrow(/inferRun: 'program' is in format 2/);
    expect(() => run(with_(1, -1))).toThrow(/declares -1 steps/);
    expect(() => run(with_(1, 3))).toThrow(/declares 3 steps, which need 74 elements; it has 50/);
    expect(() => run(new Int32Array(1))).toThrow(/needs at least 2 elements/);
    expect(() => run(with_(2, 9))).toThrow(/step 0 \(\?\): unknown kind 9/);
    expect(() => run(with_(3, 6))).toThrow(/step 0 \(convolution\): the input slot 6 names no buffer \(6 follow the program\)/);
    expect(() => run(with_(5, -2))).toThrow(/bias slot -2/);
    expect(() => native().inferRun(good, f(32), new Float64Array(54) as unknown as Float32Array, f(3), f(12), f(60), f(5))).toThrow(/buffer 1 \(the weight\) must be a Float32Array/);
    expect(() => run(good, [f(31), f(54), f(3), f(12), f(60), f(5)])).toThrow(/the input \(buffers\[0\]\) needs at least 32 elements, got 31/);
    expect(() => run(good, [f(32), f(54), f(3), f(11), f(60), f(5)])).toThrow(/the output \(buffers\[3\]\) needs at least 12/);
    expect(() => (native().inferRun as unknown as (p: unknown) => void)('x')).toThrow(TypeError);
  });

  test('refuses impossible geometry, pool windows and flags, naming the parameter', () => {
    const p = (step: Step) => () => run(encodeProgram([step]));
    const c = conv() as Extract<Step, { kind: 'conv' }>;
    expect(p({ ...c, geometry: [1, 2, 4, 4, 3, 0, 3, 1, 1, 1, 1, 1, 1, 1] })).toThrow(/'kh' must be at least 1, got 0/);
    expect(p({ ...c, geometry: [1, 2, 4, 4, 3, 3, 3, 1, 1, 1, 1, 1, 1, 2] })).toThrow(/'groups' \(2\) must divide c \(2\) and o \(3\)/);
    expect(p({ ...c, geometry: [1, 2, 4, 4, 3, 7, 3, 1, 1, 1, 1, 1, 1, 1] })).toThrow(/does not fit the padded input/);
    expect(p({ ...c, pool: [5, 2, 2, 2] })).toThrow(/the 5x2 pool window \(stride 2, 2\) does not fit the 4x4 output/);
    expect(p({ ...c, pool: [2, 2, 0, 2] })).toThrow(/'poolStrideH' must be at least 1|pool window/);
    const record = encodeProgram([c]);
    const noPool = record.slice();
    noPool.set([0, 1, 0, 0], 2 + 5 + 15);
    expect(() => run(noPool)).toThrow(/without pooling \(poolKh 0\) the other pool parameters must be 0/);
    const relu2 = record.slice();
    relu2[2 + 5 + 14] = 2;
    expect(() => run(relu2)).toThrow(/'relu' must be 0 or 1, got 2/);
    const negative = record.slice();
    negative[2 + 5] = -1;
    expect(() => run(negative)).toThrow(/'n' must be non-negative, got -1/);
    const extra = encodeProgram([linear()]);
    extra[2 + 5 + 6] = 1;
    expect(() => run(extra)).toThrow(/step 0 \(linear\): parameter 6 must be 0/);
  });

  test('refuses an output that overlaps an input, even through another view of one buffer', () => {
    const shared = new Float32Array(200);
    const views = [shared.subarray(0, 32), f(54), f(3), shared.subarray(20, 32)];
    expect(() => native().inferRun(encodeProgram([conv()]), ...views)).toThrow(/step 0 \(convolution\): the output overlaps the input, the weight or the bias/);
    const same = encodeProgram([{ ...conv(), slots: { input: 0, weight: 1, bias: 2, output: 0 } } as Step]);
    expect(() => run(same, [f(32), f(54), f(3)])).toThrow(/overlaps/);
  });

  test('checks every step before running any: a bad second step leaves the first one\'s output untouched', () => {
    const bufs = buffers();
    bufs[3].fill(-5);
    const program = encodeProgram([conv(), { ...linear(), outFeatures: 13 } as Step]);
    expect(() => run(program, bufs)).toThrow(/step 1 \(linear\): the weight \(buffers\[4\]\) needs at least 156/);
    expect(Array.from(bufs[3])).toEqual(new Array(12).fill(-5));
  });

  test('sizes that overflow are refused; empty buffers with a huge batch and no outputs are accepted (nothing to do)', () => {
    const huge = 2 ** 30;
    expect(() => run(encodeProgram([{ ...conv(), geometry: [huge, huge, huge, 4, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1] } as Step]))).toThrow(RangeError);
    native().inferRun(encodeProgram([{ kind: 'linear', slots: { input: 0, weight: 1, bias: null, output: 2 }, batch: huge, inFeatures: 0, outFeatures: 0, relu: true }]), f(0), f(0), f(0));
    native().inferRun(encodeProgram([{ ...conv(), slots: { input: 0, weight: 1, bias: null, output: 2 }, geometry: [huge, 0, 4, 4, 0, 3, 3, 1, 1, 1, 1, 1, 1, 1] } as Step]), f(0), f(0), f(0));
  });
});
