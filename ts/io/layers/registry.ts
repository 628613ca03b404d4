/**
 * How each layer class describes itself in a model description and is
 * rebuilt from one: a codec per class, registered under the type name that
 * files carry ("Linear", "Conv2d", ...). Classes are matched exactly, not by
 * instanceof, so a subclass (which may compute something else) is never
 * written under its parent's name: it needs a codec of its own, which user
 * code adds with registerLayer().
 */
import type { AnyModule, Module } from '../../nn/module';
import type { ConfigReader } from './config-reader';

/** A value in a layer's options: JSON, with child layers as nested specs. */
export type ConfigValue = number | boolean | string | null | ConfigValue[] | { [key: string]: ConfigValue };

/** One layer in a model description: its registered type name and its options. */
export type LayerSpec = {
  type: string;
  config: { [key: string]: ConfigValue };
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type LayerClass<M extends AnyModule = Module> = abstract new (...args: any[]) => M;

export interface LayerCodec<M extends AnyModule = Module> {
  /** The name written in files. */
  readonly type: string;
  /** The class described; matched exactly. */
  readonly layerClass: LayerClass<M>;
  /** The constructor options of `layer`, as plain JSON; `describe` gives the spec of a child layer. */
  toConfig(layer: M, describe: (child: Module) => LayerSpec): { [key: string]: ConfigValue };
  /** A new layer from options read (and validated) through `config`. */
  fromConfig(config: ConfigReader): M;
}

const byType = new Map<string, LayerCodec>();
const byClass = new Map<LayerClass<AnyModule>, LayerCodec>();

/**
 * Makes a layer class saveable with saveModel() and exportable in checkpoints.
 * Type names and classes must each be registered once.
 */
export function registerLayer<M extends AnyModule>(codec: LayerCodec<M>): void {
  if (typeof codec?.type !== 'string' || !/^[A-Za-z_][A-Za-z0-9_.]*$/.test(codec.type)) {
    throw new TypeError(`registerLayer: type must be a name of letters, digits, '_' and '.', got ${JSON.stringify(codec?.type)}`);
  }
  if (typeof codec.layerClass !== 'function' || typeof codec.toConfig !== 'function' || typeof codec.fromConfig !== 'function') {
    throw new TypeError(`registerLayer(${codec.type}): needs layerClass, toConfig and fromConfig`);
  }
  if (byType.has(codec.type)) throw new RangeError(`registerLayer: the type name ${JSON.stringify(codec.type)} is already registered`);
  if (byClass.has(codec.layerClass)) {
    throw new RangeError(`registerLayer: class ${codec.layerClass.name} is already registered as ${JSON.stringify(byClass.get(codec.layerClass)?.type)}`);
  }
  byType.set(codec.type, codec as unknown as LayerCodec);
  byClass.set(codec.layerClass, codec as unknown as LayerCodec);
}

/** The codec of `layer`'s exact class, or undefined. */
export function codecOf(layer: Module): LayerCodec | undefined {
  return byClass.get(layer.constructor as LayerClass<AnyModule>);
}

/** The codec registered under `type`, or undefined. */
export function codecForType(type: string): LayerCodec | undefined {
  return byType.get(type);
}

/** Every registered type name, sorted (for messages). */
export function registeredLayerTypes(): string[] {
  return [...byType.keys()].sort();
}
