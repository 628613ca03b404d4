/**
 * Samplers of class indices for negative sampling. UnigramSampler draws from
 * counts^power (word2vec's unigram^0.75) with Walker's alias method: O(V) to
 * build, O(1) per draw. Both are seeded and reproducible.
 */
import { Tensor } from '../tensor/tensor';
import { asTensor } from '../tensor/create';
import { rejectUnknownOptions } from '../options';

/** Something that draws class indices in [0, numClasses). */
export interface Sampler {
  readonly numClasses: number;
  /** Fills `out` with draws. */
  sampleInto(out: Int32Array): void;
}

/** A small seeded generator (mulberry32) private to each sampler, so draws do not disturb dd.manualSeed streams. */
class SeededUniform {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

function checkSeed(seed: unknown, where: string): number {
  if (seed === undefined) return 0x5eed;
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`${where}: seed must be an integer in [0, 2^32), got ${String(seed)}`);
  }
  return seed;
}

export class UniformSampler implements Sampler {
  readonly numClasses: number;
  private readonly rng: SeededUniform;
  constructor(numClasses: number, options: { seed?: number } = {}) {
    rejectUnknownOptions(options, ['seed'], 'UniformSampler');
    if (!Number.isInteger(numClasses) || numClasses <= 0) throw new RangeError(`UniformSampler: numClasses must be a positive integer, got ${numClasses}`);
    this.numClasses = numClasses;
    this.rng = new SeededUniform(checkSeed(options.seed, 'UniformSampler'));
  }
  sampleInto(out: Int32Array): void {
    for (let i = 0; i < out.length; i++) out[i] = Math.floor(this.rng.next() * this.numClasses);
  }
}

export class UnigramSampler implements Sampler {
  readonly numClasses: number;
  /** The distribution drawn from: counts^power, normalised. */
  readonly probabilities: Float64Array;
  private readonly accept: Float64Array;
  private readonly alias: Int32Array;
  private readonly rng: SeededUniform;

  constructor(counts: ArrayLike<number>, options: { power?: number; seed?: number } = {}) {
    rejectUnknownOptions(options, ['power', 'seed'], 'UnigramSampler');
    const power = options.power ?? 0.75;
    if (!Number.isFinite(power) || power < 0) throw new RangeError(`UnigramSampler: power must be a finite number >= 0, got ${power}`);
    const n = counts.length;
    if (n === 0) throw new RangeError('UnigramSampler: counts must not be empty');
    const p = new Float64Array(n);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const c = counts[i];
      if (!Number.isFinite(c) || c < 0) throw new RangeError(`UnigramSampler: counts[${i}] must be a finite number >= 0, got ${c}`);
      p[i] = c === 0 ? 0 : Math.pow(c, power);
      total += p[i];
    }
    if (!(total > 0)) throw new RangeError('UnigramSampler: counts must not all be zero');
    for (let i = 0; i < n; i++) p[i] /= total;
    this.numClasses = n;
    this.probabilities = p;
    this.rng = new SeededUniform(checkSeed(options.seed, 'UnigramSampler'));
    // Walker/Vose alias tables.
    this.accept = new Float64Array(n);
    this.alias = new Int32Array(n);
    const scaled = p.map((v) => v * n);
    const small: number[] = [];
    const large: number[] = [];
    scaled.forEach((v, i) => (v < 1 ? small : large).push(i));
    while (small.length > 0 && large.length > 0) {
      const s = small.pop() as number;
      const l = large.pop() as number;
      this.accept[s] = scaled[s];
      this.alias[s] = l;
      scaled[l] = scaled[l] + scaled[s] - 1;
      (scaled[l] < 1 ? small : large).push(l);
    }
    for (const i of [...small, ...large]) {
      this.accept[i] = 1;
      this.alias[i] = i;
    }
  }

  sampleInto(out: Int32Array): void {
    const n = this.numClasses;
    for (let i = 0; i < out.length; i++) {
      const u = this.rng.next() * n;
      const column = Math.min(n - 1, Math.floor(u));
      out[i] = u - column < this.accept[column] ? column : this.alias[column];
    }
  }
}

/** Draws a [rows, perRow] int32 tensor of class indices. */
export function sample(sampler: Sampler, rows: number, perRow: number): Tensor {
  const out = new Int32Array(rows * perRow);
  sampler.sampleInto(out);
  return asTensor(out, [rows, perRow]);
}
