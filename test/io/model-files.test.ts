/**
 * Model descriptions and saved-model folders: every layer type round-trips
 * (options, weights and outputs), dd.load tells a described model from plain
 * weights, and descriptions that are newer, unknown, misspelt, hostile or
 * out of step with their weights are clear errors.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as dd from '../../ts/index';
import { codecOf } from '../../ts/io/layers/registry';
import { hasOnnxConverter } from '../../ts/io/onnx/graph-builder';
import { inputFor, LAYER_CASES } from './layer-cases';

const { nn } = dd;
const { ModelFormatError } = dd.io;

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dendrite-model-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function bytesOf(t: dd.Tensor): Buffer {
  const a = t.dtype === 'int32' ? t.int32Data : t.data;
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

test('every layer class of dd.nn has a description codec and an ONNX converter', () => {
  const classes = Object.entries(nn).filter(
    ([, v]) => typeof v === 'function' && (v as { prototype?: unknown }).prototype instanceof nn.Module,
  ) as Array<[string, new (...args: never[]) => dd.nn.Module]>;
  expect(classes.length).toBeGreaterThanOrEqual(20);
  const missing = classes.filter(([, cls]) => codecOf(Object.create(cls.prototype)) === undefined).map(([n]) => n);
  expect(missing).toEqual([]);
  expect(classes.filter(([, cls]) => !hasOnnxConverter(cls)).map(([n]) => n)).toEqual([]);
  // And the cases below cover each of them.
  const covered = new Set(LAYER_CASES.map((c) => c.make().constructor));
  expect(classes.filter(([, cls]) => !covered.has(cls)).map(([n]) => n)).toEqual([]);
});

describe.each(LAYER_CASES)('$name', (c) => {
  test('description round-trips through JSON text', () => {
    const layer = c.make();
    const text = JSON.stringify(dd.io.describeModel(layer));
    const rebuilt = dd.io.modelFromDescription(text);
    expect(rebuilt.constructor).toBe(layer.constructor);
    expect(dd.io.describeModel(rebuilt)).toEqual(dd.io.describeModel(layer));
    expect(rebuilt.toString()).toBe(layer.toString());
  });

  test('saveModel / loadModel restore weights and outputs bit for bit', async () => {
    dd.manualSeed(7);
    const layer = c.make().eval();
    const x = inputFor(c);
    const want = dd.noGrad(() => layer.call(x));
    await dd.saveModel(layer, dir);
    expect(fs.readdirSync(dir).sort()).toEqual(['model.json', 'model.safetensors']);
    const back = await dd.loadModel(dir);
    expect(back.training).toBe(false);
    const a = layer.stateDict();
    const b = back.stateDict();
    expect(Object.keys(b)).toEqual(Object.keys(a));
    for (const k of Object.keys(a)) expect(bytesOf(b[k]).equals(bytesOf(a[k]))).toBe(true);
    expect(bytesOf(dd.noGrad(() => back.call(x))).equals(bytesOf(want))).toBe(true);
  });
});

test('the description is readable JSON naming format, version, layers and the weights', async () => {
  const model = new nn.Sequential(new nn.Linear(3, 2), new nn.ReLU());
  await dd.saveModel(model, dir);
  const doc = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
  expect(doc.format).toBe('dendrite.model');
  expect(doc.version).toBe(1);
  expect(doc.producer).toMatch(/^dendrite \d/);
  expect(doc.model).toEqual({
    type: 'Sequential',
    config: { layers: [{ type: 'Linear', config: { inFeatures: 3, outFeatures: 2, bias: true } }, { type: 'ReLU', config: {} }] },
  });
  expect(doc.weights.file).toBe('model.safetensors');
  expect(doc.weights.bytes).toBe(fs.statSync(path.join(dir, 'model.safetensors')).size);
  expect(doc.weights.sha256).toMatch(/^[0-9a-f]{64}$/);
});

test('dd.load gives the model for a folder, a description or described weights, and a state dict for bare weights', async () => {
  const model = new nn.Sequential(new nn.Linear(3, 2));
  await dd.saveModel(model, dir);
  expect(await dd.load(dir)).toBeInstanceOf(nn.Sequential);
  expect(await dd.load(path.join(dir, 'model.json'))).toBeInstanceOf(nn.Sequential);
  expect(await dd.load(path.join(dir, 'model.safetensors'))).toBeInstanceOf(nn.Sequential);
  expect(await dd.loadModel(path.join(dir, 'model.safetensors'))).toBeInstanceOf(nn.Sequential);
  const bare = path.join(dir, 'bare.safetensors');
  await dd.save(model, bare);
  const dict = (await dd.load(bare)) as Record<string, dd.Tensor>;
  expect(Object.keys(dict)).toEqual(['0.weight', '0.bias']);
  expect(dict['0.weight']).toBeInstanceOf(dd.Tensor);
  // A JSON file of another tool beside weights is not taken for a description.
  fs.writeFileSync(path.join(dir, 'bare.json'), '{"architectures": ["Bert"]}');
  expect(await dd.load(bare)).not.toBeInstanceOf(nn.Module);
  await expect(dd.loadModel(bare)).rejects.toThrow(/not a dendrite model description/);
  await expect(dd.loadModel(path.join(dir, 'none.safetensors'))).rejects.toThrow(/no model description found/);
});

test('loading a model leaves the global random stream where it was', async () => {
  await dd.saveModel(new nn.Sequential(new nn.Linear(30, 20), new nn.Conv2d(1, 2, 3)), dir);
  dd.manualSeed(5);
  const before = dd.getRngState();
  await dd.loadModel(dir);
  expect(dd.getRngState()).toEqual(before);
});

test('a layer without a registered description fails before anything is written, and can be registered', async () => {
  class Scale extends nn.Module {
    constructor(readonly factor: number) {
      super();
    }
    forward(x: dd.Tensor) {
      return x.mul(this.factor);
    }
  }
  const model = new nn.Sequential(new nn.Linear(2, 2), new Scale(3));
  await expect(dd.saveModel(model, dir)).rejects.toThrow(/model\.1 is a Scale, which has no registered description/);
  expect(fs.readdirSync(dir)).toEqual([]);
  dd.io.registerLayer<Scale>({
    type: 'test.Scale',
    layerClass: Scale,
    toConfig: (m) => ({ factor: m.factor }),
    fromConfig: (r) => {
      const f = r.number('factor');
      r.finish();
      return new Scale(f);
    },
  });
  await dd.saveModel(model, dir);
  const back = (await dd.loadModel(dir)) as dd.nn.Sequential;
  expect(back.at(1)).toBeInstanceOf(Scale);
  expect((back.at(1) as Scale).factor).toBe(3);
  expect(() => dd.io.registerLayer({ type: 'test.Scale', layerClass: class extends nn.Module { forward(x: dd.Tensor) { return x; } }, toConfig: () => ({}), fromConfig: () => new nn.Identity() })).toThrow(/already registered/);
  // A subclass of a built-in layer is not written under its parent's name.
  class MyLinear extends nn.Linear {}
  expect(() => dd.io.describeModel(new MyLinear(2, 2))).toThrow(/MyLinear, which has no registered description/);
});

function description(model: unknown, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ format: 'dendrite.model', version: 1, model, ...extra });
}

test.each([
  ['a newer version', JSON.stringify({ format: 'dendrite.model', version: 2, model: {}, future: 1 }), /version 2 is not supported.*reads version 1.*newer/],
  ['version 0', JSON.stringify({ format: 'dendrite.model', version: 0, model: {} }), /'version' must be a positive integer/],
  ['a string version', JSON.stringify({ format: 'dendrite.model', version: '1', model: {} }), /'version' must be a positive integer/],
  ['another format', JSON.stringify({ format: 'keras', version: 1 }), /not a dendrite model description/],
  ['not an object', '[1, 2]', /must be a JSON object/],
  ['bad JSON', '{"format": "dendrite.model",', /not valid JSON/],
  ['duplicate keys', '{"format": "dendrite.model", "format": "dendrite.model", "version": 1}', /duplicate key/],
  ['an unknown top-level field', description({ type: 'ReLU' }, { hidden: true }), /unknown field "hidden"/],
  ['an unknown layer type', description({ type: 'Sequential', config: { layers: [{ type: 'Highway9' }] } }), /model\.layers\[0\]: unknown layer type "Highway9" \(known: .*Linear/],
  ['an unknown option', description({ type: 'Linear', config: { inFeatures: 2, outFeatures: 3, bais: false } }), /model \(Linear\): unknown option config\.bais/],
  ['a missing option', description({ type: 'Linear', config: { inFeatures: 2 } }), /config\.outFeatures must be an integer/],
  ['a negative size', description({ type: 'Linear', config: { inFeatures: -2, outFeatures: 3 } }), /config\.inFeatures must be an integer in \[1,/],
  ['a fractional size', description({ type: 'Embedding', config: { numEmbeddings: 2.5, embeddingDim: 3 } }), /numEmbeddings must be an integer/],
  ['a string size', description({ type: 'Linear', config: { inFeatures: '2', outFeatures: 3 } }), /inFeatures must be an integer/],
  ['p above 1', description({ type: 'Dropout', config: { p: 1.5 } }), /config\.p must be a number in \[0, 1\]/],
  ['a bad pair', description({ type: 'MaxPool2d', config: { kernelSize: [2], stride: [2, 2], padding: [0, 0] } }), /kernelSize must be a pair/],
  ['an extra layer field', description({ type: 'ReLU', config: {}, weights: [1] }), /model: unknown field "weights"/],
  ['a layer that is a string', description('ReLU'), /model: a layer must be an object/],
  ['config that is an array', description({ type: 'ReLU', config: [] }), /'config' must be an object/],
  ['a type inherited from Object', description({ type: 'constructor' }), /unknown layer type "constructor"/],
  ['a __proto__ option', '{"format":"dendrite.model","version":1,"model":{"type":"ReLU","config":{"__proto__":{"x":1}}}}', /unknown option config\.__proto__/],
  ['a constructor refusing the options', description({ type: 'Flatten', config: { startDim: 1.5 } }), /startDim must be an integer/],
])('%s is a clear error', (_, text, message) => {
  let error: unknown;
  try {
    dd.io.modelFromDescription(text);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ModelFormatError);
  expect((error as Error).message).toMatch(message);
});

test('a description asking for more parameters than its weights hold is refused before allocating', async () => {
  await dd.saveModel(new nn.Sequential(new nn.Linear(4, 3)), dir);
  const file = path.join(dir, 'model.json');
  const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  doc.model.config.layers[0].config = { inFeatures: 2 ** 30, outFeatures: 2 ** 30, bias: true };
  fs.writeFileSync(file, JSON.stringify(doc));
  const before = process.memoryUsage().arrayBuffers;
  await expect(dd.loadModel(dir)).rejects.toThrow(/would hold \d+ parameter values, more than the 15 left/);
  expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 * 1024 * 1024);
  // Without weights, descriptions are bounded by maxParameters.
  expect(() => dd.io.modelFromDescription(description({ type: 'Linear', config: { inFeatures: 2 ** 20, outFeatures: 2 ** 20 } }))).toThrow(ModelFormatError);
});

test('weights from another save, changed weights or missing weights are reported', async () => {
  await dd.saveModel(new nn.Sequential(new nn.Linear(4, 3)), dir);
  const other = path.join(dir, 'other');
  await dd.saveModel(new nn.Sequential(new nn.Linear(4, 3)), other);
  const weights = path.join(dir, 'model.safetensors');
  const original = fs.readFileSync(weights);
  // Same size, different bytes (another model's weights): the hash tells.
  fs.copyFileSync(path.join(other, 'model.safetensors'), weights);
  await expect(dd.loadModel(dir)).rejects.toThrow(/do not match the SHA-256 in the description/);
  fs.writeFileSync(weights, Buffer.concat([original, Buffer.from([0])]));
  await expect(dd.loadModel(dir)).rejects.toThrow(/bytes but the description says/);
  fs.unlinkSync(weights);
  await expect(dd.loadModel(dir)).rejects.toThrow(/weights file "model.safetensors" beside it is missing/);
  // A description naming a file outside its folder is refused outright.
  const doc = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
  doc.weights.file = '../other/model.safetensors';
  fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(doc));
  await expect(dd.loadModel(dir)).rejects.toThrow(/weights\.file must be a plain file name/);
});

test('weights that do not fit the described layers are a ModelFormatError', async () => {
  await dd.saveModel(new nn.Sequential(new nn.Linear(4, 3)), dir);
  // Rewrite the weights with a transposed shape and fix up the reference: the shapes disagree.
  const weights = path.join(dir, 'model.safetensors');
  dd.io.writeSafetensorsSync(weights, { '0.weight': { shape: [4, 3], data: new Float32Array(12) }, '0.bias': { shape: [3], data: new Float32Array(3) } });
  const bytes = fs.readFileSync(weights);
  const doc = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
  doc.weights.bytes = bytes.length;
  doc.weights.sha256 = createHash('sha256').update(bytes).digest('hex');
  fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(doc));
  await expect(dd.loadModel(dir)).rejects.toThrow(/weights do not fit the described model: .*0\.weight: shape \[4, 3\]/);
});

test('saving over a saved model replaces both files', async () => {
  const a = new nn.Sequential(new nn.Linear(2, 2));
  const b = new nn.Sequential(new nn.Linear(2, 3), new nn.Sigmoid());
  await dd.saveModel(a, dir);
  await dd.saveModel(b, dir);
  const back = (await dd.loadModel(dir)) as dd.nn.Sequential;
  expect(back.length).toBe(2);
  expect(fs.readdirSync(dir).sort()).toEqual(['model.json', 'model.safetensors']);
});
