/**
 * The elementwise op lists are written once, in native/kernels/elementwise/ops.h:
 * the addon exports every op's code by name, and TypeScript names the same ops
 * (ts/bindings/elementwise.ts) and takes their codes from the addon.
 */
import { native } from '../../ts/native';
import {
  BINARY_OPS, binaryOpCode, SCALAR_OPS, scalarOpCode, UNARY_OPS, unaryOpCode,
} from '../../ts/bindings/elementwise';

const families = [
  ['binary', BINARY_OPS, binaryOpCode],
  ['scalar', SCALAR_OPS, scalarOpCode],
  ['unary', UNARY_OPS, unaryOpCode],
] as const;

describe.each(families)('%s ops', (family, names, codeOf) => {
  const exported = () => native().elementwiseOps[family];

  test('TypeScript names exactly the ops the addon lists', () => {
    expect([...names].sort()).toEqual(Object.keys(exported()).sort());
  });

  test('codes are 0 .. count - 1, one per op, and the ones TypeScript uses', () => {
    const codes = names.map((name) => (codeOf as (n: string) => number)(name));
    expect([...codes].sort((a, b) => a - b)).toEqual(names.map((_, i) => i));
    for (const name of names) expect((codeOf as (n: string) => number)(name)).toBe(exported()[name]);
  });

  test('the exported table cannot be changed from JavaScript', () => {
    expect(Object.isFrozen(exported())).toBe(true);
    expect(Object.isFrozen(native().elementwiseOps)).toBe(true);
  });
});

test('an op the addon does not have is a clear error, not a wrong kernel', () => {
  expect(() => unaryOpCode('mish' as never)).toThrow(/native addon has no unary op 'mish'.*rebuild it/);
});
