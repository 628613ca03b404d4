/**
 * Activations chosen by name in layer options (JSON-friendly, as Keras' `activation: 'relu'`):
 * every activation of the table (ops/activation-table.ts) with its default parameter, and 'linear'.
 */
import { nativeActivation } from '../../ops/activation';
import { ACTIVATIONS } from '../../ops/activation-table';
import type { Tensor } from '../../tensor/tensor';

type TableNames<T> = { readonly [I in keyof T]: T[I] extends { readonly name: infer N } ? N : never };

export const ACTIVATION_NAMES = [...ACTIVATIONS.map((a) => a.name), 'linear'] as unknown as readonly [
  ...TableNames<typeof ACTIVATIONS>,
  'linear',
];
export type ActivationName = (typeof ACTIVATION_NAMES)[number];

const byName = new Map<string, (x: Tensor) => Tensor>(ACTIVATIONS.map((a) => [a.name, nativeActivation(a.name)]));

export function checkActivation(name: unknown, where: string): ActivationName {
  if (typeof name !== 'string' || !(ACTIVATION_NAMES as readonly string[]).includes(name)) {
    throw new RangeError(`${where}: activation must be one of ${ACTIVATION_NAMES.join(', ')}, got ${JSON.stringify(name)}`);
  }
  return name as ActivationName;
}

export function applyActivation(x: Tensor, name: ActivationName): Tensor {
  if (name === 'linear') return x;
  const activation = byName.get(name);
  if (activation === undefined) throw new RangeError(`activation must be one of ${ACTIVATION_NAMES.join(', ')}, got ${JSON.stringify(name)}`);
  return activation(x);
}
