/**
 * What one layer of a model outputs, caught with a forward hook: works for
 * any model (not only Sequential), runs it in evaluation mode without
 * recording a graph (nn.withMode and noGrad, so nothing changes for a fit
 * running meanwhile), and takes the hook off afterwards, errors included.
 * Once the layer has run the rest of the model is skipped: a picture of the
 * second convolution need not pay for the classifier.
 */
import { noGrad } from '../autograd/grad-mode';
import { closest } from '../options';
import { Module } from '../nn/module';
import type { AnyModule } from '../nn/module';
import { withMode } from '../nn/mode';
import { Tensor } from '../tensor/tensor';
import { formatShape } from '../tensor/shape';
import { describe } from './checks';

/** A layer, as the module itself or its dotted name in the model ('features.3'). */
export type LayerRef = AnyModule | string;

/** Thrown by the hook to stop the forward pass; not an Error, so no layer renames it on the way out. */
class StopForward {
  constructor(readonly output: unknown) {}
}

export function checkModel(model: unknown, where: string): AnyModule {
  if (!(model instanceof Module)) throw new TypeError(`${where}: model must be an nn.Module, got ${describe(model)}`);
  return model as AnyModule;
}

/** The module `layer` names in `model`, with its dotted name ('' for the model itself). */
export function resolveLayer(model: AnyModule, layer: LayerRef, where: string): { module: AnyModule; name: string } {
  const named = [...model.namedModules()];
  if (typeof layer === 'string') {
    const hit = named.find(([name]) => name === layer);
    if (hit !== undefined) return { module: hit[1], name: layer };
    const names = named.map(([name]) => name).filter((name) => name !== '');
    const near = closest(layer, names);
    const shown = names.length > 20 ? `${names.slice(0, 20).join(', ')}, …` : names.join(', ');
    throw new RangeError(`${where}: the model has no layer named '${layer}'${near === null ? '' : ` (did you mean '${near}'?)`}; its layers: ${shown}`);
  }
  if (!(layer instanceof Module)) throw new TypeError(`${where}: layer must be a module of the model or its dotted name, got ${describe(layer)}`);
  const hit = named.find(([, m]) => m === layer);
  if (hit === undefined) throw new RangeError(`${where}: the layer (${layer.constructor.name}) is not a module of the model`);
  return { module: layer as AnyModule, name: hit[0] };
}

/**
 * The output `layer` gives (the first time it runs, should the model call it
 * twice) when `model` runs on `input`, in evaluation mode, with no graph.
 */
export function captureLayerOutput(model: AnyModule, layer: AnyModule, input: Tensor, where: string, layerName: string): Tensor {
  const handle = layer.registerForwardHook((_m, _inputs, output) => {
    throw new StopForward(output);
  });
  let output: unknown;
  try {
    withMode(model, false, () => noGrad(() => model.call(input)));
    throw new RangeError(`${where}: layer '${layerName}' (${layer.constructor.name}) did not run when the model ran on input ${formatShape(input.shape)}`);
  } catch (e) {
    if (!(e instanceof StopForward)) throw e;
    output = e.output;
  } finally {
    handle.remove();
  }
  if (!(output instanceof Tensor)) throw new TypeError(`${where}: layer '${layerName}' (${layer.constructor.name}) returned ${describe(output)}, not one Tensor`);
  return output;
}
