/** The error every malformed, hostile or unsupported safetensors input raises. */
export class SafetensorsError extends Error {
  /** The file path, or '<buffer>' for in-memory input. */
  readonly source: string;
  constructor(source: string, problem: string) {
    super(`safetensors: ${source}: ${problem}`);
    this.name = 'SafetensorsError';
    this.source = source;
  }
}
