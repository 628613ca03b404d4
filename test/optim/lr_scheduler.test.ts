import {
  StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR, LambdaLR, LinearLR, LinearWarmup, SequentialLR, ReduceLROnPlateau,
} from '../../ts/optim/lr_scheduler';

function opt(...lrs: number[]) {
  return { paramGroups: lrs.map((lr) => ({ lr })) as Array<{ lr: number; initialLr?: number }> };
}

/** Rates of group 0 after 0, 1, …, n-1 steps. */
function trace(s: { step(): void; getLastLr(): number[] }, n: number, group = 0): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    out.push(s.getLastLr()[group]);
    s.step();
  }
  return out;
}

function expectClose(a: number[], b: number[]) {
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 12));
}

test('StepLR decays by gamma every stepSize steps, per group from its own base', () => {
  const o = opt(0.1, 1);
  const s = new StepLR(o, { stepSize: 2, gamma: 0.5 });
  expectClose(trace(s, 6), [0.1, 0.1, 0.05, 0.05, 0.025, 0.025]);
  expect(o.paramGroups[1].lr).toBeCloseTo(0.125, 12); // after 6 steps: 1 * 0.5^3
});

test('MultiStepLR decays at each milestone', () => {
  const s = new MultiStepLR(opt(1), { milestones: [3, 1], gamma: 0.1 });
  expectClose(trace(s, 5), [1, 0.1, 0.1, 0.01, 0.01]);
});

test('ExponentialLR multiplies by gamma every step', () => {
  expectClose(trace(new ExponentialLR(opt(2), { gamma: 0.9 }), 4), [2, 1.8, 1.62, 1.458]);
});

test('CosineAnnealingLR follows the half cosine from base to etaMin', () => {
  const s = new CosineAnnealingLR(opt(1), { tMax: 4, etaMin: 0.2 });
  const expected = [0, 1, 2, 3, 4].map((e) => 0.2 + 0.8 * (1 + Math.cos((Math.PI * e) / 4)) / 2);
  expectClose(trace(s, 5), expected);
  expect(expected[4]).toBeCloseTo(0.2, 12);
});

test('LambdaLR takes one function per group', () => {
  const o = opt(1, 10);
  const s = new LambdaLR(o, [(e) => 1 / (e + 1), (e) => e]);
  s.step();
  s.step();
  expectClose(s.getLastLr(), [1 / 3, 20]);
  expect(() => new LambdaLR(opt(1, 2), [(e) => e])).toThrow(/2 parameter groups/);
});

test('LinearLR and LinearWarmup ramp linearly then hold', () => {
  expectClose(trace(new LinearLR(opt(1), { startFactor: 0.25, endFactor: 1, totalIters: 3 }), 5), [0.25, 0.5, 0.75, 1, 1]);
  expectClose(trace(new LinearWarmup(opt(0.4), { warmupSteps: 3 }), 5), [0.1, 0.2, 0.3, 0.4, 0.4]);
});

test('SequentialLR runs warm-up then cosine, each counting its own steps', () => {
  const o = opt(1);
  const warm = new LinearWarmup(o, { warmupSteps: 2 });
  const cos = new CosineAnnealingLR(o, { tMax: 2 });
  const s = new SequentialLR(o, { schedulers: [warm, cos], milestones: [2] });
  expectClose(trace(s, 5), [1 / 3, 2 / 3, 1, 0.5, 0]);
});

test('a scheduler resumed from its state dict gives the same rates', () => {
  const a = new StepLR(opt(1), { stepSize: 3, gamma: 0.5 });
  for (let i = 0; i < 4; i++) a.step();
  const saved = JSON.parse(JSON.stringify(a.stateDict()));
  const o2 = opt(123); // a fresh optimizer whose rate was changed: the base comes from the state
  const b = new StepLR(o2, { stepSize: 3, gamma: 0.5 });
  b.loadStateDict(saved);
  expectClose(trace(a, 5), trace(b, 5));
});

test('ReduceLROnPlateau reduces after patience bad steps, honours cooldown and minLr', () => {
  const o = opt(1);
  const s = new ReduceLROnPlateau(o, { factor: 0.5, patience: 1, cooldown: 1, minLr: 0.2 });
  const lrs: number[] = [];
  for (const loss of [5, 4, 4, 4, 4, 4, 4, 4, 4]) {
    s.step(loss);
    lrs.push(o.paramGroups[0].lr);
  }
  // bad counts: 0,0,1,2→reduce(0.5) ; cooldown eats the next; 1, 2→reduce(0.25); cooldown; 1; 2→reduce(max 0.2)
  expectClose(lrs, [1, 1, 1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25]);
  s.step(4);
  expect(o.paramGroups[0].lr).toBeCloseTo(0.2, 12);
});

test('ReduceLROnPlateau in max mode treats higher as better', () => {
  const o = opt(1);
  const s = new ReduceLROnPlateau(o, { mode: 'max', patience: 0, factor: 0.1 });
  s.step(0.5);
  s.step(0.6);
  expect(o.paramGroups[0].lr).toBe(1);
  s.step(0.6);
  expect(o.paramGroups[0].lr).toBeCloseTo(0.1, 12);
});
