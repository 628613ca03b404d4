import { ProgressBar, formatLogs } from '../../ts/train/progress';

function sink(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY, columns: 120, write: (s: string) => chunks.push(s) } };
}

function runEpoch(bar: ProgressBar) {
  bar.epochBegin(0, 2, 3);
  for (let i = 1; i <= 3; i++) bar.batchEnd(i, { loss: 1 / i, accuracy: 0.5 });
  bar.epochEnd(3, { loss: 0.5, accuracy: 0.75, val_loss: 0.6 });
}

test('without a terminal, one plain line per epoch and no carriage returns', () => {
  const { chunks, stream } = sink(false);
  runEpoch(new ProgressBar(1, stream));
  const text = chunks.join('');
  expect(text).not.toContain('\r');
  expect(text.split('\n').filter((l) => l.length > 0)).toHaveLength(1);
  expect(text).toMatch(/^Epoch 1\/2 - 3 steps - .* - loss: 0\.5000 - accuracy: 0\.7500 - val_loss: 0\.6000\n$/);
});

test('verbose 0 writes nothing, even on a terminal', () => {
  const { chunks, stream } = sink(true);
  runEpoch(new ProgressBar(0, stream));
  expect(chunks).toHaveLength(0);
});

test('on a terminal, a bar redrawn in place then the epoch line', () => {
  const { chunks, stream } = sink(true);
  runEpoch(new ProgressBar(1, stream));
  const text = chunks.join('');
  expect(text).toContain('\rEpoch 1/2 [');
  expect(text).toContain('3/3');
  expect(text.endsWith('val_loss: 0.6000\n')).toBe(true);
});

test('verbose 2 prints plain lines on a terminal too', () => {
  const { chunks, stream } = sink(true);
  runEpoch(new ProgressBar(2, stream));
  expect(chunks.join('')).not.toContain('\r');
});

test('formatLogs uses exponents for tiny values', () => {
  expect(formatLogs({ lr: 1e-5, loss: 0.25 })).toBe('lr: 1.000e-5 - loss: 0.2500');
});

test('a terminal that reports 0 columns gets the default width, not an empty line', () => {
  const chunks: string[] = [];
  const bar = new ProgressBar(1, { isTTY: true, columns: 0, write: (s: string) => chunks.push(s) });
  runEpoch(bar);
  const redraws = chunks.filter((c) => c.startsWith('\rEpoch'));
  expect(redraws.length).toBeGreaterThan(0);
  // Each line fits in the default 99 characters, so nothing of it is cut (a width of 0 used to cut the last character).
  expect(redraws[redraws.length - 1].trimEnd()).toMatch(/^\rEpoch 1\/2 \[[=> ]{24}\] \d\/3.* - loss: [0-9.]+ - accuracy: 0\.5000$/);
});
