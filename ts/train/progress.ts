/**
 * Training progress output: a one-line bar redrawn in place on a terminal,
 * plain lines (one per epoch) when the output is a file or a pipe, nothing at
 * verbose 0. Written directly on the stream (stderr by default) so a program's
 * stdout stays its own.
 */

/** Where progress goes; process.stderr fits, and so does anything with write(). */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** 0: silent; 1: a bar on a terminal, one line per epoch otherwise; 2: one line per epoch. */
export type Verbosity = 0 | 1 | 2;

/** Formats logs as Keras does: `loss: 0.4321 - accuracy: 0.8123`. */
export function formatLogs(logs: Record<string, number>): string {
  return Object.entries(logs)
    .map(([k, v]) => `${k}: ${formatNumber(v)}`)
    .join(' - ');
}

function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5)) return v.toExponential(3);
  return v.toFixed(4);
}

function formatDuration(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)}ms`;
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds - 60 * m);
  return `${m}m${String(s).padStart(2, '0')}s`;
}

export class ProgressBar {
  private readonly stream: ProgressStream;
  private readonly mode: 'bar' | 'lines' | 'silent';
  private epoch = 0;
  private epochs = 0;
  private steps: number | undefined;
  private epochStart = 0;
  private lastDraw = 0;
  private lastWidth = 0;
  /** Redraw at most this often (ms), so drawing never costs training time. */
  private readonly interval = 100;

  constructor(verbose: Verbosity, stream: ProgressStream = process.stderr) {
    this.stream = stream;
    this.mode = verbose === 0 ? 'silent' : verbose === 1 && stream.isTTY ? 'bar' : 'lines';
  }

  epochBegin(epoch: number, epochs: number, steps: number | undefined): void {
    this.epoch = epoch;
    this.epochs = epochs;
    this.steps = steps;
    this.epochStart = performance.now();
    this.lastDraw = 0;
    if (this.mode === 'bar') this.draw(0, {}, true);
  }

  /** Called after each batch with the running logs of the epoch. */
  batchEnd(done: number, logs: Record<string, number>): void {
    if (this.mode === 'bar') this.draw(done, logs, false);
  }

  /** Called once the epoch (and its validation) is over, with the epoch's logs. */
  epochEnd(done: number, logs: Record<string, number>): void {
    if (this.mode === 'silent') return;
    const elapsed = (performance.now() - this.epochStart) / 1000;
    const head = `Epoch ${this.epoch + 1}/${this.epochs}`;
    const text = `${head} - ${done} steps - ${formatDuration(elapsed)} - ${formatLogs(logs)}`;
    if (this.mode === 'bar') this.clearLine();
    this.stream.write(`${text}\n`);
  }

  private clearLine(): void {
    this.stream.write(`\r${' '.repeat(this.lastWidth)}\r`);
    this.lastWidth = 0;
  }

  private draw(done: number, logs: Record<string, number>, force: boolean): void {
    const now = performance.now();
    if (!force && now - this.lastDraw < this.interval && done !== this.steps) return;
    this.lastDraw = now;
    const elapsed = (now - this.epochStart) / 1000;
    const head = `Epoch ${this.epoch + 1}/${this.epochs}`;
    let bar = '';
    let count = `${done}`;
    let eta = '';
    if (this.steps !== undefined && this.steps > 0) {
      const width = 24;
      const filled = Math.min(width, Math.floor((width * done) / this.steps));
      bar = ` [${'='.repeat(filled)}${filled < width ? '>' : ''}${' '.repeat(Math.max(0, width - filled - 1))}]`;
      count = `${done}/${this.steps}`;
      if (done > 0 && done < this.steps) eta = ` - ETA ${formatDuration((elapsed * (this.steps - done)) / done)}`;
    }
    const stats = Object.keys(logs).length > 0 ? ` - ${formatLogs(logs)}` : '';
    let line = `${head}${bar} ${count}${eta}${stats}`;
    // A terminal may report 0 columns (some CI consoles, a detached pty): that is no width, not a width of 0.
    const reported = this.stream.columns;
    const columns = typeof reported === 'number' && reported > 0 ? reported : 100;
    if (line.length > columns - 1) line = line.slice(0, columns - 1);
    const pad = Math.max(0, this.lastWidth - line.length);
    this.stream.write(`\r${line}${' '.repeat(pad)}`);
    this.lastWidth = line.length;
  }
}
