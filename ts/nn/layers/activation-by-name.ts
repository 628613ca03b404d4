/** Activations chosen by name in layer options (JSON-friendly, as Keras' `activation: 'relu'`). */
import type { Tensor } from '../../tensor/tensor';
import { elu, gelu, leakyRelu, relu, sigmoid, silu, softplus, tanh } from '../../ops/activation';

export const ACTIVATION_NAMES = ['relu', 'tanh', 'sigmoid', 'elu', 'gelu', 'silu', 'softplus', 'leakyRelu', 'linear'] as const;
export type ActivationName = (typeof ACTIVATION_NAMES)[number];

export function checkActivation(name: unknown, where: string): ActivationName {
  if (typeof name !== 'string' || !(ACTIVATION_NAMES as readonly string[]).includes(name)) {
    throw new RangeError(`${where}: activation must be one of ${ACTIVATION_NAMES.join(', ')}, got ${JSON.stringify(name)}`);
  }
  return name as ActivationName;
}

export function applyActivation(x: Tensor, name: ActivationName): Tensor {
  switch (name) {
    case 'relu': return relu(x);
    case 'tanh': return tanh(x);
    case 'sigmoid': return sigmoid(x);
    case 'elu': return elu(x);
    case 'gelu': return gelu(x);
    case 'silu': return silu(x);
    case 'softplus': return softplus(x);
    case 'leakyRelu': return leakyRelu(x);
    case 'linear': return x;
  }
}
