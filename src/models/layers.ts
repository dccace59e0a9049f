import * as tf from '@tensorflow/tfjs';
import type { NeuralHyperParameters } from './neural-config.js';

/**
 * Layer builders shared by the neural models. Every initialiser gets an explicit seed so that the
 * same seed gives the same starting weights; the defaults match Keras (embedding uniform in
 * ±0.05, Glorot-uniform kernels, zero biases).
 */
export function seededEmbedding(params: NeuralHyperParameters, seed: number): tf.layers.Layer {
  return tf.layers.embedding({
    name: 'embedding',
    inputDim: params.numWords,
    outputDim: params.embeddingDim,
    inputLength: params.maxLen,
    embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed }),
  });
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
