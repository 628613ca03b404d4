import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CsvError, parseCsv, readCsv, readCsvSync } from '../../ts/data';

describe('parseCsv', () => {
  test('header detected, label column by name, int32 labels', () => {
    const r = parseCsv('a,b,label\n1,2,0\n3.5,-4e2,2\n', { labelColumn: 'label' });
    expect(r.columns).toEqual(['a', 'b']);
    expect(r.features.shape).toEqual([2, 2]);
    expect(Array.from(r.features.data)).toEqual([1, 2, 3.5, -400]);
    expect(r.labels!.data).toBeInstanceOf(Int32Array);
    expect(Array.from(r.labels!.data)).toEqual([0, 2]);
    expect(r.dataset!.length).toBe(2);
    expect(r.dataset!.sampleShape).toEqual([2]);
  });

  test('no header, label by index, float labels, other delimiter, CRLF, blank lines, BOM', () => {
    const r = parseCsv('\ufeff1;2;0.5\r\n\r\n3;4;1.25\r\n', { labelColumn: 2, delimiter: ';' });
    expect(r.columns).toEqual(['column 1', 'column 2']);
    expect(Array.from(r.features.data)).toEqual([1, 2, 3, 4]);
    expect(r.labels!.data).toBeInstanceOf(Float32Array);
    expect(Array.from(r.labels!.data)).toEqual([0.5, 1.25]);
  });

  test('class-name labels map to sorted indices', () => {
    const r = parseCsv('x,species\n1,setosa\n2,virginica\n3,setosa\n4,versicolor\n', { labelColumn: 'species' });
    expect(r.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(Array.from(r.labels!.data)).toEqual([0, 2, 0, 1]);
  });

  test('column selection and order', () => {
    const r = parseCsv('a,b,c,d\n1,2,3,4\n5,6,7,8\n', { columns: ['c', 0], labelColumn: 'd' });
    expect(r.columns).toEqual(['c', 'a']);
    expect(Array.from(r.features.data)).toEqual([3, 1, 7, 5]);
    expect(Array.from(r.labels!.data)).toEqual([4, 8]);
  });

  test('quoted fields (delimiters, quotes and line breaks inside)', () => {
    const text = '"a, first","b ""quoted""","c\nmultiline"\n"1",2,"3"\n4,"5",6\n';
    const r = parseCsv(text, { labelColumn: 2 });
    expect(r.columns).toEqual(['a, first', 'b "quoted"']);
    expect(Array.from(r.features.data)).toEqual([1, 2, 4, 5]);
    expect(Array.from(r.labels!.data)).toEqual([3, 6]);
  });

  test('explicit header: false keeps a first row of numbers as data; header: true takes it as names', () => {
    expect(parseCsv('1,2\n3,4\n', { header: false }).features.shape).toEqual([2, 2]);
    expect(parseCsv('1,2\n3,4\n', { header: true }).columns).toEqual(['1', '2']);
    expect(parseCsv('1,2\n3,4\n').features.shape).toEqual([2, 2]); // auto: all numbers, so data
  });

  test('errors name the line and the column', () => {
    const file = 'iris.csv';
    expect(() => parseCsv('a,b\n1,2\n3,x\n', {}, file)).toThrow(new CsvError(file, 'line 3, column 2 ("b"): "x" is not a number'));
    expect(() => parseCsv('1,2\n3,\n', {}, file)).toThrow(/line 2, column 2: empty field/);
    expect(() => parseCsv('a,b\n1,2\n3\n', {}, file)).toThrow(/line 3 has 1 fields, expected 2/);
    expect(() => parseCsv('a,b\n"1,2\n', {}, file)).toThrow(/line 2: quoted field is never closed/);
    expect(() => parseCsv('a,b\n"1"x,2\n', {}, file)).toThrow(/line 2: unexpected "x" after a closing quote/);
    expect(() => parseCsv('a,b\n1,2\n', { labelColumn: 'c' }, file)).toThrow(/labelColumn "c" is not in the header \("a", "b"\)/);
    expect(() => parseCsv('1,2\n', { labelColumn: 'c', header: false }, file)).toThrow(/is a name, but the file has no header/);
    expect(() => parseCsv('1,2\n', { labelColumn: 5 }, file)).toThrow(/labelColumn 5 is not a column index in \[0, 2\)/);
    expect(() => parseCsv('a,b\n1,1.5\n', { labelColumn: 'b', labelType: 'int32' }, file)).toThrow(/line 2, label column \("b"\): "1.5" is not an int32 label/);
    expect(() => parseCsv('a,b\n1,x\n', { labelColumn: 'b', labelType: 'float32' }, file)).toThrow(/line 2, label column \("b"\): "x" is not a number/);
    expect(() => parseCsv('a\n0x10\n', {}, file)).toThrow(/"0x10" is not a number/);
    // Lines are counted through quoted line breaks.
    expect(() => parseCsv('"a\nb",c\n1,2\n3,y\n', {}, file)).toThrow(/line 4, column 2/);
  });
});

test('readCsv / readCsvSync read files and name them in errors', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dendrite-csv-'));
  try {
    const file = path.join(dir, 'data.csv');
    const rows = ['f1,f2,f3,y'];
    for (let i = 0; i < 5000; i++) rows.push(`${i},${i / 2},${-i},${i % 3}`);
    fs.writeFileSync(file, rows.join('\n'));
    const r = await readCsv(file, { labelColumn: 'y' });
    expect(r.features.shape).toEqual([5000, 3]);
    expect(r.features.data[3 * 4999 + 1]).toBe(2499.5);
    expect(r.labels!.data[4999]).toBe(4999 % 3);
    expect(readCsvSync(file, { labelColumn: 'y' }).features.data).toEqual(r.features.data);
    fs.appendFileSync(file, '\n1,2,three,0');
    await expect(readCsv(file, { labelColumn: 'y' })).rejects.toThrow(`csv: ${file}: line 5002, column 3 ("f3"): "three" is not a number`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
