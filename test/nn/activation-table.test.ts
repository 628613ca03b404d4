/**
 * Everything about an activation of the table (ts/ops/activation-table.ts) is
 * derived from its entry: its functional form, its layer (and the layer's
 * parameter), its place in ACTIVATION_NAMES, its saveModel codec and its ONNX
 * converter. These checks hold for every entry, so a new one is covered as
 * soon as it is added.
 */
import * as dd from '../../ts/index';
import { ACTIVATIONS, layerNamesOf } from '../../ts/ops/activation-table';
import { codecForType } from '../../ts/io/layers/registry';
import { applyActivation, checkActivation } from '../../ts/nn/layers/activation-by-name';
import { hasOnnxConverter } from '../../ts/io/onnx/graph-builder';
import { TestRandom } from '../support/random';

const { nn } = dd;
const layerClass = (name: string) => (nn as unknown as Record<string, new (p?: number) => dd.nn.Module>)[name];
const functional = (name: string) => (nn.functional as unknown as Record<string, (x: dd.Tensor, p?: number) => dd.Tensor>)[name];

describe.each(ACTIVATIONS.map((a) => [a.name, a] as const))('%s', (name, entry) => {
  const x = dd.tensor(Array.from(new TestRandom(7).float32(24, -4, 4))).reshape([4, 6]);
  const param = 'param' in entry ? entry.param : undefined;

  test('its layers compute its functional form, with the parameter it was given', () => {
    for (const type of layerNamesOf(entry)) {
      const value = param === undefined ? undefined : param.default * 1.5;
      const layer = new (layerClass(type))(value);
      const want = param === undefined ? functional(name)(x) : functional(name)(x, value);
      expect(layer.forward(x).data).toEqual(want.data);
      if (param !== undefined) {
        expect((layer as unknown as Record<string, number>)[param.name]).toBe(value);
        expect(layer.toString()).toBe(`${type}(${param.name}=${value})`);
        expect((new (layerClass(type))() as unknown as Record<string, number>)[param.name]).toBe(param.default);
      } else {
        expect(layer.toString()).toBe(`${type}()`);
      }
    }
  });

  test('it is an activation by name, with its default parameter', () => {
    expect(checkActivation(name, 'test')).toBe(name);
    expect(applyActivation(x, name).data).toEqual(functional(name)(x).data);
  });

  test('each of its layers has a saveModel codec and an ONNX converter', () => {
    for (const type of layerNamesOf(entry)) {
      expect(codecForType(type)?.layerClass).toBe(layerClass(type));
      expect(hasOnnxConverter(layerClass(type))).toBe(true);
    }
  });
});

test("ACTIVATION_NAMES is the table's names, then 'linear'", () => {
  expect([...nn.ACTIVATION_NAMES]).toEqual([...ACTIVATIONS.map((a) => a.name), 'linear']);
});
