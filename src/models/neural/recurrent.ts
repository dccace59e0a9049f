import * as tf from '../../engine/tf.js';
import { FusedGRU, FusedLSTM } from '../../engine/recurrent/layers.js';
import type { NeuralHyperParameters } from './neural-config.js';
import { classifierHead, seededDropout, seededEmbedding } from './layers.js';
import { MaskedGlobalMaxPooling1D } from './masked-max-pooling.js';
import type { RecurrentKind } from './architecture-sizes.js';

export type { RecurrentKind };

/** The weights of an LSTM or GRU cell (public fields at run time, absent from TF.js's types). */
interface RecurrentCell {
  readonly recurrentKernel: tf.LayerVariable;
}

/**
 * Embedding (masking id 0) → LSTM, bidirectional LSTM or GRU → Dropout → Dense output, with
 * `embeddingDropout` a dropout of whole embedding dimensions per review before the recurrent layer.
 * With `pooling: 'last'` the recurrent layer's last state (both directions' last states, concatenated,
 * for bilstm) stands for the review; with `'max'` each feature's largest value over all of the
 * review's states does, so a phrase early in a long review need not survive hundreds of steps to
 * count (max-pooled states, as in Conneau et al. 2017's BiLSTM-max sentence encoder).
 *
 * Padding is masked rather than left to the network: at a padded step the state is carried over
 * unchanged (Keras semantics), so the representation does not depend on how much padding a review
 * got or on which side. Without the mask, pre-padding would suit a forward LSTM (the padding comes
 * first and its trace fades) but not the backward half of a bidirectional one, which would read
 * the whole review and then up to hundreds of padding steps. The mask also lets the fused
 * recurrence skip steps where every review of a batch is padding.
 *
 * Gates use the logistic sigmoid (Keras's default; TF.js defaults to the hard sigmoid, which the
 * fused recurrence does not compute), the LSTM forget gate starts with bias 1 (Keras's
 * `unit_forget_bias`), and recurrent kernels start orthogonal, set after building because TF.js's
 * orthogonal initialiser logs a warning for matrices of this size each time a model is built or
 * loaded.
 */
export function buildRecurrent(kind: RecurrentKind) {
  return (params: NeuralHyperParameters, numLabels: number, seed: number): tf.LayersModel => {
    const model = tf.sequential({ name: kind });
    model.add(seededEmbedding(params, seed, { maskZero: true }));
    if (params.embeddingDropout > 0) {
      model.add(seededDropout(params.embeddingDropout, seed + 7, 'embedding_dropout', true));
    }
    const pooled = params.pooling === 'max';
    const layer = recurrentLayer(kind === 'gru' ? 'gru' : 'lstm', params.units, pooled, seed + 3);
    model.add(
      kind === 'bilstm' ? tf.layers.bidirectional({ name: 'bilstm', layer, mergeMode: 'concat' }) : layer,
    );
    if (pooled) model.add(new MaskedGlobalMaxPooling1D({ name: 'max_pool' }));
    model.add(seededDropout(params.dropout, seed + 1));
    model.add(classifierHead(numLabels, seed + 2));
    recurrentCells(model).forEach((cell, i) =>
      cell.recurrentKernel.write(orthogonal(cell.recurrentKernel.shape, seed + 5 + i)),
    );
    return model;
  };
}

function recurrentLayer(
  cell: 'lstm' | 'gru',
  units: number,
  returnSequences: boolean,
  seed: number,
): FusedLSTM | FusedGRU {
  const common = {
    name: cell,
    units,
    returnSequences,
    activation: 'tanh',
    recurrentActivation: 'sigmoid',
    kernelInitializer: tf.initializers.glorotUniform({ seed }),
    recurrentInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }),
  } as const;
  return cell === 'lstm' ? new FusedLSTM({ ...common, unitForgetBias: true }) : new FusedGRU(common);
}

/** The cells of the model's recurrent layers, both directions of a bidirectional one. */
function recurrentCells(model: tf.LayersModel): RecurrentCell[] {
  return model.layers.flatMap((layer) => {
    const wrapped = layer as unknown as { forwardLayer?: tf.RNN; backwardLayer?: tf.RNN };
    const rnns: tf.layers.Layer[] =
      wrapped.forwardLayer && wrapped.backwardLayer ? [wrapped.forwardLayer, wrapped.backwardLayer] : [layer];
    return rnns
      .filter((l): l is tf.RNN => l instanceof tf.RNN)
      .map((l) => l.cell as unknown as RecurrentCell);
  });
}

/**
 * A matrix with orthonormal rows or columns (whichever are fewer), as Keras's orthogonal
 * initialiser draws it: Q of the QR decomposition of a seeded Gaussian matrix, signs fixed by R's
 * diagonal so that the distribution is uniform.
 */
function orthogonal(shape: tf.Shape, seed: number): tf.Tensor2D {
  const [rows, cols] = shape as [number, number];
  return tf.tidy(() => {
    const gaussian = tf.randomNormal([Math.max(rows, cols), Math.min(rows, cols)], 0, 1, 'float32', seed);
    const [q, r] = tf.linalg.qr(gaussian as tf.Tensor2D);
    const diagonal = tf.sum(tf.mul(r, tf.eye(r.shape[0], r.shape[1])), 0);
    const uniform = tf.mul(q, tf.sign(diagonal)) as tf.Tensor2D;
    return rows < cols ? tf.transpose(uniform) : uniform;
  });
}
