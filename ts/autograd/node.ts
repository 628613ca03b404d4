/**
 * A node of the autograd graph: one recorded op application. It keeps the
 * op's inputs and a closure holding whatever its backward rule needs, until
 * backward() frees it (unless asked to retain the graph).
 */
import type { Tensor } from '../tensor/tensor';

/** Gradients for each input (null where the input needs none), given the output's gradient. */
export type BackwardRule = (gradOutput: Tensor, needs: readonly boolean[]) => ReadonlyArray<Tensor | null>;

export class GradNode {
  private inputList: readonly Tensor[] | null;
  private rule: BackwardRule | null;
  private onFree: (() => void) | null;
  /** The tensor this node produced (set once the output exists). */
  output: Tensor | null = null;
  /** Whether backward should store this node's output gradient in output.grad (Tensor.retainGrad()). */
  retainsGrad = false;

  constructor(
    /** Name of the op, e.g. 'matmul'. */
    readonly name: string,
    inputs: readonly Tensor[],
    /** needs[i]: whether inputs[i] takes part in gradient computation. */
    readonly needs: readonly boolean[],
    rule: BackwardRule,
    onFree: (() => void) | null = null,
  ) {
    this.inputList = inputs;
    this.rule = rule;
    this.onFree = onFree;
  }

  /** The op's inputs; throws once the graph through this node has been freed. */
  get inputs(): readonly Tensor[] {
    if (this.inputList === null) throw this.freedError();
    return this.inputList;
  }

  get freed(): boolean {
    return this.inputList === null;
  }

  /**
   * Runs the backward rule for the inputs `needs` marks (by default every
   * input that requires grad; grad() narrows it to the inputs on a path to
   * what it differentiates for).
   */
  apply(gradOutput: Tensor, needs: readonly boolean[] = this.needs): ReadonlyArray<Tensor | null> {
    if (this.rule === null) throw this.freedError();
    return this.rule(gradOutput, needs);
  }

  /** Drops the inputs and saved state so their memory can be reused or collected. */
  free(): void {
    if (this.inputList === null) return;
    this.inputList = null;
    this.rule = null;
    const onFree = this.onFree;
    this.onFree = null;
    if (onFree) onFree();
  }

  toString(): string {
    return `<${this.name}>`;
  }

  private freedError(): Error {
    return new Error(
      `backward: trying to go through the graph a second time (at '${this.name}'): its saved values were freed by ` +
        'the first backward(). Pass { retainGraph: true } to the first backward() to go through it again.',
    );
  }
}
