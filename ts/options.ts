/** Options objects are checked against the names they may hold: a misspelt option is an error, never silently ignored. */

export function rejectUnknownOptions(options: object, known: readonly string[], where: string): void {
  if (options === null || typeof options !== 'object') throw new TypeError(`${where}: options must be an object`);
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const near = closest(key, known);
    const hint = near === null ? `known: ${known.join(', ')}` : `did you mean "${near}"? known: ${known.join(', ')}`;
    throw new RangeError(`${where}: unknown option "${key}" (${hint})`);
  }
}

/**
 * The known name nearest to `key` by edit distance (case-insensitive), if it
 * is near enough to be a likely typo, or the known name that contains it
 * ('classes' → 'numClasses'); keys under 5 letters ('norm') are too
 * short to point at one name that way.
 */
export function closest(key: string, known: readonly string[]): string | null {
  const lower = key.toLowerCase();
  if (lower.length >= 5) {
    const containing = known.find((name) => name.toLowerCase().includes(lower));
    if (containing !== undefined) return containing;
  }
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const name of known) {
    const d = editDistance(key.toLowerCase(), name.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [name, d];
  }
  // A third of the name's letters (at least 2) may differ: 'strides' → 'stride', 'beta1' → 'betas', 'epoch' → 'epochs'.
  return best !== null && bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : null;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}
