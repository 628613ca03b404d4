/**
 * Codecs for the deep-network blocks of dd.nn: Highway, Residual,
 * ResidualDense and ResidualConv2d. They are looked up by name in the layers
 * module and registered when present, so descriptions work the moment the
 * blocks are part of dd.nn without this file naming classes it cannot see.
 * Their activations are names ('relu', 'tanh', ...) that the constructors check.
 */
import * as layers from '../../nn/layers';
import type { Module } from '../../nn/module';
import type { ConfigReader } from './config-reader';
import { LayerCodec, registerLayer } from './registry';

interface HighwayLike extends Module {
  readonly dim: number;
  readonly activation: string;
  readonly gateBias: number;
}
interface ResidualLike extends Module {
  block: Module;
}
interface ResidualDenseLike extends Module {
  readonly dim: number;
  readonly hiddenDim: number;
  readonly activation: string;
}
interface ResidualConv2dLike extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: number;
  readonly stride: number;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Ctor<M extends Module> = new (...args: any[]) => M;

/** The class dd.nn exports under `name`, if any. */
export function layerClassNamed<M extends Module>(name: string): Ctor<M> | undefined {
  const v = (layers as unknown as Record<string, unknown>)[name];
  return typeof v === 'function' ? (v as Ctor<M>) : undefined;
}

function activation(r: ConfigReader): string {
  return r.string('activation', 'relu');
}

function codecs(): LayerCodec[] {
  const out: LayerCodec[] = [];
  const Highway = layerClassNamed<HighwayLike>('Highway');
  if (Highway) {
    out.push({
      type: 'Highway',
      layerClass: Highway,
      toConfig: (m: HighwayLike) => ({ dim: m.dim, activation: m.activation, gateBias: m.gateBias }),
      fromConfig: (r) => {
        const dim = r.integer('dim', 1);
        const act = activation(r);
        const gateBias = r.number('gateBias', undefined, undefined, -2);
        r.finish();
        r.reserveParameters(2 * (dim * dim + dim));
        return new Highway(dim, { activation: act, gateBias });
      },
    } as LayerCodec<HighwayLike> as unknown as LayerCodec);
  }
  const Residual = layerClassNamed<ResidualLike>('Residual');
  if (Residual) {
    out.push({
      type: 'Residual',
      layerClass: Residual,
      toConfig: (m: ResidualLike, describe) => ({ block: describe(m.block) }),
      fromConfig: (r) => {
        const block = r.layer('block');
        r.finish();
        return new Residual(block);
      },
    } as LayerCodec<ResidualLike> as unknown as LayerCodec);
  }
  const ResidualDense = layerClassNamed<ResidualDenseLike>('ResidualDense');
  if (ResidualDense) {
    out.push({
      type: 'ResidualDense',
      layerClass: ResidualDense,
      toConfig: (m: ResidualDenseLike) => ({ dim: m.dim, hiddenDim: m.hiddenDim, activation: m.activation }),
      fromConfig: (r) => {
        const dim = r.integer('dim', 1);
        const hiddenDim = r.integer('hiddenDim', 1, dim);
        const act = activation(r);
        r.finish();
        r.reserveParameters(2 * dim * hiddenDim + hiddenDim + dim);
        return new ResidualDense(dim, { hiddenDim, activation: act });
      },
    } as LayerCodec<ResidualDenseLike> as unknown as LayerCodec);
  }
  const ResidualConv2d = layerClassNamed<ResidualConv2dLike>('ResidualConv2d');
  if (ResidualConv2d) {
    out.push({
      type: 'ResidualConv2d',
      layerClass: ResidualConv2d,
      toConfig: (m: ResidualConv2dLike) => ({ inChannels: m.inChannels, outChannels: m.outChannels, kernelSize: m.kernelSize, stride: m.stride }),
      fromConfig: (r) => {
        const inChannels = r.integer('inChannels', 1);
        const outChannels = r.integer('outChannels', 1, inChannels);
        const kernelSize = r.integer('kernelSize', 1, 3);
        const stride = r.integer('stride', 1, 1);
        r.finish();
        const shortcut = outChannels !== inChannels || stride !== 1 ? inChannels * outChannels + outChannels : 0;
        r.reserveParameters(outChannels * (inChannels + outChannels) * kernelSize * kernelSize + 2 * outChannels + shortcut);
        return new ResidualConv2d(inChannels, { outChannels, kernelSize, stride });
      },
    } as LayerCodec<ResidualConv2dLike> as unknown as LayerCodec);
  }
  return out;
}

for (const codec of codecs()) registerLayer(codec);
