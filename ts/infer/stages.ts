/**
 * How a model is cut into what an inference plan runs: its layers in order
 * (nested Sequentials opened up), with the runs it knows fused —
 * Conv2d → ReLU → MaxPool2d (in either order after the convolution),
 * Linear → ReLU — Flatten as a view, Dropout and Identity as nothing (they
 * are the identity in evaluation mode), and every other layer as a stage of
 * its own that runs its normal forward.
 *
 * Only exact classes are fused (a subclass may override forward) and only
 * layers without forward hooks (a hook must see its layer run). A Sequential
 * with hooks, or any other container, is one stage of its own.
 */
import type { AnyModule } from '../nn/module';
import { Sequential } from '../nn/layers/sequential';
import { Conv2d } from '../nn/layers/conv';
import { Linear } from '../nn/layers/linear';
import { ReLU } from '../nn/layers/activation';
import { MaxPool2d } from '../nn/layers/pooling';
import { Dropout, Dropout2d } from '../nn/layers/dropout';
import { Flatten, Identity } from '../nn/layers/flatten';

export interface ConvStage {
  kind: 'conv';
  conv: Conv2d;
  relu: ReLU | null;
  pool: MaxPool2d | null;
  /** Whether the ReLU came before the pool in the model (it matters only if the pool must run on its own). */
  reluFirst: boolean;
}

export interface LinearStage {
  kind: 'linear';
  linear: Linear;
  relu: ReLU | null;
}

export type Stage =
  | ConvStage
  | LinearStage
  | { kind: 'flatten'; flatten: Flatten }
  | { kind: 'identity'; module: AnyModule }
  | { kind: 'module'; module: AnyModule };

/** What must stay as it was for the stages to still describe the model. */
export interface Structure {
  containers: Array<{ module: Sequential; children: AnyModule[] }>;
  /** Modules the stages fuse or skip: a hook added to one later must run. */
  fused: AnyModule[];
  /** Lazy Linear layers not sized yet (run as they are until they are). */
  lazy: Linear[];
}

function exactly<T extends AnyModule>(m: AnyModule, cls: abstract new (...args: never[]) => T): m is T {
  return m.constructor === cls && !m._hasForwardHooks();
}

/** A max-pool the convolution kernels can take: no padding, no dilation, floor mode. */
function fusablePool(m: AnyModule): m is MaxPool2d {
  if (!exactly(m, MaxPool2d)) return false;
  return m.padding[0] === 0 && m.padding[1] === 0 && m.dilation[0] === 1 && m.dilation[1] === 1 && !m.ceilMode;
}

function collect(m: AnyModule, leaves: AnyModule[], structure: Structure): void {
  if (m instanceof Sequential && m.constructor === Sequential && !m._hasForwardHooks()) {
    const children = [...m] as AnyModule[];
    structure.containers.push({ module: m, children });
    for (const c of children) collect(c, leaves, structure);
    return;
  }
  leaves.push(m);
}

/** The stages of `model` and what they depend on. */
export function stagesOf(model: AnyModule): { stages: Stage[]; structure: Structure } {
  const leaves: AnyModule[] = [];
  const structure: Structure = { containers: [], fused: [], lazy: [] };
  collect(model, leaves, structure);
  const stages: Stage[] = [];
  for (let i = 0; i < leaves.length; i++) {
    const m = leaves[i];
    if (exactly(m, Conv2d)) {
      const stage: ConvStage = { kind: 'conv', conv: m, relu: null, pool: null, reluFirst: false };
      for (let j = i + 1; j < leaves.length; j++) {
        const next = leaves[j];
        if (stage.relu === null && exactly(next, ReLU)) {
          stage.relu = next;
          stage.reluFirst = stage.pool === null;
        } else if (stage.pool === null && fusablePool(next)) {
          stage.pool = next;
        } else {
          break;
        }
        i = j;
      }
      stages.push(stage);
      structure.fused.push(...[stage.conv, stage.relu, stage.pool].filter((x): x is NonNullable<typeof x> => x !== null));
    } else if (exactly(m, Linear) && !m.hasUninitializedParams()) {
      const relu = i + 1 < leaves.length && exactly(leaves[i + 1], ReLU) ? (leaves[++i] as ReLU) : null;
      stages.push({ kind: 'linear', linear: m, relu });
      structure.fused.push(m, ...(relu ? [relu] : []));
    } else if (exactly(m, Flatten)) {
      stages.push({ kind: 'flatten', flatten: m });
      structure.fused.push(m);
    } else if (exactly(m, Dropout) || exactly(m, Dropout2d) || exactly(m, Identity)) {
      stages.push({ kind: 'identity', module: m });
      structure.fused.push(m);
    } else {
      if (exactly(m, Linear)) structure.lazy.push(m);
      stages.push({ kind: 'module', module: m });
    }
  }
  return { stages, structure };
}

/** Whether the model still has the structure the stages were made from. */
export function structureHolds(s: Structure): boolean {
  for (const { module, children } of s.containers) {
    if (module._hasForwardHooks() || module.length !== children.length) return false;
    for (let i = 0; i < children.length; i++) if (module[i] !== children[i]) return false;
  }
  for (const m of s.fused) if (m._hasForwardHooks()) return false;
  for (const m of s.lazy) if (!m.hasUninitializedParams()) return false;
  return true;
}
