import { main, train } from '../../ts/cli';

function captureStdout() {
  const chunks: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    chunks.push(String(s));
    return true;
  });
  return { text: () => chunks.join(''), restore: () => spy.mockRestore() };
}

test('dendrite train --model mlp trains on the bundled sample and prints the test accuracy', async () => {
  const out = captureStdout();
  try {
    expect(await main(['train', '--model', 'mlp', '--epochs', '1', '--quiet', '--seed', '3'])).toBe(0);
  } finally {
    out.restore();
  }
  const m = /test accuracy (\d+\.\d\d)% \(loss \d\.\d{4}\) after 1 epoch\(s\)/.exec(out.text());
  expect(m).not.toBeNull();
  expect(Number(m![1])).toBeGreaterThan(70);
});

test('bad options and commands are refused with a message', async () => {
  await expect(train(['--model', 'rnn'])).rejects.toThrow(/--model must be mlp or cnn/);
  await expect(train(['--epochs', '0'])).rejects.toThrow(/--epochs must be a positive integer/);
  await expect(train(['--nope'])).rejects.toThrow(/nope/);
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    expect(await main(['frobnicate'])).toBe(1);
  } finally {
    err.mockRestore();
  }
});
