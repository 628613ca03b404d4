/**
 * Atomic writes: a failure between writing the temporary file and renaming it
 * leaves the previous file exactly as it was and no temporary file behind;
 * a process killed at that moment leaves the previous file intact too.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isTemporaryPathFor, writeFileAtomic, writeFileAtomicSync } from '../../ts/io/atomic-write';
import { readSafetensorsSync, writeSafetensors, writeSafetensorsSync } from '../../ts/io';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dendrite-atomic-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const oldBytes = Buffer.from('the previous checkpoint');
const newBytes = Buffer.from('the next checkpoint');

function simulatedCrash(seen: string[]) {
  return (temp: string) => {
    // The new data is complete and flushed at this point.
    expect(fs.readFileSync(temp).toString()).toMatch(/new|^/);
    expect(isTemporaryPathFor(path.join(dir, 'model.bin'), temp)).toBe(true);
    seen.push(temp);
    throw new Error('simulated crash before rename');
  };
}

test('async: a failure before the rename keeps the old file and removes the temporary one', async () => {
  const target = path.join(dir, 'model.bin');
  fs.writeFileSync(target, oldBytes);
  const seen: string[] = [];
  await expect(writeFileAtomic(target, Buffer.from('new contents'), { beforeRename: simulatedCrash(seen) })).rejects.toThrow(/simulated crash/);
  expect(seen).toHaveLength(1);
  expect(fs.readFileSync(target)).toEqual(oldBytes);
  expect(fs.readdirSync(dir)).toEqual(['model.bin']);
});

test('sync: the same', () => {
  const target = path.join(dir, 'model.bin');
  fs.writeFileSync(target, oldBytes);
  const seen: string[] = [];
  expect(() => writeFileAtomicSync(target, [Buffer.from('new '), Buffer.from('contents')], { beforeRename: simulatedCrash(seen) })).toThrow(/simulated crash/);
  expect(seen).toHaveLength(1);
  expect(fs.readFileSync(target)).toEqual(oldBytes);
  expect(fs.readdirSync(dir)).toEqual(['model.bin']);
});

test('safetensors saves go through the same path', async () => {
  const target = path.join(dir, 'model.safetensors');
  writeSafetensorsSync(target, { w: { shape: [2], data: Float32Array.of(1, 2) } });
  const before = fs.readFileSync(target);
  const fail = () => {
    throw new Error('disk full');
  };
  await expect(writeSafetensors(target, { w: { shape: [2], data: Float32Array.of(3, 4) } }, undefined, { beforeRename: fail })).rejects.toThrow('disk full');
  expect(() => writeSafetensorsSync(target, { w: { shape: [2], data: Float32Array.of(3, 4) } }, undefined, { beforeRename: fail })).toThrow('disk full');
  expect(fs.readFileSync(target)).toEqual(before);
  expect(Array.from(readSafetensorsSync(target).tensors.w.data)).toEqual([1, 2]);
  expect(fs.readdirSync(dir)).toEqual(['model.safetensors']);
  // And without a fault the new contents replace the old.
  await writeSafetensors(target, { w: { shape: [2], data: Float32Array.of(3, 4) } });
  expect(Array.from(readSafetensorsSync(target).tensors.w.data)).toEqual([3, 4]);
});

test('a failed first write leaves no file at all', async () => {
  const target = path.join(dir, 'new.bin');
  await expect(writeFileAtomic(target, Buffer.from('x'), { beforeRename: () => Promise.reject(new Error('boom')) })).rejects.toThrow('boom');
  expect(fs.readdirSync(dir)).toEqual([]);
});

test('writing into a missing folder is an ordinary error and leaves nothing', async () => {
  const target = path.join(dir, 'missing', 'x.bin');
  await expect(writeFileAtomic(target, Buffer.from('x'))).rejects.toThrow(/ENOENT/);
  expect(() => writeFileAtomicSync(target, Buffer.from('x'))).toThrow(/ENOENT/);
});

test('a process killed between write and rename leaves the previous file intact', () => {
  const target = path.join(dir, 'model.bin');
  fs.writeFileSync(target, oldBytes);
  // The child loads the TypeScript module through the compiler's transpiler (it imports only Node built-ins).
  const script = `
    const fs = require('fs'), ts = require('typescript'), Module = require('module');
    const file = ${JSON.stringify(path.join(__dirname, '..', '..', 'ts', 'io', 'atomic-write.ts'))};
    const js = ts.transpileModule(fs.readFileSync(file, 'utf8'), { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
    const m = new Module(file);
    m._compile(js, file);
    m.exports.writeFileAtomicSync(process.argv[1], Buffer.alloc(1 << 20, 7), { beforeRename: () => process.kill(process.pid, 'SIGKILL') });
  `;
  const r = spawnSync(process.execPath, ['-e', script, target], { encoding: 'utf8', cwd: path.join(__dirname, '..', '..') });
  expect(r.signal).toBe('SIGKILL');
  expect(fs.readFileSync(target)).toEqual(oldBytes);
  // The killed process could not clean up: its complete temporary file is recognisable as such.
  const left = fs.readdirSync(dir).filter((f) => f !== 'model.bin');
  expect(left).toHaveLength(1);
  expect(isTemporaryPathFor(target, path.join(dir, left[0]))).toBe(true);

  // The next save to the same path removes it (its process is dead), and leaves other files and live writers' files alone.
  const live = path.join(dir, `.model.bin.${process.pid}.0123456789ab.tmp`);
  const other = path.join(dir, '.other.bin.1.0123456789ab.tmp');
  fs.writeFileSync(live, 'in progress');
  fs.writeFileSync(other, 'not ours');
  writeFileAtomicSync(target, newBytes);
  expect(fs.readdirSync(dir).sort()).toEqual(['.model.bin.' + process.pid + '.0123456789ab.tmp', '.other.bin.1.0123456789ab.tmp', 'model.bin']);
  expect(fs.readFileSync(target)).toEqual(newBytes);
  fs.rmSync(live);
  fs.rmSync(other);
});

test('an async save removes the temporary files of saves killed mid-write to the same path', async () => {
  const target = path.join(dir, 'weights.bin');
  // A pid that cannot be running: above the kernel's pid limit.
  const dead = path.join(dir, '.weights.bin.4194305.aaaaaaaaaaaa.tmp');
  fs.writeFileSync(dead, Buffer.alloc(1024));
  await writeFileAtomic(target, newBytes);
  expect(fs.existsSync(dead)).toBe(false);
  expect(fs.readFileSync(target)).toEqual(newBytes);
});
