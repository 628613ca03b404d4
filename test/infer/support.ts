/** What the inference-session tests share: seeded inputs and the comparison with the plain forward. */
import * as dd from '../../ts/index';
import { TestRandom } from '../support/random';

/** A tensor of the shape, uniform in [-1, 1), from a seeded stream. */
export function input(shape: number[], seed: number): dd.Tensor {
  return dd.tensor(new TestRandom(seed).float32(shape.reduce((a, b) => a * b, 1)), shape);
}

/** What model.call(x) gives in evaluation mode without the graph (the model's mode is left as it was). */
export function reference(model: dd.nn.Module, x: dd.Tensor): dd.Tensor {
  return dd.noGrad(() => dd.nn.withMode(model, false, () => model.call(x)));
}

/**
 * Largest |got − want| relative to max(1, |want|): the session's kernels sum
 * in another order than the forward's (and Winograd transforms its tiles),
 * so outputs agree to float rounding, not bit for bit.
 */
export function worstError(got: dd.Tensor, want: dd.Tensor): number {
  expect(got.shape).toEqual(want.shape);
  const a = got.data, b = want.data;
  let worst = 0;
  for (let i = 0; i < b.length; i++) {
    const e = Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i]));
    if (!(e <= worst)) worst = e; // NaN makes worst NaN
  }
  return worst;
}

/** Asserts that session.run(x) matches the plain forward. */
export function expectSameAsForward(session: dd.InferenceSession, model: dd.nn.Module, x: dd.Tensor, tolerance = 2e-5): void {
  expect(worstError(session.run(x), reference(model, x))).toBeLessThanOrEqual(tolerance);
}
