import * as tf from '../../engine/tf.js';
import { OptionError } from '../../errors.js';
import type { NeuralHyperParameters } from './neural-config.js';
import { SeededDropout } from './seeded-dropout.js';

/**
 * Layer builders shared by the neural models. Every initialiser gets an explicit seed so that the
 * same seed gives the same starting weights; the defaults match Keras (embedding uniform in
 * ±0.05, Glorot-uniform kernels, zero biases).
 */
export function seededEmbedding(
  params: NeuralHyperParameters,
  seed: number,
  { maskZero = false }: { maskZero?: boolean } = {},
): tf.layers.Layer {
  return tf.layers.embedding({
    name: 'embedding',
    inputDim: params.numWords,
    outputDim: params.embeddingDim,
    inputLength: params.maxLen,
    maskZero,
    embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed }),
  });
}

/**
 * Puts an embedding matrix (`inputDim × outputDim`, row-major) into a built model's Embedding layer;
 * `trainable: false` keeps it fixed during training, like Keras's `trainable=False`. Call it before
 * `compile`: TF.js, like Keras, collects the trainable weights when a model is compiled.
 * @throws OptionError when the model has no Embedding layer or the matrix does not fit it.
 */
export function setEmbeddingMatrix(model: tf.LayersModel, matrix: Float32Array, trainable: boolean): void {
  const layer = model.layers.find((l) => l.getClassName() === 'Embedding');
  if (!layer) throw new OptionError(`model "${model.name}" has no Embedding layer for pre-trained vectors`);
  const [rows, dim] = layer.weights[0].shape as [number, number];
  if (matrix.length !== rows * dim) {
    throw new OptionError(`an embedding matrix of ${matrix.length} values does not fit ${rows} × ${dim}`);
  }
  tf.tidy(() => layer.setWeights([tf.tensor2d(matrix, [rows, dim])]));
  layer.trainable = trainable;
}

/**
 * Dropout with reproducible masks (see seeded-dropout.ts); `wholeReview`: each feature of a
 * `[batch, steps, features]` input is dropped at every step of a review or at none.
 */
export function seededDropout(
  rate: number,
  seed: number,
  name = 'dropout',
  wholeReview = false,
): tf.layers.Layer {
  return new SeededDropout(rate, seed, name, wholeReview);
}

export function seededDense(
  units: number,
  activation: 'relu' | 'sigmoid' | 'softmax',
  seed: number,
  name: string,
): tf.layers.Layer {
  return tf.layers.dense({
    name,
    units,
    activation,
    kernelInitializer: tf.initializers.glorotUniform({ seed }),
  });
}

/** One sigmoid unit for two labels (as in the tutorial), a softmax over the labels otherwise. */
export function classifierHead(numLabels: number, seed: number): tf.layers.Layer {
  return numLabels <= 2
    ? seededDense(1, 'sigmoid', seed, 'output')
    : seededDense(numLabels, 'softmax', seed, 'output');
}

/** The loss that goes with `classifierHead`. */
export function lossFor(numLabels: number): string {
  return numLabels <= 2 ? 'binaryCrossentropy' : 'categoricalCrossentropy';
}
