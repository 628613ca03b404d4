/**
 * The error every malformed, hostile or unsupported model description or
 * checkpoint raises (the safetensors layer beneath raises SafetensorsError).
 */
export class ModelFormatError extends Error {
  /** The file path, or a short name for in-memory input. */
  readonly source: string;
  constructor(source: string, problem: string) {
    super(`${source}: ${problem}`);
    this.name = 'ModelFormatError';
    this.source = source;
  }
}
