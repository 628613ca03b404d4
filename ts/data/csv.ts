/**
 * Numeric tables from CSV: float32 features [rows, columns] and, when a label
 * column is named, labels [rows] as int32 (integers or class names) or
 * float32 (other numbers). A field that is not a number is an error naming
 * its line and column.
 */
import { readRegularFile, readRegularFileSync } from '../io/regular-file';
import { ShapedArray } from './arrays';
import { Dataset, LabelArray } from './dataset';
import { CsvError, forEachCsvRecord } from './csv-records';
import { rejectUnknownOptions } from '../options';

export { CsvError };

export interface CsvOptions {
  /** Whether the first record holds column names; 'auto' (default) decides from whether any of its fields is not a number. */
  header?: boolean | 'auto';
  /** Feature columns, by name (needs a header) or 0-based index; default every column but the label. */
  columns?: Array<string | number>;
  /** The label column, by name or 0-based index; default none. */
  labelColumn?: string | number;
  /** Field separator (default ','). */
  delimiter?: string;
  /**
   * How labels are read: 'int32' (integers), 'float32' (numbers), 'class' (any
   * text, mapped to indices of the sorted distinct values) or 'auto' (default):
   * int32 when all are integers, float32 when all are numbers, classes otherwise.
   */
  labelType?: 'auto' | 'int32' | 'float32' | 'class';
}

export interface CsvData {
  features: ShapedArray<Float32Array>;
  /** Present when a labelColumn was given. */
  labels?: ShapedArray<LabelArray>;
  /** Names of the feature columns (from the header, or 'column N'). */
  columns: string[];
  /** The label values each class index stands for, when labels were read as classes. */
  classes?: string[];
  /** features and labels as a Dataset, when there are labels. */
  dataset?: Dataset;
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function isNumber(field: string): boolean {
  return NUMBER.test(field.trim());
}

/** Grow-only float32 storage for an unknown number of rows. */
class FloatBuilder {
  data = new Float32Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }
  finish(): Float32Array {
    return this.data.slice(0, this.length);
  }
}

function resolveColumn(ref: string | number, names: string[] | null, count: number, source: string, what: string): number {
  if (typeof ref === 'number') {
    if (!Number.isInteger(ref) || ref < 0 || ref >= count) throw new CsvError(source, `${what} ${ref} is not a column index in [0, ${count})`);
    return ref;
  }
  if (!names) throw new CsvError(source, `${what} ${JSON.stringify(ref)} is a name, but the file has no header`);
  const i = names.indexOf(ref);
  if (i < 0) throw new CsvError(source, `${what} ${JSON.stringify(ref)} is not in the header (${names.map((n) => JSON.stringify(n)).join(', ')})`);
  return i;
}

function convertLabels(raw: string[], lines: Int32Array, column: string, type: CsvOptions['labelType'], source: string): { labels: LabelArray; classes?: string[] } {
  const at = (i: number) => `line ${lines[i]}, label column (${column})`;
  const numeric = raw.every(isNumber);
  const kind = type === 'auto' || type === undefined
    ? (numeric ? (raw.every((s) => Number.isInteger(Number(s)) && Math.abs(Number(s)) <= 2147483647) ? 'int32' : 'float32') : 'class')
    : type;
  if (kind === 'class') {
    const classes = [...new Set(raw.map((s) => s.trim()))].sort();
    const index = new Map(classes.map((c, i) => [c, i]));
    return { labels: Int32Array.from(raw, (s) => index.get(s.trim())!), classes };
  }
  const out = kind === 'int32' ? new Int32Array(raw.length) : new Float32Array(raw.length);
  raw.forEach((s, i) => {
    if (!isNumber(s)) throw new CsvError(source, `${at(i)}: ${JSON.stringify(s)} is not a number`);
    const v = Number(s);
    if (kind === 'int32' && !(Number.isInteger(v) && Math.abs(v) <= 2147483647)) throw new CsvError(source, `${at(i)}: ${JSON.stringify(s)} is not an int32 label`);
    out[i] = v;
  });
  return { labels: out };
}

const CSV_OPTIONS = ['header', 'columns', 'labelColumn', 'delimiter', 'labelType'];

/** Parses CSV text (see readCsv); `source` names it in errors. */
export function parseCsv(text: string, options: CsvOptions = {}, source = '<text>'): CsvData {
  rejectUnknownOptions(options, CSV_OPTIONS, 'parseCsv');
  const delimiter = options.delimiter ?? ',';
  let names: string[] | null = null;
  let width = -1;
  let featureColumns: number[] = [];
  let labelIndex = -1;
  const features = new FloatBuilder();
  const rawLabels: string[] = [];
  const labelLines: number[] = [];
  let rows = 0;

  const setUp = (first: string[]) => {
    width = first.length;
    labelIndex = options.labelColumn === undefined ? -1 : resolveColumn(options.labelColumn, names, width, source, 'labelColumn');
    featureColumns = options.columns
      ? options.columns.map((c) => resolveColumn(c, names, width, source, 'column'))
      : Array.from({ length: width }, (_, i) => i).filter((i) => i !== labelIndex);
    if (featureColumns.includes(labelIndex)) throw new CsvError(source, 'the label column is also listed as a feature column');
  };

  forEachCsvRecord(text, delimiter, source, (fields, line) => {
    if (width < 0) {
      const header = options.header ?? 'auto';
      if (header === true || (header === 'auto' && !fields.every(isNumber))) {
        names = fields.map((f) => f.trim());
        setUp(fields);
        return;
      }
      setUp(fields);
    }
    if (fields.length !== width) throw new CsvError(source, `line ${line} has ${fields.length} fields, expected ${width}`);
    for (const c of featureColumns) {
      const f = fields[c];
      if (!isNumber(f)) {
        const name = names ? ` (${JSON.stringify(names[c])})` : '';
        throw new CsvError(source, `line ${line}, column ${c + 1}${name}: ${f.trim() === '' ? 'empty field' : `${JSON.stringify(f)} is not a number`}`);
      }
      features.push(Number(f));
    }
    if (labelIndex >= 0) {
      rawLabels.push(fields[labelIndex]);
      labelLines.push(line);
    }
    rows++;
  });

  const columnNames = featureColumns.map((c) => (names ? names[c] : `column ${c + 1}`));
  const result: CsvData = { features: { data: features.finish(), shape: [rows, featureColumns.length] }, columns: columnNames };
  if (labelIndex >= 0) {
    const labelName = names ? JSON.stringify(names[labelIndex]) : `column ${labelIndex + 1}`;
    const { labels, classes } = convertLabels(rawLabels, Int32Array.from(labelLines), labelName, options.labelType, source);
    result.labels = { data: labels, shape: [rows] };
    if (classes) result.classes = classes;
    result.dataset = new Dataset(result.features, result.labels);
  }
  return result;
}

// The longest string V8 makes: a larger CSV file could not be held as text anyway.
const MAX_CSV_BYTES = 0x1fffffe8;
const utf8 = new TextDecoder('utf-8');

function csvProblem(path: string) {
  return (problem: string) => new CsvError(path, problem);
}

/** Reads a numeric CSV file (UTF-8; a regular file of at most 512 MiB). */
export async function readCsv(path: string, options: CsvOptions = {}): Promise<CsvData> {
  rejectUnknownOptions(options, CSV_OPTIONS, 'readCsv');
  return parseCsv(utf8.decode(await readRegularFile(path, MAX_CSV_BYTES, csvProblem(path))), options, path);
}

export function readCsvSync(path: string, options: CsvOptions = {}): CsvData {
  rejectUnknownOptions(options, CSV_OPTIONS, 'readCsvSync');
  return parseCsv(utf8.decode(readRegularFileSync(path, MAX_CSV_BYTES, csvProblem(path))), options, path);
}
