/**
 * Reading a small JSON file that may be hostile: its size is checked before
 * it is read, and it goes through the strict parser of the safetensors
 * header (no duplicate keys, bounded nesting, objects without prototype).
 */
import { readRegularFile } from './regular-file';
import { ModelFormatError } from './errors';
import { JsonSyntaxError, JsonValue, parseStrictJson } from './safetensors/strict-json';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Parses `text` strictly; syntax errors become ModelFormatError naming `source`. */
export function parseJsonStrict(text: string, source: string): JsonValue {
  try {
    return parseStrictJson(text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) throw new ModelFormatError(source, `not valid JSON: ${e.message}`);
    throw e;
  }
}

/** Decodes UTF-8 bytes and parses them strictly. */
export function decodeJsonStrict(bytes: Uint8Array, source: string): JsonValue {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new ModelFormatError(source, 'not valid UTF-8');
  }
  return parseJsonStrict(text, source);
}

/** Reads and strictly parses a JSON file (a regular file of at most `maxBytes`). */
export async function readJsonFile(path: string, maxBytes: number): Promise<JsonValue> {
  const bytes = await readRegularFile(path, maxBytes, (problem, kind) => new ModelFormatError(path, kind === 'size' ? `${problem} for a model description` : problem));
  return decodeJsonStrict(bytes, path);
}
