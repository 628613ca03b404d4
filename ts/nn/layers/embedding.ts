/** A lookup table of `num` vectors of `dim` values, indexed by int32 tensors of any shape. */
import type { Tensor } from '../../tensor/tensor';
import { zeros } from '../../tensor/create';
import { embedding } from '../functional';
import { Module, parameter } from '../module';
import { Initializer, initWeight, normal_ } from '../init';
import type { Constraint, Penalty } from '../../regularize/policy';
import { attachLayerPolicies } from '../../regularize/attach';
import { rejectUnknownOptions } from '../../options';

export interface EmbeddingOptions {
  /** Initialisation of the table (default N(0, 1), as PyTorch). */
  init?: Initializer;
  /** Penalty on the table (dd.regularize.l1, l2, elasticNet). */
  embeddingsRegularizer?: Penalty;
  /** Constraint on the table's rows after each update (dd.regularize.maxNorm). */
  embeddingsConstraint?: Constraint;
}

export class Embedding extends Module {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  weight: Tensor;

  constructor(numEmbeddings: number, embeddingDim: number, options: EmbeddingOptions = {}) {
    super();
    rejectUnknownOptions(options, ['init', 'embeddingsRegularizer', 'embeddingsConstraint'], 'Embedding');
    for (const [n, v] of [['numEmbeddings', numEmbeddings], ['embeddingDim', embeddingDim]] as const) {
      if (!Number.isInteger(v) || v <= 0) throw new RangeError(`Embedding: ${n} must be a positive integer, got ${v}`);
    }
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    this.weight = parameter(zeros([numEmbeddings, embeddingDim]));
    if (options.init === undefined || options.init === 'default') normal_(this.weight);
    else initWeight(this.weight, options.init, 'Embedding');
    attachLayerPolicies('Embedding', this.weight, null, options, 'embeddings');
  }

  /** indices: int32 of shape S → float32 of shape [...S, embeddingDim]. */
  forward(indices: Tensor): Tensor {
    if (indices.dtype !== 'int32') throw new TypeError(`Embedding: indices must be an int32 tensor, got ${indices.dtype}`);
    return embedding(indices, this.weight);
  }

  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}`;
  }
}
