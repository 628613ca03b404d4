/**
 * Splitting CSV text into records (RFC 4180): fields separated by a
 * one-character delimiter, records by LF or CRLF, fields optionally in double
 * quotes (which may hold delimiters, line breaks and "" for a quote). Blank
 * lines are skipped. Records are handed out one at a time so a large file is
 * never held as millions of strings.
 */

export class CsvError extends Error {
  constructor(readonly source: string, problem: string) {
    super(`csv: ${source}: ${problem}`);
    this.name = 'CsvError';
  }
}

/** Calls fn(fields, line) for each record; `line` is the 1-based line the record starts on. */
export function forEachCsvRecord(text: string, delimiter: string, source: string, fn: (fields: string[], line: number) => void): void {
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new RangeError(`csv: delimiter must be one character other than a quote or line break, got ${JSON.stringify(delimiter)}`);
  }
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (pos < text.length) {
    const startLine = line;
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    let fields: string[];
    const quoteAt = text.indexOf('"', pos);
    if (quoteAt < 0 || quoteAt > end) {
      // The common case: no quotes on this line.
      const stop = end > pos && text.charCodeAt(end - 1) === 0x0d ? end - 1 : end;
      fields = text.slice(pos, stop).split(delimiter);
      pos = end + 1;
      line++;
    } else {
      const r = quotedRecord(text, pos, delimiter, source, line);
      fields = r.fields;
      pos = r.next;
      line = r.line;
    }
    if (fields.length === 1 && fields[0].trim() === '') continue;
    fn(fields, startLine);
  }
}

function quotedRecord(text: string, start: number, delimiter: string, source: string, line: number) {
  const fields: string[] = [];
  let pos = start;
  for (;;) {
    let field = '';
    if (text[pos] === '"') {
      const openLine = line;
      pos++;
      for (;;) {
        const q = text.indexOf('"', pos);
        if (q < 0) throw new CsvError(source, `line ${openLine}: quoted field is never closed`);
        const chunk = text.slice(pos, q);
        for (let i = 0; i < chunk.length; i++) if (chunk.charCodeAt(i) === 0x0a) line++;
        field += chunk;
        if (text[q + 1] === '"') {
          field += '"';
          pos = q + 2;
        } else {
          pos = q + 1;
          break;
        }
      }
      const after = text[pos];
      if (after !== undefined && after !== delimiter && after !== '\n' && after !== '\r') {
        throw new CsvError(source, `line ${line}: unexpected ${JSON.stringify(after)} after a closing quote`);
      }
    } else {
      let stop = pos;
      while (stop < text.length && text[stop] !== delimiter && text[stop] !== '\n') stop++;
      field = text.slice(pos, stop);
      if (text[stop] === '\n' && field.endsWith('\r')) field = field.slice(0, -1);
      pos = stop;
    }
    fields.push(field);
    if (text[pos] === delimiter) {
      pos++;
      continue;
    }
    if (text[pos] === '\r') pos++;
    if (text[pos] === '\n') {
      pos++;
      line++;
    }
    return { fields, next: pos, line };
  }
}
