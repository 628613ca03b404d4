/** Options objects are checked against the names they may hold: a misspelt option is an error, never silently ignored. */

export function rejectUnknownOptions(options: object, known: readonly string[], where: string): void {
  if (options === null || typeof options !== 'object') throw new TypeError(`${where}: options must be an object`);
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw new RangeError(`${where}: unknown option '${key}' (known: ${known.join(', ')})`);
  }
}
